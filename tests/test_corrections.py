"""Hand corrections that survive reprocessing (issue 20), on the dev documents: they hold on a rerun,
after an unrelated change of the source and with ``--full``, in CSV, Parquet and the workbook; an
orphaned one is reported with its row's last known text; invalid files and values are reported with
file and line while the valid ones apply."""
from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import openpyxl
import pyarrow.parquet as pq
import pytest

from pipeline.cli import main
from pipeline.export.correction_files import read_folder
from pipeline.export.labels import labels

REPO = Path(__file__).parent.parent
DEV = REPO / "data" / "raw"
GOLD = REPO.parent / "shared" / "corpus" / "dev" / "gold"
MEETING = "004_964d7f71dfe407c4"  # the dev meeting with a list of participants


def rows(out: Path, table: str) -> list[dict[str, str]]:
    with (out / "tables" / f"{table}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def run(raw: Path, out: Path, *options: str) -> int:
    return main(["run", str(raw), "--out", str(out), "--workers", "1", "--quiet", *options])


def write(path: Path, text: str, encoding: str = "utf-8") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding=encoding)


@pytest.fixture
def dev(tmp_path: Path) -> tuple[Path, Path, Path]:
    """The dev documents copied (they are edited), an output folder with a first run, a corrections folder."""
    raw, out, fix = tmp_path / "raw", tmp_path / "out", tmp_path / "fix"
    shutil.copytree(DEV, raw)
    fix.mkdir()
    assert run(raw, out) == 0
    return raw, out, fix


def _targets(out: Path) -> tuple[dict[str, str], dict[str, str]]:
    """A proposed decision, and a participant of the meeting named only in passing (mentioned)."""
    decision = next(r for r in rows(out, "decisions") if r["status"] == "proposed")
    person = next(r for r in rows(out, "participants") if r["doc_id"] == MEETING and r["attendance"] == "mentioned")
    return decision, person


def _assert_corrections_hold(out: Path, decision: dict[str, str], person: dict[str, str]) -> None:
    decisions = {r["id"]: r for r in rows(out, "decisions")}
    assert decisions[decision["id"]]["status"] == "adopted"
    people = rows(out, "participants")
    assert person["id"] not in {r["id"] for r in people}
    added = [r for r in people if r["id"] == "p-lagt-til-1"]
    assert [(r["doc_id"], r["name"], r["role"], r["attendance"]) for r in added] == [
        (MEETING, "Kari Nordmann", "rådgiver", "present")]
    # Parquet the same, typed
    parquet = pq.read_table(out / "tables" / "decisions.parquet").to_pylist()
    assert {r["id"]: r["status"] for r in parquet}[decision["id"]] == "adopted"
    assert "p-lagt-til-1" in pq.read_table(out / "tables" / "participants.parquet").column("id").to_pylist()
    outcomes = {(r["file"], r["line"], r["id"], r["column"]): r for r in rows(out, "corrections")}
    assert outcomes[("decisions.csv", "2", decision["id"], "status")]["outcome"] == "applied"
    assert outcomes[("decisions.csv", "2", decision["id"], "status")]["extracted"] == "proposed"
    assert outcomes[("participants.csv", "2", person["id"], "")]["outcome"] == "deleted"
    assert person["name"] in outcomes[("participants.csv", "2", person["id"], "")]["extracted"]
    assert outcomes[("participants.csv", "3", "p-lagt-til-1", "")]["outcome"] == "added"
    # the workbook: the cells marked, the Rettelser sheet
    book = openpyxl.load_workbook(out / "minutes.xlsx")
    sheet = book["Vedtak"]
    header = [c.value for c in sheet[1]]
    status_col, id_col = header.index(labels("nb").header("status")), header.index(labels("nb").header("id"))
    row = next(r for r in sheet.iter_rows(min_row=2) if r[id_col].value == decision["id"])
    assert row[status_col].value == labels("nb").value("status", "adopted")  # in the workbook's language
    assert row[status_col].comment is not None and labels("nb").value("status", "proposed") in row[status_col].comment.text
    assert row[status_col].fill.fgColor.rgb.endswith("FCE4D6")
    names = [r[1] for r in book["Deltakere"].iter_rows(min_row=2, values_only=True)]
    assert "Kari Nordmann" in names and person["name"] not in names
    package = {r["name"]: r for r in json.loads((out / "datapackage.json").read_text(encoding="utf-8"))["resources"]}
    assert {f["name"]: f["type"] for f in package["corrections"]["schema"]["fields"]}["line"] == "integer"
    assert pq.read_table(out / "tables" / "corrections.parquet").column("line").type == "int64"
    listed = list(book["Rettelser"].iter_rows(values_only=True))
    assert listed[0][:8] == ("Fil", "Linje", "Tabell", "ID", "Kolonne", "Uttrukket verdi", "Rettet verdi", "Utfall")
    assert {r[7] for r in listed[1:]} == {labels("nb").value("correction", o) for o in ("applied", "deleted", "added")}


