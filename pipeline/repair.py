"""OCR repair: put back the æ, ø and å that an OCR engine without Norwegian letters took away.

A stage after normalisation, before extraction: ``repair_lines(lines) -> (lines, changes)``.

1. **Is it damaged?** Per page, then per document. A page whose share of æ/ø/å is normal is clean
   and costs one pass of ``str.count`` (:func:`looks_clean`). Otherwise :func:`damage_score` counts
   the words the lexicon does not know but would know after reversing a confusion (``mgte``,
   ``pa``). Clean pages are never touched.
2. **Candidates** come from reversing the confusions in ``resources/ocr_confusions.jsonl`` (data,
   one confusion a line: ø read as o, g, a, e, @; å as a, 4, d, &; æ as e, ee, ae, ze; I as |).
   Lexicon words with æ/ø/å are indexed by their *shape* (every run of letters a confusion can
   touch becomes ``*``), so a damaged word finds its candidates in one look-up; compounds
   (``samhandlingsmate``) are split into known parts, each repaired on its own.
3. **Choice** by a unigram model: the word's frequency (wordfreq, Norsk Ordbank) times the
   confusion's probability, with the document's own confident repairs as a cache (a word repaired
   elsewhere in the document is more likely here too). A damaged form that is itself a word
   (``matet``, ``for``, ``sa``) changes only when the repair wins by a clear margin.
4. **Guards**: capitalised words inside a sentence change only into a known name or place;
   Nynorsk text keeps its forms (vere, ikkje, eg) and gets Nynorsk repairs or none; list letters,
   e-mail addresses and numbers are left alone.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from functools import lru_cache
from itertools import groupby
from typing import NamedTuple

from pipeline import ocr_context
from pipeline.lexicon import (
    FLOOR_ZIPF,
    NAME_ZIPF,
    Lexicon,
    Model,
    Reading,
    align,
    base_model,
    confusions,
    detect_nynorsk,
    family,
    load_lexicon,
    plain_ids,
    shape,
)
from pipeline.models import Change, Line

#: A page is clean, without further checks, when at least this share of its characters is æ/ø/å
#: (running Norwegian text has 1-2 %; OCR output without Norwegian letters has none).
CLEAN_SHARE = 0.003
#: damage_score at or above which a page or document counts as damaged, given at least
#: MIN_EVIDENCE damaged-looking words.
DAMAGED = 0.02
MIN_EVIDENCE = 2
#: The same for a page that has its share of æ/ø/å: a Norwegian engine on a poor scan, or a
#: transcript that lost the diacritics of some lines, misreads only some of them. Clean text has
#: next to no evidence words (an old spelling such as "fraa" now and then), so a lower share does.
MIXED_DAMAGED = 0.005
#: log10 odds a repair must win by when the damaged form is itself a word.
REAL_WORD_MARGIN = 1.0
#: The same in a document without a single correct æ/ø/å among at least SURE_EVIDENCE misread words.
SURE_MARGIN = 0.5
SURE_EVIDENCE = 5
#: log10 probability below which an unknown word is not repaired (and SPLIT_FLOOR lower for each
#: further part of a compound): what it would become is a rare word or a compound of rare parts,
#: likelier a word the lexicon lacks or other OCR damage (nyetablerere: nye-table-røre; Forrnannskapet).
UNKNOWN_FLOOR = -12.0
SPLIT_FLOOR = 1.5
#: The most the stems of the document's repairs lift a word it does not show itself (log10): a
#: rare form of their stem (støts- from støtte, følles from følge) must not beat a common word.
MAX_BOOST = 1.0
#: How many repairs' worth the confusion table counts against a document's own repairs.
CHANNEL_PRIOR = 10.0
#: Weight of a repaired word's first four letters as evidence for another form of it.
STEM_WEIGHT = 0.3
NORWEGIAN_ASCII = ("og", "i", "til", "av", "som", "det", "er", "med", "for", "den", "de", "en", "et", "ein",
                   "eit", "ikke", "ikkje", "om", "har", "skal", "kan", "fra", "vil", "ble", "vart", "at")

#: Plain confusions that do not turn a Nynorsk form into a Bokmål one (ø read as e or a would:
#: utgjer, gjer), for an unknown word in Nynorsk text.
NYNORSK_SAFE = frozenset({"ocr_oslash_o", "ocr_aring_a", "ocr_aelig_e"})
#: Words that take a number after them (``sak 4``, ``punkt 4``): a lone 4 after one is a number.
NUMBER_WORDS = frozenset({"sak", "saker", "punkt", "pkt", "side", "sider", "nr", "kl", "vedlegg", "kapittel", "kap",
                          "paragraf", "ledd", "del", "trinn", "fase", "tabell", "figur", "post", "klasse", "rom",
                          "runde", "uke", "versjon", "alternativ", "nivå", "ca", "nummer", "gruppe"})
#: Words that join two numbers (3 og 4, 2 til 4): a lone 4 after one of them and a number is a number.
NUMBER_LINKS = frozenset({"og", "eller", "til", "mot", "av", "à", "á", "of", "and"})
#: Words that follow the marker å and are no infinitive: ``for å ikke``.
INFINITIVE_LIKE = frozenset({"ikke", "ikkje", "aldri", "også", "ogsa", "kun", "bare", "berre"})
_NORWEGIAN_LETTER = re.compile("[æøå]")
_TOKEN = re.compile(r"[\w@&|]+")
_EMAIL_OR_URL = re.compile(r"[\w.+-]+@[\w-]+\.\w[\w.]*|(?:https?://|www\.)\S+")
_BAD_DIGITS = re.compile(r"[1-35-9_]")
_SENTENCE_END = tuple(".!?:;«»\"“”(•*–-")
_LIST_MARK = re.compile(r"\d{1,3}[.)]?|[a-zA-Z][.)]")
_CASE_NUMBER = re.compile(r"(?:PS|RS|Sak|sak|SAK|Saksnr\.?)\s*\d+/\d+")


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    """Lower-case words that are also names but mostly common words (øst, dal, berg): a word after
    @ or 0 is capitalised as a name only when it is not one of these."""
    lexicon = load_lexicon()
    return frozenset(k for k in lexicon.name_keys if lexicon.frequency(k) >= 4.5 and k not in lexicon.proper)


# --------------------------------------------------------------------------- tokens and damage


class Token(NamedTuple):  # a tuple: one is made for every word of a page that looks damaged
    line_index: int  # the index of its line in the list of lines
    start: int
    end: int
    text: str


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
            out.append(Token(index, m.start(), m.end(), tok))
    return out


def looks_clean(text: str) -> bool:
    """The cheap first test: enough æ/ø/å for Norwegian text (or too little text to tell).

    >>> looks_clean("Møtet ble holdt på rådhuset."), looks_clean("Matet ble holdt pa radhuset.")
    (True, False)
    """
    found = sum(text.count(ch) for ch in "æøåÆØÅ")
    return found >= CLEAN_SHARE * len(text)


def _is_evidence(model: Model, word: str) -> bool:
    """A lower-case word the lexicon does not know but would after repair (``mgte``), or a rare
    word whose repair is far more likely (``pa`` for ``på``). Whole words only: a compound that
    splits into repaired parts is too weak a sign."""
    if len(word) < 2 or not (word[0].islower() or not word[0].isalpha()):
        return False
    keep, change = model.whole(word.lower())
    if change is None:
        return False
    return keep is None or change.logp - keep.logp >= 2.0


def _score(words: list[str], model: Model) -> tuple[float, int]:
    """(share of words that are evidence of damage, their number); 0 for text that is not Norwegian.
    Each distinct word is looked at once (a page repeats its words)."""
    if not words:
        return 0.0, 0
    counts = Counter(words)
    if sum(n for w, n in counts.items() if w.lower() in NORWEGIAN_ASCII) < 0.04 * len(words):
        return 0.0, 0
    found = sum(n for w, n in counts.items() if _is_evidence(model, w))
    return found / len(words), found


def _misread_some(text: str, lexicon: Lexicon) -> bool:
    """The quick test of a document whose pages all have their share of æ/ø/å: enough words that
    look misread for :data:`MIXED_DAMAGED`, counted over its distinct words (clean text: none).

    >>> lex = load_lexicon()
    >>> _misread_some("Møtet ble holdt på rådhuset, og saken ble drøftet.", lex)
    False
    >>> _misread_some("Møtet ble holdt pa rådhuset, og saken ble drøftet for a folge opp.", lex)
    True
    """
    counts = Counter(_TOKEN.findall(text))
    total = sum(counts.values())
    if not total or sum(n for w, n in counts.items() if w.lower() in NORWEGIAN_ASCII) < 0.04 * total:
        return False
    nn = sum(n for w, n in counts.items() if w.lower() in lexicon.nn_markers)
    nb = sum(n for w, n in counts.items() if w.lower() in lexicon.nb_markers)
    model = base_model(nn >= 2 and nn > nb)
    found = sum(n for w, n in counts.items() if _is_evidence(model, w))
    return found >= MIN_EVIDENCE and found >= MIXED_DAMAGED * total


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
    return _score(words, base_model(detect_nynorsk(words, load_lexicon())))[0]


# --------------------------------------------------------------------------- repair


def _sentence_start(text: str, start: int) -> bool:
    """The token at ``start`` begins a sentence, a heading or a list item: nothing but punctuation,
    a list mark or a case number before it, or a sentence end.

    >>> _sentence_start("PS 60/22 Hgringsuttalelse", 9), _sentence_start("i Viken", 2)
    (True, False)
    >>> _sentence_start("### Mgte", 4)
    True
    """
    before = text[:start].rstrip()
    if not before or before.endswith(_SENTENCE_END):
        return True
    last = before.split()[-1]
    if not any(ch.isalpha() for ch in last):
        return True
    return bool(_LIST_MARK.fullmatch(last)) or bool(_CASE_NUMBER.fullmatch(before))


def _cased(word: str, like: str, capital: bool) -> str:
    """``word`` in the case of the token it replaces.

    >>> _cased("møtet", "MGTET", False), _cased("møtet", "Mgtet", True), _cased("øst", "@st", True)
    ('MØTET', 'Møtet', 'Øst')
    """
    letters = [ch for ch in like if ch.isalpha()]
    if len(letters) > 1 and all(ch.isupper() for ch in letters):
        return word.upper()
    return word[:1].upper() + word[1:] if capital else word


def _channel_gain(used: Counter[str]) -> dict[str, float]:
    """log10 factor by which each confusion is likelier in this document than in the table: a scan
    misreads one letter its own way (every ø as o, or as g), which its sure repairs (words unknown
    until repaired) show. Smoothed towards the table by CHANNEL_PRIOR repairs' worth.

    >>> gain = _channel_gain(Counter({"ocr_oslash_o": 30}))
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


