"""The Norwegian word knowledge that OCR repair chooses by, and how damaged words are read with it.

* ``resources/lexicon/nb_words.tsv.gz``: Norsk Ordbank's Bokmål full forms plus wordfreq's frequent
  Bokmål words, each with its Zipf frequency (built by ``scripts/build_lexicon.py``; loads in well
  under a second, where the plain Ordbank JSON takes seconds and ~190 MB);
* ``resources/lexicon/languages.json``: Nynorsk and Bokmål marker words (language detection) and
  common Nynorsk forms (kept as they are, and offered as repairs, in Nynorsk text);
* names and places: the name lists (SSB) and the gazetteer of :mod:`pipeline.reference`.

Everything is read once per process (:func:`load_lexicon`) and is read-only afterwards.

Reading damaged words: the confusion table ``resources/ocr_confusions.jsonl`` says how OCR misreads
letters (ø as o, g, a, e, @ ...). Lexicon words with æ/ø/å are indexed by their :func:`shape`
(every run of letters a confusion can touch becomes ``*``), so a damaged word finds its candidates
in one look-up and :func:`align` says which confusions turn one into the other. A :class:`Model`
reads a token as words (whole, or a compound of known parts), unchanged and repaired, with log10
probabilities: the word's frequency times the confusions' probabilities.
"""
from __future__ import annotations

import gzip
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from itertools import chain
from pathlib import Path

from pipeline import reference
from pipeline.cache import cached

RESOURCES = Path(__file__).parent / "resources"
WORDS_FILE = RESOURCES / "lexicon" / "nb_words.tsv.gz"
LANGUAGES_FILE = RESOURCES / "lexicon" / "languages.json"
INFINITIVES_FILE = RESOURCES / "lexicon" / "nb_infinitives.txt.gz"

#: Zipf frequency given to a word the lexicon knows (Ordbank) but wordfreq has never counted.
FLOOR_ZIPF = 1.0
CONFUSIONS_FILE = RESOURCES / "ocr_confusions.jsonl"
#: log10 penalty per split of a compound beyond what the parts' frequencies already cost.
SPLIT_PENALTY = 0.5
MIN_PART = 3
MAX_PARTS = 3
#: A compound part of three letters must come first and be at least this frequent (råd, år; not kje).
SHORT_PART_ZIPF = 4.5
#: log10 cost of reading a word as another word's genitive (its form plus s).
GENITIVE_PENALTY = 0.5
#: Zipf frequency of a name or place that the word lexicon lacks, for capitalised words.
NAME_ZIPF = 3.0
#: Zipf frequency of a Bokmål-only form (fra, ikke) in Nynorsk text.
BOKMAL_IN_NYNORSK_ZIPF = 2.0
#: Zipf frequency given to common Nynorsk forms in Nynorsk text.
NYNORSK_ZIPF = 5.0
_NORWEGIAN_LETTER = re.compile("[æøå]")
_NAME_PART = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one per process
class Lexicon:
    """Read-only word knowledge. ``zipf`` is keyed by the lower-case word."""

    zipf: dict[str, int]  # Zipf frequency * 10 (small ints cost no memory), 0 = known but uncounted
    proper: frozenset[str] = frozenset()  # lower-case keys of words Ordbank knows only capitalised
    names: frozenset[str] = frozenset()  # person names and place names as written ("Bjørn", "Østfold")
    nynorsk: frozenset[str] = frozenset()  # common Nynorsk forms, lower case
    nn_markers: frozenset[str] = frozenset()
    nb_markers: frozenset[str] = frozenset()
    nn_endings: tuple[tuple[str, str], ...] = ()  # (Nynorsk ending, Bokmål ending): ("ar", "er")
    bokmal_only: frozenset[str] = frozenset()  # Bokmål forms Nynorsk does not use (fra, ikke)
    by_shape: dict[str, tuple[str, ...]] | None = None  # the index of :func:`_index`, when it came built
    infinitives: frozenset[str] = frozenset()  # Bokmål verbs' infinitives (gjøre, bidra): after the marker å
    roles: frozenset[str] = frozenset()  # one-word titles (rådmann, ordfører): they follow names in lists

    def __contains__(self, word: str) -> bool:
        return word in self.zipf

    def frequency(self, word: str) -> float:
        """Zipf frequency of a lower-case word: 0.0 when unknown, at least ``FLOOR_ZIPF`` when known.

        >>> lex = Lexicon({"møte": 54, "mote": 0})
        >>> lex.frequency("møte"), lex.frequency("mote"), lex.frequency("mxte")
        (5.4, 1.0, 0.0)
        """
        z = self.zipf.get(word)
        if z is None:
            return 0.0
        return max(z / 10, FLOOR_ZIPF)

    @cached_property
    def name_keys(self) -> dict[str, str]:
        """Names and places by their lower-case form: ``{"bjørn": "Bjørn"}``."""
        return {n.lower(): n for n in sorted(self.names)}

    def is_name(self, word: str) -> bool:
        """A person or place name as written, or a proper noun of the lexicon (``Oslo``).

        >>> Lexicon({"oslo": 59}, proper=frozenset({"oslo"}), names=frozenset({"Bjørn"})).is_name("Oslo")
        True
        """
        return word in self.names or (word[:1].isupper() and word.lower() in self.proper)


