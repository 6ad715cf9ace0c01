"""The data that flows through the pipeline.

Everything here is a frozen dataclass. Row classes have exactly the fields of
the CSV table they are written to (the contract's required columns first, then
the columns we add), so ``dataclasses.asdict(row)`` is a CSV row.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from operator import attrgetter
from pathlib import Path
from typing import Any

# The values a column may take (``datapackage.json`` declares them as enum constraints, see ENUMS).
DOC_TYPES = ("minutes", "protocol", "case", "agreement", "presentation", "other")
DOCUMENT_STATUSES = ("ok", "error")
DECISION_KINDS = ("vedtak", "forslag til vedtak", "innstilling", "konklusjon", "other")
DECISION_STATUSES = ("adopted", "proposed")
OUTCOMES = ("adopted as recommended", "adopted amended", "adopted after vote", "rejected", "noted", "postponed",
            "sent back", "election")  # extractors.outcomes
ATTENDANCE = ("present", "remote", "absent", "mentioned")
VOTE_SIDES = ("for", "against", "blank")  # extractors.votes
VOTES = VOTE_SIDES
REGION_KINDS = ("ipr", "regionråd", "samarbeidsråd", "other", "county", "municipality")  # pipeline.reference
TEXT_SOURCES = ("text", "ocr", "text+ocr")  # pipeline.readers
#: (table, column) -> the values the column may hold (hand corrections are checked against them)
ALLOWED_VALUES: dict[tuple[str, str], tuple[str, ...]] = {
    ("documents", "doc_type"): DOC_TYPES, ("documents", "status"): DOCUMENT_STATUSES,
    ("decisions", "kind"): DECISION_KINDS, ("decisions", "status"): DECISION_STATUSES,
    ("participants", "attendance"): ATTENDANCE, ("votes", "vote"): VOTES,
}


# --------------------------------------------------------------------------- input


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One input file as discovered: where it is and what it is called in the run."""

    location: str  # absolute path on disk, as text: a listing of a large archive holds one per file,
    # and a Path costs five times the memory of its string
    source_path: str  # relative to the INPUT folder it was found in, POSIX separators
    doc_id: str  # unique within the run, safe as a file name
    refused: str = ""  # why the file is not read (a link out of the input folders); "" to read it

    def __post_init__(self) -> None:
        if not isinstance(self.location, str):  # a Path given
            object.__setattr__(self, "location", os.fspath(self.location))

    @property
    def path(self) -> Path:
        return Path(self.location)


@dataclass(frozen=True)
class Page:
    """The text of one page (PDF) or of the whole file (txt/docx: a single page 1)."""

    number: int
    text: str


@dataclass(frozen=True)
class Table:
    """A table found by a layout-aware reader: rows of cell strings, with the page it is on."""

    page: int
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class RawDocument:
    """What a reader returns: text per page, tables, and how the text was obtained."""

    pages: tuple[Page, ...]
    tables: tuple[Table, ...] = ()
    text_source: str = "text"  # "text" (a text layer or a text file), "ocr", "text+ocr"
    encoding: str = ""  # the character encoding detected for text files
    format: str = ""  # "txt", "md", "pdf", "docx"


# --------------------------------------------------------------------------- text


@dataclass(frozen=True)
class Line:
    """One line of normalised text with its place in the source (1-based page and line)."""

    page: int
    number: int
    text: str


@dataclass(frozen=True)
class Change:
    """One change a normaliser or repair made: what, where, and by which rule."""

    rule: str
    before: str
    after: str
    page: int = 0
    line: int = 0
    confidence: float = 1.0


# --------------------------------------------------------------------------- output rows


@dataclass(frozen=True)
class DocumentRow:
    doc_id: str
    source_path: str
    doc_type: str = "other"
    title: str = ""
    meeting_date: str = ""
    body: str = ""
    region: str = ""  # the owner region: whose meeting or case the document is (OUTPUT.md)
    status: str = "ok"
    error: str = ""
    organisation: str = ""  # the council, county or municipality the document comes from
    place: str = ""
    format: str = ""
    pages: int = 0
    text_source: str = ""
    encoding: str = ""
    language: str = ""
    characters: int = 0
    repairs: int = 0  # words repaired (OCR damage); each is a row of the repairs table
    checks: str = ""  # what looks wrong in what was read (extractors.checks), "; "-separated
    duplicate_of: str = ""  # the doc_id of the first document of the run with the same bytes (set by the run)


@dataclass(frozen=True)
class DecisionRow:
    doc_id: str
    item: str
    kind: str
    status: str
    text: str
    quoted: bool = False
    label: str = ""  # the label as written ("Regionrådets vedtak:")
    outcome: str = ""  # adopted as recommended, adopted amended, adopted after vote, rejected, noted, postponed, ...
    unanimous: bool | None = None
    votes_for: int | None = None
    votes_against: int | None = None
    votes_blank: int | None = None
    page: int = 0
    line: int = 0
    # so that a row reads on its own: the document's owner region, meeting date, body and title
    region: str = ""
    meeting_date: str = ""
    body: str = ""
    title: str = ""
    themes: str = ""  # theme ids of the decision's case (its agenda item and text), space-separated
    id: str = ""  # stable row id (pipeline.rowids)


