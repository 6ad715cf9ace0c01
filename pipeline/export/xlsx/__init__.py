"""``minutes.xlsx``: the workbook the secretariat can hand on as it is.

* ``Oversikt`` first: the run (date, version, inputs, documents read and failed, documents with
  checks), then one row per owner region (``documents.region``: its documents, decisions adopted and
  proposed, persons, the documents that mention it, main themes; a region a document only mentions
  is counted in that column only) with a region x theme grid under a colour scale beside it, and a
  bar chart of decisions per region. Chart, colour scale and tables are native Excel objects.
* ``Kontroll`` second: one row per check of a document (:mod:`extractors.checks`), in the
  workbook's language, with its details and a link to the source.
* One language per workbook: coded values (statuses, kinds, outcomes, attendance, votes, region
  kinds, document types, themes, checks, error messages, yes/no) are shown in the workbook's
  language (:mod:`pipeline.export.labels`); CSV and Parquet keep the English ids.
* Printing: A4 landscape, the header row on every page, a footer with sheet, page and run date,
  text never below 8 points (:func:`.style.print_layout`).
* One sheet per table, each an Excel table (filter buttons, banded rows) with a frozen header,
  Norwegian sheet names and headers (English with ``lang="en"``), widths fitted to the content
  (capped), long text wrapped (row heights set, as LibreOffice does not fit them), dates as dates,
  true/false as Ja/Nei, adopted and proposed decisions in different colours (a conditional format,
  so the colours follow sorting and filtering), and a ``Kilde`` column on every row that refers to
  documents: file and page (PDF) or line (other formats), linked to the source file by a path
  relative to the workbook's folder. The repairs table is the ``Retting`` sheet; ``Feil`` lists the
  documents that failed, with their message. ``per_region=True`` adds one sheet per owner region with
  the decisions and participants of its documents.

Safety. Every cell is written with an explicit type: text is always stored as text (never parsed
as a formula, number or URL), so text starting with ``=``, ``+``, ``-``, ``@`` or tab cannot become a
formula; such cells also get the "quote prefix" style, so Excel and LibreOffice show them as
written, without an apostrophe, and keep them text when the cell is edited (the CSV files keep the
apostrophe of :func:`pipeline.export.files.safe_text`). The workbook has no formulas at all. Characters XML cannot
carry (``\x00``-``\x08``, ``\x0b``, ``\x0c``, ``\x0e``-``\x1f``, lone surrogates, U+FFFE, U+FFFF) are
removed and a CR becomes a line end (LF); text longer than a cell holds (32,767 UTF-16 units) is
cut with a marker (the whole text is in ``text/``); a table longer than a sheet continues on
``Vedtak (2)`` and so on. The workbook is written to a temporary file and moved into place.

How it is written. xlsxwriter in ``constant_memory`` mode streams each sheet row by row, so memory
does not grow with the rows. That mode cannot make Excel tables, and Excel allows 65,530
hyperlinks per sheet, so tables and hyperlinks are added afterwards: the package is copied once,
member by member, adding a table part per table, and one hyperlink per run of rows with the same
source file (``<hyperlink ref="O2:O41">``; one relationship per file) to each sheet.

The modules, by job: :mod:`.cells` (values and names Excel takes), :mod:`.links` (``Kilde`` and its
links), :mod:`.style` (formats, page set-up, the book), :mod:`.rows` (rows to cells), :mod:`.sheets`
(table sheets, errors, region sheets), :mod:`.overview`, :mod:`.package` (tables and hyperlinks
added to the finished package), :mod:`.fast` (the xlsxwriter speed-up), :mod:`.workbook` (the
:class:`Workbook` that drives them). The labels of both languages are data
(:mod:`pipeline.export.labels`).
"""
from __future__ import annotations

from pipeline.export.xlsx.workbook import Workbook, write_workbook

__all__ = ["Workbook", "write_workbook"]
