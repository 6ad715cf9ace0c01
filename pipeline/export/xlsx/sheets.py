"""Table sheets: :class:`TableStream` writes one table on its sheet as its rows come (continued on
``Vedtak (2)`` when longer than a sheet), :func:`errors_table` the ``Feil`` sheet's rows, and
:func:`write_region_sheets` one sheet per region (``--per-region``)."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from itertools import chain, islice
from typing import Any

from pipeline.export.labels import Labels
from pipeline.export.xlsx.cells import clean_text
from pipeline.export.xlsx.rows import RowWriter, source_kind
from pipeline.export.xlsx.style import NARROW, Book, first_page_fit, print_layout
from pipeline.summary import owners

#: Rows per sheet, header included (Excel's limit). Tests monkeypatch it to check the continuation.
MAX_ROWS = 1_048_576
#: Rows held to fit the column widths of a table written as its rows come (its first rows).
STREAM_SAMPLE = 1_000

Tables = Mapping[str, tuple[Sequence[str], Sequence[Sequence[Any]]]]


#: Columns of the per-region sheets (those present in the tables are used).
REGION_COLUMNS = {
    "decisions": ["doc_id", "meeting_date", "item", "kind", "status", "text", "outcome"],
    "participants": ["doc_id", "name", "role", "organisation", "attendance", "party"],
}


#: Rows written between two calls of :func:`forget_written_rows`.
_FORGET_EVERY = 2_000


def forget_written_rows(ws: Any, below: int) -> None:
    """Drop the row heights xlsxwriter keeps of rows it has written out (constant_memory writes a
    row as the next one starts; it keeps the heights only to place images, which table sheets do
    not have), so that a long sheet does not hold one entry per row."""
    for kept in (getattr(ws, "row_info", None), getattr(ws, "row_sizes", None)):
        if isinstance(kept, dict) and kept:
            for row in [row for row in kept if row < below]:
                del kept[row]


class TableStream:
    """One table on its sheet, written as its rows come: the first ``STREAM_SAMPLE`` rows are held
    to fit the column widths (or, given the whole table, ``WIDTH_SAMPLE`` rows spread over it), then rows go
    straight to the sheet; a table longer than a sheet continues on ``Vedtak (2)`` and so on."""

    def __init__(self, book: Book, table: str, header: Sequence[str], title: str, headers: Mapping[str, str],
                 first: Any = None) -> None:
        self.book, self.table, self.header, self.title, self.headers = book, table, list(header), title, headers
        self.first = first  # the first sheet, made beforehand to fix the order of the sheets
        self.held: list[Sequence[Any]] = []
        self.writer: RowWriter | None = None
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
        self.writer = writer = RowWriter(self.book, self.table, self.header, source_kind(self.header, sample))
        self.shown = writer.shown_headers(self.headers)
        self.widths = writer.widths(sample, self.shown)
        narrow = NARROW.get(self.table, {})
        for k, column in enumerate(writer.header + ["source"] * bool(writer.source)):
            self.widths[k] = min(self.widths[k], narrow.get(column, self.widths[k]))
        self.widths = first_page_fit(self.widths, [col.wrap for col in writer.cols] + [False] * bool(writer.source))
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
        print_layout(ws, self.widths)
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
            forget_written_rows(self.ws, self.r - 1)

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


def errors_table(tables: Tables) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The documents that failed (status ``error``): id, file, type and message."""
    header, rows = tables.get("documents", ((), ()))
    idx = {h: k for k, h in enumerate(header)}
    keep: list[str] = [c for c in ("doc_id", "source_path", "doc_type", "error") if c in idx]
    if "status" not in idx:
        return keep, []
    return keep, [tuple(row[idx[c]] for c in keep) for row in rows if row[idx["status"]] == "error"]


def checks_table(tables: Tables, names: Labels) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The ``Kontroll`` sheet's rows: one per check of a document (``documents.checks``), in the
    workbook's language: document, title, check, details (the ``Kilde`` column links the source)."""
    header, rows = tables.get("documents", ((), ()))
    idx = {h: k for k, h in enumerate(header)}
    out: list[tuple[Any, ...]] = []
    if {"doc_id", "checks"} <= idx.keys():
        for row in rows:
            title = row[idx["title"]] if "title" in idx else ""
            for label, details in names.check_list(str(row[idx["checks"]] or "")):
                out.append((row[idx["doc_id"]], title, label, details))
    return ["doc_id", "title", "check", "details"], out


def write_region_sheets(book: Book, tables: Tables, headers: Mapping[str, str],
                         main_sheets: dict[str, str]) -> None:
    """One sheet per owner region (``documents.region``; documents without one on the sheet of no
    region): the decisions (by their own ``region``, else their document's) and participants of
    its documents. A region a document only mentions gets nothing of it."""
    owner = owners(tables)
    if not owner:
        return
    no_region = book.text["no_region"]
    docs_of: dict[str, set[str]] = defaultdict(set)
    for doc_id, region in owner.items():
        docs_of[region or no_region].add(doc_id)
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
        by_region: dict[str, list[tuple[Any, ...]]] = defaultdict(list)  # in table order
        own = idx.get("region") if table == "decisions" else None
        for row in rows:
            doc_id = str(row[idx["doc_id"]])
            if doc_id in owner:
                region = (str(row[own] or "") if own is not None else "") or owner[doc_id]
                by_region[region or no_region].append(tuple(get(row) for get in getters))
        parts.append((table, keep, extra, by_region))
    if not parts:
        return
    title = book.fmt(bold=True, font_size=14)
    sub = book.fmt(bold=True, font_size=12)
    note_fmt = book.fmt(italic=True)
    room = max(1, (MAX_ROWS - 10) // len(parts) - 4)
    shown_regions = set(docs_of).union(*(by_region for _, _, _, by_region in parts))
    for region in sorted(shown_regions, key=lambda r: (r == no_region, r.casefold())):
        ws = book.sheet(region)
        ws.write_string(0, 0, clean_text(book.text["region_title"].format(region=region)), title)
        prepared = []
        widths: dict[int, float] = {}
        for table, keep, extra, by_region in parts:
            selected = by_region.get(region, [])
            header = keep + [f"_{c}" if c in keep else c for c in extra]  # doc_id may be shown and used
            writer = RowWriter(book, table, header, "doc", shown=len(keep))
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
        print_layout(ws, [widths[k] for k in sorted(widths)], header_rows=None)