def test_corrections_hold_on_a_rerun_after_an_unrelated_change_and_with_full(dev: tuple[Path, Path, Path],
                                                                             capsys: pytest.CaptureFixture[str]) -> None:
    raw, out, fix = dev
    decision, person = _targets(out)
    extracted = {t: len(rows(out, t)) for t in ("decisions", "participants")}
    write(fix / "decisions.csv", f"id,status\n{decision['id']},adopted\n")
    write(fix / "participants.csv", f"id,doc_id,name,role,attendance,delete\n{person['id']},,,,,ja\n"
                                    f"p-lagt-til-1,{MEETING},Kari Nordmann,rådgiver,present,\n")
    assert run(raw, out, "--corrections", str(fix)) == 0  # nothing to process: the corrections alone export
    _assert_corrections_hold(out, decision, person)
    assert len(rows(out, "participants")) == extracted["participants"]  # one deleted, one added
    assert len(rows(out, "decisions")) == extracted["decisions"]

    meeting = raw / f"{MEETING}.txt"
    text = meeting.read_text(encoding="utf-8")
    assert "Sted: Lillestrøm rådhus\n" in text
    meeting.write_text(text.replace("Sted: Lillestrøm rådhus\n", "Sted: Lillestrøm rådhus, møterom Glomma\n"),
                       encoding="utf-8")
    assert main(["run", str(raw), "--out", str(out), "--workers", "1", "--corrections", str(fix)]) == 0
    summary = capsys.readouterr().out
    assert "(1 changed, 4 unchanged; 1 processed)" in summary and "corrections: 1 applied, 1 deleted, 1 added" in summary
    _assert_corrections_hold(out, decision, person)

    assert run(raw, out, "--corrections", str(fix), "--full") == 0
    _assert_corrections_hold(out, decision, person)


