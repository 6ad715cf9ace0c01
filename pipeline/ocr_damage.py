"""Is a text OCR-damaged, and how did its scan misread æ, ø and å? The detection half of the repair
(:mod:`pipeline.repair`): the words it looks at (:func:`tokens`), the cheap test of a clean page
(:func:`looks_clean`), the share of words that are no words until a confusion is reversed
(:func:`damage_score`, :func:`damaged_pages`), and a document's own channel (:func:`channel_gain`).
"""
from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from itertools import chain, groupby
from operator import itemgetter
from typing import NamedTuple

from pipeline.lexicon import Lexicon, Model, base_model, confusions, detect_nynorsk, load_lexicon
from pipeline.models import Line

#: A page is clean, without further checks, when at least this share of its characters is æ/ø/å
#: (running Norwegian text has 1-2 %; OCR output without Norwegian letters has none).
CLEAN_SHARE = 0.003
#: damage_score at or above which a page or document counts as damaged, given at least
#: MIN_EVIDENCE damaged-looking words.
DAMAGED = 0.02
MIN_EVIDENCE = 2
#: The share at which repair takes a page or document as damaged (DAMAGED is the figure of
#: :func:`damage_score` alone): a Norwegian engine on a poor scan, or a transcript that lost the
#: diacritics of some lines, misreads only some æ/ø/å, and a short page of an engine without them
#: shows few words that are no words. Clean Norwegian text has next to no evidence words (an old
#: spelling such as "fraa" now and then): 0 of the 67 clean real, dev and fixture texts reach it.
MIXED_DAMAGED = 0.005
#: Share of ä/ö from which a page is in another language (Swedish has 2-3 % of its letters so).
FOREIGN_SHARE = 0.004
#: Function words of the languages that write ä and ö, and their Norwegian twins.
FOREIGN_WORDS = ("och", "inte", "är", "att", "från", "också", "blev", "sig", "vid", "und", "nicht", "ist", "für",
                 "mit", "ja", "että", "ei")
NORWEGIAN_WORDS = ("og", "ikke", "ikkje", "er", "at", "fra", "frå", "også", "ble", "vart", "seg", "ved", "med")
_WORD = re.compile(r"[^\W\d_]+")
#: Share of Norwegian function words (NORWEGIAN_ASCII) that makes a text Norwegian; a list with at
#: least LIST_SHARE of them needs LIST_EVIDENCE distinct damaged-looking words besides.
NORWEGIAN_SHARE = 0.04
LIST_SHARE = 0.015
LIST_EVIDENCE = 4
NORWEGIAN_ASCII = ("og", "i", "til", "av", "som", "det", "er", "med", "for", "den", "de", "en", "et", "ein",
                   "eit", "ikke", "ikkje", "om", "har", "skal", "kan", "fra", "vil", "ble", "vart", "at")
_NORWEGIAN_ASCII = frozenset(NORWEGIAN_ASCII)

#: How many repairs' worth the confusion table counts against a document's own repairs.
CHANNEL_PRIOR = 10.0
_TOKEN = re.compile(r"[\w@&|]+")
_EMAIL_OR_URL = re.compile(r"[\w.+-]+@[\w-]+\.\w[\w.]*|(?:https?://|www\.)\S+")
_BAD_DIGITS = re.compile(r"[1-35-9_]")


class Token(NamedTuple):  # a tuple: one is made for every word of a page that looks damaged
    line_index: int  # the index of its line in the list of lines
    start: int
    end: int
    text: str


#: Token(...) without the keyword handling of a named tuple's constructor (a page's every word is one)
_new_token = tuple.__new__


def tokens(text: str, index: int = 0) -> list[Token]:
    """The words of a line that repair may look at: letters with the symbols OCR puts for letters
    (@ & | and the digits 0 and 4 inside words); not numbers, e-mail addresses or web addresses.

    >>> [t.text for t in tokens("Vi m@tes 25.05.2021 kl. 10 & post@viken.no | p4 2a for 4 bidra")]
    ['Vi', 'm@tes', 'kl', '&', '|', 'p4', 'for', '4', 'bidra']
    """
    maybe_address = "@" in text or "www" in text or "://" in text
    masked = [m.span() for m in _EMAIL_OR_URL.finditer(text)] if maybe_address else []
    out = []
    for m in _TOKEN.finditer(text):
        tok = m.group()
        if masked and any(a < m.end() and m.start() < b for a, b in masked):
            continue
        # most words are letters only (no digit, nothing to test further)
        if tok.isalpha() or not _BAD_DIGITS.search(tok) and (tok in ("&", "|", "4") or any(ch.isalpha() for ch in tok)):
            start, end = m.span()
            out.append(_new_token(Token, (index, start, end, tok)))
    return out


