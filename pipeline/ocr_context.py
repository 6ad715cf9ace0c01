"""Context for real-word OCR confusions: which word a damaged form is, told by its neighbours.

A form such as ``bor``, ``sa``, ``far``, ``var`` or ``mate`` is a word itself and the repair of
another (bør, så, får, vår, møte or måte); word frequencies alone cannot choose. The rules in
``resources/ocr_context.jsonl`` (data, one a line) give a candidate word a log10 bonus (or, when
negative, a malus) when the word before or after it is one of a list, or an infinitive
(``"@infinitive"``), or is none (``"!@infinitive"``): ``bør`` before an infinitive, not before
anything else (``ber administrasjonen``), ``sa`` before ``at`` (said), ``i vår``.
``"word": "@infinitive"`` makes the rule hold for every infinitive candidate (``må ga`` -> ``må gå``).
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

RULES_FILE = Path(__file__).parent / "resources" / "ocr_context.jsonl"
INFINITIVE = "@infinitive"
NOT_INFINITIVE = "!@infinitive"
#: Words that take a number after them (``sak 4``, ``punkt 4``): a lone 4 after one is a number.
NUMBER_WORDS = frozenset({"sak", "saker", "punkt", "pkt", "side", "sider", "nr", "kl", "vedlegg", "kapittel", "kap",
                          "paragraf", "ledd", "del", "trinn", "fase", "tabell", "figur", "post", "klasse", "rom",
                          "runde", "uke", "versjon", "alternativ", "nivå", "ca", "nummer", "gruppe"})
#: Words that join two numbers (3 og 4, 2 til 4): a lone 4 after one of them and a number is a number.
NUMBER_LINKS = frozenset({"og", "eller", "til", "mot", "av", "à", "á", "of", "and"})
#: Words that follow the marker å and are no infinitive: ``for å ikke``.
INFINITIVE_LIKE = frozenset({"ikke", "ikkje", "aldri", "også", "ogsa", "kun", "bare", "berre"})
#: Words that may stand between a modal and its infinitive: ``bør ikke vurderes``.
SKIP = frozenset({"ikke", "ikkje", "også", "òg", "derfor", "difor", "likevel", "heller", "nok", "da", "då",
                  "snarest", "fortsatt", "framleis", "dermed", "alltid", "gjerne", "kun", "bare", "berre"})


@dataclass(frozen=True)
class Rule:
    word: str
    side: str  # "prev" or "next"
    words: frozenset[str]  # empty: the neighbour must be an infinitive (or, ``negated``, must not)
    bonus: float
    negated: bool = False


@lru_cache(maxsize=1)
def rules() -> tuple[Rule, ...]:
    out = []
    for line in RULES_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        for side in ("prev", "next"):
            if side in row:
                match = row[side]
                verb = match in (INFINITIVE, NOT_INFINITIVE)
                words = frozenset() if verb else frozenset(w.lower() for w in match)
                out.append(Rule(row["word"], side, words, float(row["bonus"]), match == NOT_INFINITIVE))
    return tuple(out)


@lru_cache(maxsize=1)
def ruled_words() -> frozenset[str]:
    return frozenset(r.word for r in rules())


@lru_cache(maxsize=1)
def _by_word() -> dict[str, tuple[Rule, ...]]:
    out: dict[str, list[Rule]] = {}
    for r in rules():
        out.setdefault(r.word, []).append(r)
    return {w: tuple(rs) for w, rs in out.items()}


def bonus(word: str, prev: list[str], nxt: list[str], infinitive: Callable[[str], bool]) -> float:
    """The log10 bonus of reading a token as ``word`` between ``prev`` and ``nxt`` (each: the
    neighbour's forms as read and as repaired, lower case; ``":"`` for a colon after the token).

    >>> verb = lambda w: w in {"vurderes", "gå"}
    >>> bonus("bør", ["det"], ["vurderes"], verb), bonus("bør", ["som"], ["i"], verb)
    (1.5, -4.5)
    >>> bonus("gå", ["må"], ["videre"], verb), bonus("gå", ["vi"], ["videre"], verb)
    (1.0, 0.0)
    >>> bonus("bør", ["styret"], ["administrasjonen"], verb)
    -1.5
    """
    by_word = _by_word()
    found = by_word.get(word, ())
    if INFINITIVE in by_word and infinitive(word):
        found += by_word[INFINITIVE]
    total = 0.0
    for r in found:
        near = prev if r.side == "prev" else nxt
        if r.words:
            hit = any(w in r.words for w in near)
        else:
            hit = any(infinitive(w) for w in near) != r.negated
        if hit:
            total += r.bonus
    return total
