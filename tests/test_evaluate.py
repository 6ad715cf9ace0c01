"""``minutes evaluate`` on a tiny run and gold folder written here."""
from __future__ import annotations

import csv
import json
from pathlib import Path

from pipeline.cli import main
from pipeline.evaluate import evaluate

GOLD = {
    "doc": "a", "doc_type": "minutes", "title": "t", "meeting_date": "2024-01-02", "body": None,
    "decisions": [{"item": "1", "kind": "vedtak", "status": "adopted", "text": "Saken tas til orientering."},
                  {"item": "2", "kind": "vedtak", "status": "adopted", "text": "Budsjettet vedtas.", "optional": True}],
    "participants": [{"name": "Kari Nordmann", "role": None, "organisation": "Vang kommune", "attendance": "present"},
                     {"name": "Per Hansen", "role": None, "organisation": None, "attendance": "absent"}],
    "agenda_items": [{"number": "1", "title": "Orientering"}],
    "regions": ["Valdres IPR"],
    "topics": [{"region": None, "themes": ["energi"]}],
}


def _table(out: Path, name: str, rows: list[dict]) -> None:
    (out / "tables").mkdir(parents=True, exist_ok=True)
    with (out / "tables" / f"{name}.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]) if rows else ["doc_id"])
        writer.writeheader()
        writer.writerows(rows)


def _run(tmp_path: Path) -> tuple[Path, Path]:
    out, gold = tmp_path / "out", tmp_path / "gold"
    gold.mkdir()
    (gold / "a.json").write_text(json.dumps(GOLD), encoding="utf-8")
    _table(out, "documents", [{"doc_id": "a", "source_path": "x/a.txt", "doc_type": "minutes",
                               "meeting_date": "2024-01-02", "status": "ok"}])
    _table(out, "decisions", [{"doc_id": "a", "item": "1", "kind": "konklusjon", "status": "adopted",
                               "text": "Saken tas til orientering."},
                              {"doc_id": "a", "item": "3", "kind": "vedtak", "status": "adopted", "text": "Noe annet."}])
    _table(out, "participants", [{"doc_id": "a", "name": "Kari Nordmann", "organisation": "Vang kommune",
                                  "attendance": "remote"}])
    _table(out, "agenda_items", [{"doc_id": "a", "number": "1", "title": "Orientering"}])
    _table(out, "regions", [{"doc_id": "a", "region": "Regionrådet i Valdres", "mention": "Valdres IPR"}])
    _table(out, "topics", [{"doc_id": "a", "region": "", "theme": "energi"}])
    return out, gold


def test_figures_misses_and_false_finds(tmp_path: Path) -> None:
    out, gold = _run(tmp_path)
    ev = evaluate(out, gold)
    fig = ev.figures()
    assert (fig["decisions"]["tp"], fig["decisions"]["fp"], fig["decisions"]["fn"]) == (1, 1, 0)
    assert fig["decisions"]["kind_accuracy"] == 0.0 and fig["decisions"]["status_accuracy"] == 1.0
    assert (fig["participants"]["tp"], fig["participants"]["fn"]) == (1, 1)
    assert fig["participants"]["attendance_accuracy"] == 0.0
    assert fig["regions"]["f1"] == 1.0 and fig["agenda_items"]["f1"] == 1.0
    whats = {(f.table, f.what) for f in ev.findings}
    assert ("participants", "miss") in whats and ("decisions", "false find") in whats
    assert ("decisions", "wrong kind") in whats


def test_cli_writes_the_findings(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out, gold = _run(tmp_path)
    assert main(["evaluate", str(out), str(gold), "--write"]) == 0
    printed = capsys.readouterr().out
    assert "decisions" in printed and "participants" in printed
    assert (out / "evaluation" / "findings.csv").exists() and (out / "evaluation" / "figures.json").exists()


def test_cli_says_what_is_wrong_with_the_folders(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["evaluate", str(tmp_path), str(tmp_path)]) == 2
    assert "no tables/" in capsys.readouterr().err
