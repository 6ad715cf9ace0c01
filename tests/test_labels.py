"""The workbook's labels (``pipeline/export/labels/<lang>.json``): one file per language, the same
keys in each, a header for every column of every table and a sheet name for every table."""
from __future__ import annotations

import json

import pytest

from pipeline.export.labels import FOLDER, LANGUAGES, labels
from pipeline.models import TABLES, MeetingRow, columns
from pipeline.summary import ReferenceRow

#: The columns of the ``runs`` table (the run row of :func:`pipeline.run.run`).
RUN_COLUMNS = ("started", "finished", "version", "inputs", "documents", "ok", "failed", "seconds", "workers")
ALL_TABLES = {**TABLES, "meetings": MeetingRow, "region_reference": ReferenceRow}


def _keys(value: object, prefix: str = "") -> set[str]:
    if isinstance(value, dict):
        return {k for key, v in value.items() for k in _keys(v, f"{prefix}{key}.")} | {prefix.rstrip(".")} - {""}
    return {prefix.rstrip(".")}


def test_every_language_has_the_same_keys() -> None:
    files = {lang: json.loads((FOLDER / f"{lang}.json").read_text(encoding="utf-8")) for lang in LANGUAGES}
    assert sorted(p.stem for p in FOLDER.glob("*.json")) == sorted(LANGUAGES)
    first = _keys(files[LANGUAGES[0]])
    for lang, data in files.items():
        assert _keys(data) == first, f"{lang}.json differs: {sorted(_keys(data) ^ first)}"
        assert all(isinstance(v, str) and v.strip() for group in data.values() for v in group.values()), lang


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_table_and_column_has_a_label(lang: str) -> None:
    names = labels(lang)
    for table, row_class in ALL_TABLES.items():
        assert table in names.sheets, f"{lang}: no sheet name for {table}"
        missing = [c for c in columns(row_class) if c not in names.headers]
        assert not missing, f"{lang}: no header for {table}.{missing}"
    assert "runs" in names.sheets and all(c in names.headers for c in RUN_COLUMNS)


def test_the_theme_labels_cover_the_themes() -> None:
    from pipeline.reference import themes

    ids = {row["id"] for row in themes()}
    for lang in LANGUAGES:
        assert ids <= labels(lang).themes.keys(), f"{lang}: {sorted(ids - labels(lang).themes.keys())}"


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown language"):
        labels("se")
