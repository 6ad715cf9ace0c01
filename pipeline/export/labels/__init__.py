"""What a person reads in the workbook, per language: one data file each (``nb.json``,
``en.json``) with the sheet names (by table), the column headers (by column), the workbook's fixed
texts, the theme labels (by theme id), the labels of the coded values (``values``: document types,
statuses, kinds, outcomes, attendance, votes, region kinds, text sources, written languages; by
id), the checks (by check id, :mod:`extractors.checks`) and the messages of failed documents
(``errors``: by the id of a pattern in ``errors.jsonl``) and the messages of hand corrections
(``corrections``: by the id of a pattern in ``corrections.jsonl``, the same way). Both files have the same keys (a test
checks it, and that every id of every coded column has a label).

CSV and Parquet keep the English ids; only the workbook shows the labels (:meth:`Labels.translators`).

Error messages. The readers write their messages in English (the log, CSV and Parquet keep them).
``errors.jsonl`` holds one pattern per kind of message, with named groups for what varies (a size,
a file suffix); the workbook shows the language's template with those filled in. Where the message
ends in a library's own words (``damaged PDF: Failed to load page.``), those words cannot be
translated: the template says in the workbook's language what is wrong and keeps the library's
words as ``(teknisk melding: …)``, for whoever looks into the file. A message no pattern matches
is shown as written.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LANGUAGES = ("nb", "en")
FOLDER = Path(__file__).parent

#: Columns whose values are ids of a ``values`` group (column -> group; the ``corrections`` table's
#: outcomes are the group ``correction``).
VALUE_COLUMNS = {"doc_type": "doc_type", "status": "status", "kind": "kind", "outcome": "outcome",
                 "attendance": "attendance", "vote": "vote", "region_kind": "region_kind",
                 "text_source": "text_source", "language": "language"}
#: Columns holding several ids, space-separated (column -> group; "themes": the theme labels).
LIST_COLUMNS = {"doc_types": "doc_type", "themes": "themes"}
#: A check's details name a place as "p3 l12": shown as the language's "s. 3, linje 12".
_PLACE_RE = re.compile(r"\bp(\d+) l(\d+)\b")


@dataclass(frozen=True)
class Labels:
    lang: str
    sheets: dict[str, str]
    headers: dict[str, str]
    text: dict[str, str]
    themes: dict[str, str]
    values: dict[str, dict[str, str]]
    checks: dict[str, str]
    errors: dict[str, str]
    corrections: dict[str, str]

    def header(self, column: str) -> str:
        """The header of ``column`` (the column name itself for a column the file lacks)."""
        return self.headers.get(column, column)

    def value(self, group: str, value: str) -> str:
        """The label of id ``value`` of ``group`` (the id itself when the file lacks it).

        >>> labels("nb").value("attendance", "absent"), labels("en").value("kind", "forslag til vedtak")
        ('forfall', 'proposed decision')
        """
        return (self.themes if group == "themes" else self.values.get(group, {})).get(value, value)

    def error(self, message: str) -> str:
        """A failed document's message in this language (its first line; a traceback after it is
        kept as it is).

        >>> labels("nb").error("damaged PDF: Failed to load page.")
        'skadet PDF (teknisk melding: Failed to load page.)'
        >>> labels("nb").error("file too large: 700 MB (minutes reads files up to 500 MB)")
        'filen er for stor: 700 MB (minutes leser filer opp til 500 MB)'
        >>> labels("nb").error("something new")
        'something new'
        """
        first, sep, rest = message.partition("\n")
        shown = _by_pattern(first.strip(), error_patterns(), self.errors)
        return message if shown is None else shown + sep + rest

    def correction_message(self, message: str) -> str:
        """What a hand correction's outcome says (``corrections.message``) in this language.

        >>> labels("nb").correction_message("'sju' is not a whole number")
        "'sju' er ikke et heltall"
        >>> labels("en").correction_message("'sju' is not a whole number")
        "'sju' is not a whole number"
        """
        shown = _by_pattern(message, correction_patterns(), self.corrections)
        return message if shown is None else shown

    def check_list(self, checks: str) -> list[tuple[str, str]]:
        """A document's ``checks`` (``id(details); id``) as (label, details) in this language.

        >>> labels("nb").check_list("protocol_without_decision; attendance_without_names(p2 l7 Til stede:)")
        [('Protokoll eller referat uten vedtak', ''), ('Deltakerliste uten navn', 's. 2, linje 7 Til stede:')]
        """
        where = self.text["where"]

        def place(m: re.Match[str]) -> str:
            return where.format(page=m.group(1), line=m.group(2))

        out = []
        for check_id, details in split_checks(checks, self.checks):
            details = _PLACE_RE.sub(place, details)
            out.append((self.checks.get(check_id, check_id), details))
        return out

    def checks_text(self, checks: str) -> str:
        """>>> labels("en").checks_text("agenda_item_without_decision(3/24, 5/24); date_in_future(2031-01-02)")
        'Protocol item without a decision: 3/24, 5/24; Meeting date in the future: 2031-01-02'
        """
        return "; ".join(f"{label}: {details}" if details else label for label, details in self.check_list(checks))

    def checks_names(self, checks: str) -> str:
        """>>> labels("nb").checks_names("vote_count_mismatch(p1 l4: 5 ≠ 4); date_in_future(2031-01-02)")
        'Stemmetallene går ikke opp; Møtedato i framtiden'
        """
        return "; ".join(label for label, _ in self.check_list(checks))

    def translators(self, table: str = "") -> dict[str, Callable[[str], str]]:
        """Column name -> the function that shows a stored value of that column of ``table`` in this
        language."""
        if table == "corrections":  # the outcome of a hand correction, and the table and column it names
            return {"outcome": _get(self.values["correction"]), "table": _get(self.sheets),
                    "column": _get(self.headers), "message": self.correction_message}
        out: dict[str, Callable[[str], str]] = {}
        for column, group in VALUE_COLUMNS.items():
            out[column] = _get(self.values[group])
        for column, group in LIST_COLUMNS.items():
            known = self.themes if group == "themes" else self.values[group]
            out[column] = _each(known)
        out["theme"] = _get(self.themes)
        out["checks"] = self.checks_names  # the details are on the checks sheet
        out["error"] = self.error
        return out


def _get(mapping: dict[str, str]) -> Callable[[str], str]:
    return lambda v: mapping.get(v, v)


def _each(mapping: dict[str, str]) -> Callable[[str], str]:
    """Space-separated ids -> their labels, comma-separated."""
    return lambda v: ", ".join(mapping.get(x, x) for x in v.split())


def split_checks(checks: str, known: dict[str, str]) -> list[tuple[str, str]]:
    """``id(details); id`` as (id, details): split only before a known id, as details may hold "; ".

    >>> split_checks("a(x; y); b; c(z)", {"a": "", "b": "", "c": ""})
    [('a', 'x; y'), ('b', ''), ('c', 'z')]
    """
    if not checks:
        return []
    ids = "|".join(re.escape(k) for k in sorted(known, key=len, reverse=True)) or r"(?!)"
    parts = re.split(rf"; (?=(?:{ids})(?:\(|;|$))", checks)
    out = []
    for part in parts:
        m = re.fullmatch(r"([^()]+?)(?:\((.*)\))?", part.strip(), re.DOTALL)
        out.append((m.group(1), m.group(2) or "") if m else (part, ""))
    return out


def _by_pattern(message: str, patterns: tuple[tuple[str, re.Pattern[str]], ...],
                templates: dict[str, str]) -> str | None:
    """The template of the first pattern that matches ``message`` whole, filled with its groups
    (None when none does)."""
    for key, pattern in patterns:
        m = pattern.fullmatch(message)
        if m:
            return templates[key].format(**m.groupdict())
    return None


def _patterns(name: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    rows = [json.loads(line) for line in (FOLDER / name).read_text(encoding="utf-8").splitlines() if line]
    return tuple((row["id"], re.compile(row["pattern"], re.DOTALL)) for row in rows)


@cache
def error_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(id, pattern) of the readers' messages (``errors.jsonl``), in order: the first that matches."""
    return _patterns("errors.jsonl")


@cache
def correction_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(id, pattern) of the hand corrections' messages (``corrections.jsonl``), in order."""
    return _patterns("corrections.jsonl")


@cache
def labels(lang: str = "nb") -> Labels:
    """The labels of ``lang`` (``nb`` or ``en``).

    >>> labels("nb").sheets["decisions"], labels("en").header("meeting_date")
    ('Vedtak', 'Meeting date')
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r} (nb or en)")
    data = json.loads((FOLDER / f"{lang}.json").read_text(encoding="utf-8"))
    return Labels(lang, data["sheets"], data["headers"], data["text"], data["themes"], data["values"],
                  data["checks"], data["errors"], data["corrections"])
