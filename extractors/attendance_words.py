"""The attendance vocabulary (``resources/attendance.jsonl``), one reviewed file: what says that a
person was there, took part from elsewhere or was absent, in a list entry, before or after a name,
in a sentence, in the status cell of a table; the column headings of attendance tables; the words
of an organisation heading. Headings that start a list ("Til stede:", "Forfall:") are labels of
``pipeline/resources/labels.jsonl``.

Each line has an ``id``, ``where`` it applies and either a ``regex`` (with ``ignore_case``) or,
for table columns, the ``heading`` and what its cells ``holds``.
"""
from __future__ import annotations

import re
from functools import cache
from typing import Any

from extractors.lexicons import read_jsonl


@cache
def _rows() -> tuple[dict[str, Any], ...]:
    return tuple(read_jsonl("extractors.resources", "attendance.jsonl"))


def pattern(id_: str) -> re.Pattern[str]:
    """The compiled ``regex`` of the line ``id_``."""
    row = next(r for r in _rows() if r["id"] == id_)
    return re.compile(row["regex"], re.IGNORECASE if row.get("ignore_case") else 0)


def patterns(where: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(attendance, pattern) of the lines of one kind, in file order (the first that matches wins)."""
    return tuple((r["attendance"], pattern(r["id"])) for r in _rows() if r["where"] == where)


def table_columns() -> dict[str, str]:
    """Column heading (casefolded) -> what its cells hold: name, first, last, org, party, role, status,
    vara, for (the member a substitute met for: absent), or person:<role> for a column of people
    with that role ("Ordførar")."""
    return {r["heading"]: r["holds"] for r in _rows() if r["where"] == "table_column"}
