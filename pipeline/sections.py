"""Segmenting: classify each normalised line as a block of a known kind.

Kinds, decided in this order:

``blank``     an empty line (kept so that extractors can see paragraph breaks)
``row``       a tab-separated table row (``cells`` holds the cells)
``item``      a numbered agenda item: ``4. Handlingsplan 2025``, ``Sak 06/2021 Tittel``,
              ``PS 12/24 Tittel``, ``Sak nr.: 37/13 TITTEL...2``, ``FO 2/26 Interpellasjon``,
              ``3-24 Tittel`` (when the document numbers its items so), markdown remnants
              ``- 1. Godkjenning av innkalling**`` (prefixes in ``resources/agenda.jsonl``)
``label``     a labelled block start: ``Vedtak:``, ``Forslag til vedtak``, ``Til stede:``,
              ``Forfall: Kari Hansen`` (``label`` holds the entry from ``resources/labels.jsonl``,
              ``rest`` the text after the colon)
``bullet``    a bulleted list line (``level`` from its indentation)
``numbered``  a numbered point that is a sentence (``1. Fylkesrådet godkjenner ...``)
``heading``   a short title-like line
``para``      anything else

The labels are data: one pattern per line in ``resources/labels.jsonl`` with its id,
category (decision, attendance, meta, section) and attributes. Before classifying, lines are
split where a label or an agenda item starts inside them (text without line structure), and a
line that ends with a case number is joined with its title on the next line.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from importlib import resources

from pipeline.cases import (
    NO_SERIES,
    Series,
    case_cuts,
    case_series,
    clean_title,
    dash_year,
    join_number_lines,
    match_dash_item,
    plain_series_re,
    prefix_pattern,
    series_prefixes,
    starts_with_case,
)
from pipeline.models import Line
from pipeline.record import records_meeting, sentences, title_end
from pipeline.rules import shortest_words

_MARKDOWN_RE = re.compile(r"^\s*#{1,6}\s+|\*\*|__|(?<!\w)\*(?!\s)|(?<=\S)\*(?!\w)")
_LINK_RE = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_BULLET_RE = re.compile(r"^(?P<indent>\s*)(?P<mark>[•●▪■◦‣➢➤►▶∙·*–-]|o(?=\s))\s+")


@cache
def _item_re() -> re.Pattern[str]:
    return re.compile(
        r"^\s*(?:[-*•]\s+)?(?:\*\*)?"
        rf"(?:(?P<prefix>{prefix_pattern()})\s*:?\s*)?"
        r"(?P<num>\d{1,4}\s?/\s?\d{2,4}|\d{1,3})(?P<sep>[.):]|\s[-–])?\s+(?P<title>\S.*?)\s*(?:\*\*)?\s*$",
        re.IGNORECASE,
    )


_NUMBERED_RE = re.compile(r"^\s*(?P<num>\d{1,2}|[a-zæøå])[.)]\s+(?P<text>\S.*)$")
_HEADING_MAX_WORDS = 10


@dataclass(frozen=True)
class Label:
    """An entry of ``labels.jsonl``."""

    id: str
    pattern: str
    category: str  # decision, attendance, meta, section
    kind: str = ""
    status: str = ""
    attendance: str = ""
    run_in: bool = False  # a section heading that starts a new part even in the middle of run-in text


@dataclass(frozen=True)
class Block:
    kind: str
    text: str  # the line without list markers and markdown, whitespace collapsed
    page: int
    line: int
    level: int = 0
    number: str = ""  # agenda item or list number
    label: Label | None = None
    owner: str = ""  # words before a label ("Kommunedirektørens" in "Kommunedirektørens forslag til vedtak")
    rest: str = ""  # text after a label's colon
    cells: tuple[str, ...] = ()
    raw: str = ""


@cache
def _entries() -> tuple[Label, ...]:
    text = resources.files("pipeline.resources").joinpath("labels.jsonl").read_text(encoding="utf-8")
    return tuple(Label(**json.loads(raw)) for raw in text.splitlines() if raw.strip())


@cache
def labels() -> dict[str, Label]:
    """Label phrase (casefolded) -> entry, for the phrases that start a labelled block."""
    return {e.pattern.casefold(): e for e in _entries() if e.category != "decision_phrase"}


@cache
def decision_phrase_re() -> re.Pattern[str]:
    """Phrases that make a short unlabelled paragraph a decision ("Godkjennes.", "Saken tas til orientering").

    >>> bool(decision_phrase_re().search("Godkjennes med endringer.")), bool(decision_phrase_re().search("Ble presentert."))
    (True, False)
    """
    phrases = sorted((e.pattern for e in _entries() if e.category == "decision_phrase"), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases) + r")\b", re.IGNORECASE)


@cache
def _label_re() -> re.Pattern[str]:
    phrases = sorted(labels(), key=len, reverse=True)
    alternatives = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases)
    return re.compile(
        rf"^(?P<owner>(?:[\w.\-/]+\s+){{0,3}}?)(?P<label>{alternatives})(?P<tail>(?:\s+(?:i|til|fra|frå|for|om|etter|ved|av|"
        rf"pr\.?|per)\s+[^:]{{1,60}})?)\s*(?:\([^)]*\))?\s*$",
        re.IGNORECASE,
    )


@cache
def _section_start_re() -> re.Pattern[str]:
    phrases = sorted((p for p, e in labels().items() if e.category in ("section", "attendance")), key=len, reverse=True)
    alternatives = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases)
    return re.compile(rf"^(?:\S+s\s+)?(?:{alternatives})(?![\wæøå-])", re.IGNORECASE)


def starts_section(text: str) -> bool:
    """A heading that opens a part of the document: "Behandling i Formannskapet - 06.04.2022",
    "Møteprotokoll – Formannskapet 12.02.2026", "Rådmannens vurdering".

    >>> starts_section("Behandling i Formannskapet - 06.04.2022"), starts_section("Behandlingen av saken")
    (True, False)
    """
    return bool(_section_start_re().match(text))


@cache
def _label_lead_re() -> re.Pattern[str]:
    """A decision label of several words that runs into its text without a colon, as in transcripts:
    "Rådmannens forslag til vedtak Protokollen godkjennes."."""
    phrases = sorted((p for p, e in labels().items() if e.category == "decision" and len(p.split()) >= 3),
                     key=len, reverse=True)
    alternatives = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases)
    caps = "|".join(re.escape(p.upper()).replace(r"\ ", r"\s+")
                    for p, e in labels().items() if e.category == "decision" and len(p) > 3)
    return re.compile(rf"^(?:(?P<owner>(?:\S+\s+){{0,2}}?)(?P<label>{alternatives})|(?P<capsowner>(?-i:[A-ZÆØÅ]{{3,}}S?\s+)?)"
                      rf"(?P<capslabel>(?-i:{caps})))\s*\.?\s*(?P<rest>(?-i:[A-ZÆØÅ][a-zæøå]|[«\"]|\d+\.\s).*)$", re.IGNORECASE)


def clean(text: str) -> str:
    """Strip markdown emphasis, heading marks and links; collapse whitespace.

    >>> clean("- 1. Godkjenning av innkalling**")
    '- 1. Godkjenning av innkalling'
    >>> clean("[Møte i gruppen](#) ## ")
    'Møte i gruppen ##'
    """
    if "](" in text:
        text = _LINK_RE.sub(r"\1", text)
    if "*" in text or "#" in text or "__" in text:
        text = _MARKDOWN_RE.sub("", text)
    return " ".join(text.split())


def match_label(text: str) -> tuple[Label, str, str] | None:
    """(label, owner, rest) when the line starts a labelled block.

    >>> lab, owner, rest = match_label("Kommunedirektørens forslag til vedtak:")
    >>> lab.kind, owner, rest
    ('forslag til vedtak', 'Kommunedirektørens', '')
    >>> lab, owner, rest = match_label("Forfall: Kari Hansen (Sp)")
    >>> lab.attendance, rest
    ('absent', 'Kari Hansen (Sp)')
    >>> match_label("Regionrådet behandlet saken i møte 25.05.2021 med slikt vedtak:") is None
    True
    """
    text = clean(_BULLET_RE.sub("", text, count=1))
    lead = _label_lead_re().match(text)
    owner = (lead.group("owner") or lead.group("capsowner") or "").strip() if lead else ""
    if lead and (not owner or _is_owner(owner) or bool(lead.group("capslabel"))):
        label = labels()[re.sub(r"\s+", " ", (lead.group("label") or lead.group("capslabel")).casefold())]
        return label, owner, lead.group("rest").strip()
    head, colon, rest = text.partition(":")
    head = head.strip()
    if not colon and len(text) > 70:
        return None
    m = _label_re().match(head)
    if not m:
        return _attendance_by_keyword(head, rest) if colon else None
    owner = m.group("owner").strip()
    if re.match(r"\d{1,4}\s?/\s?\d{2,4}\s+\S", owner):  # "88/2016 Endeleg vedtak: planstrategi" is an item
        return None
    if owner and (not _is_owner(owner) or not colon and re.fullmatch(r"[\d./-]+", owner.split()[-1])):
        # "6. Neste møte" is an agenda item, "FSK- 22/22 Vedtak:" a label; "Rådmenn til stades:" still
        # speaks of attendance
        return _attendance_by_keyword(head, rest) if colon else None
    label = labels()[re.sub(r"\s+", " ", m.group("label").casefold())]
    if m.group("tail") and not colon and (label.category != "decision" or re.match(r"\s*(?:fra|frå)\s+møte", m.group("tail"))):
        return None  # "Behandling i formannskapet 12.05.2024", "Vedtak fra møte i fylkestinget 15. desember": titles
    return label, owner, rest.strip()


_PRESENT_WORDS = re.compile(r"\b(?:møtte|møtt|møtande|møtende|til stede|til stades|tilstede|deltok|deltakere|deltagere)\b",
                            re.IGNORECASE)
_ABSENT_WORDS = re.compile(r"\b(?:forfall|fravær|fråvær|fraværende|ikke møtt|ikkje møtt)\b", re.IGNORECASE)


def _attendance_by_keyword(head: str, rest: str) -> tuple[Label, str, str] | None:
    """A short heading with a colon that speaks of attending: "Faste medlemmer som møtte:",
    "Følgende medlemmer hadde forfall:".

    >>> _attendance_by_keyword("Følgende medlemmer hadde forfall", "")[0].attendance
    'absent'
    """
    if len(head.split()) > 8:
        return None
    entries = labels()
    if _ABSENT_WORDS.search(head):
        return entries["forfall"], "", rest.strip()
    if _PRESENT_WORDS.search(head):
        return entries["til stede"], "", rest.strip()
    return None


#: Endings of the names of bodies that own a decision label without a genitive: Formannskapet, Bystyret, Regionrådet.
_BODY_ENDINGS = ("styret", "skapet", "rådet", "utvalget", "utvalet", "tinget", "nemnda", "nemnden")


def _is_owner(owner: str) -> bool:
    """Words that may stand before a label: a genitive ("Rådmannens"), "X sitt", "Enstemmig", a date."""
    words = owner.split()
    last = words[-1].casefold()
    return (
        last.endswith("s")
        or len(words) == 1 and words[0][:1].isupper() and last.endswith(_BODY_ENDINGS)  # "Formannskapet vedtak/innstilling"
        or last in {"sitt", "sin", "sine", "si", "enstemmig", "endelig", "endeleg", "nytt", "felles"}
        or bool(re.fullmatch(r"[\d./-]+", last))  # a date or a case number: "FSK- 22/22 Vedtak:"
    )


def classify(line: Line, dashed: str = "") -> Block:
    """The line as a block; ``dashed`` is the year of a document whose items are numbered "3-24"."""
    kind, text, level, number, label, owner, rest, cells, raw = _classified(line.text, dashed)
    return Block(kind, text, line.page, line.number, level, number, label, owner, rest, cells, raw)


_Fields = tuple[str, str, int, str, Label | None, str, str, tuple[str, ...], str]


@lru_cache(maxsize=8192)
def _classified(raw: str, dashed: str) -> _Fields:
    """The fields of :func:`classify` of a line's text but its page and line. Cached: a block
    depends on its text and ``dashed`` alone, and running headers, labels and template lines repeat
    across documents. Kept as a plain tuple: a tuple of strings leaves the garbage collector's
    watch once it has been seen, where the cached Blocks were walked again by every collection of
    a worker (40,136 tracked objects after the 407 text PDFs of the bench, 32,669 without them)."""
    b = _classify_text(raw, dashed)
    return b.kind, b.text, b.level, b.number, b.label, b.owner, b.rest, b.cells, b.raw


def _classify_text(raw: str, dashed: str) -> Block:
    """:func:`classify` of a line's text, at page and line 0."""
    if not raw.strip():
        return Block("blank", "", 0, 0, raw=raw)
    dash = match_dash_item(raw, dashed)
    if dash:
        return Block("item", dash[1], 0, 0, number=dash[0], raw=raw)
    item = _match_item(raw.replace("\t", " ")) if "\t" in raw.strip() else None
    if item and re.match(r"^\s*(?:(?:sak|ps|rs|ds|os|saksnr)\b|\d{1,4}/\d{2,4}\b)", raw, re.IGNORECASE):
        return Block("item", item[1], 0, 0, number=item[0], raw=raw)
    if "\t" in raw.strip():
        cells = tuple(clean(c) for c in raw.strip().split("\t"))
        filled = [c for c in cells if c]
        pair = match_label(filled[0] if filled[0].endswith(":") else filled[0] + ":") if len(filled) == 2 else None
        if pair and pair[0].category in ("meta", "attendance") and not pair[2]:
            return Block("label", clean(raw), 0, 0, label=pair[0], owner=pair[1], rest=filled[1],
                         cells=cells, raw=raw)
        return Block("row", clean(raw), 0, 0, cells=cells, raw=raw)
    found = match_label(raw)
    if found:
        label, owner, rest = found
        return Block("label", clean(raw), 0, 0, label=label, owner=owner, rest=rest, raw=raw)
    item = _match_item(raw)
    if item:
        number, title = item
        return Block("item", title, 0, 0, number=number, raw=raw)
    bullet = _BULLET_RE.match(raw)
    if bullet:
        level = min(3, (len(bullet.group("indent").expandtabs(4)) + 1) // 2) + int(bullet.group("mark") in "o◦")
        return Block("bullet", clean(raw[bullet.end():]), 0, 0, level=level, raw=raw)
    numbered = _NUMBERED_RE.match(raw)
    if numbered:
        return Block("numbered", clean(raw), 0, 0, number=numbered.group("num"), raw=raw)
    text = clean(raw)
    if _is_heading(raw, text):
        return Block("heading", text.rstrip(":").strip(), 0, 0, raw=raw)
    return Block("para", text, 0, 0, raw=raw)


def _match_item(raw: str) -> tuple[str, str] | None:
    """(number, title) for an agenda item line; a numbered sentence is not an item.

    >>> _match_item("- 3. Runde rundt bordet – Hva er nytt i delregionene?**")
    ('3', 'Runde rundt bordet – Hva er nytt i delregionene?')
    >>> _match_item("PS 12/24 Budsjett 2025"), _match_item("FO 2/26 Interpellasjon fra Kari Dahl - Vedlikehold.")
    (('12/24', 'Budsjett 2025'), ('FO 2/26', 'Interpellasjon fra Kari Dahl - Vedlikehold.'))
    >>> _match_item("Sak nr.: 37/13 GODKJENNING AV SAKSLISTE...2"), _match_item("96/12 12/752 PLANSTRATEGI")
    (('37/13', 'GODKJENNING AV SAKSLISTE'), ('96/12', 'PLANSTRATEGI'))
    >>> _match_item("1. Fylkesrådet godkjenner avtalens generelle del slik den fremkommer i vedlegget.") is None
    True
    >>> _match_item("1 Partnerskapsavtale generell del") is None
    True
    """
    m = _item_re().match(raw)
    if not m:
        return None
    title = clean_title(clean(m.group("title")))
    number = re.sub(r"\s", "", m.group("num"))
    prefix = m.group("prefix")
    cased = bool(prefix) or "/" in number  # "PS 8/26 Søknad om fritak.", "015/12 Godkjenning av møtebok"
    if not prefix and not m.group("sep") and "/" not in number:
        return None
    if prefix and prefix.upper() in series_prefixes():
        if not prefix.isupper():
            return None  # "Os 12/24 ...": a place, not the series OS
        number = f"{prefix.upper()} {number}"  # "RS 3/24" and "PS 3/24" are different items
    if "/" in number:  # the archive number of a saksliste's second column: "96/12 12/752 PLANSTRATEGI"
        title = re.sub(r"^\d{1,4}/\d{1,6}\s+(?=\S)", "", title)
    if not prefix and "/" not in number and int(number) > 60:
        return None
    if not title or not (title[0].isupper() or title[0].isdigit() or title[0] in "«\"'"):
        return None
    words = title.split()
    if len(words) > (24 if cased else 16):
        return None
    if title.endswith(".") and not cased and not re.search(r"\b[a-zæøå]{1,4}\.$", title):
        return None
    if title.endswith(":") and len(words) > 6:  # "1. Fylkestinget fordeler midlene slik:" opens a list
        return None
    if not prefix and len(words) > 9 and re.search(r"\b(skal|er|blir|vil|kan|har|ble|må|bør)\b", title):
        return None
    return number, title


def _is_heading(raw: str, text: str) -> bool:
    if raw.lstrip().startswith("#"):
        return True
    if not text or len(text) > 90 or len(text.split()) > _HEADING_MAX_WORDS:
        return False
    if text[-1] in ".,;!" or not (text[0].isupper() or text[0].isdigit()):
        return False
    if text.endswith(":") and len(text.split()) > 7:
        return False
    return not re.fullmatch(r"[\d\s.,:/-]+", text)


@cache
def _run_in_re() -> re.Pattern[str]:
    phrases = sorted((p for p, e in labels().items() if (e.category in ("decision", "attendance", "meta") or e.run_in)
                      and len(p) > 3), key=len, reverse=True)
    forms = [form for p in phrases for form in (p[0].upper() + p[1:], p.upper())]  # "Vedtak:", "VEDTAK:"
    alternatives = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(forms, key=len, reverse=True))
    lower = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases)
    caps = "|".join(re.escape(p.upper()).replace(r"\ ", r"\s+") for p in phrases if labels()[p].category == "decision")
    # every form starts with a capital: the lookahead "[A-ZÆØÅ]" is a cheap first test at each space
    return re.compile(rf"(?<=\s)(?=[A-ZÆØÅ])(?=(?:[A-ZÆØÅ][\wæøå]+s\s+)?(?:{alternatives})\s*:"
                      rf"|[A-ZÆØÅ][\wæøå]+(?:s|\s+sitt|\s+si|\s+sine)\s+(?:{lower})\s*:"
                      rf"|(?:[A-ZÆØÅ]{{3,}}S?\s+)?(?:{caps})\s+[A-ZÆØÅ][a-zæøå])")  # "RÅDMANNEN TILRÅR Møteboka ..."


