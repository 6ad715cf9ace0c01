"""Tables for analysts: typed Parquet files beside the CSV (the column types are also those of
``datapackage.json``, :mod:`pipeline.export.datapackage`).

Types come from the row classes' annotations: ``int`` columns are integers, ``bool`` columns
booleans (empty when unknown), ISO dates (``meeting_date``, ``date``) dates, the rest strings; a
missing value is null whatever the type (an empty text too).
Rows keep the order of the CSV, so the same input gives byte-identical files.
"""
from __future__ import annotations

import datetime as dt
import os
import typing
from array import array
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

# Arrow allocates with the C library's allocator, which gives memory back between row groups;
# Arrow's default (mimalloc) keeps what the largest groups took, and the peak then grows with the
# archive. Read when pyarrow is first imported; an ARROW_DEFAULT_MEMORY_POOL of the user wins.
os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")

import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

from pipeline.export.files import atomic_path  # noqa: E402

DATE_COLUMNS = {"meeting_date", "date"}
_ARROW = {"integer": pa.int64(), "boolean": pa.bool_(), "date": pa.date32(), "string": pa.string(),
          "number": pa.float64()}


def column_types(row_class: type | None, header: Sequence[str], sample: Sequence[Any] = ()) -> list[str]:
    """Frictionless type names of a table's columns, from the row class or, for a table without
    one (``runs``), from a sample row.

    >>> from pipeline.models import DecisionRow
    >>> column_types(DecisionRow, ["item", "quoted", "votes_for", "page"])
    ['string', 'boolean', 'integer', 'integer']
    """
    hints = typing.get_type_hints(row_class) if row_class is not None else {}
    if row_class is None and sample:
        hints = {name: type(value) for name, value in zip(header, sample)}
    out = []
    for name in header:
        hint = str(hints.get(name, "str"))
        if name in DATE_COLUMNS:
            out.append("date")
        elif "bool" in hint:
            out.append("boolean")
        elif "int" in hint:
            out.append("integer")
        elif "float" in hint:
            out.append("number")
        else:
            out.append("string")
    return out


def _value(kind: str, value: Any) -> Any:
    """A cell as Parquet holds it: missing (``None`` or ``""``) is null in every column, text too
    (the CSV writes it as an empty cell, which Frictionless also reads as null).

    >>> _value("string", ""), _value("integer", ""), _value("date", "2026-02-12")
    (None, None, datetime.date(2026, 2, 12))
    """
    if value is None or value == "":
        return None
    if kind == "string":
        return str(value)
    if kind == "date":
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            return None
    return value


#: Rows per Parquet row group: an export holds up to this many rows of each table in memory while
#: it writes them, so it is kept small.
ROW_GROUP = 1_000


class ParquetStream:
    """A typed Parquet file written as its rows come, a row group of ``ROW_GROUP`` rows at a time
    (memory stays flat however long the table is; the same rows give the same bytes). Use it as a
    context manager: the file is moved into place when the block ends without an error, and left
    out when it does not."""

    def __init__(self, path: Path, header: Sequence[str], types: Sequence[str]) -> None:
        self.types = list(types)
        self.schema = pa.schema([pa.field(name, _ARROW[kind]) for name, kind in zip(header, types)])
        self._file = atomic_path(path, "wb")
        self._batch: list[Sequence[Any]] = []
        self._written = False
        self._writer = pq.ParquetWriter(self._file.__enter__(), self.schema, compression="zstd")

    def __enter__(self) -> ParquetStream:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: Any) -> None:
        try:
            if exc is None and (self._batch or not self._written):  # an empty table gets its empty row group
                self._writer.write_table(_table(self.schema, self.types, self._batch))
            self._batch = []
            self._writer.close()
        except BaseException as error:
            self._file.__exit__(type(error), error, error.__traceback__)  # the temporary file goes
            raise
        self._file.__exit__(kind, exc, tb)  # moved into place, or (after an error) gone

    def extend(self, rows: Iterable[Sequence[Any]]) -> None:
        batch = self._batch
        for row in rows:
            batch.append(row)
            if len(batch) >= ROW_GROUP:
                self._writer.write_table(_table(self.schema, self.types, batch))
                batch.clear()
                self._written = True


def write_parquet(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]], types: Sequence[str]) -> None:
    """``rows`` as a typed Parquet file (see :class:`ParquetStream`)."""
    with ParquetStream(path, header, types) as stream:
        stream.extend(rows)


def _table(schema: pa.Schema, types: Sequence[str], rows: Sequence[Sequence[Any]]) -> pa.Table:
    columns = [_array(kind, [_value(kind, row[k]) for row in rows]) for k, kind in enumerate(types)]
    return pa.Table.from_arrays(columns, schema=schema)


_EPOCH = dt.date(1970, 1, 1).toordinal()
_TYPECODES = {"integer": "q", "number": "d", "date": "i"}


def _array(kind: str, values: list[Any]) -> pa.Array:
    """An Arrow array of ``values`` (Python values of the column's kind, None for missing), built
    from its buffers. ``pa.array`` would do the same, but its first call imports pandas (to check
    whether the values are a pandas object): 0.3 s and 40 MB in every run, for nothing.

    >>> _array("date", [dt.date(2026, 2, 12), None]).to_pylist()
    [datetime.date(2026, 2, 12), None]
    >>> _array("boolean", [True, None, False]).to_pylist()
    [True, None, False]
    """
    n = len(values)
    if kind == "string":
        builder = pa.lib.StringBuilder()
        builder.append_values(values)
        return builder.finish()
    valid = _bitmap([v is not None for v in values])
    if kind == "boolean":
        data = pa.py_buffer(_bitmap([v is not None and bool(v) for v in values]))
    elif kind == "date":
        data = pa.py_buffer(array("i", [v.toordinal() - _EPOCH if v is not None else 0 for v in values]))
    else:
        data = pa.py_buffer(array(_TYPECODES[kind], [v if v is not None else 0 for v in values]))
    return pa.Array.from_buffers(_ARROW[kind], n, [pa.py_buffer(valid) if None in values else None, data])


def _bitmap(bits: list[bool]) -> bytearray:
    """Arrow's bit layout: bit ``i`` of the buffer is ``bits[i]`` (least significant bit first)."""
    out = bytearray((len(bits) + 7) // 8)
    for i, bit in enumerate(bits):
        if bit:
            out[i >> 3] |= 1 << (i & 7)
    return out
