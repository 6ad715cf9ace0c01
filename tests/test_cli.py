"""The command line in process: ``main(argv) -> int``."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pipeline.cli import main

MINUTES = "Referat fra møte i Valdres IPR\n\nTid: 19. november 2024\n\nDeltakere:\nKari\tNordmann\tVang kommune\n\n" \
          "1. Godkjenning av innkalling\nGodkjennes.\n"


def _read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "referat.txt").write_text(MINUTES, encoding="utf-8")
    (folder / "sub" / "gammel.txt").write_bytes("Møte i formannskapet 8. januar 2009\n".encode("cp1252"))
    (folder / "regneark.xls").write_bytes(b"\xd0\xcf\x11\xe0 not really")
    (folder / "ødelagt.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<<")
    return folder


def test_run_writes_the_contract(inputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["run", str(inputs), "--out", str(out), "--workers", "1"]) == 0
    printed = capsys.readouterr().out
    assert "4 documents (4 new; 4 processed): 2 ok, 2 failed" in printed
    for table in ("documents", "decisions", "participants", "agenda_items", "regions", "topics"):
        assert (out / "tables" / f"{table}.csv").exists()
    docs = {d["source_path"]: d for d in _read(out / "tables" / "documents.csv")}
    assert set(docs) == {"referat.txt", "sub/gammel.txt", "regneark.xls", "ødelagt.pdf"}
    assert docs["referat.txt"]["status"] == "ok" and docs["referat.txt"]["meeting_date"] == "2024-11-19"
    assert docs["sub/gammel.txt"]["encoding"] == "cp1252"
    assert docs["regneark.xls"]["status"] == "error" and ".xls" in docs["regneark.xls"]["error"]
    assert docs["ødelagt.pdf"]["status"] == "error" and "PDF" in docs["ødelagt.pdf"]["error"]
    assert "Traceback" not in docs["ødelagt.pdf"]["error"]
    text = (out / "text" / f"{docs['sub/gammel.txt']['doc_id']}.txt").read_text(encoding="utf-8")
    assert "Møte i formannskapet" in text


def test_workbook_has_norwegian_sheets_and_the_same_rows_as_the_csv(inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    main(["run", str(inputs), "--out", str(out), "--workers", "1", "--quiet"])
    wb = load_workbook(out / "minutes.xlsx", read_only=True)
    assert wb.sheetnames[:8] == ["Oversikt", "Kontroll", "Dokumenter", "Vedtak", "Deltakere", "Saksliste",
                                 "Regionomtaler", "Temaer"]
    assert {"Stemmer", "Retting", "Møter", "Regioner", "Feil"} <= set(wb.sheetnames)
    sheet_rows = list(wb["Dokumenter"].iter_rows(values_only=True))
    assert sheet_rows[0][:3] == ("Dokument-ID", "Kildefil", "Dokumenttype")
    assert len(sheet_rows) - 1 == len(_read(out / "tables" / "documents.csv"))
    dates = [r[4] for r in sheet_rows[1:] if r[4]]
    assert dates and all(hasattr(d, "year") for d in dates)


def test_two_workers_give_the_same_tables_as_one(inputs: Path, tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    main(["run", str(inputs), "--out", str(one), "--workers", "1", "--quiet"])
    main(["run", str(inputs), "--out", str(two), "--workers", "2", "--quiet"])
    for table in ("documents", "decisions", "participants", "agenda_items", "regions", "topics"):
        assert (one / "tables" / f"{table}.csv").read_bytes() == (two / "tables" / f"{table}.csv").read_bytes()


def test_no_inputs_is_an_error_with_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["run", str(empty), "--out", str(tmp_path / "out")]) == 2
    assert "no input files" in capsys.readouterr().err


def test_missing_input_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(tmp_path / "nope"), "--out", str(tmp_path / "out")]) == 2
    assert "input not found" in capsys.readouterr().err


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--help"])
    assert stop.value.code == 0
    assert "run" in capsys.readouterr().out


def test_explain_prints_the_changes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text("Til\u00a0stede\nvedtatt i kommune-\nstyret\n", encoding="utf-8")
    assert main(["explain", str(doc)]) == 0
    printed = capsys.readouterr().out
    assert "fix_spaces" in printed and "join_hyphenated_lines" in printed


def test_formula_like_text_is_stored_as_text(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text('Saksframlegg\n\nForslag til vedtak:\n=HYPERLINK("http://x","y")\n', encoding="utf-8")
    out = tmp_path / "out"
    main(["run", str(folder), "--out", str(out), "--workers", "1", "--quiet"])
    rows = _read(out / "tables" / "decisions.csv")
    assert rows[0]["text"].startswith("'=HYPERLINK")  # CSV: the apostrophe convention
    cell = load_workbook(out / "minutes.xlsx")["Vedtak"]["E2"]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x","y")' and cell.quotePrefix  # text, shown as is


def test_a_rerun_does_only_what_changed(inputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    main(["run", str(inputs), "--out", str(out), "--workers", "1"])
    first = (out / "tables" / "decisions.csv").read_bytes()
    capsys.readouterr()
    main(["run", str(inputs), "--out", str(out), "--workers", "1"])
    assert "(4 unchanged; 0 processed)" in capsys.readouterr().out
    (inputs / "referat.txt").write_text(MINUTES.replace("Godkjennes.", "Godkjennes med endringer."), encoding="utf-8")
    (inputs / "sub" / "gammel.txt").unlink()
    main(["run", str(inputs), "--out", str(out), "--workers", "1"])
    assert "(1 changed, 2 unchanged, 1 removed; 1 processed)" in capsys.readouterr().out
    docs = [d["source_path"] for d in _read(out / "tables" / "documents.csv")]
    assert "sub/gammel.txt" not in docs and len(docs) == 3
    assert (out / "tables" / "decisions.csv").read_bytes() != first


def test_a_second_run_on_the_same_output_is_refused(inputs: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    from pipeline.fingerprint import fingerprint
    from pipeline.state import StateStore

    out = tmp_path / "out"
    with StateStore(out, fingerprint({})):
        assert main(["run", str(inputs), "--out", str(out), "--workers", "1"]) == 2
    assert "another minutes run" in capsys.readouterr().err


def test_two_runs_give_byte_identical_csv_and_parquet(inputs: Path, tmp_path: Path) -> None:
    import pandas as pd

    one, two = tmp_path / "one", tmp_path / "two"
    main(["run", str(inputs), "--out", str(one), "--workers", "1", "--quiet"])
    main(["run", str(inputs), "--out", str(two), "--workers", "2", "--quiet"])
    for path in sorted((one / "tables").iterdir()):
        if path.stem != "runs":
            assert path.read_bytes() == (two / "tables" / path.name).read_bytes(), path.name
    documents = pd.read_parquet(one / "tables" / "documents.parquet")
    assert len(documents) == len(_read(one / "tables" / "documents.csv"))
    assert str(documents["pages"].dtype) == "int64"
    assert documents["meeting_date"].dropna().map(lambda d: hasattr(d, "year")).all()
    package = json.loads((one / "datapackage.json").read_text(encoding="utf-8"))
    fields = {r["name"]: {f["name"]: f["type"] for f in r["schema"]["fields"]} for r in package["resources"]}
    assert fields["decisions"]["votes_for"] == "integer" and fields["documents"]["meeting_date"] == "date"


def test_format_choice_and_bad_format(inputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["run", str(inputs), "--out", str(out), "--workers", "1", "--quiet", "--format", "csv"]) == 0
    assert (out / "tables" / "decisions.csv").exists()
    assert not (out / "minutes.xlsx").exists() and not (out / "tables" / "decisions.parquet").exists()
    assert main(["run", str(inputs), "--out", str(out), "--format", "pdf"]) == 2
    assert "unknown --format pdf" in capsys.readouterr().err
