"""``minutes.xlsx``: the workbook the secretariat can hand on as it is.

* ``Oversikt`` first: the run (date, version, inputs, documents read and failed), then one row per
  region (documents, decisions adopted and proposed, persons, main themes) with a region x theme
  grid under a colour scale beside it, and a bar chart of decisions per region. Chart, colour scale
  and tables are native Excel objects.
* One sheet per table, each an Excel table (filter buttons, banded rows) with a frozen header,
  Norwegian sheet names and headers (English with ``lang="en"``), widths fitted to the content
  (capped), long text wrapped (row heights set, as LibreOffice does not fit them), dates as dates,
  true/false as ja/nei, adopted and proposed decisions in different colours (a conditional format,
  so the colours follow sorting and filtering), and a ``Kilde`` column on every row that refers to
  documents: file and page (PDF) or line (other formats), linked to the source file by a path
  relative to the workbook's folder. The repairs table is the ``Retting`` sheet; ``Feil`` lists the
  documents that failed, with their message. ``per_region=True`` adds one sheet per region with
  the decisions and participants of its documents.

Safety. Every cell is written with an explicit type: text is always stored as text (never parsed
as a formula, number or URL), so text starting with ``=``, ``+``, ``-``, ``@`` or tab cannot become a
formula; such cells also get the "quote prefix" style, so Excel and LibreOffice show them as
written, without an apostrophe, and keep them text when the cell is edited (the CSV files keep the
apostrophe of ``export.safe_text``). The workbook has no formulas at all. Characters XML cannot
carry (``\x00``-``\x08``, ``\x0b``, ``\x0c``, ``\x0e``-``\x1f``, lone surrogates, U+FFFE, U+FFFF) are
removed and a CR becomes a line end (LF); text longer than a cell holds (32,767 UTF-16 units) is
cut with a marker (the whole text is in ``text/``); a table longer than a sheet continues on
``Vedtak (2)`` and so on. The workbook is written to a temporary file and moved into place.

How it is written. xlsxwriter in ``constant_memory`` mode streams each sheet row by row, so memory
does not grow with the rows. That mode cannot make Excel tables, and Excel allows 65,530
hyperlinks per sheet, so tables and hyperlinks are added afterwards: the package is copied once,
member by member, adding a table part per table, and one hyperlink per run of rows with the same
source file (``<hyperlink ref="O2:O41">``; one relationship per file) to each sheet.
"""
from __future__ import annotations

import datetime as dt
import math
import os
import re
import shutil
import tempfile
import zipfile
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Any
from xml.etree import ElementTree
from xml.sax.saxutils import quoteattr

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_range

from pipeline.analyst import DATE_COLUMNS
from pipeline.export import FORMULA_START, HEADERS_NB, SHEETS_NB, atomic_path
from pipeline.models import SourceFile
from pipeline.spool import Rows

#: Rows per sheet, header included (Excel's limit). Tests monkeypatch it to check the continuation.
MAX_ROWS = 1_048_576
#: Hyperlinks per sheet (Excel's limit). One hyperlink covers a run of rows with the same source.
MAX_LINKS = 65_530
#: Compression of the package: zlib's default level, or level 1 (3x faster, files ~40% larger) for a
#: package larger than ``ZIP_FAST_ABOVE`` bytes uncompressed (some 50,000 rows).
ZIP_LEVEL, ZIP_FAST_LEVEL, ZIP_FAST_ABOVE = 6, 1, 64 << 20
#: Excel's limit for the text of one cell, in UTF-16 code units.
MAX_CHARS = 32_767
MAX_WIDTH = 60
MAX_SOURCE_WIDTH = 50
LINE_HEIGHT = 15.0  # points per line of Calibri 11; Excel's highest row is 409 points
#: Regions shown in the bar chart (the ones with most decisions); the table lists all.
CHART_REGIONS = 25
THEME_WIDTH = 42  # the main themes column of the overview
#: Rows looked at to fit the column widths of a long table (spread over the whole table).
WIDTH_SAMPLE = 5_000
#: Rows held to fit the column widths of a table written as its rows come (its first rows).
STREAM_SAMPLE = 1_000

_ILLEGAL_RE = re.compile("[\x00-\x08\x0b\x0c\r\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BAD_SHEET_CHARS_RE = re.compile(r"[\[\]:*?/\\\x00-\x1f]+")
_ISO_DATE_RE = re.compile(r"\d{4}-\d\d-\d\d")

# Table columns that hold long text (wrapped), dates, and rows coloured by decision status.
_WRAP = {"title", "text", "error", "evidence", "before", "after", "label", "organisation", "role",
         "body", "members", "councils", "mention", "outcome", "proposal", "inputs", "documents", "doc_types"}
_DATES = DATE_COLUMNS
_STATUS_COLOURS = {"adopted": "#E2EFDA", "proposed": "#FFF2CC"}
_LINK_COLOUR = "#0563C1"
_CORRECTED_COLOUR = "#FCE4D6"  # cells corrected by hand
_TABLE_STYLE = "TableStyleMedium2"

THEMES_NB = {
    "energi": "Energi og kraft", "samferdsel": "Samferdsel og mobilitet", "kommuneokonomi": "Kommuneøkonomi",
    "naering": "Næringsutvikling og innovasjon", "kompetanse_utdanning": "Kompetanse og utdanning",
    "klima_miljo": "Klima og miljø", "plan_areal": "Plan og areal", "digitalisering": "Digitalisering",
    "helse": "Helse og omsorg", "forsvar_beredskap": "Forsvar og beredskap",
    "inkludering": "Inkludering og levekår", "samarbeid_styring": "Samarbeid og styring", "bolig": "Bolig",
    "kultur": "Kultur og idrett",
}
THEMES_EN = {
    "energi": "Energy and power", "samferdsel": "Transport and mobility",
    "kommuneokonomi": "Municipal finances", "naering": "Business development and innovation",
    "kompetanse_utdanning": "Skills and education", "klima_miljo": "Climate and environment",
    "plan_areal": "Planning and land use", "digitalisering": "Digitalisation", "helse": "Health and care",
    "forsvar_beredskap": "Defence and preparedness", "inkludering": "Inclusion and living conditions",
    "samarbeid_styring": "Cooperation and governance", "bolig": "Housing", "kultur": "Culture and sport",
}
SHEETS_EN = {
    "documents": "Documents", "decisions": "Decisions", "participants": "Participants",
    "agenda_items": "Agenda", "regions": "Region mentions", "topics": "Themes", "repairs": "Repairs",
    "runs": "Runs", "votes": "Votes", "meetings": "Meetings", "region_reference": "Regions",
    "corrections": "Corrections",
}
HEADERS_EN = {
    "doc_id": "Document ID", "source_path": "Source file", "doc_type": "Document type",
    "meeting_date": "Meeting date", "body": "Body", "error": "Error message", "text_source": "Text source",
    "item": "Item", "kind": "Kind",
    "quoted": "Quoted", "label": "Label", "attendance": "Attendance", "mention": "Written as",
    "region_kind": "Region kind", "region_code": "Region code", "evidence": "Evidence", "ok": "OK",
    "votes_for": "For", "votes_against": "Against", "votes_blank": "Blank", "meeting_id": "Meeting ID",
    "doc_types": "Document types", "councils": "Regional councils", "valid_from": "From year",
    "valid_to": "To year", "rolled_up_from": "Rolled up from",
    "extracted": "Extracted value", "corrected": "Corrected value",
}
TEXT = {
    "nb": {
        "overview": "Oversikt", "errors": "Feil", "source": "Kilde", "title": "Møtedokumenter – oversikt",
        "started": "Kjøring startet", "finished": "Kjøring ferdig", "version": "Programversjon",
        "inputs": "Inndata", "documents": "Dokumenter", "ok": "Lest", "failed": "Feilet",
        "seconds": "Sekunder", "workers": "Arbeidere", "region": "Region", "docs": "Dokumenter",
        "adopted": "Vedtatt", "proposed": "Forslag", "persons": "Personer", "themes": "Hovedtemaer",
        "no_region": "(uten region)", "chart": "Vedtak per region", "decisions": "Vedtak",
        "participants": "Deltakere", "page": "s.", "line": "linje", "colours": "Farger i Vedtak:",
        "truncated": " … [forkortet: hele teksten står i text/]",
        "more": "… {n} rader til, se arket {sheet}", "region_title": "Region: {region}",
        "grid": "Tallene under temaene er dokumenter med temaet for regionen.",
        "time": "norsk tid", "yes": "ja", "no": "nei", "table": "Tabell",
        "corrected": "Rettet for hånd. Uttrukket verdi: {was}", "added": "Raden er lagt til for hånd.",
        "empty": "(tom)",
    },
    "en": {
        "overview": "Overview", "errors": "Errors", "source": "Source",
        "title": "Meeting documents – overview",
        "started": "Run started", "finished": "Run finished", "version": "Pipeline version",
        "inputs": "Inputs", "documents": "Documents", "ok": "Read", "failed": "Failed",
        "seconds": "Seconds", "workers": "Workers", "region": "Region", "docs": "Documents",
        "adopted": "Adopted", "proposed": "Proposed", "persons": "Persons", "themes": "Main themes",
        "no_region": "(no region)", "chart": "Decisions per region", "decisions": "Decisions",
        "participants": "Participants", "page": "p.", "line": "line", "colours": "Colours in Decisions:",
        "truncated": " … [truncated: the whole text is in text/]",
        "more": "… {n} more rows, see sheet {sheet}", "region_title": "Region: {region}",
        "grid": "The numbers under the themes count documents with the theme.",
        "time": "Norwegian time", "yes": "yes", "no": "no", "table": "Table",
        "corrected": "Corrected by hand. Extracted value: {was}", "added": "Row added by hand.",
        "empty": "(empty)",
    },
}
#: Columns of the per-region sheets (those present in the tables are used).
REGION_COLUMNS = {
    "decisions": ["doc_id", "meeting_date", "item", "kind", "status", "text", "outcome"],
    "participants": ["doc_id", "name", "role", "organisation", "attendance", "party"],
}

Tables = Mapping[str, tuple[Sequence[str], Sequence[Sequence[Any]]]]


# --------------------------------------------------------------------------- names and values


def sheet_name(name: str, used: set[str]) -> str:
    """A valid sheet name for ``name``, not yet in ``used`` (case-folded; the name is added): at most
    31 characters, none of ``[]:*?/\\``, not starting or ending with an apostrophe.

    >>> used = set()
    >>> sheet_name("Vedtak", used), sheet_name("vedtak", used), sheet_name("A/B: [test]?", used)
    ('Vedtak', 'vedtak (2)', 'A-B- -test-')
    >>> sheet_name("Samarbeidsrådet for Nedre Romerike og Øvre Romerike", used)
    'Samarbeidsrådet for Nedre Romer'
    """
    base = _BAD_SHEET_CHARS_RE.sub("-", _ILLEGAL_RE.sub("", name)).strip().strip("'").strip() or "Ark"
    if base.casefold() == "history":  # reserved by Excel
        base += " (1)"
    base = base[:31]
    candidate, n = base, 2
    while candidate.casefold() in used:
        suffix = f" ({n})"
        candidate = base[: 31 - len(suffix)].rstrip() + suffix
        n += 1
    used.add(candidate.casefold())
    return candidate


def clean_text(value: str, marker: str = TEXT["nb"]["truncated"]) -> str:
    """Text Excel can store: characters XML cannot carry removed, line ends as LF (a cell's line
    break; a CR would be stored as ``_x000D_``), cut with ``marker`` when longer than a cell holds
    (32,767 UTF-16 code units).

    >>> clean_text("a\\x00b\\x0bc\\td\\r\\ne\\rf")
    'abc\\td\\ne\\nf'
    >>> len(clean_text("x" * 40_000)), clean_text("x" * 40_000)[-10:]
    (32767, 'r i text/]')
    """
    if _ILLEGAL_RE.search(value):
        value = _ILLEGAL_RE.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    if len(value) > MAX_CHARS // 2 and _utf16_len(value) > MAX_CHARS:
        room = MAX_CHARS - _utf16_len(marker)  # characters outside the BMP count twice
        value = value.encode("utf-16-le")[: 2 * room].decode("utf-16-le", "ignore") + marker
    return value


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _names(lang: str) -> tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, str]]:
    if lang == "en":
        return SHEETS_EN, HEADERS_EN, TEXT["en"], THEMES_EN
    if lang != "nb":
        raise ValueError(f"unknown language {lang!r} (nb or en)")
    return SHEETS_NB, HEADERS_NB, TEXT["nb"], THEMES_NB


