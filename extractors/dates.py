"""Norwegian dates as written in meeting documents, to ISO ``YYYY-MM-DD``."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

MONTHS = {
    "januar": 1, "jan": 1, "februar": 2, "feb": 2, "mars": 3, "mar": 3, "april": 4, "apr": 4, "mai": 5,
    "juni": 6, "jun": 6, "juli": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "november": 11, "nov": 11, "desember": 12, "des": 12,
}
_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
DATE_RE = re.compile(
    rf"(?P<iso>\b(?P<y1>(?:19|20)\d\d)-(?P<m1>\d\d)-(?P<d1>\d\d)\b)"
    rf"|(?P<num>\b(?P<d2>\d{{1,2}})\.(?P<m2>\d{{1,2}})\.(?P<y2>(?:19|20)?\d\d)(?!\d))"
    rf"|(?P<text>\b(?P<d3>\d{{1,2}})\.?\s*(?:(?:-|–|og)\s*\d{{1,2}}\.?\s*)?(?P<m3>{_MONTH_ALT})\.?\s+(?P<y3>(?:19|20)\d\d)\b)",
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
    >>> [d for d, _ in find_dates("Dato: 8. - 9. oktober 2020")]  # a range: its first day
    ['2020-10-08']
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


#: Weekdays in Bokmål and Nynorsk -> ``date.weekday()``.
WEEKDAYS = {"mandag": 0, "måndag": 0, "tirsdag": 1, "tysdag": 1, "onsdag": 2, "torsdag": 3, "fredag": 4,
            "lørdag": 5, "laurdag": 5, "søndag": 6, "sundag": 6}
_WEEKDAY_ALT = "|".join(WEEKDAYS)
#: A meeting's date as a notice or protocol head gives it: after a label ("Tid:", "Dato:",
#: "Møtedato:"), a weekday, or "møte … "; a range ("8. - 9. oktober", "15. og 16. desember") by its
#: first day; the year may be missing ("Tid: Fredag 7. november kl. 09:00").
_MEETING_RE = re.compile(
    rf"(?:(?P<label>\b(?:møtedato|møtetid|tid|dato)\s*:)\s*)?(?:(?P<wd>\b(?:{_WEEKDAY_ALT}))\s+)?(?:den\s+)?"
    rf"(?:(?P<d>\b\d{{1,2}})\.?\s*(?:(?:-|–|og)\s*\d{{1,2}}\.?\s*)?(?P<m>{_MONTH_ALT})\b\.?(?:\s+(?P<y>(?:19|20)\d\d)\b)?"
    rf"|(?P<nd>\b\d{{1,2}})\.(?P<nm>\d{{1,2}})\.(?P<ny>(?:19|20)?\d\d)(?!\d))"
    rf"(?P<kl>\s*,?\s*(?:kl\b|klokka\b|\d\d[:.]\d\d))?",
    re.IGNORECASE,
)
_MEETING_WORD = re.compile(r"\bmøte[a-zæøå]*\b[^.:\n]{0,40}$", re.IGNORECASE)
#: A date of an earlier meeting: "Referat fra møte 18.11.2004", "protokoll frå møtet 3. mars".
_EARLIER = re.compile(r"(?:\b(?:godkjenning\s+av|godkjenne|godkjent)\s+(?:referat|protokoll|møtebok)[a-zæøå]*"
                      r"\s+(?:fra|frå)\s+(?:møte[a-zæøå]*|regionrådsmøte|rådsmøte)(?:\s+i\s+[\wæøå-]+)?"
                      r"|\b(?:forrige|førre|siste)\s+møte[a-zæøå]*)\s*$", re.IGNORECASE)
#: A label right before the date that dates something else: a letter ("Dato:" without a weekday or
#: a time), an e-mail ("Sendt:"), a web page ("Publisert:").
_OTHER_LABEL = re.compile(r"\b[\wæøå]+\s*:\s*$")
#: Case numbers ("21/12", "048/12", "Møte: 6/2014", "92/20") and dates with a year, for a year the text leaves out.
_CASE_YEAR = re.compile(r"\b\d{1,3}\s?/\s?((?:19|20)\d\d|\d\d)\b")


def years_in(text: str) -> list[int]:
    """Years the text gives: in case numbers and in full dates, most frequent first.

    >>> years_in("Sak 21/12, 22/12 og 23/12; referat 14.02.2012; 6/2014")
    [2012, 2014]
    """
    found = [_year(m.group(1)) for m in _CASE_YEAR.finditer(text)]
    found += [int(d[:4]) for d, _ in find_dates(text)]
    counts: dict[int, int] = {}
    for y in found:
        if 1950 <= y <= dt.date.today().year + 2:
            counts[y] = counts.get(y, 0) + 1
    return sorted(counts, key=lambda y: (-counts[y], -y))


def meeting_date_in(head: str, years: list[int] | Callable[[], list[int]]) -> str:
    """The first meeting date of a document's head: a date after a meeting label, a weekday or
    "møte", or followed by a time; without a year, the year of ``years`` (the text's own years, and
    the one after each; a callable is asked only when needed) whose weekday fits, else the first.

    >>> meeting_date_in("SAKSDOKUMENT: Regionrådsmøte, fredag 14. desember Møtetid: kl", [2012])
    '2012-12-14'
    >>> meeting_date_in("Tid: 8. - 9. oktober 2020", []), meeting_date_in("Dato: 20.06.2019 kl. 17:00", [])
    ('2020-10-08', '2019-06-20')
    >>> meeting_date_in("Vedtak fra møte i fylkestinget 15. og 16. desember", [2020])
    '2020-12-15'
    >>> meeting_date_in("Referent: Kari, 3. mars 2020", []), meeting_date_in("Sendt: fredag 10. februar 2023 14:32", [])
    ('', '')
    >>> meeting_date_in("Dato: 30.05.2023", []), meeting_date_in("Godkjenning av referat fra møte 18.11.2004", [])
    ('', '')
    """
    for m in _MEETING_RE.finditer(head):
        label = (m.group("label") or "").casefold()
        if label.startswith("dato") and not (m.group("wd") or m.group("kl")):
            continue
        if not label and _OTHER_LABEL.search(head[max(0, m.start() - 20):m.start()]):
            continue
        before = head[:m.start()]
        if not label and _EARLIER.search(before):
            continue  # "Godkjenning av protokoll fra møte 18.11.2004": an earlier meeting
        context = label or m.group("wd") or m.group("kl") or _MEETING_WORD.search(before)
        if not context:
            continue
        if m.group("nd"):
            day, month, year = int(m.group("nd")), int(m.group("nm")), _year(m.group("ny"))
            candidates = [year]
        else:
            day, month = int(m.group("d")), MONTHS[m.group("m").casefold()]
            if m.group("y"):
                candidates = [int(m.group("y"))]
            else:  # the whole text's years, asked for only when the head leaves the year out
                known = years() if callable(years) else years
                candidates = [y + k for y in known for k in (0, 1)]
        weekday = WEEKDAYS.get((m.group("wd") or "").casefold())
        valid = [d for d in (_date(y, month, day) for y in candidates) if d]
        fitting = [d for d in valid if weekday is None or d.weekday() == weekday]
        if fitting or valid:
            return (fitting or valid)[0].isoformat()
    return ""


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