def parse_words(lines: Iterable[str]) -> tuple[dict[str, int], frozenset[str]]:
    """Parse ``word<TAB>zipf*10`` lines into (zipf*10 by lower-case word, proper nouns).

    >>> parse_words(["møte\\t54\\n", "Oslo\\t59\\n"])
    ({'møte': 54, 'oslo': 59}, frozenset({'oslo'}))
    """
    zipf: dict[str, int] = {}
    proper = []
    for line in lines:
        word, _, z = line.partition("\t")
        if not word.islower():
            word = word.lower()
            proper.append(word)
        zipf[word] = int(z)
    return zipf, frozenset(proper)


def _read_names() -> set[str]:
    names = {part for name in reference.names() for part in _NAME_PART.findall(name)}
    names.update(p for row in reference.gazetteer() for p in _NAME_PART.findall(row.get("pattern", "")) if p[:1].isupper())
    return names


def _read_roles() -> frozenset[str]:
    """The one-word titles of ``pipeline/reference/resources/roles.jsonl`` (rådmann, økonomisjef), lower case."""
    return frozenset(p.lower() for r in reference.roles() if (p := r.get("pattern", "")).isalpha())


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The lexicon of this installation, read once per process: the words, names and the index of
    shapes come from the user's cache (:mod:`pipeline.cache`) after the first run."""
    lang = json.loads(LANGUAGES_FILE.read_text(encoding="utf-8"))
    languages = Lexicon(
        zipf={}, nynorsk=frozenset(lang["nynorsk_words"]) | frozenset(lang["nn_markers"]),
        nn_markers=frozenset(lang["nn_markers"]), nb_markers=frozenset(lang["nb_markers"]),
        nn_endings=tuple((nn, nb) for nn, nb in lang["nn_endings"]), bokmal_only=frozenset(lang["bokmal_only"]),
        infinitives=frozenset(gzip.decompress(INFINITIVES_FILE.read_bytes()).decode("utf-8").split()),
        roles=_read_roles(),
    )

    def build() -> tuple[dict[str, int], frozenset[str], frozenset[str], dict[str, tuple[str, ...]]]:
        with gzip.open(WORDS_FILE, "rt", encoding="utf-8") as f:
            zipf, proper = parse_words(f)
        lexicon = replace(languages, zipf=zipf, proper=proper, names=frozenset(_read_names()))
        return zipf, proper, lexicon.names, _index(lexicon)

    sources = [WORDS_FILE, LANGUAGES_FILE, CONFUSIONS_FILE, reference.GAZETTEER, Path(__file__), *reference.name_files()]
    zipf, proper, names, by_shape = cached("lexicon", sources, build)
    return replace(languages, zipf=zipf, proper=proper, names=names, by_shape=by_shape)


