"""Rows of a table to cells: :class:`RowWriter` writes a table's rows fast (one format per column,
empty cells skipped, formula-like text as quote-prefixed text, dates as dates), fits the column
widths and row heights, and colours decision rows by status."""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from xlsxwriter.utility import xl_col_to_name

from pipeline.export.files import FORMULA_START
from pipeline.export.labels import labels
from pipeline.export.xlsx.cells import (
    ILLEGAL_RE,
    MAX_CHARS,
    as_date,
    chars_per_line,
    clean_text,
    header_of,
    text_lines,
    unique_headers,
)
from pipeline.export.xlsx.fast import Cell, row_writers
from pipeline.export.xlsx.style import (
    CORRECTED_COLOUR,
    CORRECTED_FONT,
    DATES,
    LINE_HEIGHT,
    LINK_COLOUR,
    MAX_SOURCE_WIDTH,
    MAX_WIDTH,
    NARROW,
    STATUS_COLOURS,
    WRAP,
    Book,
    Column,
)

#: Rows looked at to fit the column widths of a long table (spread over the whole table).
WIDTH_SAMPLE = 5_000


class RowWriter:
    """Writes the rows of one table, fast: one format per column, empty cells skipped, the colours
    of decision rows as conditional formats (``colour_status``), the ``Kilde`` cells as text whose
    hyperlinks are added to the package afterwards, one per run of rows with the same source.

    ``header`` may end with columns that only feed ``Kilde`` (page, line): ``shown`` columns are
    written."""

    def __init__(self, book: Book, table: str, header: Sequence[str], source: str | None,
                 shown: int | None = None):
        self.book, self.table, self.header = book, table, list(header)[:shown]
        self.marker = book.text["truncated"]
        narrow = NARROW.get(table, {})
        self.cols = [Column(h, "date" if h in DATES else "text", h in WRAP or h in narrow) for h in self.header]
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
        # coded values (statuses, kinds, themes, checks, error messages) shown in the workbook's language
        shown_as = labels(book.lang).translators(table)
        self.translate = [shown_as.get(h) for h in self.header]
        wrap = {"text_wrap": True} if "source" in narrow else {}
        self.link_fmt = book.fmt(valign="top", font_color=LINK_COLOUR, underline=1, **wrap)
        self.source_fmt = book.fmt(valign="top", **wrap)

    def shown_headers(self, headers: Mapping[str, str]) -> list[str]:
        """The headers as shown, ``Kilde`` included."""
        names = [header_of(h, headers, self.book.lang) for h in self.header]
        if self.source:
            names.append(self.book.text["source"])
        return unique_headers(names)

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
                    tr = self.translate[k]
                    if tr is not None and type(v) is str:
                        v = tr(v)
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
        self.wrap_cols = [(k, chars_per_line(widths[k])) for k, col in enumerate(self.cols) if col.wrap]

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
        for status, colour in STATUS_COLOURS.items():
            shown = labels(self.book.lang).value("status", status).replace('"', '""')
            ws.conditional_format(first_row, c0, first_row + n_rows - 1, last_col, {
                "type": "formula", "criteria": f'={cell}="{shown}"',
                "format": self.book.fmt(bg_color=colour)})

    def write_header(self, ws: Any, r: int, shown: Sequence[str], c0: int = 0) -> None:
        head = self.book.fmt(bold=True, text_wrap=True, valign="top")
        for k, name in enumerate(shown):
            ws.write_string(r, c0 + k, name, head)

    def write_rows(self, ws: Any, r0: int, rows: Iterable[Sequence[Any]], c0: int = 0) -> int:
        """Write ``rows`` from row ``r0``; returns the next free row."""
        write_row, write_cells = row_writers(ws)
        yes, no = self.book.text["yes"], self.book.text["no"]
        marker, plain, quoted = self.marker, self.plain, self.quoted
        link_fmt, source_fmt = self.link_fmt, self.source_fmt
        columns = [(k, c0 + k, col.kind == "date", tr) for k, (col, tr) in enumerate(zip(self.cols, self.translate))]
        wrap_cols = [(k, per_line, self.translate[k]) for k, per_line in self.wrap_cols]
        set_row, source, kilde = ws.set_row, self.source, self.kilde
        kilde_col = c0 + len(self.cols)
        illegal, long_text, starts = ILLEGAL_RE.search, MAX_CHARS // 2, FORMULA_START
        add_link = self.book.links[ws.get_name()].add
        corrected, id_col, table = self.book.corrected, self.id_col, self.table
        r = r0
        for row in rows:
            lines = 1
            for k, per_line, tr in wrap_cols:  # LibreOffice does not fit row heights when it opens a file
                v = row[k]
                if type(v) is str:
                    if tr is not None:
                        v = tr(v)
                    n = text_lines(v, per_line) if "\n" in v or "\r" in v else -(-len(v) // per_line)
                    if n > lines:
                        lines = n
            if lines > 1:
                set_row(r, min(409.0, LINE_HEIGHT * lines))
            cells: list[Cell] = []  # (column, value, format), written together
            for k, col, is_date, tr in columns:
                v = row[k]
                if v is None or v == "":
                    continue
                t = type(v)
                if t is str:
                    if tr is not None:
                        v = tr(v)
                    if is_date:
                        day = as_date(v)
                        if day is not None:
                            cells.append((col, day, plain[k]))
                            continue
                    if len(v) > long_text or illegal(v):
                        v = clean_text(v, marker)
                    cells.append((col, v, quoted[k] if v.startswith(starts) else plain[k]))
                elif t is int or t is float:
                    if math.isfinite(v):
                        cells.append((col, v, plain[k]))
                elif t is bool:
                    cells.append((col, yes if v else no, plain[k]))
                elif isinstance(v, (int, float)):  # subclasses (numpy, IntEnum)
                    if math.isfinite(v):
                        cells.append((col, float(v), plain[k]))
                elif isinstance(v, dt.date):
                    cells.append((col, v, plain[k]))
                else:
                    v = clean_text(str(v), marker)
                    cells.append((col, v, quoted[k] if v.startswith(starts) else plain[k]))
            if source:
                label, target = kilde(row)
                if label:
                    if len(label) > long_text or illegal(label):
                        label = clean_text(label, marker)
                    cells.append((kilde_col, label, link_fmt if target else source_fmt))
                    if target:
                        add_link(r, kilde_col, target)
            if id_col >= 0 and corrected is not None and (notes := corrected(table, row[id_col])):
                write_cells(r, cells)  # the row stays open: its corrected cells are written again, with notes
                self.mark_corrected(ws, r, c0, row, notes)  # corrections (issue 20)
            else:
                write_row(r, cells)
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
            fmt_props = {"valign": "top", "text_wrap": col.wrap, "bg_color": CORRECTED_COLOUR,
                         "font_color": CORRECTED_FONT, **({"num_format": "yyyy-mm-dd"} if col.kind == "date" else {})}
            fmt = self.book.fmt(**fmt_props)
            v = row[k]
            day = as_date(v) if col.kind == "date" else None
            if day is not None:
                ws.write_datetime(r, c0 + k, day, fmt)
            elif isinstance(v, bool):
                ws.write_string(r, c0 + k, text["yes"] if v else text["no"], fmt)
            elif isinstance(v, (int, float)):
                ws.write_number(r, c0 + k, v, fmt)
            else:
                tr = self.translate[k]  # in the workbook's language, as the other cells
                v = clean_text("" if v is None else tr(str(v)) if tr is not None else str(v), self.marker)
                ws.write_string(r, c0 + k, v, self.book.fmt(**fmt_props, quote_prefix=True)
                                if v.startswith(FORMULA_START) else fmt)
            if was is not None:
                tr = self.translate[k]
                note = text["corrected"].format(was=(tr(was) if tr is not None and was else was) or text["empty"])
                ws.write_comment(r, c0 + k, clean_text(note)[:2000], {"author": "minutes"})
            elif not added_noted:  # an added row: one note on its first cell
                ws.write_comment(r, c0 + k, text["added"], {"author": "minutes"})
                added_noted = True


def source_kind(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str | None:
    """How a table's rows name their document: ``doc`` (a doc_id column), ``documents`` (a column
    of space-separated doc ids, as in meetings) or None (no Kilde: runs, reference data)."""
    if "doc_id" in header:
        return "doc"
    if "documents" in header:
        k = list(header).index("documents")
        if any(isinstance(row[k], str) and row[k] for row in rows[:50]):
            return "documents"
    return None
