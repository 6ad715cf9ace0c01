"""Table rows kept on disk while an export writes them out, so that its memory does not grow with
the archive: a :class:`RowSpool` takes rows one by one and pickles them in chunks to an anonymous
temporary file (gone when closed, or when the process dies); :class:`Rows` reads them back as a
sequence (``len``, indexing, slicing, iterating), one chunk in memory at a time.

>>> with RowSpool() as spool:
...     spool.extend((k, f"row {k}") for k in range(5000))
...     rows = spool.rows()
...     len(rows), rows[4321], rows[-1], list(rows[10:13]), len(rows[::1000]), list(rows[:0])
(5000, (4321, 'row 4321'), (4999, 'row 4999'), [(10, 'row 10'), (11, 'row 11'), (12, 'row 12')], 5, [])
"""
from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, BinaryIO, overload

#: Rows pickled together: large enough that pickling is fast, small enough that the chunk being
#: filled and the chunk being read (one each per spool) stay small on an archive of any size.
CHUNK_ROWS = 500

Row = tuple[Any, ...]


class RowSpool:
    """Rows appended to a temporary file in chunks of ``chunk_rows``."""

    def __init__(self, chunk_rows: int = CHUNK_ROWS, folder: str | None = None) -> None:
        self.chunk_rows = chunk_rows
        self._file: BinaryIO = tempfile.TemporaryFile(dir=folder)  # noqa: SIM115 - closed by close()
        self._offsets: list[int] = []  # where each chunk starts in the file
        self._pending: list[Row] = []
        self._count = 0
        self._cached: tuple[int, list[Row]] = (-1, [])

    def __enter__(self) -> RowSpool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._file.close()

    def append(self, row: Row) -> None:
        self._pending.append(row)
        self._count += 1
        if len(self._pending) >= self.chunk_rows:
            self._flush()

    def extend(self, rows: Iterable[Row]) -> None:
        for row in rows:
            self.append(row)

    def _flush(self) -> None:
        if self._pending:
            self._file.seek(0, 2)
            self._offsets.append(self._file.tell())
            pickle.dump(self._pending, self._file, protocol=pickle.HIGHEST_PROTOCOL)
            self._pending = []

    def __len__(self) -> int:
        return self._count

    def rows(self) -> Rows:
        """All rows so far, as a sequence (appending after this is not allowed)."""
        self._flush()
        return Rows(self, range(self._count))

    def chunk(self, k: int) -> list[Row]:
        if self._cached[0] != k:
            self._file.seek(self._offsets[k])
            self._cached = (k, pickle.load(self._file))
        return self._cached[1]

    def forget(self) -> None:
        """Let go of the chunk kept from the last read."""
        self._cached = (-1, [])

    def row(self, index: int) -> Row:
        return self.chunk(index // self.chunk_rows)[index % self.chunk_rows]


class Rows(Sequence[Row]):
    """A view of a spool's rows by their indices; slicing gives another view, not a copy."""

    def __init__(self, spool: RowSpool, indices: range) -> None:
        self._spool, self._indices = spool, indices

    def __len__(self) -> int:
        return len(self._indices)

    @overload
    def __getitem__(self, key: int) -> Row: ...

    @overload
    def __getitem__(self, key: slice) -> Rows: ...

    def __getitem__(self, key: int | slice) -> Row | Rows:
        if isinstance(key, slice):
            return Rows(self._spool, self._indices[key])
        return self._spool.row(self._indices[key])

    def forget(self) -> None:
        """Let go of the spool's chunk kept from the last read."""
        self._spool.forget()

    def __iter__(self) -> Iterator[Row]:
        indices, n = self._indices, self._spool.chunk_rows
        if indices.step != 1:
            yield from (self._spool.row(i) for i in indices)
            return
        k = indices.start
        while k < indices.stop:
            chunk = self._spool.chunk(k // n)
            end = min(indices.stop, (k // n + 1) * n)
            yield from chunk[k % n: k % n + (end - k)]
            k = end
        self._spool.forget()  # read to the end: the last chunk is not wanted again soon
