"""``datapackage.json`` (Frictionless Data): one resource per table and format, with its schema
(the column types of :func:`pipeline.export.parquet.column_types`).
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from pipeline.export.files import atomic_path


def write_datapackage(out: Path, tables: dict[str, tuple[Sequence[str], Sequence[str]]], formats: set[str]) -> None:
    """``datapackage.json``: one resource per table and format, with its schema."""
    resources = []
    for name, (header, types) in tables.items():
        schema = {"fields": [{"name": column, "type": kind} for column, kind in zip(header, types)]}
        for fmt in sorted(formats & {"csv", "parquet"}):
            resources.append({"name": f"{name}-{fmt}" if fmt == "parquet" else name,
                              "path": f"tables/{name}.{fmt}", "format": fmt,
                              **({"mediatype": "text/csv", "encoding": "utf-8"} if fmt == "csv" else {}),
                              "schema": schema})
    package = {"name": "minutes", "title": "Norwegian meeting documents as tables",
               "profile": "tabular-data-package" if "csv" in formats else "data-package",
               "resources": resources}
    with atomic_path(out / "datapackage.json", "w", encoding="utf-8") as f:
        f.write(json.dumps(package, ensure_ascii=False, indent=1) + "\n")