def _header(name: str, headers: Mapping[str, str], lang: str) -> str:
    if name in headers:
        return headers[name]
    return name.replace("_", " ").capitalize() if lang == "en" else name


def _unique_headers(names: Sequence[str]) -> list[str]:
    """Excel table columns need unique (case-insensitive), non-empty names."""
    out: list[str] = []
    seen: set[str] = set()
    for name in names:
        name = clean_text(str(name)).replace("\n", " ").strip() or "Kolonne"
        candidate, n = name, 2
        while candidate.casefold() in seen:
            candidate, n = f"{name} ({n})", n + 1
        seen.add(candidate.casefold())
        out.append(candidate)
    return out


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE_RE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _run_time(value: Any) -> dt.datetime | None:
    """A run timestamp (ISO, UTC) as a naive datetime in Norwegian time (UTC if no time zone data)."""
    try:
        moment = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment
    try:
        from zoneinfo import ZoneInfo

        return moment.astimezone(ZoneInfo("Europe/Oslo")).replace(tzinfo=None)
    except Exception:  # no time zone database: keep UTC
        return moment.astimezone(dt.UTC).replace(tzinfo=None)


# --------------------------------------------------------------------------- sources


@dataclass(slots=True)
class _Doc:
    source_path: str = ""
    format: str = ""
    meeting_date: str = ""
    location: str = ""  # the file on disk: the target of its links


