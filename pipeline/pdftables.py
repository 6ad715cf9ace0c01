"""Ruled tables read with pypdfium2 alone: the lines a page draws give the cell boxes, and the
text inside each box is the cell.

pdfplumber finds the same tables but parses every character object of the page first (about
0.25 s a page here); this costs a few milliseconds, which matters because nearly every protocol
has a participant table on its first page. A page with rules that do not form a table is left to
pdfplumber (see ``readers._pdf_tables``).
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from ctypes import c_float
from typing import Any

from pipeline.models import Table

THIN = 2.0  # points: a path thinner than this is a line, not a box
SNAP = 1.5  # points: edges closer than this are the same edge
MIN_ROW_HEIGHT = 5.0


def page_objects(page: Any, kind: int, max_depth: int) -> Iterator[Any]:
    """The raw handles of a page's objects of one ``kind`` (``FPDF_PAGEOBJ_*``), in the order and to
    the depth of Form XObjects of pypdfium2's ``page.get_objects(filter=[kind], max_depth=...)``,
    with its errors, without making a Python object of each (a page has hundreds of text objects)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    def walk(parent: Any, count: Any, get: Any, level: int) -> Iterator[Any]:
        n = count(parent)
        if n < 0:
            raise pdfium.PdfiumError("Failed to get number of pageobjects.")
        for i in range(n):
            obj = get(parent, i)
            if not obj:
                raise pdfium.PdfiumError("Failed to get pageobject.")
            found = pdfium_c.FPDFPageObj_GetType(obj)
            if found == kind:
                yield obj
            elif found == pdfium_c.FPDF_PAGEOBJ_FORM and level < max_depth - 1:
                yield from walk(obj, pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject, level + 1)
            elif found == pdfium_c.FPDF_PAGEOBJ_UNKNOWN:
                raise pdfium.PdfiumError("Failed to determine pageobject type, did you pass in a valid FPDF_PAGEOBJECT handle?")

    return walk(page.raw, pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject, 0)


def _bounds(obj: Any) -> tuple[float, float, float, float]:
    """Left, bottom, right, top of a raw page object (pypdfium2's ``PdfObject.get_bounds``)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    left, bottom, right, top = c_float(), c_float(), c_float(), c_float()
    if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
        raise pdfium.PdfiumError("Failed to locate pageobject.")
    return left.value, bottom.value, right.value, top.value


def _edges(page: Any) -> tuple[list[tuple[float, float, float]], list[tuple[float, float, float]]]:
    """Horizontal edges (y, x0, x1) and vertical edges (x, y0, y1) drawn on the page: lines, and
    the four sides of every box."""
    import pypdfium2.raw as pdfium_c

    horizontal, vertical = [], []
    for obj in page_objects(page, pdfium_c.FPDF_PAGEOBJ_PATH, max_depth=2):
        left, bottom, right, top = _bounds(obj)
        width, height = right - left, top - bottom
        if height <= THIN and width > THIN:
            horizontal.append(((top + bottom) / 2, left, right))
        elif width <= THIN and height > THIN:
            vertical.append(((left + right) / 2, bottom, top))
        elif width > THIN and height > THIN:
            horizontal += [(bottom, left, right), (top, left, right)]
            vertical += [(left, bottom, top), (right, bottom, top)]
    return horizontal, vertical


def _snap(values: Sequence[float]) -> list[float]:
    """Distinct positions, edges within SNAP of each other counted once.

    >>> _snap([10.0, 10.4, 30.0, 29.5, 50.0])
    [10.0, 29.5, 50.0]
    """
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > SNAP:
            out.append(v)
    return out


def _cell_text(textpage: Any, left: float, bottom: float, right: float, top: float) -> str:
    text = textpage.get_text_bounded(left=left + 0.5, bottom=bottom + 0.5, right=right - 0.5, top=top - 0.5)
    return " ".join(text.replace("\ufffe", "").split())  # as re.sub(r"\s+", " ", ...).strip()


def page_tables(page: Any, textpage: Any, number: int) -> list[Table]:
    """The ruled tables of one page, top to bottom; [] when its lines form none."""
    horizontal, vertical = _edges(page)
    if len(horizontal) < 2 or len(vertical) < 2:
        return []
    rows_y = sorted(_snap([y for y, _, _ in horizontal]), reverse=True)  # PDF y grows upwards
    tables: list[Table] = []
    current: list[tuple[str, ...]] = []
    columns_now: list[float] | None = None
    for top, bottom in zip(rows_y, rows_y[1:]):
        if top - bottom < MIN_ROW_HEIGHT:
            continue
        xs = _snap([x for x, y0, y1 in vertical if y0 <= bottom + SNAP and y1 >= top - SNAP])
        if len(xs) < 3:  # fewer than two columns: not a table row
            if current:
                tables.append(Table(number, tuple(current)))
            current, columns_now = [], None
            continue
        if columns_now is not None and xs != columns_now and current:
            tables.append(Table(number, tuple(current)))
            current = []
        columns_now = xs
        cells = tuple(_cell_text(textpage, a, bottom, b, top) for a, b in zip(xs, xs[1:]))
        if any(cells):
            current.append(cells)
    if current:
        tables.append(Table(number, tuple(current)))
    return [t for t in tables if len(t.rows) >= 2]