def _too_rare(change: Reading) -> bool:
    return change.logp < UNKNOWN_FLOOR - SPLIT_FLOOR * (len(change.parts) - 1)


class _Doc:
    """The repair of one document's damaged pages. The document speaks for itself through a cache:
    the words confidently repaired in it (and their :func:`family`) become more likely everywhere
    in it, so ``møtet`` repaired from ``mgtet`` helps ``matet`` to ``møtet`` and ``mater`` to ``møter``."""

    def __init__(self, lines: list[Line], toks: list[Token], lexicon: Lexicon, nynorsk: bool) -> None:
        self.lines, self.toks, self.lexicon, self.nynorsk = lines, toks, lexicon, nynorsk
        self.base = base = base_model(nynorsk)
        self.cache: Counter[str] = Counter()
        self.stems: Counter[str] = Counter()
        self.own: dict[str, set[str]] = {}  # words with æ/ø/å the lexicon lacks (names), by shape
        damaged = correct = 0
        used: Counter[str] = Counter()  # the confusions of the document's sure repairs
        for t in toks:
            low = t.text.lower()
            keep, changes = base.analyse(low)
            if nynorsk:
                changes = tuple(c for c in changes if self._nynorsk_ok(c, low))
            letter = _NORWEGIAN_LETTER.search(low)
            if keep is None and letter and not changes and len(low) > 2:  # not a half-read spørsmal
                self.own.setdefault(shape(low), set()).add(low)
                self.cache[low] += 1
            elif keep is None and changes and not _too_rare(changes[0]):
                repaired = [p for p in changes[0].parts if p not in low]
                self.cache.update(repaired)
                self.stems.update(family(p) for p in repaired)
                damaged += len(low) > 1
                used.update(changes[0].rules)
            elif keep is not None and letter:
                self.cache[low] += 1
                correct += 1
        # the stems of repaired words only: a correct støtte says nothing about støts- for stats-
        self.n = max(1, len(toks))
        #: log10 prior of a real word being damaged: the share of the document's æ/ø/å words that
        #: were misread (1 when none was read right; a poor scan misreads some of them)
        self.prior = min(0.0, math.log10(2 * (damaged + 1) / (damaged + correct + 2)))
        #: a document that misread every one of many æ/ø/å words (an engine without them) needs a
        #: smaller margin for a real word: its ``mote`` is almost surely a misread ``møte``
        self.margin = SURE_MARGIN if correct == 0 and damaged >= SURE_EVIDENCE else REAL_WORD_MARGIN
        self.gain = _channel_gain(used)
        self.done: dict[int, str] = {}  # token index -> its repaired text, as decided
        self._verdicts: dict[tuple[str, bool], tuple[Reading, float, Reading | None] | None] = {}
        self._contextual: dict[str, bool] = {}

    def boost(self, r: Reading) -> Reading:
        """The reading with the document's cache applied to its parts, and its confusions as likely
        as the document's own sure repairs make them (:func:`_channel_gain`)."""
        logp = r.logp + sum(self.gain.get(rule, 0.0) for rule in r.rules)
        for part in r.parts:
            stem = family(part)
            own = self.cache.get(part, 0)
            extra = own + (STEM_WEIGHT * self.stems.get(stem, 0) if len(stem) >= 3 else 0)
            if extra:
                z = self.base.zipf(part) or FLOOR_ZIPF
                lift = math.log10(10 ** (z - 9) + extra / self.n) - (z - 9)
                logp += lift if own else min(MAX_BOOST, lift)
        return Reading(r.parts, logp, r.rules) if logp != r.logp else r

    def _nynorsk_ok(self, r: Reading, low: str) -> bool:
        """In Nynorsk text an unknown word is often just Nynorsk (tilbod, utgjer, partnar): a repair
        that only swaps one Norwegian letter for another must give Nynorsk forms or words the
        document has shown elsewhere."""
        if not self.nynorsk or not all(rule in plain_ids() for rule in r.rules):
            return True
        if len(r.parts) == 1 and all(rule in NYNORSK_SAFE for rule in r.rules) and self.base.analyse(low)[0] is None:
            return True  # ordforar, vidaregaande: no Nynorsk word either way
        return all(self._attested(p) for p in r.parts if p not in low)

    def _attested(self, word: str) -> bool:
        stem = family(word)
        return word in self.lexicon.nynorsk or word in self.cache or len(stem) >= 4 and stem in self.stems

    def analyse(self, low: str, capital: bool,
                bonus: Callable[[str], float] | None = None) -> tuple[Reading | None, Reading | None]:
        """(the unchanged reading, the best repair) with the document's cache, and the context's
        ``bonus`` for a candidate word (:mod:`pipeline.ocr_context`)."""
        keep, changes = self.base.analyse(low, capital)
        scored = [self.boost(c) for c in changes + self._own(low) if self._nynorsk_ok(c, low)]
        if bonus is not None:
            scored = [Reading(c.parts, c.logp + bonus(c.text), c.rules) for c in scored]
        change = max(scored, key=lambda r: r.logp) if scored else None
        return (self.boost(keep) if keep else None), change

    def _own(self, low: str) -> tuple[Reading, ...]:
        """Words the document itself spells with æ/ø/å (names the lexicon lacks: Nesgård) as
        repairs of the same word misread elsewhere in it (Nesgard)."""
        words = self.own.get(shape(low)) if self.own else None
        if not words:
            return ()
        out = []
        for word in words:
            a = align(word, low)
            if a is not None and a[1]:
                out.append(Reading((word,), NAME_ZIPF - 9 + a[0], a[1]))
        return tuple(out)

    def decide(self, k: int) -> Change | None:
        """The repair of token ``k``, or None. A lower-case word is decided once per document."""
        t = self.toks[k]
        text = t.text
        if len(text) > 1 and (text[0].islower() or text.isupper() and text.isalpha()):  # a word, or one in capitals
            low = text.lower()
            verdict = self._judge(low, False, self._bonus(k)) if self._in_question(low) else self._verdict(low, False)
            if verdict is None:
                return None
            change, margin, _ = verdict
            after = _cased(change.text, text, False)
            self.done[k] = after
            return self._changed(t, self.lines[t.line_index], after, change.rules, margin)
        found = self._in_context(k)
        if found is not None:
            self.done[k] = found.after
        return found

    def _in_question(self, low: str) -> bool:
        """A word that may be another (bor: bør) and whose candidates have context rules."""
        got = self._contextual.get(low)
        if got is None:
            keep, changes = self.base.analyse(low)
            ruled = ocr_context.ruled_words()
            got = self._contextual[low] = keep is not None and any(
                c.text in ruled or self._infinitive(c.text) for c in changes)
        return got

    def _bonus(self, k: int) -> Callable[[str], float]:
        """The context bonus of the candidates of token ``k``: its neighbours on the line, as read
        and as repaired (a neighbour after it that may be skipped, ``bør ikke``, adds the next)."""
        t = self.toks[k]
        text = self.lines[t.line_index].text
        prev: list[str] = []
        if k and self.toks[k - 1].line_index == t.line_index and not text[self.toks[k - 1].end:t.start].strip():
            prev = [self.toks[k - 1].text.lower(), self.done.get(k - 1, "").lower()]
        nxt: list[str] = [":"] if text[t.end:t.end + 1] == ":" else []
        j, end = k + 1, t.end
        while j < len(self.toks) and self.toks[j].line_index == t.line_index and not text[end:self.toks[j].start].strip():
            low = self.toks[j].text.lower()
            nxt.append(low)
            change = self.analyse(low, False)[1] if len(low) > 1 else None
            if change is not None:
                nxt.append(change.text)
            if low not in ocr_context.SKIP:
                break
            j, end = j + 1, self.toks[j].end
        return lambda word: ocr_context.bonus(word, prev, nxt, self._infinitive)

    def _verdict(self, low: str, capital: bool) -> tuple[Reading, float, Reading | None] | None:
        """(the repair, its log10 margin, the unchanged reading) of a word, or None to leave it."""
        key = (low, capital)
        if key not in self._verdicts:
            self._verdicts[key] = self._judge(low, capital)
        return self._verdicts[key]

    def _judge(self, low: str, capital: bool,
               bonus: Callable[[str], float] | None = None) -> tuple[Reading, float, Reading | None] | None:
        if self.nynorsk and low in self.lexicon.nynorsk:
            return None
        keep, change = self.analyse(low, capital, bonus)
        if change is None:
            return None
        if keep is not None and len(low) > 1:  # a lone letter's frequency says nothing: context decides
            margin = change.logp - keep.logp + self.prior
            if margin < self.margin:
                return None
            if self.nynorsk and not all(p in self.cache or p in self.lexicon.nynorsk
                                        for p in change.parts if p not in low):
                return None
        elif _too_rare(change):
            return None  # an unknown word read as a rare compound (nyetablerere: nyetabler-øre)
        else:
            margin = self._unknown_margin(low, change, capital)
        return change, margin, keep

    def _in_context(self, k: int) -> Change | None:
        """Capitalised words, lone letters and symbols: where they stand decides."""
        t = self.toks[k]
        line = self.lines[t.line_index]
        nxt = self.toks[k + 1] if k + 1 < len(self.toks) and self.toks[k + 1].line_index == t.line_index else None
        text, rules = t.text, tuple[str, ...]()
        if text == "|":
            return self._pipe(t, line, nxt, _sentence_start(line.text, t.start))
        if text.startswith("|"):
            if not text[1:].isalpha():
                return None
            text, rules = "I" + text[1:], ("ocr_capital_i_pipe",)
        low = text.lower()
        if len(low) == 1 and not self._single_ok(t, line, nxt):
            return None
        capital = text[0].isupper()
        if capital and self.lexicon.is_name(text):
            return self._changed(t, line, text, rules, 1.0) if rules else None
        verdict = self._verdict(low, capital)
        if verdict is None and not rules:
            return None  # most capitalised words: known, nothing to repair
        start = _sentence_start(line.text, t.start)
        if verdict is None:
            if (start or text[1:].isupper()) and self.analyse(low, capital)[0] is not None:
                return self._changed(t, line, text, rules, 1.0)
            return None
        change, margin, keep = verdict
        if not text[0].isalpha():
            hyphen_name = bool(re.match(r"-[A-ZÆØÅ]", line.text[t.end:t.end + 2]))  # @st-Finnmark
            name = self.lexicon.is_name(_cased(change.text, "", True)) and change.text not in _common_words()
            capital = text != "4" and (start or self._after_capital(k) or hyphen_name or name)  # 4: å inside a sentence
        after = _cased(change.text, text, capital)
        if text[0].isupper() and not self._name_ok(after, change, keep, start or not self._after_name(k) and None):
            return None
        return self._changed(t, line, after, rules + change.rules, margin)

    @staticmethod
    def _changed(t: Token, line: Line, after: str, rules: tuple[str, ...], margin: float) -> Change:
        """The change record; confidence is the repair's probability against its best rival."""
        rule = "+".join(dict.fromkeys(rules)) or "ocr_repair"
        return Change(rule, t.text, after, line.page, line.number, round(1 / (1 + 10 ** (-margin)), 2))

    def _unknown_margin(self, low: str, change: Reading, capital: bool) -> float:
        others = [self.boost(c).logp for c in self.base.analyse(low, capital)[1] if c.text != change.text]
        return change.logp - max(others) if others else 2.0

    def _single_ok(self, t: Token, line: Line, nxt: Token | None) -> bool:
        """``a``, ``d`` and ``&`` stand for the infinitive marker å only before a lower-case word, never
        as a list letter (``a)``), a section letter (``§ 5 a``) or between names (``Hansen & Co``);
        ``4`` only between words, before an infinitive (``for 4 bidra``)."""
        if t.text == "4":
            return nxt is not None and self._four_is_aring(t, line, nxt)
        if t.text not in ("a", "d", "&") or nxt is None or not nxt.text[0].islower():
            return False
        before = line.text[:t.start].rstrip()
        if before[-1:].isdigit() or before.endswith("§") or line.text[t.end:t.end + 1] in (")", ".", "-"):
            return False
        prev = before.split()[-1] if before.split() else ""
        return not (t.text == "&" and prev[:1].isupper())

    def _four_is_aring(self, t: Token, line: Line, nxt: Token) -> bool:
        """A lone 4 is the infinitive marker å when it stands between a word and an infinitive, one
        space on each side: ``for 4 bidra``, ``og 4 f0lge opp``; never a number (``sak 4``, ``3 og 4``,
        ``4 mot 3``, ``4.``)."""
        if line.text[t.end:nxt.start] != " " or not nxt.text.isalpha() or not nxt.text.islower():
            return False
        before = line.text[:t.start]
        if not before.strip() and t.line_index:  # at the start of a line: the word ending the line before
            before = self.lines[t.line_index - 1].text + " "
        if not before.endswith(" ") or before.endswith("  "):
            return False
        words = before.split()
        if not words or not words[-1].isalpha() or words[-1].lower() in NUMBER_WORDS:
            return False
        if len(words) > 1 and words[-1].lower() in NUMBER_LINKS and re.fullmatch(r"[\d.,]+", words[-2]):
            return False  # 3 og 4 ..., fra 2 til 4 ...
        return self._infinitive(nxt.text)

    def _infinitive(self, word: str) -> bool:
        """``word`` (as read, maybe damaged) is an infinitive, Bokmål or Nynorsk (a-infinitives too),
        active or passive (``bør endres``)."""
        forms = [word]
        change = self.analyse(word, False)[1]
        if change is not None:
            forms.append(change.text)
        verbs = self.lexicon.infinitives
        return any(w in verbs or w in INFINITIVE_LIKE or w[-1:] == "s" and w[:-1] in verbs
                   or w.endswith("a") and w[:-1] + "e" in verbs or self.nynorsk and w in self.lexicon.nynorsk
                   and w[-1:] in "ae" for w in forms)

    def _after_name(self, k: int) -> bool:
        """Token ``k`` follows a known name on its line (a surname after a first name: Åge Grenne);
        an all-capitals token (a heading) never counts as a name part."""
        prev = self.toks[k - 1] if k else None
        if prev is None or prev.line_index != self.toks[k].line_index or self.toks[k].text.isupper():
            return False
        return self.lexicon.is_name(self.done.get(k - 1, prev.text))

    def _after_capital(self, k: int) -> bool:
        prev = self.toks[k - 1] if k else None
        return bool(prev and prev.line_index == self.toks[k].line_index and prev.text[:1].isupper())

    def _name_ok(self, after: str, change: Reading, keep: Reading | None, start: bool | None) -> bool:
        """A capitalised word inside a sentence may be a name: it changes only into a known name or
        place or a word the document spells so itself, or, when it does not follow another
        capitalised word (Åge Grenne), into one word (not a compound of them): a known word that is
        no name won its change as a word, an unknown one must become a common word.
        ``start``: True at a sentence start, None inside one, False right after a capitalised word."""
        if self.lexicon.is_name(after) or start or change.text in self.own.get(shape(change.text), ()):
            return True
        if start is False:
            return False
        if len(change.parts) > 1:  # Mgtedato: no name has a g for ø; Lundefaret may be a name
            return keep is None and not all(r in plain_ids() for r in change.rules)
        # a known word that is no name (Motet, Radmann in a flattened table) was judged as a word
        return keep is not None or self.base.zipf(change.parts[0]) >= 2.5

    def _pipe(self, t: Token, line: Line, nxt: Token | None, start: bool) -> Change | None:
        """A lone ``|`` is a capital I before a lower-case word at a sentence start (``| møtet``)."""
        if t.text != "|" or not start or nxt is None or not nxt.text[0].islower():
            return None
        if line.text[t.end:nxt.start] != " ":
            return None
        return self._changed(t, line, "I", ("ocr_capital_i_pipe",), 1.0)


