"""Cell values and names as Excel takes them: sheet names, text Excel can store, headers, dates,
and the lines a wrapped text takes (for row heights)."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

from pipeline.export.labels import labels

#: Excel's limit for the text of one cell, in UTF-16 code units.
MAX_CHARS = 32_767
ILLEGAL_RE = re.compile("[\x00-\x08\x0b\x0c\r\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BAD_SHEET_CHARS_RE = re.compile(r"[\[\]:*?/\\\x00-\x1f]+")
_ISO_DATE_RE = re.compile(r"\d{4}-\d\d-\d\d")


def sheet_name(name: str, used: set[str]) -> str:
    """A valid sheet name for ``name``, not yet in ``used`` (case-folded; the name is added): at most
    31 characters, none of ``[]:*?/\\``, not starting or ending with an apostrophe.

    >>> used = set()
    >>> sheet_name("Vedtak", used), sheet_name("vedtak", used), sheet_name("A/B: [test]?", used)
    ('Vedtak', 'vedtak (2)', 'A-B- -test-')
    >>> sheet_name("Samarbeidsrådet for Nedre Romerike og Øvre Romerike", used)
    'Samarbeidsrådet for Nedre Romer'
    """
    base = _BAD_SHEET_CHARS_RE.sub("-", ILLEGAL_RE.sub("", name)).strip().strip("'").strip() or "Ark"
    if base.casefold() == "history":  # reserved by Excel
        base += " (1)"
    base = base[:31]
    candidate, n = base, 2
    while candidate.casefold() in used:
        suffix = f" ({n})"
        candidate = base[: 31 - len(suffix)].rstrip() + suffix
        n += 1
    used.add(candidate.casefold())
    return candidate


def clean_text(value: str, marker: str = labels("nb").text["truncated"]) -> str:
    """Text Excel can store: characters XML cannot carry removed, line ends as LF (a cell's line
    break; a CR would be stored as ``_x000D_``), cut with ``marker`` when longer than a cell holds
    (32,767 UTF-16 code units).

    >>> clean_text("a\\x00b\\x0bc\\td\\r\\ne\\rf")
    'abc\\td\\ne\\nf'
    >>> len(clean_text("x" * 40_000)), clean_text("x" * 40_000)[-10:]
    (32767, 'r i text/]')
    """
    if ILLEGAL_RE.search(value):
        value = ILLEGAL_RE.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    if len(value) > MAX_CHARS // 2 and _utf16_len(value) > MAX_CHARS:
        room = MAX_CHARS - _utf16_len(marker)  # characters outside the BMP count twice
        value = value.encode("utf-16-le")[: 2 * room].decode("utf-16-le", "ignore") + marker
    return value


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def header_of(name: str, headers: Mapping[str, str], lang: str) -> str:
    if name in headers:
        return headers[name]
    return name.replace("_", " ").capitalize() if lang == "en" else name


def unique_headers(names: Sequence[str]) -> list[str]:
    """Excel table columns need unique (case-insensitive), non-empty names."""
    out: list[str] = []
    seen: set[str] = set()
    for name in names:
        name = clean_text(str(name)).replace("\n", " ").strip() or "Kolonne"
        candidate, n = name, 2
        while candidate.casefold() in seen:
            candidate, n = f"{name} ({n})", n + 1
        seen.add(candidate.casefold())
        out.append(candidate)
    return out


def as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE_RE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def run_time(value: Any) -> dt.datetime | None:
    """A run timestamp (ISO, UTC) as a naive datetime in Norwegian time (UTC if no time zone data)."""
    try:
        moment = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment
    try:
        from zoneinfo import ZoneInfo

        return moment.astimezone(ZoneInfo("Europe/Oslo")).replace(tzinfo=None)
    except Exception:  # no time zone database: keep UTC
        return moment.astimezone(dt.UTC).replace(tzinfo=None)


def chars_per_line(width: float) -> int:
    """Characters of ordinary text on one line of a column ``width`` wide (Calibri 11, word wrap)."""
    return max(1, int(width * 1.1) - 3)


def text_lines(text: str, per_line: int) -> int:
    """Lines ``text`` takes when wrapped at ``per_line`` characters (an estimate, on the safe side).

    >>> text_lines("kort", 10), text_lines("a" * 25, 10), text_lines("en\\nto\\n\\ntre", 10)
    (1, 3, 4)
    """
    parts = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return sum(max(1, -(-len(part) // per_line)) for part in parts)
