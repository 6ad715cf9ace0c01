"""``minutes.xlsx``, the workbook the secretariat can hand on as it is (see :mod:`pipeline.export.xlsx`)."""
from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import xlsxwriter

from pipeline.export.files import TEMPORARY_MARK, atomic_path
from pipeline.export.labels import labels
from pipeline.export.xlsx.cells import run_time
from pipeline.export.xlsx.fast import stored_package
from pipeline.export.xlsx.links import Sources
from pipeline.export.xlsx.overview import write_overview
from pipeline.export.xlsx.package import finish_package
from pipeline.export.xlsx.sheets import TableStream, checks_table, errors_table, write_region_sheets
from pipeline.export.xlsx.style import Book, footer
from pipeline.models import SourceFile
from pipeline.spool import Rows
from pipeline.summary import RegionStats, region_stats

Tables = Mapping[str, tuple[Sequence[str], Sequence[Sequence[Any]]]]


class Workbook:
    """``minutes.xlsx`` written as a run's results come: the ``streamed`` tables (name -> header)
    take each document's rows with :meth:`add`, in order; :meth:`close` writes the rest (tables
    given whole, the overview, the errors, the region sheets) and moves the file into place. A
    workbook that is not closed leaves nothing behind (:meth:`discard`, or use it as a context
    manager).

    ``sources``: doc_id -> the source file on disk (its path, or the run's ``SourceFile``); the
    ``Kilde`` cells link to it by a path relative to the workbook's folder. Without it, ``Kilde``
    shows file and place but does not link. ``corrected``: (table, row id) -> the hand-corrected
    cells of the row, column -> the extracted value (None: a row added by hand); they are marked."""

    def __init__(self, path: Path, streamed: Mapping[str, Sequence[str]] | None = None, *, lang: str = "nb",
                 per_region: bool = False, sources: Mapping[str, str | Path | SourceFile] | None = None,
                 corrected: Callable[[str, Any], Mapping[str, str | None]] | None = None) -> None:
        names = labels(lang)
        self.sheets, self.headers, self.text, self.themes = names.sheets, names.headers, names.text, names.themes
        self.path, self.per_region = Path(path), per_region
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{self.path.name}.{TEMPORARY_MARK}.", suffix=".tmp.xlsx", dir=self.path.parent)
        os.close(fd)
        self.tmp = Path(tmp_name)
        self.wb = xlsxwriter.Workbook(str(self.tmp), {
            "constant_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
            "strings_to_urls": False, "default_date_format": "yyyy-mm-dd",
        })
        self.wb.set_properties({"title": self.text["title"]})
        self.book = Book(self.wb, lang, self.text, Sources({}, sources, self.path.parent, self.text),
                         corrected=corrected)  # corrections (issue 20): the cells to mark
        self.overview = self.book.sheet(self.text["overview"])  # the first sheet, written last
        self.checks = self.book.sheet(self.text["checks_sheet"])  # the second, written at the end too
        self.streams = {table: TableStream(self.book, table, header, self.sheets.get(table, table), self.headers,
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

    def close(self, tables: Tables, run: Mapping[str, Any], stats: Sequence[RegionStats] | None = None) -> None:
        """Finish the streamed tables, write the tables of ``tables`` that were not streamed (table
        name -> (header, rows), headers the snake_case columns of the row classes; unknown tables
        are written the same way), the overview of all of them and the ``run`` row (started,
        finished, version, inputs, documents, ok, failed, seconds, workers), and move the file into
        place. ``stats``: the overview's rows (:func:`pipeline.summary.region_stats`; made from
        ``tables`` when not given)."""
        book = self.book
        self.wb.set_properties({"title": self.text["title"], "comments": f"minutes {run.get('version', '')}"})
        if "documents" in tables and "documents" not in self.streams:
            book.sources.add(*tables["documents"])
        main_sheets = {t: self.sheets.get(t, t) for t in tables}
        for table, (header, rows) in tables.items():
            if table in self.streams:
                main_sheets[table] = self.streams[table].finish()[0]
            else:
                stream = TableStream(book, table, header, self.sheets.get(table, table), self.headers)
                main_sheets[table] = stream.write_all(rows)[0]
        check_header, check_rows = checks_table(tables, labels(book.lang))
        TableStream(book, "checks", check_header, self.text["checks_sheet"], self.headers,
                    first=self.checks).write_all(check_rows)
        err_header, err_rows = errors_table(tables)
        if err_header:
            TableStream(book, "errors", err_header, self.text["errors"], self.headers).write_all(err_rows)
        if self.per_region:
            write_region_sheets(book, tables, self.headers, main_sheets)
        write_overview(book, self.overview, region_stats(tables) if stats is None else stats, run, self.themes,
                       checked=len({row[0] for row in check_rows}))
        started = run_time(run.get("started", ""))
        for ws in self.wb.worksheets():  # every page says what it is: sheet, page, run
            ws.set_footer(footer(self.text, started.date().isoformat() if started else ""))
        with stored_package():
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
                finish_package(self.tmp, f, book.tables, book.links, book.sources.target)
        finally:
            self.discard()

    def discard(self) -> None:
        """Remove the temporary file (the workbook is not written)."""
        self.tmp.unlink(missing_ok=True)


def write_workbook(path: Path, tables: Tables, run: Mapping[str, Any], *, lang: str = "nb",
                   per_region: bool = False, sources: Mapping[str, str | Path | SourceFile] | None = None,
                   stats: Sequence[RegionStats] | None = None) -> None:
    """Write ``minutes.xlsx`` at ``path`` (atomically) from whole tables: see :class:`Workbook`."""
    with Workbook(path, lang=lang, per_region=per_region, sources=sources) as book:
        book.close(tables, run, stats)