def looks_clean(text: str) -> bool:
    """The cheap first test: enough æ/ø/å for Norwegian text (or too little text to tell).

    >>> looks_clean("Møtet ble holdt på rådhuset."), looks_clean("Matet ble holdt pa radhuset.")
    (True, False)
    """
    found = sum(text.count(ch) for ch in "æøåÆØÅ")
    return found >= CLEAN_SHARE * len(text)


def looks_foreign(text: str) -> bool:
    """Swedish, German or Finnish text: ä and ö at the rate of a language that writes them, and its
    function words (och, inte, und, nicht) more than Norwegian ones (og, ikke). Repair leaves it
    alone; a Norwegian scan read by an engine that puts ö for ø keeps its og and ikke.

    >>> looks_foreign("Mötet öppnades av ordföranden, och det är inte klart än.")
    True
    >>> looks_foreign("Mötet ble åpnet, og det er ikke klart för mötet i mörgen."), looks_foreign("Møtet ble åpnet.")
    (False, False)
    """
    found = sum(text.count(ch) for ch in "äöÄÖ")
    if found < 2 or found < FOREIGN_SHARE * len(text):
        return False
    words = Counter(w.lower() for w in _WORD.findall(text))
    return sum(words[w] for w in FOREIGN_WORDS) > sum(words[w] for w in NORWEGIAN_WORDS)


#: The most words a model remembers the verdict of :func:`is_evidence` for (then it starts afresh).
EVIDENCE_MEMO = 200_000


def is_evidence(model: Model, word: str) -> bool:
    """A lower-case word the lexicon does not know but would after repair (``mgte``), or a rare
    word whose repair is far more likely (``pa`` for ``på``). Whole words only: a compound that
    splits into repaired parts is too weak a sign. Remembered per model and word (``model.evidence``).

    >>> model = base_model(False)
    >>> is_evidence(model, "mgte"), is_evidence(model, "møte"), is_evidence(model, "Mgte"), model.evidence["mgte"]
    (True, False, False, True)
    """
    memo = model.evidence
    got = memo.get(word)
    if got is None:
        if len(memo) >= EVIDENCE_MEMO:
            memo.clear()
        got = memo[word] = _is_evidence(model, word)
    return got


def _is_evidence(model: Model, word: str) -> bool:
    if len(word) < 2 or not (word[0].islower() or not word[0].isalpha()):
        return False
    keep, change = model.whole(word.lower())
    if change is None:
        return False
    return keep is None or change.logp - keep.logp >= 2.0


def score(words: list[str], model: Model) -> tuple[float, int]:
    """(share of words that are evidence of damage, their number); 0 for text that is not Norwegian.
    Each distinct word is looked at once (a page repeats its words)."""
    if not words:
        return 0.0, 0
    counts = Counter(words)
    found = _evidence(counts, model)
    return found / len(words), found


def _evidence(counts: Counter[str], model: Model, share: float | None = None) -> int:
    """The number of words that are evidence of damage, 0 for text that is not Norwegian: enough of
    its function words (og, i, til), or, in a list of names and titles that has few of them (a
    participant table), some of them and several distinct words that are Norwegian once repaired.
    ``share``: that of the function words, when the caller counted them."""
    if share is None:
        total = sum(counts.values())
        share = sum(n for w, n in counts.items() if w.lower() in _NORWEGIAN_ASCII) / max(1, total)
    if share < LIST_SHARE:
        return 0
    memo = model.evidence  # most words were seen before: a look-up, not a call
    evidence = [w for w in counts if (memo[w] if w in memo else is_evidence(model, w))]
    if share < NORWEGIAN_SHARE and len(evidence) < LIST_EVIDENCE:
        return 0
    return sum(counts[w] for w in evidence)


