"""What a person reads in the workbook, per language: one data file each (``nb.json``,
``en.json``) with the sheet names (by table), the column headers (by column), the workbook's fixed
texts and the theme labels (by theme id). Both files have the same keys (a test checks it, and that
every column of every table has a header).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LANGUAGES = ("nb", "en")
FOLDER = Path(__file__).parent


@dataclass(frozen=True)
class Labels:
    lang: str
    sheets: dict[str, str]
    headers: dict[str, str]
    text: dict[str, str]
    themes: dict[str, str]

    def header(self, column: str) -> str:
        """The header of ``column`` (the column name itself for a column the file lacks)."""
        return self.headers.get(column, column)


@cache
def labels(lang: str = "nb") -> Labels:
    """The labels of ``lang`` (``nb`` or ``en``).

    >>> labels("nb").sheets["decisions"], labels("en").header("meeting_date")
    ('Vedtak', 'Meeting date')
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r} (nb or en)")
    data = json.loads((FOLDER / f"{lang}.json").read_text(encoding="utf-8"))
    return Labels(lang, data["sheets"], data["headers"], data["text"], data["themes"])
