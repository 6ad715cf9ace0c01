"""The xlsxwriter speed-up, in one place: xlsxwriter's cell writers without their "A1" wrapper,
:class:`FastRows` in place of ``Worksheet._write_single_row`` (the same bytes in a third of the
time), and :func:`stored_package` (xlsxwriter's temporary package stored, not compressed: it is
compressed once, when :mod:`.package` copies it). They rely on private parts of xlsxwriter, so
``pyproject.toml`` pins its version range (:data:`TESTED`), they are on only for a version in that
range (:data:`ENABLED`), and each checks that what it relies on is there; otherwise xlsxwriter's
own code runs: slower, the same bytes. ``tests/test_workbook.py`` proves every part of the package
byte-identical with and without it.

What it is worth (100,000 decision rows, one sheet): 3.1 s with it, 9.9 s without, 9.8 s for bare
xlsxwriter writing the same sheet; the export of an archive spends most of its time here."""
from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
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


#: A string cell that :class:`FastRows` leaves to xlsxwriter: characters to escape, or a literal
#: ``_xHHHH_`` (Excel's own escape), or what xlsxwriter takes for a rich string.
_CAREFUL_RE = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_")


class FastRows:
    """xlsxwriter's ``Worksheet._write_single_row`` (constant_memory: a finished row to XML), the
    same bytes in a third of the time for the cells table sheets are made of: plain strings, numbers
    and dates with a format. Any other cell, and any row with a comment or no cells, goes through
    xlsxwriter's own code. Installed on a worksheet only if xlsxwriter has what it relies on."""

    _NEEDS = ("table", "previous_row", "row_info", "comments", "_write_row", "_write_cell", "fh")

    def __init__(self, ws: Any, original: Any) -> None:
        from xlsxwriter.worksheet import CellDatetimeTuple, CellNumberTuple, CellStringTuple

        self.ws, self.original = ws, original
        self.string, self.numbers = CellStringTuple, (CellNumberTuple, CellDatetimeTuple)
        self.letters: list[str] = [xl_col_to_name(k) for k in range(64)]
        self.xf: dict[int, int] = {}  # id(format) -> its xf index

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
            index = xf.get(id(fmt))
            if index is None:
                index = xf[id(fmt)] = fmt._get_xf_index()
            ref = (self.letters[col] if col < len(self.letters) else xl_col_to_name(col)) + row
            if kind is string:
                text = cell.string
                space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
                out.append(f'<c r="{ref}" s="{index}" t="inlineStr"><is><t{space}>{text}</t></is></c>')
            else:
                out.append(f'<c r="{ref}" s="{index}"><v>{cell.number:.16G}</v></c>')
        out.append("</row>")
        write("".join(out))
        ws.table.clear()


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
