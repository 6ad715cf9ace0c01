"""The look of the workbook: which columns wrap, the colours, the page set-up of a sheet, and the
:class:`Book` that holds the xlsxwriter workbook with its formats, tables and links."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pipeline.export.parquet import DATE_COLUMNS
from pipeline.export.xlsx.cells import sheet_name
from pipeline.export.xlsx.fast import FastRows
from pipeline.export.xlsx.links import Links, Sources

MAX_WIDTH = 60
MAX_SOURCE_WIDTH = 50
MIN_WRAP_WIDTH = 30  # the narrowest a long text column is made to print on the page of the columns before it
LINE_HEIGHT = 15.0  # points per line of Calibri 11; Excel's highest row is 409 points

# Printing. Text is Calibri 11 and must never print below 8 points. A sheet prints at the scale that
# fits its columns to the page width when that scale is PRINT_MIN_SCALE or more; a wider sheet prints
# at PRINT_SCALE, its columns continuing on the next page (pages in reading order: across, then
# down) with the first column repeated. The scale is set, not left to "fit to page": LibreOffice
# reads a fit to one page wide and any number of pages tall as one page in all, shrinking a long
# sheet to unreadable text. Widths in pixels at 100 % (Excel: 7 px a character + 5), times
# PRINT_FONT_SLACK: where Calibri is missing, LibreOffice measures the columns with a wider font
# (DejaVu Sans: a third wider; measured 1.33, with room for rounding), against the printable width
# of A4 landscape inside the margins, at 96 px an inch.
PRINT_MIN_SCALE = 0.75  # 11 pt x 0.75 = 8.25 pt
PRINT_SCALE = 80
PRINT_FONT_SLACK = 1.4
PRINT_WIDTH_PX = (11.69 - 2 * 0.4) * 96


# Table columns that hold long text (wrapped), dates, and rows coloured by decision status.
WRAP = {"title", "text", "error", "evidence", "before", "after", "label", "organisation", "role",
         "body", "members", "councils", "mention", "outcome", "proposal", "inputs", "documents", "doc_types",
         "checks", "details", "themes", "region_kind"}
#: Per table, the widest its columns may be (characters; ``source``: the Kilde column), so that the
#: sheet prints on one page width; these columns wrap (a long word is broken).
NARROW = {
    # Kilde as wide as a file name: LibreOffice does not wrap a cell with a hyperlink
    "checks": {"doc_id": 18, "title": 24, "check": 20, "details": 30, "source": 44},
    "documents": {"title": 40, "body": 24, "error": 40, "organisation": 30, "place": 24, "checks": 40},
    "decisions": {"label": 30, "outcome": 24, "body": 24, "title": 40, "themes": 30},
    "participants": {"role": 30, "organisation": 30},
}
DATES = DATE_COLUMNS
STATUS_COLOURS = {"adopted": "#E2EFDA", "proposed": "#FFF2CC"}
LINK_COLOUR = "#0563C1"
CORRECTED_COLOUR = "#FCE4D6"  # cells corrected by hand (issue 20)
CORRECTED_FONT = "#7F3F00"
TABLE_STYLE = "TableStyleMedium2"


@dataclass
class TableSpec:
    sheet: str
    first_row: int
    first_col: int
    last_row: int
    last_col: int
    columns: list[str]
    name: str = ""


@dataclass
class Book:
    """The xlsxwriter workbook with the formats, names, tables and hyperlinks of this run."""

    wb: Any
    lang: str
    text: dict[str, str]
    sources: Sources
    used_names: set[str] = field(default_factory=set)
    tables: list[TableSpec] = field(default_factory=list)
    #: sheet -> its hyperlinks: one per run of rows with one source
    links: dict[str, Links] = field(default_factory=lambda: defaultdict(Links))
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
        FastRows.install(ws)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
        return ws

    def add_table(self, ws: Any, first_row: int, first_col: int, n_rows: int, columns: list[str]) -> None:
        """Register an Excel table over a header row and ``n_rows`` data rows (at least one row: an
        empty table keeps one blank row, as Excel requires)."""
        self.tables.append(TableSpec(ws.get_name(), first_row, first_col, first_row + max(n_rows, 1),
                                      first_col + len(columns) - 1, columns))


def column_pixels(widths: Sequence[float]) -> float:
    """Pixels that columns of ``widths`` (in characters) take at 100 % in Excel."""
    return sum(7 * w + 5 for w in widths)


def print_width(widths: Sequence[float]) -> float:
    """Pixels that columns of ``widths`` may take when printed: with the slack of a wider font."""
    return column_pixels(widths) * PRINT_FONT_SLACK


def print_layout(ws: Any, widths: Sequence[float], header_rows: tuple[int, int] | None = (0, 0),
                 extra_px: float = 0) -> int:
    """Set how a sheet prints: its ``header_rows`` repeated on every page, at the scale that fits
    columns of ``widths`` (and ``extra_px`` of a chart beyond them) to the page width when text stays
    at 8 points or more, else at :data:`PRINT_SCALE` with the first column repeated on the pages
    that continue to the right. Returns the scale (percent).

    >>> class Ws:
    ...     def __getattr__(self, name): return lambda *a: None
    >>> print_layout(Ws(), [20, 60, 12]), print_layout(Ws(), [20, 60, 40]), print_layout(Ws(), [20] * 15)
    (100, 87, 80)
    """
    if header_rows is not None:
        ws.repeat_rows(*header_rows)
    fit = fit_scale(widths, extra_px)
    if fit is not None:
        scale = fit
    else:
        scale = PRINT_SCALE
        ws.repeat_columns(0)
        ws.print_across()
    ws.set_print_scale(scale)
    return scale


def fit_scale(widths: Sequence[float], extra_px: float = 0) -> int | None:
    """The scale (percent, at most 100) that prints columns of ``widths`` and ``extra_px`` more on
    one page width, None when that would print text below 8 points.

    >>> fit_scale([20, 60, 12]), fit_scale([20, 60, 40]), fit_scale([20] * 15)
    (100, 87, None)
    """
    fit = int(100 * PRINT_WIDTH_PX / max(1.0, print_width(widths) + extra_px))
    return min(100, fit) if fit >= 100 * PRINT_MIN_SCALE else None


def first_page_fit(widths: Sequence[float], wrapped: Sequence[bool], least: float = MIN_WRAP_WIDTH) -> list[float]:
    """``widths`` with the first wrapped (long text) column narrowed, when the sheet prints across
    pages, so that it prints on the first page with the columns before it (not below ``least``
    characters): a decision's text on the page of its document id, not on the page after.

    >>> first_page_fit([36, 10, 18, 10, 60, 8], [False, False, False, False, True, False])
    [36, 10, 18, 10, 54.0, 8]
    >>> first_page_fit([20, 60, 12], [False, True, False])  # fits the page: as it was
    [20, 60, 12]
    """
    out = list(widths)
    if fit_scale(widths) is not None or True not in wrapped:
        return out
    k = list(wrapped).index(True)
    room = PRINT_WIDTH_PX * 100 / PRINT_SCALE / PRINT_FONT_SLACK - column_pixels(widths[:k])
    chars = float(int((room - 5) / 7) - 1)  # a character to spare: the page break falls after it
    if least <= chars < out[k]:
        out[k] = chars
    return out


def footer(text: dict[str, str], run_date: str) -> str:
    """The footer of every page: sheet name, page number and the run's date (Excel's codes: ``&A``
    the sheet, ``&P`` the page, ``&N`` the pages; a ``&`` of the text doubled).

    >>> footer({"footer_page": "Side {page} av {pages}", "footer_run": "Kjøring {date}"}, "2025-03-01")
    '&L&A&CSide &P av &N&RKjøring 2025-03-01'
    """
    def escaped(s: str) -> str:
        return s.replace("&", "&&")

    page = escaped(text["footer_page"]).format(page="&P", pages="&N")
    run = escaped(text["footer_run"]).format(date=escaped(run_date)) if run_date else ""
    return f"&L&A&C{page}&R{run}"


@dataclass
class Column:
    name: str
    kind: str  # text, date
    wrap: bool
