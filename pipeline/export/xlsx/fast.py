"""The xlsxwriter speed-up, in one place: xlsxwriter's cell writers without their "A1" wrapper,
:class:`FastRows` in place of ``Worksheet._write_single_row`` (the same bytes in a third of the
time), which also writes a table's finished rows straight to the sheet (:func:`row_writers`), and
:func:`stored_package` (xlsxwriter's temporary package stored, not compressed: it is compressed
once, when :mod:`.package` copies it). They rely on private parts of xlsxwriter, so
``pyproject.toml`` pins its version range (:data:`TESTED`), they are on only for a version in that
range (:data:`ENABLED`), and each checks that what it relies on is there; otherwise xlsxwriter's
own code runs: slower, the same bytes. ``tests/test_workbook.py`` proves every part of the package
byte-identical with and without it.

What it is worth (100,000 decision rows, one sheet): 3.1 s with it, 9.9 s without, 9.8 s for bare
xlsxwriter writing the same sheet; the export of an archive spends most of its time here."""
from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

#: The xlsxwriter series the speed-up was checked against (the pin in ``pyproject.toml``).
TESTED = "3.3."
#: The speed-up is used (tests switch it off to compare the bytes).
ENABLED = xlsxwriter.__version__.startswith(TESTED)


def fast_writers(ws: Any) -> tuple[Any, Any, Any]:
    """xlsxwriter's cell writers without the wrapper that accepts "A1" cell names (a third of the
    time of a cell). Same arguments as the public methods, which are used if they ever go away."""
    if not ENABLED:
        return ws.write_string, ws.write_number, ws.write_datetime
    string, number, date = (getattr(ws, "_" + name, getattr(ws, name))
                            for name in ("write_string", "write_number", "write_datetime"))
    return string, number, date


#: A cell of :func:`row_writers`: (column, value, format), the value a str, an int or float (finite) or a date.
Cell = tuple[int, Any, Any]


def row_writers(ws: Any) -> tuple[Callable[[int, Sequence[Cell]], None], Callable[[int, Sequence[Cell]], None]]:
    """Two functions that write a row's cells (in column order) to ``ws``: the first for a finished
    row, straight to the sheet's file when :class:`FastRows` is installed on it and the row allows
    (:meth:`FastRows.put_row`); the second cell by cell through xlsxwriter's writers
    (:func:`fast_writers`), for a row that more is written to (a note, a cell written again)."""
    string, number, date = fast_writers(ws)

    def by_cell(row: int, cells: Sequence[Cell]) -> None:
        for col, value, fmt in cells:
            kind = type(value)
            if kind is str:
                string(row, col, value, fmt)
            elif kind is int or kind is float:
                number(row, col, value, fmt)
            else:
                date(row, col, value, fmt)

    fast = getattr(ws, "_write_single_row", None)
    if not isinstance(fast, FastRows):
        return by_cell, by_cell

    def whole(row: int, cells: Sequence[Cell]) -> None:
        if not fast.put_row(row, cells):
            by_cell(row, cells)

    return whole, by_cell


#: A string cell that :class:`FastRows` leaves to xlsxwriter: characters to escape, or a literal
#: ``_xHHHH_`` (Excel's own escape), or what xlsxwriter takes for a rich string.
_CAREFUL_RE = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_")


