"""The OCR confusion table and what it says about words: how OCR misreads letters (ø as o, g, a, e,
@ ...; ``resources/ocr_confusions.jsonl``, one confusion a line), the :func:`shape` of a word (every
run of letters a confusion can touch becomes ``*``: a damaged word has the shape of the word it came
from), and :func:`align`, which confusions turn one word into another and how likely that is.
The lexicon (:mod:`pipeline.lexicon_data`) indexes its words by shape; the model of
:mod:`pipeline.lexicon` reads damaged words with both.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CONFUSIONS_FILE = Path(__file__).parent / "resources" / "ocr_confusions.jsonl"


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
    return align_runs(shape_runs(true), shape_runs(seen))


@lru_cache(maxsize=262144)
def shape_runs(word: str) -> tuple[str, ...]:
    return tuple(_shape_re().findall(word))


def align_runs(runs_a: tuple[str, ...], runs_b: tuple[str, ...]) -> tuple[float, tuple[str, ...]] | None:
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

