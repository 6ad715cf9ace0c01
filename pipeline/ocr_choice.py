"""The choice of OCR repair in one document: what its words may be, scored with what the document
says about itself (the scoring half of :mod:`pipeline.repair`, whose ``_Doc`` decides token by token,
with the neighbours and the guards).

A unigram model (:func:`pipeline.lexicon.base_model`): the word's frequency (wordfreq, Norsk
Ordbank) times the confusion's probability as the document's own sure repairs show it (a scan
misreads ø its own way), with those repairs as a cache (a word repaired elsewhere in the document
is more likely here too). A damaged form that is itself a word (``matet``, ``for``, ``sa``,
``bor``) changes only when the repair wins by a clear margin, less the share of the document's
æ/ø/å words read right; an unknown word is not made a rare compound; Nynorsk text keeps its forms
and gets Nynorsk repairs or none.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable

from pipeline.lexicon import (
    FLOOR_ZIPF,
    NAME_ZIPF,
    Lexicon,
    Reading,
    align,
    base_model,
    family,
    misread_markers,
    plain_ids,
    shape,
)
from pipeline.models import Line
from pipeline.ocr_damage import Token, channel_gain

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
#: Weight of a repaired word's first four letters as evidence for another form of it.
STEM_WEIGHT = 0.3

#: Plain confusions that do not turn a Nynorsk form into a Bokmål one (ø read as e or a would:
#: utgjer, gjer), for an unknown word in Nynorsk text.
NYNORSK_SAFE = frozenset({"ocr_oslash_o", "ocr_aring_a", "ocr_aelig_e"})
_NORWEGIAN_LETTER = re.compile("[æøå]")


def _too_rare(change: Reading) -> bool:
    return change.logp < UNKNOWN_FLOOR - SPLIT_FLOOR * (len(change.parts) - 1)


class DocModel:
    """What one document says about its words. The document speaks for itself through a cache:
    the words confidently repaired in it (and their :func:`family`) become more likely everywhere
    in it, so ``møtet`` repaired from ``mgtet`` helps ``matet`` to ``møtet`` and ``mater`` to ``møter``."""

    def __init__(self, lines: list[Line], toks: list[Token], lexicon: Lexicon, nynorsk: bool) -> None:
        self.lines, self.toks, self.lexicon, self.nynorsk = lines, toks, lexicon, nynorsk
        self.base = base = base_model(nynorsk)
        self.cache: Counter[str] = Counter()
        self.stems: Counter[str] = Counter()
        self.own: dict[str, set[str]] = {}  # words with æ/ø/å the Bokmål lexicon lacks (names), by shape
        damaged = correct = nn = 0
        used: Counter[str] = Counter()  # the confusions of the document's sure repairs
        misread = misread_markers(lexicon)
        lows = [t.text.lower() for t in toks]
        left = Counter(lows)  # occurrences not yet counted
        done: set[str] = set()
        # Each word once, as often as it occurs (where it first occurs). In Nynorsk text the repairs
        # of a word depend on what the document showed before it (:meth:`_nynorsk_ok`): until they
        # all pass (and then they pass for good, as the document only shows more), place by place.
        for low in lows if nynorsk else left:
            if low in done:
                continue
            keep, changes = base.analyse(low)
            times = left[low]
            if nynorsk and changes:
                passed = tuple(c for c in changes if self._nynorsk_ok(c, low))
                if len(passed) < len(changes):
                    times = 1
                    left[low] -= 1
                else:
                    done.add(low)
                changes = passed
            else:
                done.add(low)
            letter = _NORWEGIAN_LETTER.search(low)
            if low in lexicon.nn_markers and low not in misread:  # ikkje, eg; not vere
                nn += times
            if keep is None and letter and not changes and len(low) > 2:  # not a half-read spørsmal
                self.own.setdefault(shape(low), set()).add(low)
                self.cache[low] += times
            elif keep is None and changes and not _too_rare(changes[0]):
                repaired = [p for p in changes[0].parts if p not in low]
                for part in repaired:
                    self.cache[part] += times
                    self.stems[family(part)] += times  # not of correct words: støtte is no støts-
                damaged += times * (len(low) > 1)
                for rule in changes[0].rules:
                    used[rule] += times
            elif keep is not None and letter:
                self.cache[low] += times
                correct += times
                if base.nn_forms is not None and low in base.nn_forms:  # a Nynorsk full form it spells
                    self.own.setdefault(shape(low), set()).add(low)  # (føreset): the repair of foreset
        self.n = max(1, len(toks))
        #: log10 prior of a real word being damaged: the share of the document's æ/ø/å words that
        #: were misread (1 when none was read right; a poor scan misreads some of them)
        self.prior = min(0.0, math.log10(2 * (damaged + 1) / (damaged + correct + 2)))
        #: a document that misread every one of many æ/ø/å words (an engine without them) needs a
        #: smaller margin for a real word: its ``mote`` is almost surely a misread ``møte``
        self.margin = SURE_MARGIN if correct == 0 and damaged >= SURE_EVIDENCE else REAL_WORD_MARGIN
        self.gain = channel_gain(used)
        self.some_nynorsk = nn >= 2
        self._verdicts: dict[tuple[str, bool], tuple[Reading, float, Reading | None] | None] = {}
        self._analyses: dict[tuple[str, bool], tuple[Reading | None, Reading | None]] = {}

    def boost(self, r: Reading) -> Reading:
        """The reading with the document's cache applied to its parts, and its confusions as likely
        as the document's own sure repairs make them (:func:`pipeline.ocr_damage.channel_gain`)."""
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
        if not self.nynorsk or not plain_ids().issuperset(r.rules):
            return True
        if (len(r.parts) == 1 and NYNORSK_SAFE.issuperset(r.rules) and self.base.analyse(low)[0] is None
                and not self._full_form_only(r.parts[0])):
            return True  # ordforar, vidaregaande: no Nynorsk word either way
        return all(self._attested(p) for p in r.parts if p not in low)

    def _full_form_only(self, word: str) -> bool:
        """A Nynorsk full form that neither the Bokmål lexicon nor the common forms know (gårdssal):
        Nynorsk spells many words two ways (gard, gård), so a plain confusion does not show damage."""
        return (word not in self.lexicon and word not in self.lexicon.nynorsk and self.base.is_nynorsk(word)
                and self.base.nynorsk_twin(word) is None)

    def _attested(self, word: str) -> bool:
        if word in self.lexicon.nynorsk or word in self.cache:
            return True
        stem = family(word)
        return len(stem) >= 4 and stem in self.stems

    def analyse(self, low: str, capital: bool,
                bonus: Callable[[str], float] | None = None) -> tuple[Reading | None, Reading | None]:
        """(the unchanged reading, the best repair) with the document's cache, and the context's
        ``bonus`` for a candidate word (:mod:`pipeline.ocr_context`). The unchanged reading of a
        word without candidates comes as the lexicon reads it (there is nothing to weigh it against)."""
        if bonus is None:
            got = self._analyses.get((low, capital))
            if got is None:
                got = self._analyses[(low, capital)] = self._analyse(low, capital, None)
            return got
        return self._analyse(low, capital, bonus)

    def _analyse(self, low: str, capital: bool,
                 bonus: Callable[[str], float] | None) -> tuple[Reading | None, Reading | None]:
        keep, changes = self.base.analyse(low, capital)
        found = changes + self._own(low)
        if not found:  # most words: nothing to weigh the unchanged reading against
            return keep, None
        scored = [self.boost(c) for c in found if self._nynorsk_ok(c, low)]
        if bonus is not None:
            scored = [Reading(c.parts, c.logp + bonus(c.text), c.rules) for c in scored]
        change = max(scored, key=lambda r: r.logp) if scored else None
        return (self.boost(keep) if keep else None), change

    def _own(self, low: str) -> tuple[Reading, ...]:
        """Words the document itself spells with æ/ø/å (names the lexicon lacks: Holmøy) as
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

    def _unknown_margin(self, low: str, change: Reading, capital: bool) -> float:
        others = [self.boost(c).logp for c in self.base.analyse(low, capital)[1] if c.text != change.text]
        return change.logp - max(others) if others else 2.0