@cache
def _caps_words() -> tuple[str, ...]:
    """The first words of the decision labels :func:`_run_in_re` finds in capitals without a colon
    ("RÅDMANNEN TILRÅR"), leaving out those that hold another ("VEDTAKET" holds "VEDTAK")."""
    return shortest_words(p.upper().split()[0] for p, e in labels().items() if e.category == "decision" and len(p) > 3)


def _may_run_in(text: str) -> bool:
    """Every label :func:`_run_in_re` finds has a colon after it or is a decision label in capitals:
    a line with neither has none, and the pattern need not look at each of its spaces."""
    return ":" in text or any(word in text for word in _caps_words())


def split_run_in(line: Line, series: Series = NO_SERIES) -> list[Line]:
    """Split a line where a label or an agenda item starts in the middle of it, as in text extracted
    without line structure ("... godkjend. Vedtak: Som framlegg. Samrøystes."). The words are not changed.

    >>> line = Line(1, 1, "Sak 3/06 Handlingsplan Framlegg til vedtak: Rådet godkjenner. Vedtak: Som framlegg.")
    >>> [x.text for x in split_run_in(line)]
    ['Sak 3/06 Handlingsplan', 'Framlegg til vedtak: Rådet godkjenner.', 'Vedtak: Som framlegg.']
    >>> line = Line(1, 1, "Saksliste 12/25 Godkjenning av møtebok 13/25 Budsjett 2026 14/25 Eventuelt")
    >>> [x.text for x in split_run_in(line, case_series([line.text]))]
    ['Saksliste', '12/25 Godkjenning av møtebok', '13/25 Budsjett 2026', '14/25 Eventuelt']
    """
    text = line.text
    if len(text) < 40 or "\t" in text:
        return [line]
    starts = {m.start() for m in _run_in_re().finditer(text) if m.start() > 0} if _may_run_in(text) else set()
    found = sorted(starts | set(case_cuts(text, series)))
    if not found:
        return [line]
    cuts: list[int] = []
    for cut in found:  # "RÅDMANNEN TILRÅR": the owner and its label stay together
        if cuts and re.fullmatch(r"[A-ZÆØÅ]{3,}\s+", text[cuts[-1]:cut]):
            continue
        cuts.append(cut)
    parts = [text[a:b].strip() for a, b in zip([0, *cuts], [*cuts, len(text)])]
    return [Line(line.page, line.number, piece) for part in parts for piece in _split_item_record(part) if piece]


