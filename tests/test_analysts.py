"""Outputs an analyst can trust (issue 17, items 5 and 6): a run leaves only outputs of that run,
the same content under two names is counted once, ``runs`` keeps the history; ``pipeline.api``
reads the tables with nullable dtypes; ``datapackage.json`` passes ``frictionless validate``."""
from __future__ import annotations

import csv
import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.cli import main
from tests.conftest import REPO

MINUTES = ("Protokoll fra møte i formannskapet i Vang kommune\n\nMøtedato: 12.02.2026\n\n"
           "Til stede:\nKari Nordmann, ordfører\nPer Hansen\n\n"
           "Sak 1/26 Budsjett 2026\nVedtak:\nFormannskapet vedtar budsjettet for 2026.\n\n"
           "Sak 2/26 Bredbånd\nVedtak:\nSaken tas til orientering.\n")


def _rows(out: Path, table: str) -> list[dict[str, str]]:
    with (out / "tables" / f"{table}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _run(*args: str) -> int:
    return main(["run", *args, "--workers", "1", "--quiet"])


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "protokoll.txt").write_text(MINUTES, encoding="utf-8")
    (folder / "notat.txt").write_text("Notat om samferdsel i Valdres.\n", encoding="utf-8")
    return folder


# --------------------------------------------------------------------------- nothing stale


def test_format_csv_after_a_full_run_removes_the_workbook_and_the_parquet(inputs: Path, tmp_path: Path,
                                                                           capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert _run(str(inputs), "--out", str(out)) == 0
    assert (out / "minutes.xlsx").exists() and (out / "tables" / "decisions.parquet").exists()
    assert main(["run", str(inputs), "--out", str(out), "--workers", "1", "--format", "csv"]) == 0
    printed = capsys.readouterr().out
    assert "removed minutes.xlsx" in printed and "Parquet files" in printed
    assert not (out / "minutes.xlsx").exists() and not list((out / "tables").glob("*.parquet"))
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert all((out / r["path"]).is_file() for r in package["resources"])
    assert {r["format"] for r in package["resources"]} == {"csv"} and package["profile"] == "tabular-data-package"
    _validate(out)
    assert _run(str(inputs), "--out", str(out)) == 0  # and back: every format again
    assert (out / "minutes.xlsx").exists() and (out / "tables" / "decisions.parquet").exists()


def test_a_workbook_the_project_did_not_write_survives_with_a_message(inputs: Path, tmp_path: Path,
                                                                      caplog: pytest.LogCaptureFixture) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "minutes.xlsx").write_bytes(b"the user's own workbook")
    with caplog.at_level(logging.WARNING):
        assert _run(str(inputs), "--out", str(out), "--format", "csv") == 0
    assert (out / "minutes.xlsx").read_bytes() == b"the user's own workbook"
    assert "minutes.xlsx" in caplog.text and "not known to be written by minutes" in caplog.text


