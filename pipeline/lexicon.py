"""How damaged words are read with the Norwegian word knowledge that OCR repair chooses by.

The knowledge is the :class:`Lexicon` of :mod:`pipeline.lexicon_data` (Norsk Ordbank's and
wordfreq's Bokmål words with their frequencies, Nynorsk forms and language markers, names and
places), read once per process (:func:`load_lexicon`). The confusion table of
:mod:`pipeline.ocr_confusions` says how OCR misreads letters (ø as o, g, a, e, @ ...): lexicon
words with æ/ø/å are indexed by their :func:`shape` (every run of letters a confusion can touch
becomes ``*``), so a damaged word finds its candidates in one look-up and :func:`align` says which
confusions turn one into the other. A :class:`Model` reads a token as words (whole, or a compound
of known parts), unchanged and repaired, with log10 probabilities: the word's frequency times the
confusions' probabilities. :func:`detect_nynorsk` tells the two written languages apart.

The names of both modules are importable from here, where the repair and the scripts take them.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from pipeline.lexicon_data import (
    FLOOR_ZIPF,
    INFINITIVES_FILE,
    LANGUAGES_FILE,
    WORDS_FILE,
    Lexicon,
    load_lexicon,
    parse_words,
    shape_index,
)
from pipeline.lexicon_nn import NynorskForms, nn_forms
from pipeline.ocr_confusions import CONFUSIONS_FILE, Confusion, align, align_runs, confusions, plain_ids, shape, shape_runs

__all__ = ["BOKMAL_IN_NYNORSK_ZIPF", "CONFUSIONS_FILE", "FLOOR_ZIPF", "GENITIVE_PENALTY", "INFINITIVES_FILE",
           "LANGUAGES_FILE", "MAX_PARTS", "MIN_PART", "NAME_ZIPF", "NN_FORM_ZIPF", "NYNORSK_ZIPF", "SHORT_PART_ZIPF",
           "SPLIT_PENALTY", "WORDS_FILE", "Confusion", "Lexicon", "Model", "Reading", "align", "base_model", "confusions",
           "detect_nynorsk", "family", "load_lexicon", "misread_markers", "parse_words", "plain_ids", "shape"]

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
#: Zipf frequency of the other Nynorsk full forms (utgjer, høyrde) in Nynorsk text: known, not common.
NN_FORM_ZIPF = 3.0
_NORWEGIAN_LETTER = re.compile("[æøå]")


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
    for w, times in Counter(words).items():  # each distinct word once (a text repeats its words)
        lw = w.lower()
        if lw in lexicon.nn_markers and lw not in misread:
            nn += times
        elif lw in lexicon.nb_markers:
            nb += times
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


# --------------------------------------------------------------------------- candidates


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


@lru_cache(maxsize=100_000)
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

    def __init__(self, lexicon: Lexicon, nynorsk: bool = False, nn_forms: NynorskForms | None = None) -> None:
        """``nn_forms``: the Nynorsk full forms (:mod:`pipeline.lexicon_nn`), known in Nynorsk text."""
        self.lexicon, self.nynorsk = lexicon, nynorsk
        self.nn_forms = nn_forms if nynorsk else None
        self._parts: dict[tuple[str, bool, bool], tuple[_PartReadings, ...]] = {}
        self._analyses: dict[tuple[str, bool], tuple[Reading | None, tuple[Reading, ...]]] = {}
        self._wholes: dict[str, tuple[Reading | None, Reading | None]] = {}
        self._candidates: dict[tuple[str, bool], list[Reading]] = {}
        #: per token: is it evidence of damage (:func:`pipeline.ocr_damage.is_evidence`), remembered
        #: here so that a run looks at each distinct word once
        self.evidence: dict[str, bool] = {}

    def trim(self, limit: int = 300_000) -> None:
        """Forget remembered readings when there are too many (a long run over damaged documents);
        ``limit=0`` forgets whatever is remembered."""
        if len(self._parts) + len(self._analyses) > limit or len(self.evidence) > limit:
            for memo in (self._parts, self._analyses, self._wholes, self._candidates, self.evidence):
                memo.clear()

    def zipf(self, word: str, capital: bool = False, part: bool = False) -> float:
        """``part``: the word is read as a compound's part, where Nynorsk full forms do not count
        (ord-forar would hide the damage of ordforar)."""
        z = self.lexicon.frequency(word)
        if self.nynorsk and word in self.lexicon.nynorsk:
            z = max(z, NYNORSK_ZIPF)
        elif self.nynorsk and word in self.lexicon.bokmal_only:
            z = min(z, BOKMAL_IN_NYNORSK_ZIPF)
        elif not z and not part and self.nn_forms is not None and word in self.nn_forms:
            z = NN_FORM_ZIPF
        if not z and capital and word in self.lexicon.name_keys:
            z = NAME_ZIPF
        return z

    def logp(self, word: str, capital: bool = False, part: bool = False) -> float | None:
        z = self.zipf(word, capital, part)
        return z - 9 if z else None

    def is_nynorsk(self, word: str) -> bool:
        """A Nynorsk form (the common ones of the hand list, and the full forms) in Nynorsk text."""
        return self.nynorsk and (word in self.lexicon.nynorsk or self.nn_forms is not None and word in self.nn_forms)

    def candidates(self, seen: str, capital: bool = False) -> list[Reading]:
        """Repaired whole-word readings of ``seen`` (lower case), best first."""
        got = self._candidates.get((seen, capital))
        if got is None:
            got = self._candidates[(seen, capital)] = self._find(seen, capital)
        return got

    def _find(self, seen: str, capital: bool, words: tuple[str, ...] | None = None) -> list[Reading]:
        """Readings of ``seen`` as the lexicon's words of its shape (or as ``words``)."""
        if words is None:
            words = shape_index(self.lexicon).get(shape(seen))
        if not words:
            return []
        out = []
        runs = shape_runs(seen)
        for word in words:
            a = align_runs(shape_runs(word), runs) if word != seen else (0.0, ())
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
            changes = self.candidates(seen) or (self._full_forms(seen, False) if lp is None else [])
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
        if keep is None and not changes:
            changes = self._full_forms(seen, capital)
        return keep, tuple(changes)

    def _full_forms(self, seen: str, capital: bool) -> list[Reading]:
        """The last resort in Nynorsk text: the Nynorsk full forms of the shape (ordforar: ordførar)."""
        if self.nn_forms is None:
            return []
        return self._find(seen, capital, self.nn_forms.by_shape(shape(seen)))

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

    def nynorsk_twin(self, word: str) -> Reading | None:
        """``word`` read as a Nynorsk form of a known Bokmål word (``ordførar`` of ``ordfører``), or None."""
        return self._nynorsk(word)[0] if self.nynorsk else None

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
            lp = self.logp(stem, part=True) if self._part_ok(stem, first) else None
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
    return Model(load_lexicon(), nynorsk, nn_forms() if nynorsk else None)
