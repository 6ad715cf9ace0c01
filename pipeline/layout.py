"""Bringing table structure into the text.

The fast PDF reader gives a participant table's row as one line ("Kari Nordmann Vang kommune
ordfører"): the cell borders are lost. pdfplumber's table finder, run on the pages that hold
such tables, knows the cells. :func:`with_table_rows` puts them back: a page line that reads
exactly like a table row (whitespace aside) becomes the row's cells joined by tabs, which the
segmenter reads as a table row. Nothing else in the text changes.
"""
from __future__ import annotations

from collections.abc import Sequence

from pipeline.models import Page, Table


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()  # as re.sub(r"\s+", " ", text).strip(): split() and \s take the same spaces


def with_table_rows(pages: Sequence[Page], tables: Sequence[Table]) -> tuple[Page, ...]:
    """Pages whose lines that are table rows carry tabs between the cells.

    >>> pages = [Page(1, "Til stede:\\nKari Nordmann Vang kommune\\nSaken ble drøftet.")]
    >>> tables = [Table(1, (("Navn", "Kommune"), ("Kari Nordmann", "Vang kommune")))]
    >>> with_table_rows(pages, tables)[0].text
    'Til stede:\\nKari Nordmann\\tVang kommune\\nSaken ble drøftet.'
    """
    if not tables:
        return tuple(pages)
    rows_by_page: dict[int, dict[str, str]] = {}
    for table in tables:
        for row in table.rows:
            cells = [" ".join(c.split()) for c in row]
            filled = [c for c in cells if c]
            if len(filled) >= 2:
                rows_by_page.setdefault(table.page, {})[_key(" ".join(filled))] = "\t".join(filled)
    out = []
    for page in pages:
        rows = rows_by_page.get(page.number)
        if not rows:
            out.append(page)
            continue
        lines = [rows.get(_key(line), line) if "\t" not in line else line for line in page.text.split("\n")]
        out.append(Page(page.number, "\n".join(lines)))
    return tuple(out)
