"""The Norwegian word knowledge that OCR repair chooses by, read from its files into a :class:`Lexicon`.

* ``resources/lexicon/nb_words.tsv.gz``: Norsk Ordbank's Bokmål full forms plus wordfreq's frequent
  Bokmål words, each with its Zipf frequency (built by ``scripts/build_lexicon.py``; loads in well
  under a second, where the plain Ordbank JSON takes seconds and ~190 MB);
* ``resources/lexicon/languages.json``: Nynorsk and Bokmål marker words (language detection) and
  common Nynorsk forms (kept as they are, and offered as repairs, in Nynorsk text);
* names and places: the name lists (SSB) and the gazetteer of :mod:`pipeline.reference`.

Everything is read once per process (:func:`load_lexicon`) and is read-only afterwards. Lexicon
words with æ/ø/å are indexed by their shape (:func:`pipeline.ocr_confusions.shape`,
:func:`shape_index`), so a damaged word finds its candidates in one look-up; the words, names and
the index come from the user's cache (:mod:`pipeline.cache`) after the first run.
"""
from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from itertools import chain
from pathlib import Path

from pipeline import reference
from pipeline.cache import cached
from pipeline.ocr_confusions import CONFUSIONS_FILE, shape

RESOURCES = Path(__file__).parent / "resources"
WORDS_FILE = RESOURCES / "lexicon" / "nb_words.tsv.gz"
LANGUAGES_FILE = RESOURCES / "lexicon" / "languages.json"
INFINITIVES_FILE = RESOURCES / "lexicon" / "nb_infinitives.txt.gz"
#: The code of the shapes the index is built by: with this file, it keys the cached lexicon.
CONFUSIONS_CODE = Path(__file__).with_name("ocr_confusions.py")

#: Zipf frequency given to a word the lexicon knows (Ordbank) but wordfreq has never counted.
FLOOR_ZIPF = 1.0
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
    by_shape: dict[str, tuple[str, ...]] | None = None  # the index of :func:`shape_index`, when it came built
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
        return zipf, proper, lexicon.names, shape_index(lexicon)

    sources = [WORDS_FILE, LANGUAGES_FILE, CONFUSIONS_FILE, reference.GAZETTEER, Path(__file__), CONFUSIONS_CODE,
               *reference.name_files()]
    zipf, proper, names, by_shape = cached("lexicon", sources, build)
    return replace(languages, zipf=zipf, proper=proper, names=names, by_shape=by_shape)


@lru_cache(maxsize=2)
def shape_index(lexicon: Lexicon) -> dict[str, tuple[str, ...]]:
    """Lexicon words with æ/ø/å (the only words a repair can produce) by shape."""
    if lexicon.by_shape is not None:
        return lexicon.by_shape
    has_letter = re.compile("[æøå]")
    by_shape: dict[str, list[str]] = {}
    for word in chain(lexicon.zipf, sorted(lexicon.nynorsk), sorted(lexicon.name_keys)):
        if has_letter.search(word):
            by_shape.setdefault(shape(word), []).append(word)
    return {k: tuple(dict.fromkeys(v)) for k, v in by_shape.items()}