@dataclass(frozen=True)
class ParticipantRow:
    doc_id: str
    name: str
    role: str = ""
    organisation: str = ""
    attendance: str = "mentioned"
    party: str = ""  # party abbreviation as written ("Ap", "H", "SV")
    page: int = 0
    line: int = 0
    id: str = ""


@dataclass(frozen=True)
class VoteRow:
    doc_id: str
    item: str
    proposal: str  # as written: "innstillingen", "forslaget fra Sp"
    name: str
    party: str
    vote: str  # for, against, blank
    page: int = 0
    line: int = 0
    id: str = ""
    decision_id: str = ""  # the decision voted on (decisions.id), empty when it is not known


@dataclass(frozen=True)
class MeetingRow:
    meeting_id: str  # organisation, body and date: "nome-kommune-kommunestyret-2022-09-22"
    organisation: str
    body: str
    date: str
    place: str
    documents: str  # the doc ids of the meeting's documents, space-separated
    doc_types: str = ""


@dataclass(frozen=True)
class AgendaItemRow:
    doc_id: str
    number: str
    title: str
    page: int = 0
    line: int = 0
    id: str = ""


@dataclass(frozen=True)
class RegionRow:
    doc_id: str
    region: str  # canonical name
    mention: str  # as written (first mention)
    region_kind: str = ""  # ipr, regionråd, samarbeidsråd, other, county, municipality
    region_code: str = ""  # kommunenummer / fylkesnummer / council slug
    mentions: int = 1
    page: int = 0
    line: int = 0
    rolled_up_from: str = ""  # with --rollup: the municipality reported under its council
    id: str = ""


@dataclass(frozen=True)
class TopicRow:
    doc_id: str
    region: str  # canonical region name, "" for the document as a whole
    theme: str
    evidence: str
    page: int = 0
    line: int = 0
    rolled_up_from: str = ""
    id: str = ""


@dataclass(frozen=True)
class RepairRow:
    doc_id: str
    page: int
    line: int
    rule: str
    before: str
    after: str
    confidence: float = 1.0


@dataclass(frozen=True)
class DocumentResult:
    """Everything the pipeline learned from one input file: the unit that is cached and exported."""

    document: DocumentRow
    text: str = ""
    decisions: tuple[DecisionRow, ...] = ()
    participants: tuple[ParticipantRow, ...] = ()
    agenda_items: tuple[AgendaItemRow, ...] = ()
    regions: tuple[RegionRow, ...] = ()
    topics: tuple[TopicRow, ...] = ()
    repairs: tuple[RepairRow, ...] = ()
    votes: tuple[VoteRow, ...] = ()
    seconds: float = field(default=0.0, compare=False)


#: table name -> row class, in the order the tables are exported.
TABLES: dict[str, type] = {
    "documents": DocumentRow,
    "decisions": DecisionRow,
    "participants": ParticipantRow,
    "agenda_items": AgendaItemRow,
    "regions": RegionRow,
    "topics": TopicRow,
    "votes": VoteRow,
    "repairs": RepairRow,
}


#: table -> column -> the values it may take (empty: unknown); the themes' ids are in pipeline.reference.
ENUMS: dict[str, dict[str, tuple[str, ...]]] = {
    "documents": {"doc_type": DOC_TYPES, "status": DOCUMENT_STATUSES, "text_source": TEXT_SOURCES},
    "decisions": {"kind": DECISION_KINDS, "status": DECISION_STATUSES, "outcome": OUTCOMES},
    "participants": {"attendance": ATTENDANCE},
    "regions": {"region_kind": REGION_KINDS},
    "votes": {"vote": VOTE_SIDES},
    "region_reference": {"region_kind": REGION_KINDS},
}


#: row class -> (its column names, a function giving a row's values in that order)
_ACCESS: dict[type, tuple[tuple[str, ...], Callable[[Any], tuple[Any, ...]]]] = {}


def _access(row_class: type) -> tuple[tuple[str, ...], Callable[[Any], tuple[Any, ...]]]:
    if row_class not in _ACCESS:
        names = tuple(f.name for f in fields(row_class))
        get = attrgetter(*names)
        _ACCESS[row_class] = (names, (lambda row: (get(row),)) if len(names) == 1 else get)
    return _ACCESS[row_class]


def as_tuple(row: Any) -> tuple[Any, ...]:
    """A row's values in column order: ``dataclasses.astuple`` without its deep copy (row fields
    are plain values), many times faster.

    >>> as_tuple(AgendaItemRow("d", "1/26", "Budsjett", 2, 14))
    ('d', '1/26', 'Budsjett', 2, 14, '')
    """
    return _access(type(row))[1](row)


def as_dict(row: Any) -> dict[str, Any]:
    """A row as ``{column: value}``: ``dataclasses.asdict`` for rows of plain values, without the copy."""
    names, get = _access(type(row))
    return dict(zip(names, get(row)))


def columns(row_class: type) -> list[str]:
    """The CSV columns of a row class, in order.

    >>> columns(AgendaItemRow)
    ['doc_id', 'number', 'title', 'page', 'line', 'id']
    """
    return list(_access(row_class)[0])