class FastRows:
    """xlsxwriter's ``Worksheet._write_single_row`` (constant_memory: a finished row to XML), the
    same bytes in a third of the time for the cells table sheets are made of: plain strings, numbers
    and dates with a format. Any other cell, and any row with a comment or no cells, goes through
    xlsxwriter's own code. Installed on a worksheet only if xlsxwriter has what it relies on."""

    _NEEDS = ("table", "previous_row", "row_info", "comments", "_write_row", "_write_cell", "fh", "_check_dimensions",
              "_convert_date_time", "xls_strmax")

    def __init__(self, ws: Any, original: Any) -> None:
        from xlsxwriter.worksheet import CellDatetimeTuple, CellNumberTuple, CellStringTuple

        self.ws, self.original = ws, original
        self.string, self.numbers = CellStringTuple, (CellNumberTuple, CellDatetimeTuple)
        self.letters: list[str] = [xl_col_to_name(k) for k in range(64)]
        self.xf: dict[Any, int] = {}  # format (hashed by identity) -> its xf index

    @classmethod
    def install(cls, ws: Any) -> None:
        import xlsxwriter.worksheet as xw

        original = getattr(ws, "_write_single_row", None)
        if not ENABLED or original is None or not all(hasattr(ws, name) for name in cls._NEEDS) or not all(
                hasattr(xw, name) for name in ("CellStringTuple", "CellNumberTuple", "CellDatetimeTuple")):
            return
        ws._write_single_row = cls(ws, original)

    def __call__(self, current_row_num: int = 0) -> None:
        ws = self.ws
        row_num = ws.previous_row
        cells = ws.table.get(row_num)
        if not cells or row_num in ws.comments:
            self.original(current_row_num)
            return
        ws.previous_row = current_row_num
        ws._write_row(row_num, None, ws.row_info.get(row_num))
        write, careful, string, numbers, xf = ws.fh.write, _CAREFUL_RE.search, self.string, self.numbers, self.xf
        row = str(row_num + 1)
        out: list[str] = []
        for col in sorted(cells):
            cell = cells[col]
            kind, fmt = type(cell), cell.format
            if fmt is None or (kind is string and careful(cell.string)) or (kind is not string and kind not in numbers):
                write("".join(out))
                out.clear()
                ws._write_cell(row_num, col, cell)
                continue
            index = xf.get(fmt)
            if index is None:
                index = xf[fmt] = fmt._get_xf_index()
            ref = (self.letters[col] if col < len(self.letters) else xl_col_to_name(col)) + row
            out.append(_string_xml(ref, index, cell.string) if kind is string else _number_xml(ref, index, cell.number))
        out.append("</row>")
        write("".join(out))
        ws.table.clear()

    def put_row(self, row_num: int, cells: Sequence[Cell]) -> bool:
        """Write a whole row (``cells``: :data:`Cell` in column order) to the sheet's file at once,
        instead of holding it in ``ws.table`` until the next row begins: the bytes xlsxwriter's
        writers and :meth:`__call__` would write, in half the time. False (nothing written) when
        the row is not one for it; the caller writes it cell by cell then: no cells, a row already
        begun or written, a comment or a row format on it, out of the sheet, a value other than a
        string, a finite number or a date, a string xlsxwriter would cut, or a format without its
        index yet (indices are given in the order the cells reach the file, which must not change)."""
        ws = self.ws
        if not cells or row_num < ws.previous_row or ws.table.get(row_num) or row_num in ws.comments:
            return False
        info = ws.row_info.get(row_num)
        if info is not None and info.row_format is not None:
            return False
        careful, string, xf, finite, letters = _CAREFUL_RE.search, self.string, self.xf, math.isfinite, self.letters
        while cells[-1][0] >= len(letters):  # cells come in column order: the last is the rightmost
            letters.append(xl_col_to_name(len(letters)))
        row, longest = str(row_num + 1), ws.xls_strmax // 2
        parts: list[Any] = []  # the cells' XML, or (column, cell) for xlsxwriter's _write_cell
        for col, value, fmt in cells:
            index = xf.get(fmt)
            if index is None:
                if fmt is None or (fmt.xf_index is None and fmt._get_format_key() not in fmt.xf_format_indices):
                    return False
                index = xf[fmt] = fmt._get_xf_index()
            kind = type(value)
            if kind is str:
                if len(value) > longest:
                    return False
                parts.append((col, string(value, fmt)) if careful(value) else _string_xml(letters[col] + row, index, value))
                continue
            if kind is int or kind is float:
                if not finite(value):
                    return False
            elif isinstance(value, dt.date):
                value = ws._convert_date_time(value)  # as _write_datetime
            else:
                return False
            parts.append(_number_xml(letters[col] + row, index, value))
        if ws._check_dimensions(row_num, cells[0][0]) or ws._check_dimensions(row_num, cells[-1][0]):
            return False  # as each cell's writer does (it keeps the sheet's extent), or the cells are dropped
        if row_num > ws.previous_row:
            ws._write_single_row(row_num)  # the row before, as the first cell of this one makes xlsxwriter do
        ws._write_row(row_num, None, info)
        write, out = ws.fh.write, []
        for part in parts:
            if type(part) is str:
                out.append(part)
            else:
                write("".join(out))
                out.clear()
                ws._write_cell(row_num, *part)
        out.append("</row>")
        write("".join(out))
        ws.previous_row = row_num + 1  # this row is written: the next write must not write it again
        return True


def _string_xml(ref: str, index: int, text: str) -> str:
    """A string cell as xlsxwriter writes it in constant_memory mode (an inline string)."""
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f'<c r="{ref}" s="{index}" t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _number_xml(ref: str, index: int, value: float) -> str:
    """A number cell (a date as its serial number) as xlsxwriter writes it."""
    return f'<c r="{ref}" s="{index}"><v>{value:.16G}</v></c>'


@contextmanager
def stored_package() -> Iterator[None]:
    """Let xlsxwriter store its (temporary) package without compressing it: the package is copied
    once more to add tables and hyperlinks, and compressed then. Should xlsxwriter stop using this
    constant, nothing changes but the speed."""
    import xlsxwriter.workbook as xw

    old = getattr(xw, "ZIP_DEFLATED", None)
    if not ENABLED or old is None:
        yield
        return
    xw.ZIP_DEFLATED = zipfile.ZIP_STORED
    try:
        yield
    finally:
        xw.ZIP_DEFLATED = old