def test_a_changed_correction_file_is_applied_on_a_run_where_no_document_changed(
        dev: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    raw, out, fix = dev
    decision, _ = _targets(out)
    write(fix / "decisions.csv", f"id,status\n{decision['id']},adopted\n")
    assert run(raw, out, "--corrections", str(fix)) == 0
    assert main(["run", str(raw), "--out", str(out), "--workers", "1", "--corrections", str(fix)]) == 0
    assert "nothing changed, tables kept" in capsys.readouterr().out
    write(fix / "decisions.csv", f"id,status,kind\n{decision['id']},adopted,vedtak\n")
    assert run(raw, out, "--corrections", str(fix)) == 0
    row = {r["id"]: r for r in rows(out, "decisions")}[decision["id"]]
    assert (row["status"], row["kind"]) == ("adopted", "vedtak")
    # without the folder the extracted rows come back, and the corrections table goes
    assert run(raw, out) == 0
    assert {r["id"]: r for r in rows(out, "decisions")}[decision["id"]]["status"] == "proposed"
    assert not (out / "tables" / "corrections.csv").exists()


def test_an_orphaned_correction_is_reported_with_the_last_known_text_of_its_row(dev: tuple[Path, Path, Path]) -> None:
    raw, out, fix = dev
    people = [r for r in rows(out, "participants") if r["doc_id"] == MEETING and r["attendance"] == "present"]
    kept, gone = people[0], people[-1]
    write(fix / "participants.csv", f"id,role\n{kept['id']},rådgiver\n{gone['id']},sekretær\n")
    assert run(raw, out, "--corrections", str(fix)) == 0
    assert {r["id"]: r["role"] for r in rows(out, "participants")}[gone["id"]] == "sekretær"
    meeting = raw / f"{MEETING}.txt"
    first, last = gone["name"].split(" ", 1)
    text = meeting.read_text(encoding="utf-8")
    assert f"{first}\t{last}\t" in text
    meeting.write_text(text.replace(f"{first}\t{last}\t", f"{first}\t{last}-Berg\t"), encoding="utf-8")

    assert run(raw, out, "--corrections", str(fix)) == 0
    now = {r["id"]: r for r in rows(out, "participants")}
    assert gone["id"] not in now and now[kept["id"]]["role"] == "rådgiver"
    outcomes = {r["id"]: r for r in rows(out, "corrections")}
    orphan = outcomes[gone["id"]]
    assert (orphan["outcome"], orphan["column"], orphan["corrected"]) == ("orphaned", "role", "sekretær")
    assert gone["name"] in orphan["message"] and gone["organisation"] in orphan["message"]
    assert outcomes[kept["id"]]["outcome"] == "applied"
    # still reported on the next runs (the last known text is remembered), also with --full
    assert run(raw, out, "--corrections", str(fix), "--full") == 0
    assert {r["id"]: r for r in rows(out, "corrections")}[gone["id"]]["message"] == orphan["message"]
    book = openpyxl.load_workbook(out / "minutes.xlsx")
    assert any(r[7] == labels("nb").value("correction", "orphaned") and gone["name"] in r[8]
               for r in book["Rettelser"].iter_rows(values_only=True))


def test_invalid_files_and_values_are_reported_with_file_and_line_and_the_valid_ones_apply(
        dev: tuple[Path, Path, Path], caplog: pytest.LogCaptureFixture) -> None:
    raw, out, fix = dev
    decisions = rows(out, "decisions")
    people = rows(out, "participants")
    write(fix / "decisions.csv", "id,status,votes_for,quoted,meeting_date,colour\n"
                                 f"{decisions[0]['id']},vedtatt,7,,,\n"
                                 f"{decisions[1]['id']},,sju,kanskje,2024-02-30,\n"
                                 ",adopted,,,,\n"
                                 f"{decisions[2]['id']},,3,ja,2024-11-20,blå\n")
    write(fix / "participants.csv", "id,doc_id,name,attendance\n"
                                    "p-uten-dokument,,Ola Nordmann,present\n"
                                    "p-feil-dokument,no-such-doc,Ola Nordmann,present\n"
                                    f"{people[0]['id']},,,absent\n")
    write(fix / "motions.csv", "id,text\nm-1,x\n")
    (fix / "votes.csv").write_bytes(b"PK\x03\x04\x00\x00binary")
    topic = rows(out, "topics")[0]
    write(fix / "topics.csv", f'id,evidence\nt-1,"ener"gi"\n{topic["id"]},rettet belegg\nt-2,"energi\n')  # bad quotes
    assert run(raw, out, "--corrections", str(fix)) == 0

    found = [(r["file"], r["line"], r["column"], r["outcome"]) for r in rows(out, "corrections")]
    invalid = {(f, line, c) for f, line, c, o in found if o == "invalid"}
    assert invalid >= {("decisions.csv", "1", "colour"), ("decisions.csv", "2", "status"),
                       ("decisions.csv", "3", "votes_for"), ("decisions.csv", "3", "quoted"),
                       ("decisions.csv", "3", "meeting_date"), ("decisions.csv", "4", ""),
                       ("participants.csv", "2", ""), ("participants.csv", "3", "doc_id"),
                       ("motions.csv", "0", ""), ("votes.csv", "0", "")}
    assert ("topics.csv", "2", "", "invalid") in found and ("topics.csv", "4", "", "invalid") in found
    assert {r["id"]: r for r in rows(out, "topics")}[topic["id"]]["evidence"] == "rettet belegg"  # read on after line 2
    messages = " ".join(r["message"] for r in rows(out, "corrections"))
    assert "'vedtatt' is not one of adopted, proposed" in messages and "not a whole number" in messages
    assert "unknown column 'colour'" in messages and "no id" in messages
    assert "decisions.csv line 2: 'vedtatt' is not one of adopted, proposed" in caplog.text
    # the valid cells apply, those of an invalid line too
    now = {r["id"]: r for r in rows(out, "decisions")}
    assert now[decisions[0]["id"]]["votes_for"] == "7" and now[decisions[0]["id"]]["status"] == decisions[0]["status"]
    assert (now[decisions[2]["id"]]["votes_for"], now[decisions[2]["id"]]["quoted"],
            now[decisions[2]["id"]]["meeting_date"]) == ("3", "true", "2024-11-20")
    assert {r["id"]: r for r in rows(out, "participants")}[people[0]["id"]]["attendance"] == "absent"
    assert not {"p-uten-dokument", "p-feil-dokument"} & {r["id"] for r in rows(out, "participants")}
    # the workbook says each of them in Norwegian (the CSV keeps the English message)
    english = {r["message"] for r in rows(out, "corrections") if r["message"]}
    shown = [r[8] for r in openpyxl.load_workbook(out / "minutes.xlsx")["Rettelser"].iter_rows(min_row=2, values_only=True)]
    assert len([m for m in shown if m]) == len(english) >= 12
    assert not english & set(shown), english & set(shown)
    assert "'sju' er ikke et heltall" in shown and "ukjent kolonne 'colour' (ignorert)" in shown
    assert all(labels("en").correction_message(m) == m for m in english)  # the English templates give them back


def test_a_workbook_sheet_saved_by_excel_in_a_norwegian_locale_is_read(tmp_path: Path) -> None:
    """Norwegian headers, ``;`` between cells, Windows-1252, the Kilde column and a sheet name as
    the file name: what Excel saves from a filtered sheet of the workbook."""
    fix = tmp_path / "fix"
    write(fix / "Deltakere.csv", "Dokument-ID;Navn;Rolle;Organisasjon;Oppmøte;Parti;id;Kilde;Slett\r\n"
                                 "m1;Åse Ødegård;leder;Sogn regionråd;Forfall;;p-0123456789ab;m1.pdf, s. 1;\r\n"
                                 "m1;Per Ås;;;present;;p-ba9876543210;m1.pdf, s. 1;JA\r\n", encoding="cp1252")
    write(fix / "decisions.csv", "\ufeffDocument ID,Status,Kind,id\nm1,Proposed,Forslag til vedtak,d-0123456789ab\n")
    found = read_folder(fix, documents={"m1"})
    by_id = found.corrections["participants"]
    assert [(p.line, p.column) for p in found.problems] == [(2, "attendance")]  # "Forfall" is not a value
    assert by_id["p-0123456789ab"].values == {"doc_id": "m1", "name": "Åse Ødegård", "role": "leder",
                                              "organisation": "Sogn regionråd"}
    assert by_id["p-ba9876543210"].delete
    assert found.corrections["decisions"]["d-0123456789ab"].values == {
        "doc_id": "m1", "status": "proposed", "kind": "forslag til vedtak"}
    write(fix / "participants.csv", "id,role\np-0123456789ab,nestleder\n")  # the same row once more
    again = read_folder(fix, documents={"m1"})
    assert again.corrections["participants"]["p-0123456789ab"].values["role"] == "leder"
    assert ("participants.csv", 2, "p-0123456789ab is corrected in Deltakere.csv line 2 already") in [
        (p.file, p.line, p.message) for p in again.problems]


def test_the_default_folder_is_data_corrections_of_the_current_folder(
        dev: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    raw, out, _ = dev
    decision, _ = _targets(out)
    write(raw.parent / "data" / "corrections" / "decisions.csv", f"id,status\n{decision['id']},adopted\n")
    monkeypatch.chdir(raw.parent)
    assert run(raw, out) == 0
    assert {r["id"]: r for r in rows(out, "decisions")}[decision["id"]]["status"] == "adopted"
    assert main(["run", str(raw), "--out", str(out), "--corrections", str(raw.parent / "none")]) == 2


def _overview(out: Path) -> dict[str, tuple[int, int]]:
    """Region -> (decisions adopted, proposed) of the workbook's overview."""
    sheet = openpyxl.load_workbook(out / "minutes.xlsx")["Oversikt"]
    table = list(sheet.iter_rows(values_only=True))
    top = next(k for k, r in enumerate(table) if r[0] == "Region")
    assert table[top][2:4] == ("Vedtatt", "Forslag")
    return {r[0]: (r[2], r[3]) for r in table[top + 1:] if r[0]}


def test_a_deleted_decision_is_not_counted(dev: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    raw, out, fix = dev
    decisions = rows(out, "decisions")
    before = _overview(out)
    gone = next(d for d in decisions if d["quoted"] == "false" and d["status"] == "adopted")
    write(fix / "decisions.csv", f"id,delete\n{gone['id']},yes\n")
    assert main(["run", str(raw), "--out", str(out), "--workers", "1", "--corrections", str(fix)]) == 0
    assert f"; {len(decisions) - 1} decisions," in capsys.readouterr().out
    assert len(rows(out, "decisions")) == len(decisions) - 1
    # counted for its owner region only (issue 17): the decision's region, else its document's
    owner = gone["region"] or next(d["region"] for d in rows(out, "documents") if d["doc_id"] == gone["doc_id"])
    regions = {owner or "(uten region)"}
    assert _overview(out) == {region: (adopted - (region in regions), proposed)
                              for region, (adopted, proposed) in before.items()}


@pytest.mark.skipif(not GOLD.is_dir(), reason="needs ../shared/corpus/dev/gold")
def test_evaluate_shows_the_figures_with_and_without_the_corrections(
        dev: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    raw, out, fix = dev
    people = [r for r in rows(out, "participants") if r["doc_id"] == MEETING and r["attendance"] == "present"]
    write(fix / "participants.csv", "id,delete\n" + "".join(f"{p['id']},ja\n" for p in people[:3]))
    assert main(["evaluate", str(out), str(GOLD)]) == 0
    before = capsys.readouterr().out
    assert run(raw, out, "--corrections", str(fix)) == 0
    assert main(["evaluate", str(out), str(GOLD)]) == 0
    after = capsys.readouterr().out
    first, _, second = after.partition("as extracted")
    assert second, after
    line = next(x for x in before.splitlines() if x.startswith("participants"))
    assert line in second  # the tables as extracted score as before the corrections
    corrected = next(x for x in first.splitlines() if x.startswith("participants"))
    assert corrected != line and int(corrected.split()[4]) == int(line.split()[4]) - 3  # 3 fewer found


def test_a_corrected_cell_is_marked_with_its_extracted_value_and_stays_text(tmp_path: Path) -> None:
    from pipeline.export.xlsx import Workbook
    from pipeline.models import ParticipantRow, as_tuple, columns

    rows_ = [as_tuple(ParticipantRow("m1", "=1+1", "leder", id="p-1")), as_tuple(ParticipantRow("m1", "Per", id="p-2"))]
    marks = {("participants", "p-1"): {"name": "Kari", "role": ""}, ("participants", "p-2"): {"name": None}}
    with Workbook(tmp_path / "b.xlsx", lang="en", corrected=lambda t, i: marks.get((t, i), {})) as book:
        book.close({"participants": (columns(ParticipantRow), rows_)}, {})
    sheet = openpyxl.load_workbook(tmp_path / "b.xlsx")["Participants"]
    name, role = sheet["B2"], sheet["C2"]
    assert (name.value, name.data_type, role.value) == ("=1+1", "s", "leder")
    assert name.comment.text == "Corrected by hand. Extracted value: Kari"
    assert role.comment.text == "Corrected by hand. Extracted value: (empty)"
    assert sheet["B3"].comment.text == "Row added by hand." and sheet["B3"].fill.fgColor.rgb.endswith("FCE4D6")
    assert sheet["A2"].comment is None and not sheet["A2"].fill.fgColor.rgb.endswith("FCE4D6")


def test_the_sheet_and_its_headers_are_english_with_lang_en(dev: tuple[Path, Path, Path]) -> None:
    raw, out, fix = dev
    decision, _ = _targets(out)
    write(fix / "Decisions.csv", f"Id,Status\n{decision['id']},adopted\n")  # the English sheet saved as CSV
    assert run(raw, out, "--corrections", str(fix), "--lang", "en") == 0
    sheet = openpyxl.load_workbook(out / "minutes.xlsx")["Corrections"]
    listed = list(sheet.iter_rows(values_only=True))
    assert listed[0] == ("File", "Line", "Table", "ID", "Column", "Extracted value", "Corrected value", "Outcome",
                         "Message")
    # the table and column as the workbook names them; the values as the correction file has them
    assert listed[1][:8] == ("Decisions.csv", 2, "Decisions", decision["id"], "Status", "proposed", "adopted", "applied")
