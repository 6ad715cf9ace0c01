"""Norwegian dates as written in meeting documents, to ISO ``YYYY-MM-DD``."""
from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    "januar": 1, "jan": 1, "februar": 2, "feb": 2, "mars": 3, "mar": 3, "april": 4, "apr": 4, "mai": 5,
    "juni": 6, "jun": 6, "juli": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "november": 11, "nov": 11, "desember": 12, "des": 12,
}
_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
DATE_RE = re.compile(
    rf"(?P<iso>\b(?P<y1>(?:19|20)\d\d)-(?P<m1>\d\d)-(?P<d1>\d\d)\b)"
    rf"|(?P<num>\b(?P<d2>\d{{1,2}})\.(?P<m2>\d{{1,2}})\.(?P<y2>(?:19|20)?\d\d)(?!\d))"
    rf"|(?P<text>\b(?P<d3>\d{{1,2}})\.?\s*(?P<m3>{_MONTH_ALT})\.?\s+(?P<y3>(?:19|20)\d\d)\b)",
    re.IGNORECASE,
)


def _year(text: str) -> int:
    year = int(text)
    if year < 100:
        year += 2000 if year <= (dt.date.today().year % 100) + 1 else 1900
    return year


def find_dates(text: str) -> list[tuple[str, int]]:
    """ISO dates found in ``text`` with their offsets; impossible dates are skipped.

    >>> [d for d, _ in find_dates("Tid: 19. november 2024 kl. 12.00, før 08.01.09 og 2020-10-22; ikke 31.02.2020")]
    ['2024-11-19', '2009-01-08', '2020-10-22']
    """
    out = []
    for m in DATE_RE.finditer(text):
        if m.group("iso"):
            y, mo, d = int(m.group("y1")), int(m.group("m1")), int(m.group("d1"))
        elif m.group("num"):
            y, mo, d = _year(m.group("y2")), int(m.group("m2")), int(m.group("d2"))
        else:
            y, mo, d = int(m.group("y3")), MONTHS[m.group("m3").casefold()], int(m.group("d3"))
        try:
            out.append((dt.date(y, mo, d).isoformat(), m.start()))
        except ValueError:
            continue
    return out


def first_date(text: str) -> str:
    """The first date in ``text``, or "".

    >>> first_date("Møtedato: 8. januar 2009"), first_date("ingen dato")
    ('2009-01-08', '')
    """
    found = find_dates(text)
    return found[0][0] if found else ""