def test_an_output_changed_since_the_run_wrote_it_is_not_removed(inputs: Path, tmp_path: Path,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    out = tmp_path / "out"
    assert _run(str(inputs), "--out", str(out), "--format", "csv,xlsx") == 0
    (out / "minutes.xlsx").write_bytes(b"edited by hand")
    with caplog.at_level(logging.WARNING):
        assert _run(str(inputs), "--out", str(out), "--format", "csv") == 0
    assert (out / "minutes.xlsx").read_bytes() == b"edited by hand" and "minutes.xlsx" in caplog.text


# --------------------------------------------------------------------------- nothing twice


def test_the_same_content_under_two_names_is_reported_and_counted_once(inputs: Path, tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    (inputs / "kopi av protokoll.txt").write_bytes((inputs / "protokoll.txt").read_bytes())
    out = tmp_path / "out"
    assert main(["run", str(inputs), "--out", str(out), "--workers", "1"]) == 0
    assert "1 duplicate counted once" in capsys.readouterr().out
    docs = {d["source_path"]: d for d in _rows(out, "documents")}
    first, copy = docs["kopi av protokoll.txt"], docs["protokoll.txt"]  # input order: "kopi ..." comes first
    assert copy["duplicate_of"] == first["doc_id"] and first["duplicate_of"] == "" and copy["status"] == "ok"
    decisions = _rows(out, "decisions")
    assert decisions and {d["doc_id"] for d in decisions} == {first["doc_id"]}
    for table in ("participants", "agenda_items", "topics", "regions", "votes"):
        assert copy["doc_id"] not in {r["doc_id"] for r in _rows(out, table)}, table
    runs = _rows(out, "runs")
    assert int(runs[-1]["documents"]) == 3


def test_a_copy_added_later_is_found_and_no_hash_is_held_without_copies(inputs: Path, tmp_path: Path) -> None:
    """The search for copies remembers only the contents that more than one document has (stored
    or about to be read), so that memory does not grow with the archive: none when there are no
    copies; a copy given in a later run, of a document stored by an earlier one, is still found."""
    from pipeline.state import StateStore

    out = tmp_path / "out"
    assert _run(str(inputs), "--out", str(out)) == 0
    with StateStore(out, "any") as store:
        assert store.repeated_hashes() == set()
        original = next(iter(store.doc_ids()))
    (inputs / "kopi av protokoll.txt").write_bytes((inputs / "protokoll.txt").read_bytes())
    assert _run(str(inputs), "--out", str(out)) == 0
    docs = {d["source_path"]: d for d in _rows(out, "documents")}
    first, copy = docs["kopi av protokoll.txt"], docs["protokoll.txt"]  # input order: "kopi ..." comes first
    assert copy["duplicate_of"] == first["doc_id"] and first["duplicate_of"] == ""
    with StateStore(out, "any") as store:
        assert store.repeated_hashes() == {store.content_hash(first["doc_id"])} != {""}
        assert original in store.doc_ids()


def test_runs_keeps_the_history_of_runs(inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    for formats in ("csv", "csv,parquet", "csv,parquet,xlsx"):  # other options: the tables are written again
        assert _run(str(inputs), "--out", str(out), "--format", formats) == 0
    runs = _rows(out, "runs")
    assert len(runs) == 3 and [r["started"] for r in runs] == sorted(r["started"] for r in runs)
    import pyarrow.parquet as pq

    assert pq.read_table(out / "tables" / "runs.parquet").num_rows == 3


# --------------------------------------------------------------------------- for analysts


@pytest.fixture(scope="module")
def dev_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("analysts-dev")
    assert _run(str(REPO / "data" / "raw"), "--out", str(out)) == 0
    return out


def test_missing_text_is_null_in_parquet(dev_out: Path) -> None:
    import pyarrow.parquet as pq

    documents = pq.read_table(dev_out / "tables" / "documents.parquet").to_pylist()
    empty = [(d["doc_id"], c) for d in _rows(dev_out, "documents") for c, v in d.items() if v == ""]
    assert empty, "the dev documents have empty cells (error, checks)"
    by_id = {d["doc_id"]: d for d in documents}
    assert all(by_id[doc_id][column] is None for doc_id, column in empty)
    assert not any(v == "" for d in documents for v in d.values())


def test_read_tables_gives_nullable_dtypes(dev_out: Path) -> None:
    import pandas as pd

    from pipeline.api import read_tables

    tables = read_tables(dev_out)
    assert list(tables)[:3] == ["documents", "decisions", "participants"] and "runs" in tables
    decisions, documents = tables["decisions"], tables["documents"]
    assert len(decisions) == len(_rows(dev_out, "decisions")) > 0
    dtypes = {c: str(t) for c, t in decisions.dtypes.items()}
    assert (dtypes["votes_for"], dtypes["unanimous"], dtypes["quoted"], dtypes["meeting_date"], dtypes["text"]) == (
        "Int64", "boolean", "boolean", "datetime64[ns]", "string")
    assert str(documents["pages"].dtype) == "Int64" and str(tables["repairs"]["confidence"].dtype) == "Float64"
    assert documents["error"].isna().all()  # no document failed: missing, not ""
    assert documents["meeting_date"].dt.year.dropna().between(1990, 2100).all()
    for frame in tables.values():
        assert "object" not in {str(t) for t in frame.dtypes}, frame.dtypes
    assert isinstance(decisions, pd.DataFrame)


def test_read_tables_from_csv_alone_gives_the_same_frames(dev_out: Path, tmp_path: Path) -> None:
    import shutil

    import pandas as pd

    from pipeline.api import read_tables

    csv_only = tmp_path / "csv"
    shutil.copytree(dev_out / "tables", csv_only / "tables", ignore=shutil.ignore_patterns("*.parquet"))
    package = json.loads((dev_out / "datapackage.json").read_text(encoding="utf-8"))
    package["resources"] = [r for r in package["resources"] if r["format"] == "csv"]
    (csv_only / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    from_parquet, from_csv = read_tables(dev_out), read_tables(csv_only)
    assert from_csv.keys() == from_parquet.keys()
    for table, frame in from_parquet.items():
        pd.testing.assert_frame_equal(from_csv[table], frame, obj=table)


def test_process_returns_the_run_summary(inputs: Path, tmp_path: Path) -> None:
    from pipeline.api import process, read_tables

    summary = process(inputs, tmp_path / "out", formats="csv")
    assert (summary.documents, summary.ok, summary.failed) == (2, 2, 0)
    assert summary.decisions == len(read_tables(tmp_path / "out")["decisions"]) > 0
    with pytest.raises(TypeError, match="unknown option colour"):
        process(inputs, tmp_path / "out", colour="red")


def test_the_api_imports_pandas_only_when_called() -> None:
    code = "import sys, pipeline.api, pipeline.run; assert 'pandas' not in sys.modules, 'pandas imported'"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


# --------------------------------------------------------------------------- datapackage.json


def _validate(out: Path) -> None:
    import frictionless  # the test extra (pyproject.toml): not skipped, the package must validate
    report = frictionless.validate(out / "datapackage.json")
    assert report.valid, report.flatten(["type", "title", "fieldName", "rowNumber", "note"])[:20]


def test_frictionless_validate_passes_on_the_dev_run(dev_out: Path) -> None:
    _validate(dev_out)
    package = json.loads((dev_out / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in package["resources"]}
    decisions = resources["decisions"]["schema"]
    assert resources["decisions"]["profile"] == "tabular-data-resource"
    assert {"fields": ["doc_id"], "reference": {"resource": "documents", "fields": ["doc_id"]}} in decisions["foreignKeys"]
    assert {"fields": ["decision_id"], "reference": {"resource": "decisions", "fields": ["id"]}} in \
        resources["votes"]["schema"]["foreignKeys"]
    assert decisions["primaryKey"] == ["id"] and resources["documents"]["schema"]["primaryKey"] == ["doc_id"]
    fields = {f["name"]: f for f in decisions["fields"]}
    assert fields["status"]["constraints"]["enum"] == ["adopted", "proposed"]
    assert all(f.get("description") for r in package["resources"] for f in r["schema"]["fields"])
    assert resources["decisions-parquet"]["profile"] == "data-resource"  # not read as a CSV-like table


def test_frictionless_validate_passes_with_rollup(dev_out: Path) -> None:
    """--rollup reports a municipality under each of its councils: each such row has an id of its own."""
    assert _run(str(REPO / "data" / "raw"), "--out", str(dev_out), "--rollup") == 0
    try:
        _validate(dev_out)
    finally:
        assert _run(str(REPO / "data" / "raw"), "--out", str(dev_out)) == 0


def test_an_enum_violation_is_caught(dev_out: Path, tmp_path: Path) -> None:
    """The constraints are real: a status outside the enum makes the package invalid."""
    import shutil

    import frictionless  # the test extra (pyproject.toml): not skipped, the package must validate
    broken = tmp_path / "broken"
    shutil.copytree(dev_out, broken, ignore=shutil.ignore_patterns(".state", "text"))
    path = broken / "tables" / "decisions.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",adopted,", ",vedtatt,", 1), encoding="utf-8")
    report = frictionless.validate(broken / "datapackage.json")
    assert not report.valid and "constraint-error" in {e.type for t in report.tasks for e in t.errors}


def test_every_column_has_a_description() -> None:
    from pipeline.export.datapackage import describe, descriptions
    from pipeline.models import TABLES, MeetingRow, columns
    from pipeline.summary import ReferenceRow
    from tests.test_labels import RUN_COLUMNS

    tables = {**{t: columns(c) for t, c in {**TABLES, "meetings": MeetingRow, "region_reference": ReferenceRow}.items()},
              "runs": list(RUN_COLUMNS)}
    missing = [f"{t}.{c}" for t, cols in tables.items() for c in cols if not describe(t, c)]
    assert not missing
    assert set(tables) == set(descriptions()["tables"])


def test_the_enums_cover_the_values_the_pipeline_writes() -> None:
    from extractors.outcomes import PHRASES
    from extractors.votes import SIDES
    from pipeline.models import OUTCOMES, REGION_KINDS, VOTE_SIDES
    from pipeline.reference import gazetteer, regions

    source = (REPO / "extractors" / "outcomes.py").read_text(encoding="utf-8")
    written = {name for name, _ in PHRASES} | {o for o in OUTCOMES if f'"{o}"' in source}
    assert written <= set(OUTCOMES) and {"adopted after vote", "adopted as recommended", "adopted amended"} <= written
    assert set(SIDES.values()) <= set(VOTE_SIDES)
    kinds = {r.kind for r in regions().values()} | {str(g["kind"]) for g in gazetteer() if g.get("kind")}
    assert kinds <= set(REGION_KINDS), kinds - set(REGION_KINDS)
