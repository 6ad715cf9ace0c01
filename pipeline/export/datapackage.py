"""``datapackage.json`` (Frictionless Data, a *tabular data package*): one tabular resource per table
and format written (``tables/<table>.csv``, and ``tables/<table>.parquet`` named ``<table>-parquet``),
each with its schema: the column types of :func:`pipeline.export.parquet.column_types`, a title
(the English header of the workbook) and a description per column (``descriptions.json`` beside
this module: one data file, tested complete), the allowed values of a column as an ``enum``
constraint (:data:`pipeline.models.ENUMS`, the themes of :mod:`pipeline.reference`), primary keys
and foreign keys to ``documents`` and ``decisions``. ``frictionless validate datapackage.json``
checks the files against it (Parquet with its pyarrow-based ``parquet`` format).
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from pipeline.export.files import atomic_path
from pipeline.export.labels import labels
from pipeline.models import ENUMS

DESCRIPTIONS = Path(__file__).with_name("descriptions.json")

#: The column that identifies a row of each table (unique, never empty).
PRIMARY_KEYS = {"documents": "doc_id", "decisions": "id", "participants": "id", "agenda_items": "id",
                "regions": "id", "topics": "id", "votes": "id", "meetings": "meeting_id", "region_reference": "region"}
#: (table, column) -> (table, column) it refers to; every table's ``doc_id`` refers to ``documents``.
REFERENCES = {("votes", "decision_id"): ("decisions", "id")}
#: A CSV table is a tabular resource. A Parquet file is described as a file resource (with the same
#: schema, for the reader): Frictionless reads a Parquet integer column with nulls as floats (NaN)
#: and would reject it as an integer column, so it is not validated as a table.
TABULAR = {"profile": "tabular-data-resource"}
PARQUET = {"profile": "data-resource", "type": "file"}
NOTES = {"csv": "", "parquet": " Typed Parquet (null for a missing value); the same rows as the CSV resource."}
FORMATS = {"csv": {"mediatype": "text/csv", "encoding": "utf-8"},
           "parquet": {"mediatype": "application/vnd.apache.parquet"}}


@cache
def descriptions() -> dict[str, Any]:
    """The descriptions of the tables and columns (``descriptions.json``)."""
    data: dict[str, Any] = json.loads(DESCRIPTIONS.read_text(encoding="utf-8"))
    return data


def describe(table: str, column: str) -> str:
    """What ``column`` of ``table`` holds ("" when the data file does not say).

    >>> describe("decisions", "status")
    'adopted (the body decided it) or proposed (a proposal or recommendation).'
    """
    data = descriptions()
    return str(data["table_columns"].get(f"{table}.{column}") or data["columns"].get(column, ""))


def constraints(table: str, column: str) -> dict[str, Any]:
    """The constraints of a column: its allowed values (an enum; a pattern for a list of theme ids).

    >>> constraints("votes", "vote")
    {'enum': ['for', 'against', 'blank']}
    >>> constraints("votes", "name")
    {}
    """
    if PRIMARY_KEYS.get(table) == column:
        return {"required": True, "unique": True}
    values = ENUMS.get(table, {}).get(column)
    if values:
        return {"enum": list(values)}
    if column == "theme":
        return {"enum": theme_ids()}
    if column == "themes":
        one = "(?:" + "|".join(theme_ids()) + ")"
        return {"pattern": f"{one}(?: {one})*"}
    return {}


@cache
def _theme_ids() -> tuple[str, ...]:
    from pipeline.reference import themes

    return tuple(row["id"] for row in themes())


def theme_ids() -> list[str]:
    return list(_theme_ids())


def schema(table: str, header: Sequence[str], types: Sequence[str], suffix: str = "") -> dict[str, Any]:
    """The Table Schema of ``table``; foreign keys point at the resources named ``<table><suffix>``."""
    names = labels("en")
    fields = []
    for column, kind in zip(header, types):
        field: dict[str, Any] = {"name": column, "type": kind, "title": names.header(column)}
        if text := describe(table, column):
            field["description"] = text
        if found := constraints(table, column):
            field["constraints"] = found
        fields.append(field)
    out: dict[str, Any] = {"fields": fields, "missingValues": [""]}
    if PRIMARY_KEYS.get(table) in header:
        out["primaryKey"] = [PRIMARY_KEYS[table]]
    foreign = []
    for column in header:
        target = REFERENCES.get((table, column)) or (("documents", "doc_id") if column == "doc_id" else None)
        if target is not None and target[0] != table:
            foreign.append({"fields": [column], "reference": {"resource": target[0] + suffix, "fields": [target[1]]}})
    if foreign:
        out["foreignKeys"] = foreign
    return out


def write_datapackage(out: Path, tables: dict[str, tuple[Sequence[str], Sequence[str]]], formats: set[str]) -> None:
    """``datapackage.json``: one tabular resource per table and format written (CSV always)."""
    resources = []
    for fmt in ("csv", "parquet"):
        if fmt not in formats and fmt != "csv":
            continue
        suffix, kind = ("", TABULAR) if fmt == "csv" else (f"-{fmt}", PARQUET)
        for name, (header, types) in tables.items():
            resources.append({"name": name + suffix, "path": f"tables/{name}.{fmt}", **kind, "format": fmt,
                              **FORMATS[fmt], "description": str(descriptions()["tables"].get(name, "")) + NOTES[fmt],
                              "schema": schema(name, header, types, suffix)})
    package = {"name": "minutes", "title": "Norwegian meeting documents as tables",
               "profile": "data-package" if "parquet" in formats else "tabular-data-package", "resources": resources}
    with atomic_path(out / "datapackage.json", "w", encoding="utf-8") as f:
        f.write(json.dumps(package, ensure_ascii=False, indent=1) + "\n")