def _damaged_pages(lines: list[Line], toks: list[Token], plain: set[int], model: Model) -> set[int]:
    """The pages to repair: damaged on their own, or with any evidence in a damaged document.
    ``plain``: the pages without their share of æ/ø/å (all of them misread); the others need less
    evidence (:data:`MIXED_DAMAGED`), as only some of their letters were misread."""
    by_page: dict[int, list[str]] = {}
    for t in toks:
        by_page.setdefault(lines[t.line_index].page, []).append(t.text)
    scores = {p: _score(words, model) for p, words in by_page.items()}
    doc_score, doc_found = _score([w for ws in by_page.values() for w in ws], model)
    doc_damaged = doc_found >= MIN_EVIDENCE and doc_score >= (DAMAGED if plain >= set(by_page) else MIXED_DAMAGED)
    return {p for p, (score, found) in scores.items()
            if found >= 1 and doc_damaged or found >= MIN_EVIDENCE and score >= (DAMAGED if p in plain else MIXED_DAMAGED)}


def repair_lines(lines: list[Line]) -> tuple[list[Line], list[Change]]:
    """Repair the OCR-damaged pages of a document; clean pages (and clean documents) come back as
    they were. Lines keep their page and number; only words inside lines change, one
    :class:`Change` per changed word.

    >>> line = Line(1, 1, "Saken ble drgftet i mgtet, og det ble papekt at vi na gar videre.")
    >>> fixed, changes = repair_lines([line])
    >>> fixed[0].text
    'Saken ble drøftet i møtet, og det ble påpekt at vi nå går videre.'
    >>> repair_lines([Line(1, 1, "Møtet ble holdt på rådhuset, og for Kari var det greit.")])[1]
    []
    """
    pages = {page: list(group) for page, group in groupby(lines, key=lambda line: line.page)}
    plain = {p for p, group in pages.items() if not looks_clean("\n".join(line.text for line in group))}
    lexicon = load_lexicon()
    if not plain and not _misread_some("\n".join(line.text for line in lines), lexicon):
        return lines, []
    toks = [t for i, line in enumerate(lines) for t in tokens(line.text, i)]
    nynorsk = detect_nynorsk([t.text for t in toks], lexicon)
    base_model(nynorsk).trim()
    damaged = _damaged_pages(lines, toks, plain, base_model(nynorsk))
    toks = [t for t in toks if lines[t.line_index].page in damaged]
    if not toks:
        return lines, []
    doc = _Doc(lines, toks, lexicon, nynorsk)
    edits: dict[int, list[tuple[Token, Change]]] = {}
    for k, t in enumerate(toks):
        change = doc.decide(k)
        if change is not None:
            edits.setdefault(t.line_index, []).append((t, change))
    out = list(lines)
    changes: list[Change] = []
    for i, found in edits.items():
        text = lines[i].text
        for t, change in sorted(found, key=lambda tc: -tc[0].start):
            text = text[:t.start] + change.after + text[t.end:]
        out[i] = Line(lines[i].page, lines[i].number, text)
        changes += [c for _, c in found]
    return out, changes


def repair_text(text: str) -> str:
    """Convenience for one string (tests, ``minutes explain``): lines in, lines out.

    >>> repair_text("Det ble avholdt et digitalt mgte med kommunene pa fredag.")
    'Det ble avholdt et digitalt møte med kommunene på fredag.'
    """
    lines = [Line(1, i, t) for i, t in enumerate(text.split("\n"), 1)]
    return "\n".join(line.text for line in repair_lines(lines)[0])


def explain_changes(changes: Iterable[Change]) -> list[str]:
    """One line per repair, for the terminal.

    >>> explain_changes([Change("ocr_oslash_g", "mgte", "møte", 2, 7, 0.97)])
    ['p2 l7  mgte -> møte  (ocr_oslash_g, 0.97)']
    """
    return [f"p{c.page} l{c.line}  {c.before} -> {c.after}  ({c.rule}, {c.confidence:.2f})" for c in changes]