class _Sources:
    """The ``Kilde`` of a row: label (file and page or line) and the file it links to. Kept per
    document: its file name, format and date, strings shared with the listing of the run where it
    can (an archive of many documents holds one of these each until the workbook is written)."""

    def __init__(self, tables: Tables, sources: Mapping[str, str | Path | SourceFile] | None, folder: Path,
                 text: dict[str, str]) -> None:
        self.docs: dict[str, _Doc] = {}
        self.page_word, self.line_word = text["page"], text["line"]
        self.folder = os.path.abspath(folder)
        self._values: dict[str, str] = {}  # one string for all documents of a format, or of a date
        self._prefixes: dict[str, str] = {}  # a source folder -> its link from the workbook's folder
        for doc_id, source in (sources or {}).items():
            doc = self.docs.setdefault(str(doc_id), _Doc())
            if isinstance(source, SourceFile):
                doc.location, doc.source_path = source.location, source.source_path
            else:
                doc.location = os.fspath(source)
        self.add(*tables.get("documents", ((), ())))

    def add(self, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        """Rows of the documents table (a workbook written as results come learns them one by one)."""
        idx = {name: k for k, name in enumerate(header)}
        same = self._values
        for row in rows:
            doc_id = str(row[idx["doc_id"]]) if "doc_id" in idx else ""
            doc = self.docs.setdefault(doc_id, _Doc())
            source_path, doc_format, meeting_date = (
                str(row[idx[c]]) if c in idx and row[idx[c]] is not None else ""
                for c in ("source_path", "format", "meeting_date"))
            if doc.source_path != source_path:
                doc.source_path = source_path
            doc.format = same.setdefault(doc_format, doc_format)
            doc.meeting_date = same.setdefault(meeting_date, meeting_date)

    def label(self, doc_id: Any, page: Any = 0, line: Any = 0) -> tuple[str, str]:
        """The label of a row's source, and the file it links to (``""``: none)."""
        doc = self.docs.get(str(doc_id))
        if doc is None:
            return str(doc_id or ""), ""
        label = doc.source_path or os.path.basename(doc.location) or str(doc_id)
        if doc.format == "pdf" and page:
            label = f"{label}, {self.page_word} {page}"
        elif line:
            label = f"{label}, {self.line_word} {line}"
        elif page:
            label = f"{label}, {self.page_word} {page}"
        return label, doc.location

    def target(self, location: str) -> str:
        """The target of a hyperlink to the file at ``location``, written the way Excel writes it
        (see :func:`_relative_link` and :func:`_link_target`)."""
        head, name = os.path.split(location)
        if (prefix := self._prefixes.get(head)) is None:
            prefix = self._prefixes[head] = _relative_link(Path(head), Path(self.folder))
        if prefix.startswith("file:"):  # another drive
            return Path(os.path.abspath(location)).as_uri()
        return _link_target(name if prefix == os.curdir else f"{prefix}/{name}")


def _relative_link(path: Path, folder: Path) -> str:
    """The link from a workbook in ``folder`` to ``path``: relative with POSIX separators when both
    are on one drive, else a ``file:`` URI.

    >>> _relative_link(Path("/data/raw/møte 1.pdf"), Path("/data/out"))
    '../raw/møte 1.pdf'
    """
    path = Path(os.path.abspath(path))
    try:
        return Path(os.path.relpath(path, folder)).as_posix()
    except ValueError:  # another drive (Windows)
        return path.as_uri()


#: What a hyperlink's target cannot hold as it is, and how Excel writes it; a byte of a file name that
#: is not UTF-8 (a surrogate escape, U+DC80-U+DCFF) is %-escaped as the byte it is.
_LINK_ESCAPES = str.maketrans({
    "/": "\\", "%": "%25", '"': "%22", " ": "%20", "<": "%3c", ">": "%3e", "[": "%5b", "]": "%5d", "^": "%5e",
    "`": "%60", "{": "%7b", "}": "%7d", "#": "%23", **{chr(0xDC00 + b): f"%{b:02x}" for b in range(0x80, 0x100)}})


def _link_target(link: str) -> str:
    """A link as the target of a hyperlink relationship, written the way Excel writes it: relative
    paths with backslashes, characters a URL cannot hold %-escaped (in one pass: an escape is not
    escaped again).

    >>> _link_target("../raw/møte #1 [utkast] 50%.pdf")
    '..\\\\raw\\\\møte%20%231%20%5butkast%5d%2050%25.pdf'
    >>> _link_target("m\\udcf8te.pdf")  # the file name's byte 0xF8 (Latin-1 ø)
    'm%f8te.pdf'
    """
    if link.startswith("file:"):
        return link  # Path.as_uri() has escaped it
    return link.translate(_LINK_ESCAPES)


# --------------------------------------------------------------------------- writing cells


@dataclass
class _TableSpec:
    sheet: str
    first_row: int
    first_col: int
    last_row: int
    last_col: int
    columns: list[str]
    name: str = ""


class _Links:
    """The hyperlinks of one sheet, one per run of rows with the same target: rows and column in
    arrays (a workbook of a large archive has many), and no more than ``MAX_LINKS`` (Excel's limit:
    the rest would not be written)."""

    def __init__(self) -> None:
        self.first, self.last, self.col = array("i"), array("i"), array("H")  # Excel: 2**20 rows, 2**14 columns
        self.target: list[str] = []

    def add(self, row: int, col: int, target: str) -> None:
        """A cell at ``row``, ``col`` links to ``target``: a new link, or the run above gets longer."""
        if self.target and self.last[-1] == row - 1 and self.col[-1] == col and self.target[-1] == target:
            self.last[-1] = row
        elif len(self.target) < MAX_LINKS:
            self.first.append(row)
            self.last.append(row)
            self.col.append(col)
            self.target.append(target)

    def __len__(self) -> int:
        return len(self.target)

    def __iter__(self) -> Iterator[tuple[int, int, int, str]]:
        return zip(self.first, self.last, self.col, self.target)


@dataclass
class _Book:
    """The xlsxwriter workbook with the formats, names, tables and hyperlinks of this run."""

    wb: Any
    lang: str
    text: dict[str, str]
    sources: _Sources
    used_names: set[str] = field(default_factory=set)
    tables: list[_TableSpec] = field(default_factory=list)
    #: sheet -> its hyperlinks: one per run of rows with one source
    links: dict[str, _Links] = field(default_factory=lambda: defaultdict(_Links))
    _formats: dict[tuple[tuple[str, Any], ...], Any] = field(default_factory=dict)
    #: hand corrections: (table, row id) -> column -> extracted value (None: an added row)
    corrected: Callable[[str, Any], Mapping[str, str | None]] | None = None

    def fmt(self, **props: Any) -> Any:
        key = tuple(sorted(props.items()))
        if key not in self._formats:
            self._formats[key] = self.wb.add_format(props)
        return self._formats[key]

    def sheet(self, name: str) -> Any:
        ws = self.wb.add_worksheet(sheet_name(name, self.used_names))
        _FastRows.install(ws)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
        return ws

    def add_table(self, ws: Any, first_row: int, first_col: int, n_rows: int, columns: list[str]) -> None:
        """Register an Excel table over a header row and ``n_rows`` data rows (at least one row: an
        empty table keeps one blank row, as Excel requires)."""
        self.tables.append(_TableSpec(ws.get_name(), first_row, first_col, first_row + max(n_rows, 1),
                                      first_col + len(columns) - 1, columns))


@dataclass
class _Column:
    name: str
    kind: str  # text, date
    wrap: bool


class _RowWriter:
    """Writes the rows of one table, fast: one format per column, empty cells skipped, the colours
    of decision rows as conditional formats (``colour_status``), the ``Kilde`` cells as text whose
    hyperlinks are added to the package afterwards, one per run of rows with the same source.

    ``header`` may end with columns that only feed ``Kilde`` (page, line): ``shown`` columns are
    written."""

    def __init__(self, book: _Book, table: str, header: Sequence[str], source: str | None,
                 shown: int | None = None):
        self.book, self.table, self.header = book, table, list(header)[:shown]
        self.marker = book.text["truncated"]
        self.cols = [_Column(h, "date" if h in _DATES else "text", h in _WRAP) for h in self.header]
        idx = {h: k for k, h in enumerate(header)}
        self.status_col = idx.get("status", -1) if table == "decisions" else -1
        self.source = source  # None (no Kilde), "doc" (doc_id), "documents" (space-separated ids)
        self.doc_col = idx.get("documents" if source == "documents" else "doc_id", -1)
        self.page_col, self.line_col = idx.get("page", -1), idx.get("line", -1)
        self.id_col = idx.get("id", -1) if book.corrected is not None else -1  # corrections (issue 20)
        self.wrap_cols: list[tuple[int, int]] = []  # (column, characters per line), set by fit()
        self.plain, self.quoted = [], []
        for col in self.cols:
            props: dict[str, Any] = {"valign": "top"}
            if col.wrap:
                props["text_wrap"] = True
            if col.kind == "date":
                props["num_format"] = "yyyy-mm-dd"
            self.plain.append(book.fmt(**props))
            self.quoted.append(book.fmt(**props, quote_prefix=True))
        self.link_fmt = book.fmt(valign="top", font_color=_LINK_COLOUR, underline=1)
        self.source_fmt = book.fmt(valign="top")

    def shown_headers(self, headers: Mapping[str, str]) -> list[str]:
        """The headers as shown, ``Kilde`` included."""
        names = [_header(h, headers, self.book.lang) for h in self.header]
        if self.source:
            names.append(self.book.text["source"])
        return _unique_headers(names)

    def widths(self, rows: Sequence[Sequence[Any]], shown: Sequence[str]) -> list[float]:
        """Column widths fitted to the headers and the content (a sample of a long table), capped."""
        step = max(1, len(rows) // WIDTH_SAMPLE)
        widths = [len(h) + 4.0 for h in shown]  # room for the filter button
        longest = [0] * len(self.header)
        kilde = 0
        for row in rows[::step]:
            for k in range(len(self.header)):
                v = row[k]
                if v is not None:
                    n = 10 if isinstance(v, dt.date) else len(str(v))
                    if n > longest[k]:
                        longest[k] = n
            if self.source:
                kilde = max(kilde, len(self.kilde(row)[0]))
        for k, col in enumerate(self.cols):
            width = 11.0 if col.kind == "date" else min(MAX_WIDTH, longest[k] + 2)
            widths[k] = min(MAX_WIDTH, max(widths[k], width))
        if self.source:
            widths[-1] = min(MAX_SOURCE_WIDTH, max(widths[-1], kilde + 2))
        return widths

    def fit(self, widths: Sequence[float]) -> None:
        """Remember the widths of the wrapped columns, to give rows with long text their height."""
        self.wrap_cols = [(k, _chars_per_line(widths[k])) for k, col in enumerate(self.cols) if col.wrap]

    def kilde(self, row: Sequence[Any]) -> tuple[str, str]:
        sources = self.book.sources
        if self.source == "documents":
            ids = str(row[self.doc_col] or "").split() if self.doc_col >= 0 else []
            return "; ".join(sources.label(i)[0] for i in ids), sources.label(ids[0])[1] if ids else ""
        doc_id = row[self.doc_col] if self.doc_col >= 0 else ""
        page = row[self.page_col] if self.page_col >= 0 else 0
        line = row[self.line_col] if self.line_col >= 0 else 0
        return sources.label(doc_id, page, line)

    def colour_status(self, ws: Any, first_row: int, n_rows: int, c0: int = 0) -> None:
        """Adopted and proposed decisions in different colours: a conditional format on the rows
        (it also colours empty cells, and follows the rows when they are sorted or filtered)."""
        if self.status_col < 0 or self.status_col >= len(self.cols) or n_rows <= 0:
            return
        last_col = c0 + len(self.cols) - (0 if self.source else 1)
        cell = f"${xl_col_to_name(c0 + self.status_col)}{first_row + 1}"
        for status, colour in _STATUS_COLOURS.items():
            ws.conditional_format(first_row, c0, first_row + n_rows - 1, last_col, {
                "type": "formula", "criteria": f'={cell}="{status}"',
                "format": self.book.fmt(bg_color=colour)})

    def write_header(self, ws: Any, r: int, shown: Sequence[str], c0: int = 0) -> None:
        head = self.book.fmt(bold=True, text_wrap=True, valign="top")
        for k, name in enumerate(shown):
            ws.write_string(r, c0 + k, name, head)

    def write_rows(self, ws: Any, r0: int, rows: Iterable[Sequence[Any]], c0: int = 0) -> int:
        """Write ``rows`` from row ``r0``; returns the next free row."""
        write_string, write_number, write_datetime = _fast_writers(ws)
        yes, no = self.book.text["yes"], self.book.text["no"]
        marker, plain, quoted = self.marker, self.plain, self.quoted
        link_fmt, source_fmt = self.link_fmt, self.source_fmt
        columns = [(k, col.kind == "date") for k, col in enumerate(self.cols)]
        wrap_cols, set_row, source, kilde = self.wrap_cols, ws.set_row, self.source, self.kilde
        kilde_col = c0 + len(self.cols)
        illegal, long_text, starts = _ILLEGAL_RE.search, MAX_CHARS // 2, FORMULA_START
        add_link = self.book.links[ws.get_name()].add
        corrected, id_col, table = self.book.corrected, self.id_col, self.table
        r = r0
        for row in rows:
            lines = 1
            for k, per_line in wrap_cols:  # LibreOffice does not fit row heights when it opens a file
                v = row[k]
                if type(v) is str:
                    n = text_lines(v, per_line) if "\n" in v or "\r" in v else -(-len(v) // per_line)
                    if n > lines:
                        lines = n
            if lines > 1:
                set_row(r, min(409.0, LINE_HEIGHT * lines))
            for k, is_date in columns:
                v = row[k]
                if v is None or v == "":
                    continue
                t = type(v)
                if t is str:
                    if is_date:
                        day = _as_date(v)
                        if day is not None:
                            write_datetime(r, c0 + k, day, plain[k])
                            continue
                    if len(v) > long_text or illegal(v):
                        v = clean_text(v, marker)
                    write_string(r, c0 + k, v, quoted[k] if v.startswith(starts) else plain[k])
                elif t is int or t is float:
                    if math.isfinite(v):
                        write_number(r, c0 + k, v, plain[k])
                elif t is bool:
                    write_string(r, c0 + k, yes if v else no, plain[k])
                elif isinstance(v, (int, float)):  # subclasses (numpy, IntEnum)
                    if math.isfinite(v):
                        write_number(r, c0 + k, float(v), plain[k])
                elif isinstance(v, dt.date):
                    write_datetime(r, c0 + k, v, plain[k])
                else:
                    v = clean_text(str(v), marker)
                    write_string(r, c0 + k, v, quoted[k] if v.startswith(starts) else plain[k])
            if source:
                label, target = kilde(row)
                if label:
                    if len(label) > long_text or illegal(label):
                        label = clean_text(label, marker)
                    write_string(r, kilde_col, label, link_fmt if target else source_fmt)
                    if target:
                        add_link(r, kilde_col, target)
            if id_col >= 0 and corrected is not None and (notes := corrected(table, row[id_col])):
                self.mark_corrected(ws, r, c0, row, notes)  # corrections (issue 20)
            r += 1
        return r

    def mark_corrected(self, ws: Any, r: int, c0: int, row: Sequence[Any], notes: Mapping[str, str | None]) -> None:
        """Hand-corrected cells of a row written again, coloured, with a note of the extracted value
        (corrections, issue 20)."""
        text, added_noted = self.book.text, False
        for k, col in enumerate(self.cols):
            if col.name not in notes:
                continue
            was = notes[col.name]
            fmt_props = {"valign": "top", "text_wrap": col.wrap, "bg_color": _CORRECTED_COLOUR, "font_color": "#7F3F00",
                         **({"num_format": "yyyy-mm-dd"} if col.kind == "date" else {})}
            fmt = self.book.fmt(**fmt_props)
            v = row[k]
            day = _as_date(v) if col.kind == "date" else None
            if day is not None:
                ws.write_datetime(r, c0 + k, day, fmt)
            elif isinstance(v, bool):
                ws.write_string(r, c0 + k, text["yes"] if v else text["no"], fmt)
            elif isinstance(v, (int, float)):
                ws.write_number(r, c0 + k, v, fmt)
            else:
                v = clean_text("" if v is None else str(v), self.marker)
                ws.write_string(r, c0 + k, v, self.book.fmt(**fmt_props, quote_prefix=True)
                                if v.startswith(FORMULA_START) else fmt)
            if was is not None:
                note = text["corrected"].format(was=was or text["empty"])
                ws.write_comment(r, c0 + k, clean_text(note)[:2000], {"author": "minutes"})
            elif not added_noted:  # an added row: one note on its first cell
                ws.write_comment(r, c0 + k, text["added"], {"author": "minutes"})
                added_noted = True


def _chars_per_line(width: float) -> int:
    """Characters of ordinary text on one line of a column ``width`` wide (Calibri 11, word wrap)."""
    return max(1, int(width * 1.1) - 3)


def text_lines(text: str, per_line: int) -> int:
    """Lines ``text`` takes when wrapped at ``per_line`` characters (an estimate, on the safe side).

    >>> text_lines("kort", 10), text_lines("a" * 25, 10), text_lines("en\\nto\\n\\ntre", 10)
    (1, 3, 4)
    """
    parts = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return sum(max(1, -(-len(part) // per_line)) for part in parts)


def _fast_writers(ws: Any) -> tuple[Any, Any, Any]:
    """xlsxwriter's cell writers without the wrapper that accepts "A1" cell names (a third of the
    time of a cell). Same arguments as the public methods, which are used if they ever go away."""
    string, number, date = (getattr(ws, "_" + name, getattr(ws, name))
                            for name in ("write_string", "write_number", "write_datetime"))
    return string, number, date


#: A string cell that :class:`_FastRows` leaves to xlsxwriter: characters to escape, or a literal
#: ``_xHHHH_`` (Excel's own escape), or what xlsxwriter takes for a rich string.
_CAREFUL_RE = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_")


class _FastRows:
    """xlsxwriter's ``Worksheet._write_single_row`` (constant_memory: a finished row to XML), the
    same bytes in a third of the time for the cells table sheets are made of: plain strings, numbers
    and dates with a format. Any other cell, and any row with a comment or no cells, goes through
    xlsxwriter's own code. Installed on a worksheet only if xlsxwriter has what it relies on."""

    _NEEDS = ("table", "previous_row", "row_info", "comments", "_write_row", "_write_cell", "fh")

    def __init__(self, ws: Any, original: Any) -> None:
        from xlsxwriter.worksheet import CellDatetimeTuple, CellNumberTuple, CellStringTuple

        self.ws, self.original = ws, original
        self.string, self.numbers = CellStringTuple, (CellNumberTuple, CellDatetimeTuple)
        self.letters: list[str] = [xl_col_to_name(k) for k in range(64)]
        self.xf: dict[int, int] = {}  # id(format) -> its xf index

    @classmethod
    def install(cls, ws: Any) -> None:
        import xlsxwriter.worksheet as xw

        original = getattr(ws, "_write_single_row", None)
        if original is None or not all(hasattr(ws, name) for name in cls._NEEDS) or not all(
                hasattr(xw, name) for name in ("CellStringTuple", "CellNumberTuple", "CellDatetimeTuple")):
            return
        ws._write_single_row = cls(ws, original)

    def __call__(self, current_row_num: int = 0) -> None:
        ws = self.ws
        row_num = ws.previous_row
        cells = ws.table.get(row_num)
        if not cells or row_num in ws.comments:
            self.original(current_row_num)
            return
        ws.previous_row = current_row_num
        ws._write_row(row_num, None, ws.row_info.get(row_num))
        write, careful, string, numbers, xf = ws.fh.write, _CAREFUL_RE.search, self.string, self.numbers, self.xf
        row = str(row_num + 1)
        out: list[str] = []
        for col in sorted(cells):
            cell = cells[col]
            kind, fmt = type(cell), cell.format
            if fmt is None or (kind is string and careful(cell.string)) or (kind is not string and kind not in numbers):
                write("".join(out))
                out.clear()
                ws._write_cell(row_num, col, cell)
                continue
            index = xf.get(id(fmt))
            if index is None:
                index = xf[id(fmt)] = fmt._get_xf_index()
            ref = (self.letters[col] if col < len(self.letters) else xl_col_to_name(col)) + row
            if kind is string:
                text = cell.string
                space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
                out.append(f'<c r="{ref}" s="{index}" t="inlineStr"><is><t{space}>{text}</t></is></c>')
            else:
                out.append(f'<c r="{ref}" s="{index}"><v>{cell.number:.16G}</v></c>')
        out.append("</row>")
        write("".join(out))
        ws.table.clear()


def _source_kind(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str | None:
    """How a table's rows name their document: ``doc`` (a doc_id column), ``documents`` (a column
    of space-separated doc ids, as in meetings) or None (no Kilde: runs, reference data)."""
    if "doc_id" in header:
        return "doc"
    if "documents" in header:
        k = list(header).index("documents")
        if any(isinstance(row[k], str) and row[k] for row in rows[:50]):
            return "documents"
    return None


# --------------------------------------------------------------------------- table sheets


#: Rows written between two calls of :func:`_forget_written_rows`.
_FORGET_EVERY = 2_000


def _forget_written_rows(ws: Any, below: int) -> None:
    """Drop the row heights xlsxwriter keeps of rows it has written out (constant_memory writes a
    row as the next one starts; it keeps the heights only to place images, which table sheets do
    not have), so that a long sheet does not hold one entry per row."""
    for kept in (getattr(ws, "row_info", None), getattr(ws, "row_sizes", None)):
        if isinstance(kept, dict) and kept:
            for row in [row for row in kept if row < below]:
                del kept[row]


class _TableStream:
    """One table on its sheet, written as its rows come: the first ``STREAM_SAMPLE`` rows are held
    to fit the column widths (or, given the whole table, ``WIDTH_SAMPLE`` rows spread over it), then rows go
    straight to the sheet; a table longer than a sheet continues on ``Vedtak (2)`` and so on."""

    def __init__(self, book: _Book, table: str, header: Sequence[str], title: str, headers: Mapping[str, str],
                 first: Any = None) -> None:
        self.book, self.table, self.header, self.title, self.headers = book, table, list(header), title, headers
        self.first = first  # the first sheet, made beforehand to fix the order of the sheets
        self.held: list[Sequence[Any]] = []
        self.writer: _RowWriter | None = None
        self.shown: list[str] = []
        self.widths: list[float] = []
        self.names: list[str] = []
        self.ws: Any = None
        self.r = 0  # the next row of the current sheet

    def add(self, rows: Iterable[Sequence[Any]]) -> None:
        if self.writer is None:
            self.held.extend(rows)
            if len(self.held) >= STREAM_SAMPLE:
                self._start(self.held)
        else:
            self._write(rows)

    def write_all(self, rows: Sequence[Sequence[Any]]) -> list[str]:
        """The whole table at once (it may be a spool on disk: it is read, not copied)."""
        self._start(rows)
        return self.finish()

    def _start(self, sample: Sequence[Sequence[Any]]) -> None:
        self.writer = writer = _RowWriter(self.book, self.table, self.header, _source_kind(self.header, sample))
        self.shown = writer.shown_headers(self.headers)
        self.widths = writer.widths(sample, self.shown)
        writer.fit(self.widths)
        self._new_sheet()
        held, self.held = self.held, []
        self._write(held if held else sample)

    def _new_sheet(self) -> None:
        n = len(self.names) + 1
        ws = self.first if n == 1 and self.first is not None else \
            self.book.sheet(self.title if n == 1 else f"{self.title} ({n})")
        self.names.append(ws.get_name())
        for k, w in enumerate(self.widths):
            ws.set_column(k, k, w)
        ws.freeze_panes(1, 0)
        ws.repeat_rows(0)
        ws.fit_to_pages(1, 0)
        ws.ignore_errors({"number_stored_as_text": "A1:XFD1048576"})
        assert self.writer is not None
        self.writer.write_header(ws, 0, self.shown)
        self.ws, self.r = ws, 1

    def _write(self, rows: Iterable[Sequence[Any]]) -> None:
        assert self.writer is not None
        remaining = iter(rows)
        for row in remaining:  # one more row: on this sheet, or on the next when this one is full
            if self.r >= MAX_ROWS:
                self._end_sheet()
                self._new_sheet()
            room = min(MAX_ROWS - self.r, _FORGET_EVERY)
            self.r = self.writer.write_rows(self.ws, self.r, chain((row,), islice(remaining, room - 1)))
            _forget_written_rows(self.ws, self.r - 1)

    def _end_sheet(self) -> None:
        assert self.writer is not None
        self.writer.colour_status(self.ws, 1, self.r - 1)
        self.book.add_table(self.ws, 0, 0, self.r - 1, self.shown)

    def finish(self) -> list[str]:
        """Close the table (an empty one too gets its sheet); returns the names of its sheets."""
        if self.writer is None:
            self._start(self.held)
        self._end_sheet()
        return self.names


def _errors_table(tables: Tables) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The documents that failed (status ``error``): id, file, type and message."""
    header, rows = tables.get("documents", ((), ()))
    idx = {h: k for k, h in enumerate(header)}
    keep: list[str] = [c for c in ("doc_id", "source_path", "doc_type", "error") if c in idx]
    if "status" not in idx:
        return keep, []
    return keep, [tuple(row[idx[c]] for c in keep) for row in rows if row[idx["status"]] == "error"]


# --------------------------------------------------------------------------- the overview


@dataclass
class _RegionStats:
    region: str
    docs: set[str] = field(default_factory=set)
    adopted: int = 0
    proposed: int = 0
    #: hashes of the casefolded names of its participants, repeats included (an array: a few bytes
    #: each, where a set of them would take tens of MB on a large archive); see :attr:`person_count`
    persons: array[int] = field(default_factory=lambda: array("q"))
    themes: Counter[str] = field(default_factory=Counter)

    @property
    def decisions(self) -> int:
        return self.adopted + self.proposed

    @property
    def person_count(self) -> int:
        """Distinct persons (by name, case aside)."""
        return len(set(self.persons))


def region_stats(tables: Tables, no_region: str = "(uten region)") -> list[_RegionStats]:
    """Per region (regions table, joined on doc_id): its documents, their decisions (quoted ones not
    counted) and distinct persons, and the documents per theme assigned to the region. Documents
    that mention no region are counted under ``no_region``. Sorted by decisions, then documents."""

    def table(name: str) -> tuple[dict[str, int], Sequence[Sequence[Any]]]:
        header, rows = tables.get(name, ((), ()))
        return {h: k for k, h in enumerate(header)}, rows

    stats: dict[str, _RegionStats] = {}
    by_doc: dict[str, list[_RegionStats]] = defaultdict(list)
    idx, rows = table("regions")
    if {"doc_id", "region"} <= idx.keys():
        for row in rows:
            name, doc_id = str(row[idx["region"]] or ""), str(row[idx["doc_id"]])
            if not name:
                continue
            s = stats.setdefault(name, _RegionStats(name))
            if doc_id not in s.docs:
                s.docs.add(doc_id)
                by_doc[doc_id].append(s)
    didx, drows = table("documents")
    if "doc_id" in didx:
        for row in drows:
            doc_id = str(row[didx["doc_id"]])
            ok = "status" not in didx or row[didx["status"]] != "error"
            if ok and doc_id not in by_doc:
                s = stats.setdefault(no_region, _RegionStats(no_region))
                s.docs.add(doc_id)
                by_doc[doc_id].append(s)
    idx, rows = table("decisions")
    if "doc_id" in idx:
        for row in rows:
            if "quoted" in idx and row[idx["quoted"]] is True:
                continue
            status = row[idx["status"]] if "status" in idx else ""
            for s in by_doc.get(str(row[idx["doc_id"]]), ()):
                if status == "adopted":
                    s.adopted += 1
                elif status == "proposed":
                    s.proposed += 1
    idx, rows = table("participants")
    if {"doc_id", "name"} <= idx.keys():
        for row in rows:
            for s in by_doc.get(str(row[idx["doc_id"]]), ()):
                s.persons.append(hash(str(row[idx["name"]]).casefold()))
    idx, rows = table("topics")
    if {"doc_id", "region", "theme"} <= idx.keys():
        seen: set[int] = set()  # hashes of (document, region, theme): only counted
        for row in rows:
            key = (str(row[idx["doc_id"]]), str(row[idx["region"]] or ""), str(row[idx["theme"]]))
            if key[1] in stats and hash(key) not in seen:
                seen.add(hash(key))
                stats[key[1]].themes[key[2]] += 1
    return sorted(stats.values(), key=lambda s: (s.region == no_region, -s.decisions, -len(s.docs), s.region))


class _Cells:
    """Cells collected in any order and written row by row (constant_memory needs rows in order)."""

    def __init__(self) -> None:
        self.cells: dict[int, list[tuple[int, str, Any, Any]]] = defaultdict(list)
        self.heights: dict[int, float] = {}

    def put(self, r: int, c: int, value: Any, fmt: Any = None, kind: str = "") -> None:
        self.cells[r].append((c, kind, value, fmt))

    def flush(self, ws: Any) -> None:
        for r in sorted(set(self.cells) | set(self.heights)):
            if r in self.heights:
                ws.set_row(r, self.heights[r])
            for c, kind, value, fmt in sorted(self.cells.get(r, []), key=lambda cell: cell[0]):
                if kind == "url":
                    ws.write_url(r, c, value[0], fmt, value[1])
                elif value is None or value == "":
                    ws.write_blank(r, c, None, fmt)
                elif isinstance(value, (int, float)):
                    ws.write_number(r, c, value, fmt)
                elif isinstance(value, dt.date):
                    ws.write_datetime(r, c, value, fmt)
                else:
                    ws.write_string(r, c, clean_text(str(value)), fmt)


def _write_overview(book: _Book, ws: Any, tables: Tables, run: Mapping[str, Any],
                    themes_names: Mapping[str, str]) -> None:
    text = book.text
    name = ws.get_name()
    cells = _Cells()
    bold = book.fmt(bold=True, valign="top")
    title = book.fmt(bold=True, font_size=16)
    value_fmt = book.fmt(align="left", valign="top")
    when = book.fmt(align="left", valign="top", num_format="yyyy-mm-dd hh:mm")
    cells.put(0, 0, text["title"], title)
    cells.heights[0] = 24
    r = 2
    for key in ("started", "finished"):
        moment = _run_time(run.get(key, ""))
        if moment is not None:
            cells.put(r, 0, f"{text[key]} ({text['time']})", bold)
            cells.put(r, 1, moment, when)
            r += 1
    for key in ("version", "inputs", "documents", "ok", "failed", "seconds", "workers"):
        if key in run:
            value = run[key]
            fmt = value_fmt
            if key == "failed" and isinstance(value, int) and value > 0:
                fmt = book.fmt(align="left", valign="top", bold=True, font_color="#C00000")
            cells.put(r, 0, text[key], bold)
            cells.put(r, 1, value if isinstance(value, (int, float)) else clean_text(str(value)), fmt)
            r += 1
    r += 1
    cells.put(r, 0, text["colours"], bold)
    for k, status in enumerate(_STATUS_COLOURS):
        legend = book.fmt(bg_color=_STATUS_COLOURS[status], border=1, align="center")
        cells.put(r, 1 + k, text[status], legend)
    r += 2

    stats = region_stats(tables, text["no_region"])
    order = {t: k for k, t in enumerate(themes_names)}
    theme_ids = sorted({t for s in stats for t in s.themes}, key=lambda t: (order.get(t, len(order)), t))
    chart_rows = [s for s in stats if s.region != text["no_region"]][:CHART_REGIONS] or stats[:CHART_REGIONS]
    chart_height = max(300, 18 * len(chart_rows) + 100)
    top = max(r, 2 + math.ceil(chart_height / 20) + 1)  # the region table starts below the chart

    fixed = [text[k] for k in ("region", "docs", "adopted", "proposed", "persons", "themes")]
    columns = _unique_headers(fixed + [themes_names.get(t, t) for t in theme_ids])
    head = book.fmt(bold=True, text_wrap=True, valign="bottom")
    head_rot = book.fmt(bold=True, rotation=90, align="center", valign="bottom")
    for k, col in enumerate(columns):
        cells.put(top, k, col, head_rot if k >= 6 else head)
    if theme_ids:
        longest = max(len(c) for c in columns[6:])
        cells.heights[top] = min(200, 7 * longest + 10)
        cells.put(top - 1, 6, text["grid"], book.fmt(italic=True))
    number = book.fmt(valign="top")
    grid_fmt = book.fmt(valign="top", align="center", num_format="0;-0;;@")
    wrap = book.fmt(valign="top", text_wrap=True)
    label_width = len(text["started"]) + len(text["time"]) + 3
    region_width = min(40, max([len(s.region) for s in stats] + [label_width, 14]) + 2)
    for i, s in enumerate(stats, start=top + 1):
        ranked = sorted(s.themes.items(), key=lambda x: (-x[1], x[0]))[:3]
        main = ", ".join(themes_names.get(t, t) for t, _ in ranked)
        lines = max(text_lines(s.region, _chars_per_line(region_width)),
                    text_lines(main, _chars_per_line(THEME_WIDTH)))
        if lines > 1:
            cells.heights[i] = LINE_HEIGHT * lines
        for k, value in enumerate((s.region, len(s.docs), s.adopted, s.proposed, s.person_count, main)):
            cells.put(i, k, value, wrap if k in (0, 5) else number)
        for k, t in enumerate(theme_ids, start=6):
            cells.put(i, k, s.themes.get(t, 0), grid_fmt)
    cells.flush(ws)
    book.add_table(ws, top, 0, len(stats), columns)
    last = top + max(len(stats), 1)
    if theme_ids:
        ws.conditional_format(top + 1, 6, last, 5 + len(theme_ids),
                              {"type": "2_color_scale", "min_color": "#FFFFFF", "max_color": "#5B9BD5"})

    ws.set_column(0, 0, region_width)
    ws.set_column(1, 1, 17)  # also the run's date and time
    ws.set_column(2, 4, 11)
    ws.set_column(5, 5, THEME_WIDTH)
    if theme_ids:
        ws.set_column(6, 5 + len(theme_ids), 5.5)
    ws.fit_to_pages(1, 0)
    ws.hide_gridlines(2)
    ws.activate()

    if chart_rows:
        chart = book.wb.add_chart({"type": "bar", "subtype": "stacked"})
        n = len(chart_rows)
        for k, status in enumerate(_STATUS_COLOURS, start=2):
            chart.add_series({
                "name": [name, top, k],
                "categories": [name, top + 1, 0, top + n, 0],
                "values": [name, top + 1, k, top + n, k],
                "fill": {"color": {"adopted": "#70AD47", "proposed": "#FFC000"}[status]},
                "border": {"none": True},
                "gap": 60,
            })
        chart.set_title({"name": text["chart"], "name_font": {"size": 12}})
        chart.set_y_axis({"reverse": True, "num_font": {"size": 9}})  # the category axis of a bar chart
        chart.set_x_axis({"major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
                          "num_format": "0", "num_font": {"size": 9}})
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 620, "height": chart_height})
        ws.insert_chart(1, 5, chart, {"x_offset": 10, "y_offset": 5, "object_position": 3})


# --------------------------------------------------------------------------- per-region sheets


def _write_region_sheets(book: _Book, tables: Tables, headers: Mapping[str, str],
                         main_sheets: dict[str, str]) -> None:
    """One sheet per region (regions table): the decisions and participants of its documents."""
    idx_regions = {h: k for k, h in enumerate(tables.get("regions", ((), ()))[0])}
    if not {"doc_id", "region"} <= idx_regions.keys():
        return
    docs_of: dict[str, set[str]] = defaultdict(set)
    for row in tables["regions"][1]:
        if row[idx_regions["region"]]:
            docs_of[str(row[idx_regions["region"]])].add(str(row[idx_regions["doc_id"]]))
    meeting_date = {doc_id: doc.meeting_date for doc_id, doc in book.sources.docs.items()}
    parts = []
    for table in ("decisions", "participants"):
        if table not in tables or "doc_id" not in tables[table][0]:
            continue
        header, rows = tables[table]
        idx = {h: k for k, h in enumerate(header)}
        keep = [c for c in REGION_COLUMNS[table] if c in idx or c == "meeting_date"]
        extra = ["doc_id"] + [c for c in ("page", "line") if c in idx]  # for Kilde, not shown
        getters = [(lambda row, i=idx["doc_id"]: meeting_date.get(str(row[i]), "")) if c not in idx
                   else (lambda row, i=idx[c]: row[i]) for c in keep + extra]
        by_doc: dict[str, list[tuple[Any, ...]]] = defaultdict(list)  # in table order
        for row in rows:
            by_doc[str(row[idx["doc_id"]])].append(tuple(get(row) for get in getters))
        parts.append((table, keep, extra, by_doc))
    if not parts:
        return
    title = book.fmt(bold=True, font_size=14)
    sub = book.fmt(bold=True, font_size=12)
    note_fmt = book.fmt(italic=True)
    room = max(1, (MAX_ROWS - 10) // len(parts) - 4)
    for region in sorted(docs_of, key=str.casefold):
        ws = book.sheet(region)
        ws.write_string(0, 0, clean_text(book.text["region_title"].format(region=region)), title)
        prepared = []
        widths: dict[int, float] = {}
        for table, keep, extra, by_doc in parts:
            mine = docs_of[region]
            selected = [row for doc, rows in by_doc.items() if doc in mine for row in rows]
            header = keep + [f"_{c}" if c in keep else c for c in extra]  # doc_id may be shown and used
            writer = _RowWriter(book, table, header, "doc", shown=len(keep))
            writer.doc_col = len(keep)
            shown = writer.shown_headers(headers)
            for k, w in enumerate(writer.widths(selected, shown)):
                widths[k] = max(widths.get(k, 0.0), w)
            prepared.append((table, selected, writer, shown))
        r = 2
        for table, selected, writer, shown in prepared:
            writer.fit([widths[k] for k in range(len(widths))])
            ws.write_string(r, 0, book.text[table], sub)
            writer.write_header(ws, r + 1, shown)
            end = writer.write_rows(ws, r + 2, selected[:room])
            writer.colour_status(ws, r + 2, len(selected[:room]))
            book.add_table(ws, r + 1, 0, len(selected[:room]), shown)
            r = max(end, r + 3)
            if len(selected) > room:
                note = book.text["more"].format(n=len(selected) - room, sheet=main_sheets.get(table, table))
                ws.write_string(r, 0, note, note_fmt)
                r += 1
            r += 1
        for k, w in widths.items():
            ws.set_column(k, k, w)
        ws.fit_to_pages(1, 0)


# --------------------------------------------------------------------------- tables and links, afterwards

_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_TABLE_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml"
# Worksheet children that come after <hyperlinks> (the schema fixes the order of the children).
_AFTER_HYPERLINKS = (b"<printOptions", b"<pageMargins", b"<pageSetup", b"<headerFooter", b"<rowBreaks",
                     b"<colBreaks", b"<customProperties", b"<cellWatches", b"<ignoredErrors", b"<smartTags",
                     b"<drawing", b"<legacyDrawing", b"<picture", b"<oleObjects", b"<controls",
                     b"<webPublishItems", b"<tableParts", b"<extLst", b"</worksheet>")


def _table_xml(spec: _TableSpec, number: int) -> bytes:
    ref = xl_range(spec.first_row, spec.first_col, spec.last_row, spec.last_col)
    cols = "".join(f'<tableColumn id="{k}" name={quoteattr(c)}/>'
                   for k, c in enumerate(spec.columns, start=1))
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<table xmlns="{_NS_MAIN}" id="{number}" name="{spec.name}" displayName="{spec.name}" ref="{ref}" '
        f'totalsRowShown="0"><autoFilter ref="{ref}"/><tableColumns count="{len(spec.columns)}">{cols}'
        f'</tableColumns><tableStyleInfo name="{_TABLE_STYLE}" showFirstColumn="0" showLastColumn="0" '
        'showRowStripes="1" showColumnStripes="0"/></table>'
    ).encode()


def _sheet_parts(src: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the zip member of its XML, from the workbook and its relationships."""
    book = ElementTree.fromstring(src.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(src.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{{{_NS_PKG_REL}}}Relationship")}
    parts = {}
    for sheet in book.iter(f"{{{_NS_MAIN}}}sheet"):
        target = targets.get(sheet.get(f"{{{_NS_REL}}}id"), "")
        parts[sheet.get("name", "")] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    return parts


@dataclass
class _SheetAdditions:
    tables: list[tuple[int, _TableSpec]] = field(default_factory=list)
    links: Iterable[tuple[int, int, int, str]] = ()
    rel_ids: dict[str, str] = field(default_factory=dict)  # hyperlink target -> relationship id

    def hyperlinks(self) -> Iterator[bytes]:
        """The ``<hyperlink>`` elements, in pieces (a sheet of a large archive has thousands)."""
        rel_ids = self.rel_ids
        for links in _batched(self.links, _PIECE):
            refs = []
            for first, last, col, target in links:
                rel = rel_ids.setdefault(target, f"rIdLink{len(rel_ids) + 1}")
                refs.append(f'<hyperlink ref="{xl_range(first, col, last, col)}" r:id="{rel}"/>')
            yield "".join(refs).encode()

    def table_parts(self) -> bytes:
        if not self.tables:
            return b""
        parts = "".join(f'<tablePart r:id="rIdTable{n}"/>' for n, _ in self.tables)
        return f'<tableParts count="{len(self.tables)}">{parts}</tableParts>'.encode()

    def relationships(self, target_of: Callable[[str], str]) -> Iterator[bytes]:
        """The relationships of the hyperlinks (named by :meth:`hyperlinks`; ``target_of`` makes a
        link's target as the relationship writes it) and tables, in pieces."""
        for rels in _batched(self.rel_ids.items(), _PIECE):
            yield "".join(f'<Relationship Id="{rel}" Type="{_NS_REL}/hyperlink" '
                          f'Target={quoteattr(target_of(target))} TargetMode="External"/>'
                          for target, rel in rels).encode()
        yield "".join(f'<Relationship Id="rIdTable{n}" Type="{_NS_REL}/table" Target="../tables/table{n}.xml"/>'
                      for n, _ in self.tables).encode()


#: Elements written to the package at a time when there are many (hyperlinks, relationships).
_PIECE = 2_000


def _batched(items: Iterable[Any], size: int) -> Iterator[tuple[Any, ...]]:
    """``items`` in tuples of ``size`` (the last may be shorter): itertools.batched of Python 3.12."""
    it = iter(items)
    while batch := tuple(islice(it, size)):
        yield batch


def _copy_sheet(source: Any, target: Any, add: _SheetAdditions) -> None:
    """Copy a sheet's XML, adding the hyperlinks and table parts where the schema wants them. Only
    the part after ``</sheetData>`` (page set-up and the like) is held in memory; the hyperlinks
    are written a piece at a time."""
    end_tags = (b"</sheetData>", b"<sheetData/>")
    keep = max(len(t) for t in end_tags)
    tail, found, first = b"", False, True
    while chunk := source.read(1 << 20):
        if first:
            first = False
            root = chunk[: chunk.find(b">", chunk.find(b"<worksheet")) + 1]
            if b'xmlns:r="' not in root:  # xlsxwriter declares it; be sure anyway
                chunk = chunk.replace(b"<worksheet ", f'<worksheet xmlns:r="{_NS_REL}" '.encode(), 1)
        buf = tail + chunk
        if found:
            tail = buf
            continue
        hits = [(i, tag) for tag in end_tags if (i := buf.find(tag)) >= 0]
        if hits:
            i, tag = min(hits)
            target.write(buf[: i + len(tag)])
            tail, found = buf[i + len(tag):], True
        else:
            target.write(buf[:-keep])
            tail = buf[-keep:]
    if not found:
        raise ValueError("not a worksheet")
    parts = add.table_parts()
    if parts:
        cut = tail.find(b"<extLst")
        cut = tail.rfind(b"</worksheet>") if cut < 0 else cut
        tail = tail[:cut] + parts + tail[cut:]
    if add.links:
        if (cut := tail.find(b"</hyperlinks>")) >= 0:
            before, after = tail[:cut], tail[cut:]
        else:
            cut = min(i for tag in _AFTER_HYPERLINKS if (i := tail.find(tag)) >= 0)
            before, after = tail[:cut] + b"<hyperlinks>", b"</hyperlinks>" + tail[cut:]
        target.write(before)
        for piece in add.hyperlinks():
            target.write(piece)
        tail = after
    target.write(tail)


def _finish_package(source: Path, target: Any, tables: Sequence[_TableSpec], links: Mapping[str, _Links],
                    target_of: Callable[[str], str]) -> None:
    """Copy the package ``source`` into the open file ``target``, adding the Excel tables and the
    hyperlinks, and compressing it (xlsxwriter stored it uncompressed)."""
    with zipfile.ZipFile(source) as src:
        parts = _sheet_parts(src)
        additions: dict[str, _SheetAdditions] = defaultdict(_SheetAdditions)
        for number, spec in enumerate(tables, start=1):
            additions[parts[spec.sheet]].tables.append((number, spec))
        for sheet, runs in links.items():
            if runs:
                additions[parts[sheet]].links = runs
        members = {info.filename for info in src.infolist()}
        rels_of = {_rels_name(p) for p in additions}
        size = sum(info.file_size for info in src.infolist())
        level = ZIP_FAST_LEVEL if size > ZIP_FAST_ABOVE else ZIP_LEVEL
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=level, allowZip64=True) as dst:
            for info in src.infolist():
                name = info.filename
                if name == "[Content_Types].xml":
                    types = "".join(f'<Override PartName="/xl/tables/table{n}.xml" '
                                    f'ContentType="{_TABLE_TYPE}"/>' for n in range(1, len(tables) + 1))
                    dst.writestr(name, src.read(name).replace(b"</Types>", types.encode() + b"</Types>"))
                elif name in additions:
                    with src.open(info) as r, dst.open(name, "w", force_zip64=info.file_size > 1 << 30) as w:
                        _copy_sheet(r, w, additions[name])
                    # its relationships at once: the hyperlinks' ids of one sheet are held at a time
                    rels = _rels_name(name)
                    _write_relationships(src, dst, rels, additions.pop(name), rels in members, target_of)
                elif name in rels_of:
                    continue  # written with its sheet
                else:
                    with src.open(info) as r, dst.open(name, "w", force_zip64=info.file_size > 1 << 30) as w:
                        shutil.copyfileobj(r, w, 1 << 20)
            for number, spec in enumerate(tables, start=1):
                dst.writestr(f"xl/tables/table{number}.xml", _table_xml(spec, number))


def _rels_name(part: str) -> str:
    """The relationships part of a package part: ``xl/worksheets/_rels/sheet1.xml.rels``."""
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels"


def _write_relationships(src: zipfile.ZipFile, dst: zipfile.ZipFile, rels: str, add: _SheetAdditions,
                         exists: bool, target_of: Callable[[str], str]) -> None:
    """A sheet's relationships part with those of its hyperlinks and tables added."""
    old = src.read(rels) if exists else (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                                         f'<Relationships xmlns="{_NS_PKG_REL}"></Relationships>').encode()
    head, end, rest = old.rpartition(b"</Relationships>")
    with dst.open(rels, "w") as w:
        w.write(head)
        for piece in add.relationships(target_of):
            w.write(piece)
        w.write(end + rest)


@contextmanager
def _stored_package() -> Iterator[None]:
    """Let xlsxwriter store its (temporary) package without compressing it: the package is copied
    once more to add tables and hyperlinks, and compressed then. Should xlsxwriter stop using this
    constant, nothing changes but the speed."""
    import xlsxwriter.workbook as xw

    old = getattr(xw, "ZIP_DEFLATED", None)
    if old is None:
        yield
        return
    xw.ZIP_DEFLATED = zipfile.ZIP_STORED
    try:
        yield
    finally:
        xw.ZIP_DEFLATED = old


# --------------------------------------------------------------------------- the workbook


class Workbook:
    """``minutes.xlsx`` written as a run's results come: the ``streamed`` tables (name -> header)
    take each document's rows with :meth:`add`, in order; :meth:`close` writes the rest (tables
    given whole, the overview, the errors, the region sheets) and moves the file into place. A
    workbook that is not closed leaves nothing behind (:meth:`discard`, or use it as a context
    manager).

    ``sources``: doc_id -> the source file on disk (its path, or the run's ``SourceFile``); the
    ``Kilde`` cells link to it by a path relative to the workbook's folder. Without it, ``Kilde``
    shows file and place but does not link."""

    def __init__(self, path: Path, streamed: Mapping[str, Sequence[str]] | None = None, *, lang: str = "nb",
                 per_region: bool = False, sources: Mapping[str, str | Path | SourceFile] | None = None,
                 corrected: Callable[[str, Any], Mapping[str, str | None]] | None = None) -> None:
        self.sheets, self.headers, self.text, self.themes = _names(lang)
        self.path, self.per_region = Path(path), per_region
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp.xlsx", dir=self.path.parent)
        os.close(fd)
        self.tmp = Path(tmp_name)
        self.wb = xlsxwriter.Workbook(str(self.tmp), {
            "constant_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
            "strings_to_urls": False, "default_date_format": "yyyy-mm-dd",
        })
        self.wb.set_properties({"title": self.text["title"]})
        self.book = _Book(self.wb, lang, self.text, _Sources({}, sources, self.path.parent, self.text),
                          corrected=corrected)  # corrections (issue 20): the cells to mark
        self.overview = self.book.sheet(self.text["overview"])  # the first sheet, written last
        self.streams = {table: _TableStream(self.book, table, header, self.sheets.get(table, table), self.headers,
                                            first=self.book.sheet(self.sheets.get(table, table)))
                        for table, header in (streamed or {}).items()}

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()

    def add(self, table: str, rows: Sequence[Sequence[Any]]) -> None:
        """Rows of a streamed table (one document's, say); documents rows before the other rows of
        their documents, so that ``Kilde`` can name the file."""
        stream = self.streams[table]
        if table == "documents":
            self.book.sources.add(stream.header, rows)
        stream.add(rows)

    def close(self, tables: Tables, run: Mapping[str, Any]) -> None:
        """Finish the streamed tables, write the tables of ``tables`` that were not streamed (table
        name -> (header, rows), headers the snake_case columns of the row classes; unknown tables
        are written the same way), the overview of all of them and the ``run`` row (started,
        finished, version, inputs, documents, ok, failed, seconds, workers), and move the file into
        place."""
        book = self.book
        self.wb.set_properties({"title": self.text["title"], "comments": f"minutes {run.get('version', '')}"})
        if "documents" in tables and "documents" not in self.streams:
            book.sources.add(*tables["documents"])
        main_sheets = {t: self.sheets.get(t, t) for t in tables}
        for table, (header, rows) in tables.items():
            if table in self.streams:
                main_sheets[table] = self.streams[table].finish()[0]
            else:
                stream = _TableStream(book, table, header, self.sheets.get(table, table), self.headers)
                main_sheets[table] = stream.write_all(rows)[0]
        err_header, err_rows = _errors_table(tables)
        if err_header:
            _TableStream(book, "errors", err_header, self.text["errors"], self.headers).write_all(err_rows)
        if self.per_region:
            _write_region_sheets(book, tables, self.headers, main_sheets)
        _write_overview(book, self.overview, tables, run, self.themes)
        with _stored_package():
            self.wb.close()
        # every cell is written: what was kept to write them goes before the package is finished
        book.sources.docs = {}
        for _, rows in tables.values():
            if isinstance(rows, Rows):
                rows.forget()
        for k, spec in enumerate(book.tables, start=1):
            spec.name = f"{self.text['table']}{k}"
        try:
            with atomic_path(self.path, "wb") as f:
                _finish_package(self.tmp, f, book.tables, book.links, book.sources.target)
        finally:
            self.discard()

    def discard(self) -> None:
        """Remove the temporary file (the workbook is not written)."""
        self.tmp.unlink(missing_ok=True)


def write_workbook(path: Path, tables: Tables, run: Mapping[str, Any], *, lang: str = "nb",
                   per_region: bool = False, sources: Mapping[str, str | Path | SourceFile] | None = None) -> None:
    """Write ``minutes.xlsx`` at ``path`` (atomically) from whole tables: see :class:`Workbook`."""
    with Workbook(path, lang=lang, per_region=per_region, sources=sources) as book:
        book.close(tables, run)