def _split_item_record(part: str) -> list[str]:
    """An item's line that runs on into the record of its treatment ("47/14 Godkjenning av
    saksliste Saksliste vart godkjent utan merknader. Kari Dahl viste til ...") becomes the item,
    its first sentence, and the rest."""
    m = _item_head_re().match(part) if starts_with_case(part) else None
    if not m:
        return [part]
    end = title_end(part[m.end():])
    if end is None:
        return [part]
    head, tail = part[:m.end() + end].strip(), part[m.end() + end:].strip()
    said = sentences(tail)
    if len(said) > 1 and records_meeting(said[1]):
        return [head, said[0], " ".join(said[1:])]
    return [head, tail]


@cache
def _item_head_re() -> re.Pattern[str]:
    return re.compile(rf"^\s*(?:(?:{prefix_pattern()})\s*:?\s*)?\d{{1,4}}\s?/\s?\d{{2,4}}\s*[:.]?\s*", re.IGNORECASE)


def segment(lines: Iterable[Line]) -> list[Block]:
    """Classify every line (see the module docstring), after splitting run-in labels and agenda items."""
    lines = join_number_lines(list(lines))
    series = case_series(line.text for line in lines)
    dashed = dash_year(line.text for line in lines)
    return with_series_names([classify(part, dashed) for line in lines for part in split_run_in(line, series)])


def with_series_names(blocks: list[Block]) -> list[Block]:
    """In a document whose items come in more than one series (``RS 4/26`` and ``FO 2/26`` beside
    ``PS 6/26``), an item of the plain series written with its name keeps it in its number: "4/26"
    alone would not say which of two items it is. Where the plain series is the only one, its name
    is dropped (``PS 12/24 Budsjett`` is item ``12/24``).

    >>> lines = ["PS 4/26 Budsjett", "RS 4/26 Referatsaker", "PS 5/26 Eventuelt"]
    >>> [b.number for b in segment(Line(1, n, t) for n, t in enumerate(lines, 1))]
    ['PS 4/26', 'RS 4/26', 'PS 5/26']
    >>> [b.number for b in segment(Line(1, n, t) for n, t in enumerate(lines[::2], 1))]
    ['4/26', '5/26']
    """
    if not any(b.kind == "item" and b.number.split(" ", 1)[0] in series_prefixes() for b in blocks):
        return blocks
    plain = plain_series_re()
    out = []
    for b in blocks:
        named = plain.match(b.raw) if b.kind == "item" and " " not in b.number else None
        out.append(replace(b, number=f"{named['name']} {b.number}") if named else b)
    return out
