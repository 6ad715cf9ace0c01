"""The look of the workbook: which columns wrap, the colours, the page set-up of a sheet, and the
:class:`Book` that holds the xlsxwriter workbook with its formats, tables and links."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from pipeline.export.parquet import DATE_COLUMNS
from pipeline.export.xlsx.cells import sheet_name
from pipeline.export.xlsx.fast import FastRows
from pipeline.export.xlsx.links import Links, Sources

MAX_WIDTH = 60
MAX_SOURCE_WIDTH = 50
LINE_HEIGHT = 15.0  # points per line of Calibri 11; Excel's highest row is 409 points


# Table columns that hold long text (wrapped), dates, and rows coloured by decision status.
WRAP = {"title", "text", "error", "evidence", "before", "after", "label", "organisation", "role",
         "body", "members", "councils", "mention", "outcome", "proposal", "inputs", "documents", "doc_types",
         "checks", "details", "themes", "region_kind"}
DATES = DATE_COLUMNS
STATUS_COLOURS = {"adopted": "#E2EFDA", "proposed": "#FFF2CC"}
LINK_COLOUR = "#0563C1"
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


@dataclass
class Column:
    name: str
    kind: str  # text, date
    wrap: bool
