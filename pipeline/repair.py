"""OCR repair: put back the æ, ø and å that an OCR engine took away or misread.

A stage after normalisation, before extraction: ``repair_lines(lines) -> (lines, changes)``.

1. **Is it damaged?** A document whose pages all have their share of æ/ø/å (:func:`looks_clean`)
   costs one count over its distinct words (:func:`_misread_some`); then per page and document,
   the share of words the lexicon does not know but would know after reversing a confusion
   (``mgte``, ``pa``, ``folge``). An engine without Norwegian letters misreads all of them; a
   Norwegian engine on a poor scan, or a transcript that lost the diacritics of some lines, only
   some. Clean text has next to none of these words and is never touched.
2. **Candidates** come from reversing the confusions in ``resources/ocr_confusions.jsonl`` (data,
   one confusion a line: ø read as o, g, a, e, @; å as a, 4, d, &; æ as e, ee, ae, ze; I as |).
   Lexicon words with æ/ø/å are indexed by their *shape* (every run of letters a confusion can
   touch becomes ``*``), so a damaged word finds its candidates in one look-up; compounds
   (``samhandlingsmate``) are split into known parts, each repaired on its own; genitives
   (``s0knadens``) are read as their word and s; names the document spells itself (Holmøy) are
   candidates for their misread copies (Nesgard).
3. **Choice** (:mod:`pipeline.ocr_choice`) by a unigram model: the word's frequency (wordfreq,
   Norsk Ordbank) times the confusion's probability as the document's own sure repairs show it (a
   scan misreads ø its own way), with those repairs as a cache (a word repaired elsewhere in the
   document is more likely here too). A damaged form that is itself a word (``matet``, ``for``,
   ``sa``, ``bor``) changes only when the repair wins by a clear margin, less the share of the
   document's æ/ø/å words read right; its neighbours give a bonus or a malus
   (:mod:`pipeline.ocr_context`: ``bør`` before an infinitive, ``sa at``, ``i vår``). A lone ``4``,
   ``a`` or ``&`` is the marker å only before an infinitive (``for 4 bidra``).
4. **Guards**: capitalised words inside a sentence change only into a known name or place, or as
   a known word that is no name, never after a known name (Åse Brenden); acronyms (SJA) stay;
   Nynorsk text keeps its forms (vere, ikkje, eg) and gets Nynorsk repairs or none; an unknown
   word is not made a rare compound; list letters, e-mail addresses and numbers are left alone.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from itertools import groupby

from pipeline import ocr_context
from pipeline.lexicon import (
    Lexicon,
    Reading,
    base_model,
    detect_nynorsk,
    load_lexicon,
    misread_markers,
    plain_ids,
    shape,
)
from pipeline.models import Change, Line
from pipeline.ocr_choice import DocModel
from pipeline.ocr_damage import (
    DAMAGED,
    Token,
    damage_score,
    damaged_pages,
    looks_clean,
    looks_foreign,
    misread_some,
    tokens,
)

__all__ = ["DAMAGED", "damage_score", "explain_changes", "looks_clean", "repair_lines", "repair_text", "tokens"]

#: A word of up to three capitals is an acronym unless its repair is at least this frequent (PÅ, FØR).
ACRONYM_ZIPF = 5.0
_SENTENCE_END = tuple(".!?:;«»\"“”(•*–-")
_LIST_MARK = re.compile(r"\d{1,3}[.)]?|[a-zA-Z][.)]")
_CASE_NUMBER = re.compile(r"(?:PS|RS|Sak|sak|SAK|Saksnr\.?)\s*\d+/\d+")


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    """Lower-case words that are also names but mostly common words (øst, dal, berg): a word after
    @ or 0 is capitalised as a name only when it is not one of these."""
    lexicon = load_lexicon()
    return frozenset(k for k in lexicon.name_keys if lexicon.frequency(k) >= 4.5 and k not in lexicon.proper)


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


class _Doc(DocModel):
    """The repair of one document's damaged pages, token by token: each word is decided where it
    stands (its neighbours, the guards of names, acronyms and lone letters) on the scores of the
    document's model (:class:`pipeline.ocr_choice.DocModel`)."""

    def __init__(self, lines: list[Line], toks: list[Token], lexicon: Lexicon, nynorsk: bool) -> None:
        super().__init__(lines, toks, lexicon, nynorsk)
        self.done: dict[int, str] = {}  # token index -> its repaired text, as decided
        self._contextual: dict[str, tuple[str, ...]] = {}
        self._infinitives: dict[tuple[str, bool], bool] = {}
        self._in_context_verdicts: dict[tuple[str, tuple[float, ...]], tuple[Reading, float, Reading | None] | None] = {}
        #: tokens found to change nowhere, wherever they stand (most words): decided by a look-up
        self._quiet: set[str] = set()

    def decide(self, k: int) -> Change | None:
        """The repair of token ``k``, or None. A lower-case word is decided once per document (and
        per context of its neighbours, when they have a say)."""
        t = self.toks[k]
        text = t.text
        if text in self._quiet:
            return None
        if len(text) > 1 and (text[0].islower() or text.isupper() and text.isalpha()):  # a word, or one in capitals
            low = text.lower()
            words = self._in_question(low)
            if not words and self._verdict(low, False) is None:  # no neighbour has a say: the same everywhere
                self._quiet.add(text)
                return None
            if self.some_nynorsk and low in self.lexicon.nn_markers and self._nynorsk_near(k):
                return None  # Bokmål text quoting Nynorsk: «Det vart vedteke at ein ikkje ...»
            verdict = self._in_its_context(k, low, words) if words else self._verdict(low, False)
            if verdict is None:
                return None
            change, margin, _ = verdict
            if text.isupper() and len(text) <= 3 and self.base.zipf(change.text) < ACRONYM_ZIPF:
                return None  # SJA, KDK: acronyms; PA, NAR: på, når
            after = _cased(change.text, text, False)
            self.done[k] = after
            return self._changed(t, self.lines[t.line_index], after, change.rules, margin)
        found = self._in_context(k)
        if found is not None:
            self.done[k] = found.after
        return found

    def _nynorsk_near(self, k: int, span: int = 6) -> bool:
        """A Nynorsk marker that no misreading makes (ikkje, ein, eg) within ``span`` words."""
        if not self.some_nynorsk:
            return False
        misread = misread_markers(self.lexicon)
        near = self.toks[max(0, k - span):k] + self.toks[k + 1:k + 1 + span]
        return any(t.text.lower() in self.lexicon.nn_markers and t.text.lower() not in misread for t in near)

    def _in_question(self, low: str) -> tuple[str, ...]:
        """The candidates of a word that may be another (bor: bør) when they have context rules."""
        got = self._contextual.get(low)
        if got is None:
            keep, changes = self.base.analyse(low)
            if keep is None or not changes:  # most words: not a word, or no other to be
                got = self._contextual[low] = ()
                return got
            ruled = ocr_context.ruled_words()
            words = tuple(dict.fromkeys(c.text for c in changes))
            got = self._contextual[low] = words if any(w in ruled for w in words) or any(
                self._infinitive(w) for w in words) else ()
        return got

    def _in_its_context(self, k: int, low: str, words: tuple[str, ...]) -> tuple[Reading, float, Reading | None] | None:
        """The verdict on a word in question (its candidate ``words``) with its neighbours' bonuses
        (remembered by them: the most common case, no bonus at all, is the word's plain verdict)."""
        bonus = self._bonus(k)
        values = tuple(bonus(w) for w in words)
        if not any(values):
            return self._verdict(low, False)
        key = (low, values)
        if key not in self._in_context_verdicts:
            self._in_context_verdicts[key] = self._judge(low, False, bonus)
        return self._in_context_verdicts[key]

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
            if rules:
                return self._changed(t, line, text, rules, 1.0)
            self._quiet.add(text)
            return None
        verdict = self._verdict(low, capital)
        if verdict is None and not rules:
            self._quiet.add(text)
            return None  # most capitalised words: known, nothing to repair
        start = _sentence_start(line.text, t.start) or line.text[t.end:t.end + 1] == ":"  # a label: Motedato:
        if verdict is None:
            if (start or text[1:].isupper()) and self.analyse(low, capital)[0] is not None:
                return self._changed(t, line, text, rules, 1.0)
            if text[1:].isupper() or line.text[t.start - 1:t.start] == "-":  # (|NP), Hembre-|ngul
                return self._changed(t, line, text, rules, 0.9)
            return None
        change, margin, keep = verdict
        if not text[0].isalpha():
            hyphen_name = bool(re.match(r"-[A-ZÆØÅ]", line.text[t.end:t.end + 2]))  # @st-Finnmark
            name = self.lexicon.is_name(_cased(change.text, "", True)) and change.text not in _common_words()
            capital = text != "4" and (start or self._after_capital(k) or hyphen_name or name)  # 4: å inside a sentence
        after = _cased(change.text, text, capital)
        if text[0].isupper() and not self._name_ok(after, change, keep, False if self._after_name(k) else start or None):
            return None
        return self._changed(t, line, after, rules + change.rules, margin)

    @staticmethod
    def _changed(t: Token, line: Line, after: str, rules: tuple[str, ...], margin: float) -> Change:
        """The change record; confidence is the repair's probability against its best rival."""
        rule = "+".join(dict.fromkeys(rules)) or "ocr_repair"
        return Change(rule, t.text, after, line.page, line.number, round(1 / (1 + 10 ** (-margin)), 2))


    def _single_ok(self, t: Token, line: Line, nxt: Token | None) -> bool:
        """``a``, ``d`` and ``&`` stand for the infinitive marker å only before an infinitive, never
        as a list letter (``a)``, ``Referat a godkjennes``), a section letter (``§ 5 a``), in an
        abbreviation (``bl. a``) or between names (``Hansen & Co``); ``4`` only between words,
        before an infinitive (``for 4 bidra``)."""
        if t.text == "4":
            return nxt is not None and self._four_is_aring(t, line, nxt)
        if t.text not in ("a", "d", "&") or nxt is None or not nxt.text[0].islower():
            return False
        before = line.text[:t.start].rstrip()
        if before.endswith("§") or line.text[t.end:t.end + 1] in (")", ".", "-"):
            return False
        prev = before.split()[-1] if before.split() else ""
        if t.text == "&" and prev[:1].isupper() or prev.endswith(".") and len(prev) <= 4:
            return False
        return self._infinitive(nxt.text, passive=prev.islower())  # behøver a tas; not Referat a godkjennes

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
        if not words or not words[-1].isalpha() or words[-1].lower() in ocr_context.NUMBER_WORDS:
            return False
        if len(words) > 1 and words[-1].lower() in ocr_context.NUMBER_LINKS and re.fullmatch(r"[\d.,]+", words[-2]):
            return False  # 3 og 4 ..., fra 2 til 4 ...
        return self._infinitive(nxt.text, passive=words[-1].islower())

    def _infinitive(self, word: str, passive: bool = True) -> bool:
        key = (word, passive)
        got = self._infinitives.get(key)
        if got is None:
            got = self._infinitives[key] = self._is_infinitive(word, passive)
        return got

    def _is_infinitive(self, word: str, passive: bool) -> bool:
        """``word`` (as read, maybe damaged) is an infinitive, Bokmål or Nynorsk (a-infinitives too),
        active or (``passive``) passive (``bør endres``, ``behøver å tas``)."""
        verbs = self.lexicon.infinitives

        def infinitive(w: str) -> bool:
            return (w in verbs or w in ocr_context.INFINITIVE_LIKE or passive and w[-1:] == "s" and w[:-1] in verbs
                    or w.endswith("a") and w[:-1] + "e" in verbs or self.nynorsk and w in self.lexicon.nynorsk)

        if infinitive(word):  # as read: its repair need not be looked for
            return True
        if not any(infinitive(c.text) for c in self.base.analyse(word)[1] + self._own(word)):
            return False  # the repair is one of these candidates: no need to weigh them
        change = self.analyse(word, False)[1]
        return change is not None and infinitive(change.text)

    def _after_name(self, k: int) -> bool:
        """Token ``k`` follows a known name on its line (a surname after a first name: Åse Brenden);
        an all-capitals token (a heading) never counts as a name part."""
        prev = self.toks[k - 1] if k else None
        if prev is None or self.toks[k].text.isupper():
            return False
        if prev.line_index != self.toks[k].line_index:  # a name broken over two lines: Åge / Grenne
            if prev.line_index != self.toks[k].line_index - 1 or self.lines[prev.line_index].text.rstrip()[-1:] != prev.text[-1:]:
                return False
        word = self.done.get(k - 1, prev.text)
        if not word[:1].isupper() or word.isupper():
            return False
        if self.lexicon.is_name(word):
            return True
        change = self.analyse(prev.text.lower(), True)[1]  # a misread first name (Age, 4ge: Åge)
        return change is not None and self.lexicon.is_name(_cased(change.text, "", True))

    def _after_capital(self, k: int) -> bool:
        prev = self.toks[k - 1] if k else None
        return bool(prev and prev.line_index == self.toks[k].line_index and prev.text[:1].isupper())

    def _name_ok(self, after: str, change: Reading, keep: Reading | None, start: bool | None) -> bool:
        """A capitalised word inside a sentence may be a name: it changes only into a known name or
        place or a word the document spells so itself, or, when it does not follow another
        capitalised word (Åse Brenden), into one word (not a compound of them): a known word that is
        no name won its change as a word, an unknown one must become a common word.
        ``start``: True at a sentence start, None inside one, False right after a capitalised word."""
        if self.lexicon.is_name(after) or start or change.text in self.own.get(shape(change.text), ()):
            return True
        if change.text in self.lexicon.roles:  # Kari Hansen Radmann: a title after the name
            return True
        if start is False:
            return False
        if len(change.parts) > 1:  # Mgtedato: no name has a g for ø; Lundefaret may be a name
            if keep is not None:  # Motedato: two compounds of known words, the margin decided
                return len(keep.parts) > 1
            return not all(r in plain_ids() for r in change.rules)
        # a known word that is no name (Motet, Radmann in a flattened table) was judged as a word
        return keep is not None or self.base.zipf(change.parts[0]) >= 2.5

    def _pipe(self, t: Token, line: Line, nxt: Token | None, start: bool) -> Change | None:
        """A lone ``|`` is a capital I before a lower-case word at a sentence start (``| møtet``)."""
        if t.text != "|" or not start or nxt is None or not nxt.text[0].islower():
            return None
        if line.text[t.end:nxt.start] != " ":
            return None
        return self._changed(t, line, "I", ("ocr_capital_i_pipe",), 1.0)


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
    pages = {page: "\n".join(line.text for line in group) for page, group in groupby(lines, key=lambda line: line.page)}
    lexicon = load_lexicon()
    if all(looks_clean(text) for text in pages.values()) and not misread_some("\n".join(pages.values()), lexicon):
        return lines, []
    foreign = {page for page, text in pages.items() if looks_foreign(text)}
    toks = [t for i, line in enumerate(lines) if line.page not in foreign for t in tokens(line.text, i)]
    nynorsk = detect_nynorsk([t.text for t in toks], lexicon)
    base_model(nynorsk).trim()
    damaged = damaged_pages(lines, toks, base_model(nynorsk))
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