def detect_nynorsk(words: list[str], lexicon: Lexicon) -> bool:
    """Nynorsk when its marker words (ikkje, eg, ein, kva ...) outnumber Bokmål's (ikke, jeg, en, hva ...).

    Markers are chosen without æ/ø/å so that OCR damage does not hide them; those that damage makes
    of a common Bokmål word (vere of være, vert of vært, gjere of gjøre) do not count: a Bokmål
    page without its æ/ø/å is full of them.

    >>> lex = Lexicon({}, nn_markers=frozenset({"ikkje", "ein"}), nb_markers=frozenset({"ikke", "en"}))
    >>> detect_nynorsk("det er ikkje ein sak".split(), lex), detect_nynorsk("det er ikke en sak".split(), lex)
    (True, False)
    >>> detect_nynorsk("det kan vere at det har vert gjort".split(), load_lexicon())
    False
    """
    misread = misread_markers(lexicon) if lexicon.zipf else frozenset()
    nn = nb = 0
    for w in words:
        lw = w.lower()
        if lw in lexicon.nn_markers and lw not in misread:
            nn += 1
        elif lw in lexicon.nb_markers:
            nb += 1
    return nn >= 2 and nn > nb


@lru_cache(maxsize=2)
def misread_markers(lexicon: Lexicon) -> frozenset[str]:
    """Nynorsk markers that are likelier a misread Bokmål word than themselves (vere: være)."""
    model = Model(lexicon, nynorsk=False)
    out = set()
    for marker in lexicon.nn_markers:
        keep, change = model.readings(marker)
        if change is not None and (keep is None or change.logp > keep.logp):
            out.add(marker)
    return frozenset(out)


# --------------------------------------------------------------------------- the confusion table


@dataclass(frozen=True)
class Confusion:
    id: str
    true: str
    seen: str
    weight: float
    plain: bool = False  # the letter read is a Norwegian letter too (ø as o): the result looks like a word


@lru_cache(maxsize=1)
def confusions() -> tuple[Confusion, ...]:
    """The confusion table, one confusion a line of ``resources/ocr_confusions.jsonl``."""
    text = CONFUSIONS_FILE.read_text(encoding="utf-8")
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    return tuple(Confusion(r["id"], r["true"], r["seen"], float(r["weight"]), bool(r.get("plain")))
                 for r in rows)


@lru_cache(maxsize=1)
def _letter_confusions() -> tuple[Confusion, ...]:
    return tuple(c for c in confusions() if c.true == c.true.lower())


@lru_cache(maxsize=1)
def plain_ids() -> frozenset[str]:
    return frozenset(c.id for c in confusions() if c.plain)


@lru_cache(maxsize=1)
def _shape_re() -> re.Pattern[str]:
    chars = sorted({ch for c in _letter_confusions() for ch in c.true + c.seen})
    return re.compile("[" + re.escape("".join(chars)) + "]+")


def shape(word: str) -> str:
    """The word with every run of letters that a confusion can touch replaced by ``*``: a damaged
    word has the shape of the word it came from.

    >>> shape("møtet"), shape("mgtet"), shape("samhandlingsmøte")
    ('m*t*t', 'm*t*t', 's*mh*n*lin*sm*t*')
    """
    return _shape_re().sub("*", word)


def align(true: str, seen: str) -> tuple[float, tuple[str, ...]] | None:
    """How ``true`` can be read as ``seen`` through the confusions: (log10 probability, confusion ids),
    or None when it cannot. Words of one shape differ only inside their runs, so runs are aligned
    one by one (and remembered: the same few pairs come back all the time).

    >>> align("møtet", "mgtet")
    (-0.6020599913279624, ('ocr_oslash_g',))
    >>> align("møtet", "mxtet") is None
    True
    """
    if true == seen:
        return 0.0, ()
    if shape(true) != shape(seen):
        return None
    return _align_runs(_runs(true), _runs(seen))


@lru_cache(maxsize=262144)
def _runs(word: str) -> tuple[str, ...]:
    return tuple(_shape_re().findall(word))


def _align_runs(runs_a: tuple[str, ...], runs_b: tuple[str, ...]) -> tuple[float, tuple[str, ...]] | None:
    """Align two words of one shape run by run."""
    if len(runs_a) != len(runs_b):
        return None
    logp, ids = 0.0, tuple[str, ...]()
    for ta, sb in zip(runs_a, runs_b, strict=True):
        if ta == sb:
            continue
        got = _align_run(ta, sb)
        if got is None:
            return None
        logp, ids = logp + got[0], ids + got[1]
    return logp, ids


