"""The tables as CSV (``tables/<table>.csv``, UTF-8, English snake_case columns): the contract for
programs. Rows are written as they come; a value a spreadsheet would take for a formula gets a
leading apostrophe (:func:`pipeline.export.files.safe_text`), booleans are ``true``/``false``.
"""
from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pipeline.export.files import atomic_path, safe_text
from pipeline.models import DocumentResult, as_tuple


def csv_value(value: Any) -> Any:
    """A value as CSV writes it.

    >>> csv_value(True), csv_value("=1+1"), csv_value(None)
    ('true', "'=1+1", None)
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    return safe_text(value)


def table_rows(results: Sequence[DocumentResult], table: str) -> list[tuple[Any, ...]]:
    """The rows of ``table`` in ``results``, as tuples in the order of the row class's columns."""
    if table == "documents":
        return [as_tuple(r.document) for r in results]
    return [as_tuple(row) for r in results for row in getattr(r, table)]


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """A whole table as CSV, moved into place when complete."""
    with atomic_path(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([csv_value(v) for v in row])


class CsvStream:
    """A CSV table written as its rows come (:meth:`extend`); opened with :func:`atomic_path`, so it
    is moved into place only when the ``with`` block around it ends without an error."""

    def __init__(self, handle: Any, header: Sequence[str]) -> None:
        self._writer = csv.writer(handle, lineterminator="\n")
        self._writer.writerow(header)

    def extend(self, rows: Iterable[Sequence[Any]]) -> None:
        self._writer.writerows([csv_value(v) for v in row] for row in rows)
