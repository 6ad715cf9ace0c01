"""The spaCy pipeline: ``spacy.blank("nb")`` plus rule components, built once per process.

Components, registered here by name, in order:

``gazetteer``      the national gazetteer (``resources/gazetteer.jsonl``) as phrase patterns,
                   case-insensitive, or exact for abbreviations and bare names; label ``REGION``,
                   ``ent_id_`` = the region id in ``resources/regions.jsonl``
``person_names``   spans of people's names in ``doc.spans["persons"]``: a known first name
                   (Statistics Norway's list) followed by capitalised name parts

Theme keywords (``resources/themes.jsonl``) are found in a block's text by :func:`theme_hits`,
outside spaCy: a plain word scan, with no spans to build for every line.

There is no trained Norwegian model on PyPI, so everything is rules and lexicons.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from extractors.lexicons import Region, first_names, gazetteer, read_jsonl, regions, roles, surnames, themes
from extractors.parties import is_party
from pipeline.lexicon import load_lexicon
from pipeline.rules import shortest_words

#: Capitalised words that end a name: they belong to organisations, places and titles.
NOT_NAME_PARTS = frozenset(
    """kommune kommunes fylkeskommune fylkeskommunen fylke fylket ipr regionråd regionrådet rådet region regionen
    utvikling sekretariat sekretariatet hotell rådhus rådhuset norge innovasjon senter sykehus universitet as asa
    iks sa ks nav direktoratet departementet stortinget storting fylkesting fylkestinget kommunestyret formannskapet
    utvalg utvalget styret styre skole skule barnehage kirke vei veg gate gata januar februar mars april mai juni
    juli august september oktober november desember mandag tirsdag onsdag torsdag fredag lørdag søndag
    arbeiderparti arbeiderpartiet høyre senterpartiet frp sv krf venstre mdg rødt partiet
    av og i på for med til fra frå som ved vara forfall følgende følgjande underskrifter møtte navn namn sak
    ass kst konst fung daglig dagleg medlemene medlemmene""".split()
)
#: Words that make the capitalised word before them the name of an organisation.
_ORG_HEADS = frozenset({"kommune", "kommunes", "fylkeskommune", "fylkeskommunes", "regionråd", "regionrådet", "iks",
                        "kommunehus", "rådhus", "næringshage", "næringsallianse"})
#: First names that are also ordinary words at the start of a sentence or heading.
AMBIGUOUS_FIRST = frozenset(
    """Dag Tor Bo Liv Siv Eli Mai Ask Sol Vår Ida Kai Ole Sverre Hallo Ingen Mange Alle Vi De Den Det Han Hun
    Man Meg Deg Seg Inn Ut Fra Til Med Som Kan Må Skal Vil For Mot Over Under Etter Ved Av På Hver Enten Både
    Nord Sør Øst Vest Lars Kommune Regional Region Gard Fjord Viking Storm Bjørk Linn Dal Berg Vik Skog Strand
    Rygge Asker Moss Ås Gran Nes Lier""".split()
)
_NAME_TOKEN_RE = re.compile(r"^[A-ZÆØÅÄÖÜÉ][a-zæøåäöüéèáóúñ'’]+(?:-[A-ZÆØÅÄÖÜÉ][a-zæøåäöüéèáóúñ'’]+)*$")
_INITIAL_RE = re.compile(r"^(?:[A-ZÆØÅ]\.?|[A-ZÆØÅ][a-zæøå]{1,2}\.)$")  # "K", "K.", "Kr.", "Chr."
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr."})
_PARTICLES = frozenset({"von", "van", "de", "der", "den", "la", "le", "af"})


def _is_name_part(text: str) -> bool:
    return bool(_NAME_TOKEN_RE.match(text)) and text.casefold() not in NOT_NAME_PARTS


def _is_first_name(text: str, firsts: frozenset[str]) -> bool:
    """A known first name, also hyphenated ("Lill-Kristin", "Anne-Marie") when a part is known."""
    if not _NAME_TOKEN_RE.match(text):
        return False
    return text in firsts or ("-" in text and any(part in firsts for part in text.split("-")))


#: Capitalised words of a text; a text without a known first name among them has no names.
_CAPITALISED_RE = re.compile(r"[A-ZÆØÅÄÖÜÉ][a-zæøåäöüéèáóúñ]+")


@cache
def _first_name_parts() -> frozenset[str]:
    """Every capitalised part of a known first name ("Anne-Marie": "Anne", "Marie")."""
    return frozenset(p for name in first_names() for p in _CAPITALISED_RE.findall(name))


@cache
def _role_word_re() -> re.Pattern[str]:
    """One word that is a title (``resources/roles.jsonl``: "Direktør", "Medlem", "Oppvekstsjef"):
    it ends a name, as in a flattened table "Geir Lunde Direktør Marit Holmen"."""
    rows = roles()
    words = sorted((r["pattern"] for r in rows if " " not in r["pattern"] and not r.get("suffix")), key=len, reverse=True)
    tail = "|".join(re.escape(r["pattern"]) for r in rows if r.get("suffix"))
    return re.compile(rf"(?:{'|'.join(map(re.escape, words))}|\w+(?:{tail}))", re.IGNORECASE)


def _starts_next_name(words: list[str], i: int, j: int, firsts: frozenset[str]) -> bool:
    """In a run of names without separators ("Nils Berg Kari Lund"), a known first name after a
    surname starts the next name, when a name part follows it (``words``: the doc's token texts)."""
    return (j - i >= 2 and _is_first_name(words[j], firsts) and not _is_first_name(words[j - 1], firsts)
            and not _INITIAL_RE.match(words[j - 1]) and j + 1 < len(words)
            and (_is_name_part(words[j + 1]) or bool(_INITIAL_RE.match(words[j + 1]))))


#: Zipf frequency above which a capitalised word that is no known name is a common word.
COMMON_ZIPF = 4.0
#: What closes a name written in a list: a common word right before it is part of the name.
_CLOSING = frozenset({",", ";", "(", ")", "."})


def _common_word(word: str, firsts: frozenset[str], lasts: frozenset[str]) -> bool:
    """A common word written with a capital (Alle, Teknisk, Presentasjon, Møte) that no name list
    knows: after two name parts it is the next column of a flattened table, not a surname. Rare
    words stay (a surname the lists lack is rare as a word too: Dal, Bratt).

    >>> _common_word("Presentasjon", frozenset(), frozenset()), _common_word("Berg", frozenset(), frozenset({"Berg"}))
    (True, False)
    >>> _common_word("Dal", frozenset(), frozenset()), _common_word("Grydeland", frozenset(), frozenset())
    (False, False)
    """
    return word not in lasts and word not in firsts and word not in _SUFFIXES and word[1:].islower() \
        and not is_party(word) and load_lexicon().frequency(word.lower()) > COMMON_ZIPF


def _initial_before(words: list[str], k: int, firsts: frozenset[str]) -> bool:
    """Token ``k`` may follow an initial: a name part, or another initial before one ("J. O. Uthus")."""
    if _is_name_part(words[k]):
        return True
    return bool(_INITIAL_RE.match(words[k])) and words[k].endswith(".") and k + 1 < len(words) \
        and _is_name_part(words[k + 1])


@cache
def _label_words() -> frozenset[str]:
    """One-word labels of ``pipeline/resources/labels.jsonl`` ("Orientering", "Saksgang", "Møtedato"):
    never part of a name."""
    return frozenset(r["pattern"] for r in read_jsonl("pipeline.resources", "labels.jsonl") if " " not in r["pattern"])


def may_hold_names(text: str) -> bool:
    """A capitalised word of ``text`` is (part of) a known first name: without one, no names."""
    return not _first_name_parts().isdisjoint(_CAPITALISED_RE.findall(text))


def person_spans(doc: Doc) -> list[Span]:
    """Names: a known first name, then up to three more name parts (first names, surnames,
    capitalised words, initials, hyphenated parts); the last part must not be an organisation word.
    A title ends a name, and a first name after a surname starts the next one."""
    if not may_hold_names(text_of(doc)):
        return []  # most lines: no token needs looking at
    firsts, lasts = first_names(), surnames()
    role_word, label_words = _role_word_re(), _label_words()
    spans: list[Span] = []
    i, n = 0, len(doc)
    # A name stops where a region of two or more words starts ("Kari Nordmann Asker og Bærum IPR").
    region_starts = doc.user_data.get("region_starts", set())
    words = [t.text for t in doc]  # most words are no first name: read each once
    while i < n:
        if not _is_first_name(words[i], firsts):
            i += 1
            continue
        j = i + 1
        while j < n and j - i < 5:
            w = words[j]
            if j in region_starts or role_word.fullmatch(w) or _starts_next_name(words, i, j, firsts) \
                    or j + 1 < n and words[j + 1].casefold() in _ORG_HEADS or w.casefold() in label_words:
                break  # "Kari Lund Askim kommune": the place belongs to the organisation
            if w in _SUFFIXES and j - i >= 2:
                j += 1  # "Trond Fjellheim jr"
                break
            if w == "-" and not doc[j - 1].whitespace_ and j + 1 < n and _is_name_part(words[j + 1]):
                j += 2
            elif len(w) <= 3 and _INITIAL_RE.match(w + ".") and not doc[j].whitespace_ and j + 2 < n \
                    and words[j + 1] == "." and _is_name_part(words[j + 2]):
                j += 2  # "Eva Th. Rønningen": the tokenizer splits the full stop off "Th."
            elif _is_name_part(w) or (_INITIAL_RE.match(w) and j + 1 < n and _initial_before(words, j + 1, firsts)
                                           and (w.endswith(".") or not _is_first_name(words[j + 1], firsts))):
                j += 1
            elif w in _PARTICLES and j + 1 < n and _is_name_part(words[j + 1]):
                j += 1
            else:
                break
        if j - i >= 3 and words[j - 1] in firsts and words[j - 1] not in lasts \
                and words[j - 2] not in firsts and j < n and (doc[j].is_lower or words[j] == ":"):
            j -= 1  # "Lars Haugvik Andre som møtte": the first name belongs to the next words
        if j - i >= 3 and j < n and words[j] not in _CLOSING and _common_word(words[j - 1], firsts, lasts) \
                and (words[j - 2] in lasts or words[j - 2] not in firsts):
            j -= 1  # "Ola Lund Alle skoler", not "Kari Lid Hus (SV)": the next column's first word
        last = words[j - 1]
        ok = j - i >= 2 and (last in lasts or last not in firsts or j - i >= 3)
        if ok and words[i] in AMBIGUOUS_FIRST:
            ok = last in lasts or words[i + 1] in firsts or (i > 0 and (doc[i - 1].is_lower
                                                                          or bool(role_word.fullmatch(words[i - 1]))))
        if ok:
            spans.append(Span(doc, i, j, label="PERSON"))
            i = j
        else:
            i += 1
    return spans


@Language.component("person_names")
def person_names_component(doc: Doc) -> Doc:
    doc.spans["persons"] = person_spans(doc)
    return doc


# --------------------------------------------------------------------------- themes


@dataclass(frozen=True)
class ThemeLexicon:
    """Theme keywords (``resources/themes.jsonl``) arranged for a fast scan word by word: whole
    words and prefixes by dictionary lookup, infixes by substring test, and the few multi-word and
    regex patterns one by one, each only on a text that holds its longest word (its anchor; a
    regex pattern has none and always runs)."""

    words: dict[str, frozenset[str]]
    prefixes: dict[str, frozenset[str]]
    prefix_lengths: tuple[int, ...]
    infixes: tuple[tuple[str, str], ...]
    phrases: tuple[tuple[str, str, re.Pattern[str]], ...]  # (theme, anchor, pattern)


@cache
def theme_lexicon() -> ThemeLexicon:
    words: dict[str, set[str]] = {}
    prefixes: dict[str, set[str]] = {}
    infixes: list[tuple[str, str]] = []
    phrases: list[tuple[str, str, re.Pattern[str]]] = []
    for row in themes():
        theme, pattern, match = row["id"], row["pattern"].casefold(), row.get("match", "prefix")
        simple = re.fullmatch(r"\w+", pattern) is not None
        if match == "word" and simple:
            words.setdefault(pattern, set()).add(theme)
        elif match == "prefix" and simple:
            prefixes.setdefault(pattern, set()).add(theme)
        elif match == "infix" and simple:
            infixes.append((pattern, theme))
        else:
            body = row["pattern"] if match == "regex" else re.escape(pattern).replace(r"\ ", r"\s+")
            regex = {"word": rf"\b{body}\b", "prefix": rf"\b{body}\w*", "infix": rf"\w*{body}\w*", "regex": body}[match]
            anchor = row.get("anchor", "") if match == "regex" else max(re.findall(r"\w+", pattern), key=len, default="")
            phrases.append((theme, anchor, re.compile(regex, re.IGNORECASE)))
    return ThemeLexicon({k: frozenset(v) for k, v in words.items()}, {k: frozenset(v) for k, v in prefixes.items()},
                        tuple(sorted({len(k) for k in prefixes})), tuple(infixes), tuple(phrases))


@lru_cache(maxsize=200_000)
def word_themes(word: str) -> tuple[str, ...]:
    """The themes one word (casefolded) points to.

    >>> word_themes("næringstransport"), word_themes("kraftmarkedet"), word_themes("møte")
    (('naering', 'samferdsel'), ('energi',), ())
    """
    lex = theme_lexicon()
    found = set(lex.words.get(word, ()))
    for n in lex.prefix_lengths:
        if n > len(word):
            break
        found |= lex.prefixes.get(word[:n], frozenset())
    found |= {theme for infix, theme in lex.infixes if infix in word}
    return tuple(sorted(found))


_WORD_RE = re.compile(r"\w+")


@lru_cache(maxsize=200_000)
def _themes_of(word: str) -> tuple[str, ...]:
    """:func:`word_themes` of a word as written (one lookup instead of casefolding every word)."""
    return word_themes(word.casefold())


@cache
def _parties() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(anchor, pattern) of party names in running text (``resources/party_patterns.jsonl``)."""
    return tuple((row["anchor"], re.compile(row["pattern"], re.IGNORECASE))
                 for row in read_jsonl("extractors.resources", "party_patterns.jsonl"))


def party_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the party names in ``text``: a party's name is no theme and no region.

    >>> text = "Ola Dunk (Helsepartiet) og Tverrpolitisk liste for Vefsn"
    >>> [text[a:b] for a, b in party_spans(text)]
    ['Helsepartiet', 'Tverrpolitisk liste for Vefsn']
    """
    folded = text.casefold()
    spans = [m.span() for anchor, pattern in _parties() if anchor in folded for m in pattern.finditer(text)]
    return sorted(spans)


_NAME_WORDS = r"[A-ZÆØÅ][\wæøå-]*(?:\s+[A-ZÆØÅ][\wæøå-]*){0,2}"


@cache
def _organisations() -> re.Pattern[str]:
    """Names of companies, hotels, schools and the like built on a place name: the place word
    before a company word ("Varanger Kraft", "Ringerike Utvikling AS") or after a company prefix
    ("Destinasjon Varanger", "Rica Hotell Alta"), from ``resources/organisations.jsonl``."""
    rows = read_jsonl("extractors.resources", "organisations.jsonl")

    def word(text: str, exact: bool) -> str:
        body = r"\s+".join(re.escape(w) for w in text.split())
        return body if exact else f"(?i:{body})"

    after = "|".join(word(r["after"].upper() if r.get("case_sensitive") else r["after"], bool(r.get("case_sensitive")))
                     for r in rows if "after" in r)
    before = "|".join(word(r["before"], False) for r in rows if "before" in r)
    return re.compile(rf"\b{_NAME_WORDS}\s+(?:{after})\b|\b(?:{before})\s+{_NAME_WORDS}")


@cache
def _organisation_words() -> tuple[str, ...]:
    """The first word of each company word or prefix, casefolded: a text without any has no match.
    A word that holds another ("hotell", "hotel") is left out: the shorter one is in the text too."""
    rows = read_jsonl("extractors.resources", "organisations.jsonl")
    return shortest_words((r.get("after") or r["before"]).split()[0].casefold() for r in rows)


def organisation_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of organisation names built on a place name: no region.

    >>> text = "Kate Utsi, Destinasjon Varanger, og Varanger Kraft; Ringerike Utvikling AS"
    >>> [text[a:b] for a, b in organisation_spans(text)]
    ['Destinasjon Varanger', 'Varanger Kraft', 'Ringerike Utvikling AS']
    """
    folded = text.casefold()
    if not any(word in folded for word in _organisation_words()):
        return []
    return [m.span() for m in _organisations().finditer(text)]


def _inside(at: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= at < end for start, end in spans)


def theme_hits(text: str) -> list[tuple[str, str, int]]:
    """(theme, matched text, offset) for each keyword hit, in text order; none in a party's name
    (a company's name may say what a case is about: "Sauland Kraftverk AS - aksjonæravtale").

    >>> [(t, w) for t, w, _ in theme_hits("Kommuneøkonomi og kraft til Rv4")]
    [('kommuneokonomi', 'Kommuneøkonomi'), ('energi', 'kraft'), ('samferdsel', 'Rv4')]
    >>> theme_hits("Kari Nordmann (Miljøpartiet De Grønne)")
    []
    """
    return list(_theme_hits(text))


@lru_cache(maxsize=8192)
def _theme_hits(text: str) -> tuple[tuple[str, str, int], ...]:
    """:func:`theme_hits`, cached: the hits depend on the text alone, and lines repeat across documents
    (a document's lines and its decisions' texts: a smaller cache drops lines before they come again)."""
    hits = [(theme, m.group(), m.start()) for m in _WORD_RE.finditer(text) for theme in _themes_of(m.group())]
    folded = text.casefold()
    phrased = False
    for theme, anchor, pattern in theme_lexicon().phrases:
        if anchor in folded:
            found = [(theme, m.group(), m.start()) for m in pattern.finditer(text)]
            hits += found
            phrased = phrased or bool(found)
    parties = party_spans(text) if hits else []
    if parties:
        hits = [h for h in hits if not _inside(h[2], parties)]
    if not phrased:  # word hits come in text order, a word's themes sorted (word_themes): already in order, once each
        return tuple(hits)
    return tuple(sorted(set(hits), key=lambda h: (h[2], h[0])))


# --------------------------------------------------------------------------- the pipeline


#: Gazetteer forms matched with their exact capitalisation: bare place names are also common
#: words ("Hole", "Gran", "Nes"), and abbreviations ("SNR", "ØFR") only count in capitals.
EXACT_FORMS = {"municipality_bare", "county_bare", "district"}


@Language.factory("gazetteer")
def make_gazetteer(nlp: Language, name: str) -> Gazetteer:
    return Gazetteer(nlp)


class Gazetteer:
    """Region names as ``REGION`` entities (``ent_id_`` = the region id): two phrase matchers, one
    case-insensitive and one exact (``EXACT_FORMS`` and case-sensitive abbreviations); the longest
    match wins. A plain PhraseMatcher costs nothing per pattern when a document is matched, which
    matters with thousands of patterns and one small document per line."""

    def __init__(self, nlp: Language) -> None:
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        by_key: dict[tuple[bool, str], list[str]] = {}
        for row in gazetteer():
            exact = bool(row.get("case_sensitive") or row.get("form") in EXACT_FORMS)
            by_key.setdefault((exact, row["id"]), []).append(row["pattern"])
        tokenizer = nlp.tokenizer
        for (exact, region_id), patterns in by_key.items():
            matcher = self.exact if exact else self.lower
            matcher.add(region_id, [tokenizer(p) for p in patterns])

    def __call__(self, doc: Doc) -> Doc:
        found = list(self.lower(doc)) + list(self.exact(doc))
        if not found:  # most lines: no entities to set (``doc.ents`` reads the same without them)
            doc.user_data["region_starts"] = set()
            return doc
        names = regions()
        # which of two matches of the same words wins is only asked of matches that share them
        tied = len({(end - start, start) for _, start, end in found}) < len(found)
        matches = [(end - start, -start, tied and _is_own_name(names, key, doc[start:end].text, doc),
                    tied and _is_municipality(names, key, doc), start, end, key)
                   for key, start, end in found]
        taken: set[int] = set()
        ents = []
        text = text_of(doc)
        masked = party_spans(text) + organisation_spans(text)
        for _, _, _, _, start, end, key in sorted(matches, reverse=True):
            if masked and _inside(doc[start].idx, masked) and not _is_full_name(doc, start, end, key):
                continue  # "Tverrpolitisk liste for Vefsn", "Varanger Kraft": a party, a company
            if taken.isdisjoint(range(start, end)):
                taken.update(range(start, end))
                ents.append(Span(doc, start, end, label="REGION", span_id=key))
        if ents:  # what ``doc.ents = ...`` does, without making each span again
            doc.set_ents(sorted(ents, key=lambda e: e.start), default="outside")
        doc.user_data["region_starts"] = {e.start for e in ents if len(e) >= 2}
        return doc


def _is_full_name(doc: Doc, start: int, end: int, key: int) -> bool:
    """A council's or a "X kommune" name stays a region inside a longer name ("Vest-Finnmark
    Regionråd" in "Rica Hotell, Alta … Vest-Finnmark Regionråd")."""
    return end - start >= 2 and regions().get(doc.vocab.strings[key], None) is not None


def _is_municipality(names: dict[str, Region], key: int, doc: Doc) -> bool:
    """A bare name that is a municipality and a council's district ("Lindesnes") is the municipality."""
    region = names.get(doc.vocab.strings[key])
    return region is not None and region.kind == "municipality"


def _is_own_name(names: dict[str, Region], key: int, text: str, doc: Doc) -> bool:
    """Of two regions matched by the same words, the one whose name it is wins ("Oslo kommune" is
    the municipality, though the county of Oslo was also called that)."""
    region = names.get(doc.vocab.strings[key])
    return region is not None and region.name.casefold() == text.casefold()


class _KeepingText:
    """The tokenizer, keeping the text each doc is made from in ``doc.user_data["text"]``:
    ``doc.text`` rebuilds it token by token, which costs more than tokenizing a short line."""

    def __init__(self, tokenizer: Any) -> None:
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        doc = self.tokenizer(text)
        doc.user_data["text"] = text
        return doc

    def __getattr__(self, name: str) -> Any:  # explain(), rules, vocab ... of the real tokenizer
        return getattr(self.tokenizer, name)


def text_of(doc: Doc) -> str:
    """The text a doc was made from (the same as ``doc.text``, without rebuilding it)."""
    text = doc.user_data.get("text")
    return text if isinstance(text, str) else doc.text


def tail(text: str, end: int, words: int) -> str:
    """``text[:end]`` from the start of its ``words``-th last whitespace-separated word: what a
    pattern about the last few words before a position needs, read without copying or splitting
    all that comes before (on a long line, once per name the cost would grow with the square).

    >>> tail("Til stede: Kari  Nordmann", 25, 2), tail("a b", 3, 8), tail("x " * 300 + "tail", 604, 1)
    ('Kari  Nordmann', 'a b', 'tail')
    """
    width = 256
    while True:
        start = max(0, end - width)
        window = text[start:end]
        found = [m.start() for m in _WORD_STARTS.finditer(window)]
        if start == 0 and len(found) <= words:
            return window
        # the word cut by the window's start (if any) is not among the last ``words``
        if len(found) > words:
            return window[found[-words]:] if words else ""
        width *= 4


_WORD_STARTS = re.compile(r"\S+")


@cache
def nlp() -> Language:
    """The one spaCy pipeline of this process (built on first use, then reused)."""
    pipeline = spacy.blank("nb")
    pipeline.tokenizer = _KeepingText(pipeline.tokenizer)
    pipeline.add_pipe("gazetteer")
    pipeline.add_pipe("person_names")
    return pipeline
