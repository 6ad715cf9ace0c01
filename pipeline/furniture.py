"""Running headers, footers and page numbers across the pages of a document: the lines at a page's
edges that repeat on most pages (digits aside), for :func:`pipeline.normalise.remove_page_furniture`."""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from pipeline.models import Line

_PAGE_NUMBER_RE = re.compile(
    r"^\s*(?:[-–—]\s*)?(?:(?:side|s\.|page|sida)\s*)?(\d{1,4})(?:\s*(?:av|/|of|\(\s*\d{1,4}\s*\)))?"
    r"(?:\s*\d{1,4})?\s*(?:[-–—]\s*)?$",
    re.IGNORECASE,
)
_DIGITS_RE = re.compile(r"\d+")


@lru_cache(maxsize=8192)  # a page's lines are shaped again on each pass of the line fixers
def line_shape(text: str) -> str:
    """A line as compared across pages: stripped, casefolded, each run of digits as ``#``."""
    return _DIGITS_RE.sub("#", text.strip().casefold())


def across_pages(lines: list[Line], on_page: dict[int, list[int]]) -> set[int]:
    """The furniture among ``lines`` (``on_page``: page -> its lines with text, two pages or more): a
    line among the first or last three of a page that repeats on most pages, or a bare page number there."""
    edges = {page: idx[:3] + idx[-3:] if len(idx) > 6 else idx for page, idx in on_page.items()}
    shapes = {page: tuple(line_shape(lines[i].text) for i in idx) for page, idx in edges.items()}
    pages = _distinct_pages(lines, on_page, shapes)
    if len(pages) < 2:  # one page, twice or more: only its page numbers are furniture
        return {i for idx in edges.values() for i in idx if _PAGE_NUMBER_RE.match(lines[i].text)}
    counts = Counter(shape for page in pages for shape in shapes[page])
    need = max(2, (len(pages) + 1) // 2)
    drop = set()
    for page, idx in edges.items():
        for i, shape in zip(idx, shapes[page], strict=True):
            text = lines[i].text
            if _PAGE_NUMBER_RE.match(text) or (counts[shape] >= need and len(text.strip()) > 3):
                drop.add(i)
    return drop


def _distinct_pages(lines: list[Line], on_page: dict[int, list[int]], shapes: dict[int, tuple[str, ...]]) -> list[int]:
    """The pages, leaving out each that repeats an earlier one (the same text, digits aside: a page
    scanned or printed twice, a form filled in on every page): counted again, every line of it is
    "on most pages", and all its text would go as furniture, line by line from the edges in.
    ``shapes``: the shapes of each page's edge lines (only pages alike there are compared whole)."""
    alike: dict[tuple[str, ...], list[int]] = {}
    for page in sorted(on_page):
        alike.setdefault(shapes[page], []).append(page)
    if len(alike) == len(on_page):  # most documents: their pages differ at the edges already
        return sorted(on_page)
    pages = []
    for group in alike.values():
        seen: set[str] = set()
        for page in group:
            whole = _DIGITS_RE.sub("#", "\n".join(lines[i].text.strip() for i in on_page[page]).casefold())
            if whole not in seen:
                seen.add(whole)
                pages.append(page)
    return sorted(pages)
