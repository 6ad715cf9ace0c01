"""Ruled tables read with pypdfium2 alone: the lines a page draws give the cell boxes, and the
text inside each box is the cell.

pdfplumber finds the same tables but parses every character object of the page first (about
0.25 s a page here); this costs a few milliseconds, which matters because nearly every protocol
has a participant table on its first page. A page with rules that do not form a table is left to
pdfplumber (see ``readers._pdf_tables``).
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pipeline.models import Table

THIN = 2.0  # points: a path thinner than this is a line, not a box
SNAP = 1.5  # points: edges closer than this are the same edge
MIN_ROW_HEIGHT = 5.0


def _edges(page: Any) -> tuple[list[tuple[float, float, float]], list[tuple[float, float, float]]]:
    """Horizontal edges (y, x0, x1) and vertical edges (x, y0, y1) drawn on the page: lines, and
    the four sides of every box."""
    import pypdfium2.raw as pdfium_c

    horizontal, vertical = [], []
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=2):
        left, bottom, right, top = obj.get_bounds()
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