@lru_cache(maxsize=65536)
def _align_run(true: str, seen: str) -> tuple[float, tuple[str, ...]] | None:
    n, m = len(true), len(seen)
    best: dict[tuple[int, int], tuple[float, tuple[str, ...]]] = {(0, 0): (0.0, ())}
    for i in range(n + 1):
        for j in range(m + 1):
            here = best.get((i, j))
            if here is None:
                continue
            logp, ids = here
            steps: list[tuple[int, int, float, str | None]] = []
            if i < n and j < m and true[i] == seen[j]:
                steps.append((i + 1, j + 1, 0.0, None))
            for c in _letter_confusions():
                if true.startswith(c.true, i) and seen.startswith(c.seen, j):
                    steps.append((i + len(c.true), j + len(c.seen), math.log10(c.weight), c.id))
            for i2, j2, lp, cid in steps:
                cand = (logp + lp, ids + (cid,) if cid else ids)
                old = best.get((i2, j2))
                if old is None or cand[0] > old[0]:
                    best[(i2, j2)] = cand
    return best.get((n, m))


# --------------------------------------------------------------------------- candidates


@lru_cache(maxsize=2)
def _index(lexicon: Lexicon) -> dict[str, tuple[str, ...]]:
    """Lexicon words with æ/ø/å (the only words a repair can produce) by shape."""
    if lexicon.by_shape is not None:
        return lexicon.by_shape
    has_letter = re.compile("[æøå]")
    by_shape: dict[str, list[str]] = {}
    for word in chain(lexicon.zipf, sorted(lexicon.nynorsk), sorted(lexicon.name_keys)):
        if has_letter.search(word):
            by_shape.setdefault(shape(word), []).append(word)
    return {k: tuple(dict.fromkeys(v)) for k, v in by_shape.items()}


@dataclass(frozen=True)
class Reading:
    """One way to read a token: the words it is made of, its log10 probability, the confusions used."""

    parts: tuple[str, ...]
    logp: float
    rules: tuple[str, ...] = ()
    pieces: tuple[str, ...] = ()  # the stretches of the token that the parts were read from

    @property
    def text(self) -> str:
        return "".join(self.parts)


def family(word: str) -> str:
    """What forms of one word share: the letters up to the first æ/ø/å and the one after it.

    >>> family("møtet"), family("møter"), family("regionrådet"), family("råd")
    ('møt', 'møt', 'regionråd', 'råd')
    """
    m = _NORWEGIAN_LETTER.search(word)
    return word[: m.end() + 1] if m else word


#: A compound part read unchanged (or None) and its best repairs.
_PartReadings = tuple[Reading | None, tuple[Reading, ...]]