def misread_some(text: str, lexicon: Lexicon) -> bool:
    """The quick test of a document whose pages all have their share of æ/ø/å: enough words that
    look misread for :data:`MIXED_DAMAGED`, counted over its distinct words (clean text: none).

    >>> lex = load_lexicon()
    >>> misread_some("Møtet ble holdt på rådhuset, og saken ble drøftet.", lex)
    False
    >>> misread_some("Møtet ble holdt pa rådhuset, og saken ble drøftet for a folge opp.", lex)
    True
    """
    counts = Counter(_TOKEN.findall(text))
    total = sum(counts.values())
    if not total:
        return False
    marked = _marker_words(lexicon)
    found_marked: dict[str, int] = {}  # the marker and function words, as often as they occur in any case
    for w, n in counts.items():
        low = w.lower()
        if low in marked:
            found_marked[low] = found_marked.get(low, 0) + n
    nn = sum(found_marked.get(w, 0) for w in lexicon.nn_markers)
    nb = sum(found_marked.get(w, 0) for w in lexicon.nb_markers)
    model = base_model(nn >= 2 and nn > nb)
    found = _evidence(counts, model, sum(found_marked.get(w, 0) for w in _NORWEGIAN_ASCII) / total)
    return found >= MIN_EVIDENCE and found >= MIXED_DAMAGED * total


@lru_cache(maxsize=2)
def _marker_words(lexicon: Lexicon) -> frozenset[str]:
    """The words :func:`misread_some` counts: the language markers and the function words."""
    return lexicon.nn_markers | lexicon.nb_markers | _NORWEGIAN_ASCII


def damage_score(text: str) -> float:
    """Share of words that look OCR-damaged: 0.0 for text with a normal share of æ/ø/å (decided
    without looking at a single word), else the share of words unknown to the lexicon that become
    known by reversing a confusion. ``DAMAGED`` (0.02) and above means damaged.

    >>> damage_score("Møtet ble holdt på rådhuset i går, og saken ble drøftet.")
    0.0
    >>> damage_score("Mgtet ble holdt pa radhuset i gar, og saken ble drgftet.") > DAMAGED
    True
    """
    if looks_clean(text):
        return 0.0
    words = [t.text for t in tokens(text)]
    return score(words, base_model(detect_nynorsk(words, load_lexicon())))[0]


def channel_gain(used: Counter[str]) -> dict[str, float]:
    """log10 factor by which each confusion is likelier in this document than in the table: a scan
    misreads one letter its own way (every ø as o, or as g), which its sure repairs (words unknown
    until repaired) show. Smoothed towards the table by CHANNEL_PRIOR repairs' worth.

    >>> gain = channel_gain(Counter({"ocr_oslash_o": 30}))
    >>> round(gain["ocr_oslash_o"], 2), gain["ocr_oslash_g"] < 0, "ocr_aring_a" in gain
    (0.44, True, False)
    """
    out: dict[str, float] = {}
    by_letter: dict[str, list[tuple[str, float]]] = {}
    for c in confusions():
        by_letter.setdefault(c.true.lower(), []).append((c.id, c.weight))
    for table in by_letter.values():
        seen = sum(used[cid] for cid, _ in table)
        if not seen:
            continue
        total = sum(w for _, w in table)
        for cid, w in table:
            share = w / total
            out[cid] = math.log10((used[cid] + CHANNEL_PRIOR * share) / (seen + CHANNEL_PRIOR) / share)
    return out


def damaged_pages(lines: list[Line], toks: list[Token], model: Model) -> set[int]:
    """The pages to repair: damaged on their own, or with any evidence in a damaged document."""
    by_page: dict[int, list[str]] = {}
    for index, on_line in groupby(toks, key=itemgetter(0)):  # a line at a time: its tokens stand together
        by_page.setdefault(lines[index].page, []).extend(map(itemgetter(3), on_line))  # (line_index, ..., text)
    scores = {p: score(words, model) for p, words in by_page.items()}
    doc_score, doc_found = score(list(chain.from_iterable(by_page.values())), model)
    doc_damaged = doc_found >= MIN_EVIDENCE and doc_score >= MIXED_DAMAGED
    return {p for p, (score, found) in scores.items()
            if found >= 1 and doc_damaged or found >= MIN_EVIDENCE and score >= MIXED_DAMAGED}
