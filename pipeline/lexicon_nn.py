"""Nynorsk full forms (``resources/lexicon/nn_words.txt.gz``, built by ``scripts/build_nn_lexicon.py``):
the ~440,000 forms the Bokmål lexicon lacks (utgjer, høyrde), known in Nynorsk text.

They are kept as sorted lines in one byte string (ISO-8859-1: one byte a letter) and looked up by
binary search, ~8 MB in all where a set of str would take ~40 MB; read only when a Nynorsk
document needs them (:func:`nn_forms`).
"""
from __future__ import annotations

import gzip
import re
from bisect import bisect_left
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import numpy as np

from pipeline.cache import cached

NN_WORDS_FILE = Path(__file__).parent / "resources" / "lexicon" / "nn_words.txt.gz"
_NORWEGIAN_LINE = re.compile("^.*[æøå].*$", re.MULTILINE)  # the forms a repair can produce


class SortedLines:
    """Sorted ``\\n``-ended lines of one byte string, found by binary search."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        newlines = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10).astype(np.uint32)
        self.starts = np.concatenate((np.zeros(1, np.uint32), newlines + 1))  # and the end of the data

    def __len__(self) -> int:
        return len(self.starts) - 1

    def line(self, i: int) -> bytes:
        return self.data[self.starts[i]:self.starts[i + 1] - 1]

    def first(self, key: bytes) -> int:
        """Index of the first line not less than ``key``."""
        return bisect_left(range(len(self)), key, key=self.line)

    def __contains__(self, key: bytes) -> bool:
        i = self.first(key)
        return i < len(self) and self.line(i) == key

    def with_prefix(self, prefix: bytes) -> list[bytes]:
        out = []
        i = self.first(prefix)
        while i < len(self) and (line := self.line(i)).startswith(prefix):
            out.append(line)
            i += 1
        return out


class NynorskForms:
    """The Nynorsk full forms: membership, and the forms with æ/ø/å by shape (repair candidates).

    >>> nn = NynorskForms("høyrde\\nhøyring\\nutgjer\\n", lambda w: w.replace("ø", "*"))
    >>> "utgjer" in nn, "utgjor" in nn, nn.by_shape("h*yrde")
    (True, False, ('høyrde',))
    """

    def __init__(self, text: str, shape: Callable[[str], str]) -> None:
        """``text``: the sorted forms, one a line."""
        self._words, self._shapes = (SortedLines(d) for d in _tables(text, shape))

    @classmethod
    def from_tables(cls, words: bytes, shapes: bytes) -> NynorskForms:
        """The forms from the two tables :func:`_tables` made (as the user's cache keeps them)."""
        forms = cls.__new__(cls)
        forms._words, forms._shapes = SortedLines(words), SortedLines(shapes)
        return forms

    def __contains__(self, word: str) -> bool:
        try:
            return word.encode("latin-1") in self._words
        except UnicodeEncodeError:
            return False

    def by_shape(self, shape: str) -> tuple[str, ...]:
        try:
            key = shape.encode("latin-1") + b"\t"
        except UnicodeEncodeError:
            return ()
        return tuple(line[len(key):].decode("latin-1") for line in self._shapes.with_prefix(key))


def _tables(text: str, shape: Callable[[str], str]) -> tuple[bytes, bytes]:
    """The forms' lines and the ``shape<TAB>form`` lines of those with æ/ø/å, sorted, ISO-8859-1."""
    rows = sorted(f"{shape(w)}\t{w}\n" for w in _NORWEGIAN_LINE.findall(text))
    return text.encode("latin-1"), "".join(rows).encode("latin-1")


@lru_cache(maxsize=1)
def nn_forms() -> NynorskForms:
    """The Nynorsk full forms of this installation, read once per process, when first needed; the
    tables come from the user's cache (:mod:`pipeline.cache`) after the first run: two byte strings,
    no small objects left behind in the worker's memory."""
    from pipeline.lexicon_data import CONFUSIONS_CODE
    from pipeline.ocr_confusions import CONFUSIONS_FILE, shape

    def build() -> tuple[bytes, bytes]:
        return _tables(gzip.decompress(NN_WORDS_FILE.read_bytes()).decode("utf-8"), shape)

    words, shapes = cached("nn_forms", [NN_WORDS_FILE, CONFUSIONS_FILE, CONFUSIONS_CODE, Path(__file__)], build)
    return NynorskForms.from_tables(words, shapes)