class Model:
    """Readings of damaged words from the lexicon alone (no document in view), remembered per word:
    one model per language serves all documents of a run."""

    def __init__(self, lexicon: Lexicon, nynorsk: bool = False) -> None:
        self.lexicon, self.nynorsk = lexicon, nynorsk
        self._parts: dict[tuple[str, bool, bool], tuple[_PartReadings, ...]] = {}
        self._analyses: dict[tuple[str, bool], tuple[Reading | None, tuple[Reading, ...]]] = {}
        self._wholes: dict[str, tuple[Reading | None, Reading | None]] = {}
        self._candidates: dict[tuple[str, bool], list[Reading]] = {}

    def trim(self, limit: int = 300_000) -> None:
        """Forget remembered readings when there are too many (a long run over damaged documents)."""
        if len(self._parts) + len(self._analyses) > limit:
            for memo in (self._parts, self._analyses, self._wholes, self._candidates):
                memo.clear()

    def zipf(self, word: str, capital: bool = False) -> float:
        z = self.lexicon.frequency(word)
        if self.nynorsk and word in self.lexicon.nynorsk:
            z = max(z, NYNORSK_ZIPF)
        elif self.nynorsk and word in self.lexicon.bokmal_only:
            z = min(z, BOKMAL_IN_NYNORSK_ZIPF)
        if not z and capital and word in self.lexicon.name_keys:
            z = NAME_ZIPF
        return z

    def logp(self, word: str, capital: bool = False) -> float | None:
        z = self.zipf(word, capital)
        return z - 9 if z else None

    def candidates(self, seen: str, capital: bool = False) -> list[Reading]:
        """Repaired whole-word readings of ``seen`` (lower case), best first."""
        got = self._candidates.get((seen, capital))
        if got is None:
            got = self._candidates[(seen, capital)] = self._find(seen, capital)
        return got

    def _find(self, seen: str, capital: bool) -> list[Reading]:
        words = _index(self.lexicon).get(shape(seen))
        if not words:
            return []
        out = []
        runs = _runs(seen)
        for word in words:
            a = _align_runs(_runs(word), runs) if word != seen else (0.0, ())
            lp = self.logp(word, capital) if a else None
            if a and lp is not None:
                out.append(Reading((word,), lp + a[0], a[1], (seen,)))
        return sorted(out, key=lambda r: -r.logp)

    def analyse(self, seen: str, capital: bool = False) -> tuple[Reading | None, tuple[Reading, ...]]:
        """(the best reading without a change or None, the readings with a change, best first) of a
        lower-case token. ``capital``: the token is capitalised, so names count as words."""
        got = self._analyses.get((seen, capital))
        if got is None:
            got = self._analyses[(seen, capital)] = self._analyse(seen, capital)
        return got

    def readings(self, seen: str, capital: bool = False) -> tuple[Reading | None, Reading | None]:
        """(best reading without a change, best reading with one), either None when there is none."""
        keep, changes = self.analyse(seen, capital)
        return keep, changes[0] if changes else None

    def whole(self, seen: str) -> tuple[Reading | None, Reading | None]:
        """Like :meth:`readings`, but whole words only (no compounds): quick, for the damage check."""
        got = self._wholes.get(seen)
        if got is None:
            lp = self.logp(seen)
            changes = self.candidates(seen)
            got = self._wholes[seen] = (Reading((seen,), lp) if lp is not None else None,
                                        changes[0] if changes else None)
        return got

    def _analyse(self, seen: str, capital: bool) -> tuple[Reading | None, tuple[Reading, ...]]:
        lp = self.logp(seen, capital)
        keep = Reading((seen,), lp) if lp is not None else None
        changes = self.candidates(seen, capital)
        if keep is None and not changes and len(seen) > MIN_PART + 1 and seen.endswith("s"):
            keep, changes = self._genitive(seen, capital)
        if keep is None and not changes and len(seen) >= 2 * MIN_PART:
            keep, change = self._compound(seen)
            changes = self._variants(change) if change else []
        if keep is None and self.nynorsk:
            keep, twins = self._nynorsk(seen)
            if twins and all(len(c.parts) > 1 for c in changes):
                changes = []  # a Nynorsk form of a known word beats a guessed compound
            changes = sorted(changes + twins, key=lambda r: -r.logp)
        return keep, tuple(changes)

    def _genitive(self, seen: str, capital: bool) -> tuple[Reading | None, list[Reading]]:
        """A genitive the lexicon lacks read as its word and an s (søknadens, s0knadens: søknaden-s),
        not as a compound (søk-nådens)."""
        keep, changes = self.analyse(seen[:-1], capital)
        if keep is not None and len(keep.parts) == 1:
            return Reading((seen,), keep.logp - GENITIVE_PENALTY), []
        single = [c for c in changes if len(c.parts) == 1]
        return None, [Reading((c.parts[0] + "s",), c.logp - GENITIVE_PENALTY, c.rules, (seen,)) for c in single]

    def _variants(self, best: Reading) -> list[Reading]:
        """The best compound reading and, for each repaired part, the part's other repairs
        (samhandlings-møte and samhandlings-måte), for the document to choose from."""
        out = [best]
        for i, (part, piece) in enumerate(zip(best.parts, best.pieces, strict=True)):
            for keep, changes in self._part(piece, last=i + 1 == len(best.parts), first=i == 0):
                if part == piece:
                    own = keep.logp if keep and keep.parts[0] == part else None
                else:
                    own = next((c.logp for c in changes if c.parts[0] == part), None)
                for c in changes:
                    if own is not None and c.parts[0] != part:
                        parts = best.parts[:i] + c.parts + best.parts[i + 1:]
                        logp = best.logp - own + c.logp
                        out.append(Reading(parts, logp, best.rules + c.rules, best.pieces))
        return sorted(out, key=lambda r: -r.logp)

    def _nynorsk(self, seen: str) -> tuple[Reading | None, list[Reading]]:
        """Look a Nynorsk form up by its Bokmål twin (``lagast`` by ``lages``) and repair it with its
        own ending (``ordforar`` by ``ordfører`` to ``ordførar``)."""
        keep, changes = None, []
        for nn, nb in self.lexicon.nn_endings:
            if not seen.endswith(nn) or len(seen) - len(nn) < 2:
                continue
            twin = seen[: len(seen) - len(nn)] + nb
            k, c = self.readings(twin)
            if k is not None and (keep is None or k.logp > keep.logp):
                keep = Reading((seen,), k.logp)
            if c is not None and c.text.endswith(nb):
                parts = c.parts[:-1] + (c.parts[-1][: len(c.parts[-1]) - len(nb)] + nn,)
                changes.append(Reading(parts, c.logp, c.rules))
        return keep, changes

    def _compound(self, s: str) -> tuple[Reading | None, Reading | None]:
        """Best split into known parts (a linking s or e allowed), unchanged and changed."""
        n = len(s)
        keep: list[Reading | None] = [Reading((), 0.0)] + [None] * n
        change: list[Reading | None] = [None] * (n + 1)
        for j in range(MIN_PART, n + 1):
            if j < n and n - j < MIN_PART:
                continue
            for i in range(0, j - MIN_PART + 1):
                if keep[i] is None and change[i] is None:
                    continue
                for part_keep, part_changes in self._part(s[i:j], last=j == n, first=i == 0):
                    part_change = part_changes[0] if part_changes else None
                    ways = ((keep[i], part_keep, keep), (keep[i], part_change, change),
                            (change[i], part_keep, change), (change[i], part_change, change))
                    for prev, part, target in ways:
                        if prev is None or part is None or len(prev.parts) >= MAX_PARTS:
                            continue
                        penalty = SPLIT_PENALTY if prev.parts else 0.0
                        r = Reading(prev.parts + part.parts, prev.logp + part.logp - penalty,
                                    prev.rules + part.rules, prev.pieces + part.pieces)
                        old = target[j]
                        if old is None or r.logp > old.logp:
                            target[j] = r
        best_keep = keep[n]
        return (best_keep if best_keep and len(best_keep.parts) > 1 else None), change[n]

    def _part(self, piece: str, last: bool, first: bool = False) -> tuple[_PartReadings, ...]:
        got = self._parts.get((piece, last, first))
        if got is None:
            got = self._parts[(piece, last, first)] = self._split_part(piece, last, first)
        return got

    def _split_part(self, piece: str, last: bool, first: bool) -> tuple[_PartReadings, ...]:
        """A compound part: a word of four letters or more, or a common short one (råd, år, sak) at
        the start; unchanged, and its best few repairs."""
        out = []
        stems = [(piece, "")]
        if not last and len(piece) > MIN_PART and (piece[-1] == "s" or piece[-1] == "e" and len(piece) > MIN_PART + 1):
            stems.append((piece[:-1], piece[-1]))  # samarbeid-s-område, råd-s-møte, barn-e-hage; not mot-e-dato
        for stem, link in stems:
            lp = self.logp(stem) if self._part_ok(stem, first) else None
            keep = Reading((stem + link,), lp, (), (piece,)) if lp is not None else None
            cands = [c for c in self.candidates(stem) if self._part_ok(c.parts[0], first)][:4]
            changes = tuple(Reading((c.parts[0] + link,), c.logp, c.rules, (piece,)) for c in cands)
            out.append((keep, changes))
        return tuple(out)

    def _part_ok(self, word: str, first: bool) -> bool:
        return len(word) >= MIN_PART + 1 or first and self.zipf(word) >= SHORT_PART_ZIPF


@lru_cache(maxsize=2)
def base_model(nynorsk: bool) -> Model:
    """The document-independent model: its readings are shared by all documents of a run."""
    return Model(load_lexicon(), nynorsk)
