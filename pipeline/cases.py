"""Case numbers: how agenda items are numbered, and agenda lists run into one line.

The vocabulary is data (``resources/agenda.jsonl``): the prefixes written before a case number
(``Sak``, ``PS``, ``Sak nr.:``, ``TR-sak``; series such as ``RS`` and ``FO`` that stay part of the
number), the words that introduce an agenda (``Saksliste``, ``Sakskart``), and what is cut from
an item's title (dot leaders of a table of contents, an outcome written after it on a web page).

Text extracted without line structure (transcripts of PDFs) runs a whole saksliste into one line:
"Saksliste 70/2016 Godkjenning av innkalling 71/2016 Godkjenning av møtebok ...". A document's
**case series** is the run of numbers that share their year part and follow each other closely
(96/12, 97/12, 98/12 or 19/66, 19/67); archive numbers (12/752, 11/1349) and references to older
cases do not run, so a line is split only where a number of the series (or one with a case prefix)
starts a title. A line that ends with a case number (or its prefix) is joined with the next, which
holds the item's title (:func:`join_number_lines`).
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from pipeline import rules
from pipeline.models import Line


def patterns(kind: str) -> list[str]:
    """The regular expressions of one kind in ``agenda.jsonl``, longest first."""
    return list(rules.patterns("agenda.jsonl", kind))


@cache
def prefix_pattern() -> str:
    """Any case prefix, as a regular expression (no groups)."""
    return "|".join(patterns("case_prefix") + patterns("series_prefix"))


@cache
def series_prefixes() -> frozenset[str]:
    """Prefixes of case series that stay part of the number ("RS 3/24")."""
    return frozenset(p.upper() for p in patterns("series_prefix"))


@cache
def treatment_case_re() -> re.Pattern[str]:
    """A line that records the treatment of a case, the case number in a group ("Formannskapets
    behandling av sak 24/2026 i møte den 02.09.2026:")."""
    return re.compile("|".join(patterns("treatment_case")), re.IGNORECASE)


@cache
def plain_series_re() -> re.Pattern[str]:
    """The name of the plain case series at the start of an item line ("PS 12/24 ..."), in capitals."""
    return re.compile(rf"\s*(?P<name>{'|'.join(patterns('plain_series'))})\s*\d")


@cache
def agenda_intro_re() -> re.Pattern[str]:
    """Words that introduce an agenda: "Saksliste", "Åtte saker på sakskartet:".

    >>> bool(agenda_intro_re().search("Åtte saker på sakskartet:")), bool(agenda_intro_re().search("Referat"))
    (True, False)
    """
    return re.compile(r"\b(?:" + "|".join(patterns("agenda_intro")) + r")\b", re.IGNORECASE)


def clean_title(title: str) -> str:
    """An item's title without a table of contents' dot leaders or an outcome written after it.

    >>> clean_title("GODKJENNING AV SAKSLISTE...2"), clean_title("Endringer i budsjett 2020 – innstilling vedtatt")
    ('GODKJENNING AV SAKSLISTE', 'Endringer i budsjett 2020')
    """
    for pattern in _title_cuts():
        title = pattern.sub("", title)
    return title.strip()


@cache
def _title_cuts() -> tuple[re.Pattern[str], ...]:
    """The patterns :func:`clean_title` removes, in order, compiled once."""
    return tuple(re.compile(pattern, re.IGNORECASE) for kind in ("title_leader", "title_outcome")
                 for pattern in patterns(kind))


_TOKEN_RE = re.compile(r"(?<![\w/.,\-])(?P<a>\d{1,4})\s?/\s?(?P<b>\d{2,4})(?![\w/])")
@cache
def _referring() -> frozenset[str]:
    """Words after which a case number is a reference in a sentence, not an item's start."""
    return frozenset(e["pattern"] for e in rules.entries("agenda.jsonl") if e["id"] == "reference_word")


_GAP = 10  # items may be skipped (closed cases, digits lost in a transcript)


@dataclass(frozen=True)
class Series:
    """The document's run of case numbers: the year part, on which side of the slash it stands,
    and the serial numbers."""

    year: str = ""
    year_first: bool = False
    serials: frozenset[int] = frozenset()

    def holds(self, a: str, b: str) -> bool:
        if not self.serials:
            return False
        year, serial = (a, b) if self.year_first else (b, a)
        return year == self.year and int(serial) in self.serials


NO_SERIES = Series()


def case_series(texts: Iterable[str]) -> Series:
    """The longest run of case numbers sharing their year part.

    >>> s = case_series(["96/12 12/752 PLAN 97/12 11/1349 BARNEHAGE 98/12 11/237 ORG", "Sak 99/12 12/204"])
    >>> sorted(s.serials), s.year
    ([96, 97, 98, 99], '12')
    >>> sorted(case_series(["19/66 Protokoll 2 19/67 Strand 3 19/68 Rapport", "sak 19/45"]).serials)
    [66, 67, 68]
    """
    groups: dict[tuple[str, bool], set[int]] = defaultdict(set)
    for text in texts:
        if "/" not in text:
            continue
        for m in _TOKEN_RE.finditer(text):
            a, b = m.group("a"), m.group("b")
            groups[(b, False)].add(int(a))
            if len(a) == 2 and len(b) <= 3:
                groups[(a, True)].add(int(b))
    best = Series()
    for (year, year_first), serials in groups.items():
        run = _longest_run(sorted(serials))
        if len(run) >= 2 and len(run) > len(best.serials):
            best = Series(year, year_first, frozenset(run))
    return best


def _longest_run(values: list[int]) -> list[int]:
    best: list[int] = []
    run: list[int] = []
    for v in values:
        run = run + [v] if run and v - run[-1] <= _GAP else [v]
        if len(run) > len(best):
            best = run
    return best


@cache
def _cut_re() -> re.Pattern[str]:
    return re.compile(
        rf"(?:^|(?<=\s))(?P<prefix>(?:{prefix_pattern()})\s*:?\s*)?(?P<a>\d{{1,4}})?\s?/\s?(?P<b>\d{{2,4}})(?![\w/])"
        r"(?=(?:\s*[:.]\s*|\s+)(?:\d{1,4}/\d{1,6}\s+)?[«\"A-ZÆØÅ0-9])",
        re.IGNORECASE)


def case_cuts(text: str, series: Series) -> list[int]:
    """Where agenda items start inside a line of run-in text.

    >>> s = case_series(["74/20 A 75/20 B"])
    >>> t = "Saksnummer Innhold 074/20 Godkjenning av innkalling 075/20 Godkjenning av saksliste"
    >>> [t[i:i + 6] for i in case_cuts(t, s)]
    ['074/20', '075/20']
    >>> case_cuts("Ordføraren foreslo å handsame sak 099/16 etter sak 091/16. Samrøystes", case_series(["91/16 99/16"]))
    []
    """
    cuts = []
    for m in _cut_re().finditer(text) if "/" in text else ():  # every case number has its slash
        if m.start() == 0:
            continue
        a, b, prefix = m.group("a"), m.group("b"), m.group("prefix")
        if a is None and prefix:
            continue
        ours = series.holds(a, b) if a else bool(series.serials) and b == series.year and not series.year_first
        if prefix and not prefix[0].isupper() or not ours and not prefix \
                or prefix and prefix.strip(" :").upper() in series_prefixes() and not prefix.strip(" :").isupper():
            continue  # "handsame sak 099/16 etter sak 091/16": references in a sentence
        start = m.start()
        if prefix and ours and len(prefix.strip(" :")) > 4 and prefix.isupper():
            start = m.start("a")  # "... MIDT-TROMS MUSEUM ORIENTERINGSSAK 23/12 OPPNEVNING": the word ends a title
        before = text[:start].split()
        if a and before and before[-1].casefold().rstrip(":,") in _referring():
            continue
        cuts.append(start)
    cuts += [m.start() for m in list_heading_re().finditer(text) if m.start() > 0]
    return sorted(set(cuts))


@cache
def list_heading_re() -> re.Pattern[str]:
    """A heading inside a saksliste that groups its items: "Saker frå Formannskapet :"."""
    return re.compile(r"(?<=\s)(?:" + "|".join(patterns("list_heading")) + r")", re.IGNORECASE)


@cache
def _case_start_re() -> re.Pattern[str]:
    return re.compile(rf"^\s*(?:(?:{prefix_pattern()})\s*:?\s*)?\d{{1,4}}\s?/\s?\d{{2,4}}(?:\s*[:.]\s*|\s+)[«\"A-ZÆØÅ0-9]",
                      re.IGNORECASE)


def starts_with_case(text: str) -> bool:
    """The line begins with a case number and a title, as the next item does.

    >>> starts_with_case("Sak 3/06 Handlingsplan 2006 Dagleg leiar la fram utkast."), starts_with_case("12/24 ble vedteke")
    (True, False)
    >>> starts_with_case("3/2015 4G-dekning i regionen")
    True
    """
    m = _case_start_re().match(text)
    return m is not None and (m.group(0)[-1].isupper() or m.group(0)[-1] in "«\"" or m.group(0)[-1].isdigit())


_DASH_RE = re.compile(r"^\s*(?P<num>\d{1,3}(?:\s+og\s+\d{1,3})?)-(?P<year>\d{2})\s+(?P<title>[«\"A-ZÆØÅ].*?)\s*$")


def dash_year(texts: Iterable[str]) -> str:
    """The year of items numbered with a dash ("3-24 Godkjenning av protokoll"), when at least three
    lines of the document start with such numbers of one year; else "".

    >>> dash_year(["3-24 Protokoll", "4-24 Lofotrådet siden sist", "5-24 Innkjøp", "10.00-11.00 Lunsj"])
    '24'
    >>> dash_year(["1-2 Kaffe", "Møte 5-2023"])
    ''
    """
    years: dict[str, set[str]] = defaultdict(set)
    for text in texts:
        m = _DASH_RE.match(text)
        if m:
            years[m.group("year")].add(m.group("num"))
    year, numbers = max(years.items(), key=lambda kv: len(kv[1]), default=("", set()))
    return year if len(numbers) >= 3 else ""


def match_dash_item(text: str, year: str) -> tuple[str, str] | None:
    """(number, title) of an item numbered with a dash in a document whose items are so numbered.

    >>> match_dash_item("1 og 2-24 Godkjenning av innkalling og saksliste", "24")
    ('1 og 2-24', 'Godkjenning av innkalling og saksliste')
    """
    m = _DASH_RE.match(text) if year else None
    if not m or m.group("year") != year:
        return None
    return f"{m.group('num')}-{year}", clean_title(m.group("title"))


@cache
def _number_end_re() -> re.Pattern[str]:
    """A line that ends with a case number, or with a case prefix whose number begins the next line."""
    return re.compile(rf"(?:(?:^|\s)(?:(?:{prefix_pattern()})\s*:?\s*)?\d{{1,4}}\s?/\s?\d{{2,4}}\s*:?"
                      rf"|(?<=\s)(?-i:(?=[A-ZÆØÅ]))(?:{prefix_pattern()}))\s*$", re.IGNORECASE)


def join_number_lines(lines: list[Line]) -> list[Line]:
    """A line that ends with a case number (or its prefix) is joined with the next line, which holds
    the item's title (or the number): "92/20" / "Godkjenning av protokoll".

    >>> [x.text for x in join_number_lines([Line(1, 1, "TR-sak 3/2005:"), Line(1, 2, "Forventninger til Stortinget")])]
    ['TR-sak 3/2005: Forventninger til Stortinget']
    >>> [x.text for x in join_number_lines([Line(1, 1, "SAKLISTE: Sak 1/06 Innkalling Sak"), Line(1, 2, "2/06 Protokoll")])]
    ['SAKLISTE: Sak 1/06 Innkalling Sak 2/06 Protokoll']
    >>> [x.text for x in join_number_lines([Line(1, 1, "Behandlet i møte 2.5.2024, sak 45/24"), Line(1, 2, "Innstilling")])]
    ['Behandlet i møte 2.5.2024, sak 45/24', 'Innstilling']
    >>> [x.text for x in join_number_lines([Line(1, 1, "Møtestad: Heradshuset, Os"), Line(1, 2, "1. Opning")])]
    ['Møtestad: Heradshuset, Os', '1. Opning']
    """
    out: list[Line] = []
    for line in lines:
        prev = out[-1] if out else None
        first = line.text.strip()[:1]
        end = _number_end(prev.text) if prev is not None and (first.isupper() or first.isdigit()) else None
        if (prev is not None and end is not None and "\t" not in prev.text + line.text and _starts_item(prev.text, end)
                and (any(c.isdigit() for c in end.group()) or re.match(r"\s*\d{1,4}\s?/\s?\d{2,4}\b", line.text))):
            out[-1] = Line(prev.page, prev.number, f"{prev.text.rstrip()} {line.text.strip()}")
            continue
        out.append(line)
    return out


@lru_cache(maxsize=2048)  # a match depends on the text alone; lines repeat across documents
def _number_end(text: str) -> re.Match[str] | None:
    """The case number (or prefix) that ends the line: searched for among its last words only (a
    case number with its prefix is at most seven words, "Sak nr. : 12 / 24 :"), not at every
    position of a long line. The search starts after the ninth word from the end; its lookbehind
    still sees the space before.

    >>> long = "Protokoll fra møtet i regionrådet med mange ord før saken " * 3
    >>> [_number_end(long + t).group() for t in ("Sak nr. : 12 / 24 :", "TR-sak 3/2005:", "og Sak")]
    [' Sak nr. : 12 / 24 :', ' TR-sak 3/2005:', 'Sak']
    >>> _number_end(long + "12 / 24 kroner") is None
    True
    """
    parts = text.rsplit(None, 8)
    return _number_end_re().search(text, len(parts[0]) if len(parts) == 9 else 0)


def _starts_item(text: str, end: re.Match[str]) -> bool:
    """The case number (or prefix) that ends the line begins an item: alone on its line, or after a
    capitalised prefix ("Sak 3/06"), not a reference in a sentence ("i sak 45/24")."""
    found = end.group().strip()
    return end.start() == 0 or found[:1].isupper()
