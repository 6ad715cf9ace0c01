"""Found by hostile testing: files of the user's in the output folder, and input names that
the file system cannot take once the export adds its temporary prefix and suffix."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pipeline.discover import discover, safe_id

REPO = Path(__file__).resolve().parents[1]
TEXT = "Lunner kommune\nMøteprotokoll\nFormannskapet\nMøtedato: 14.03.2024\nPS 12/24 Godkjenning\nVedtak:\nGodkjent.\n"


def _run(inputs: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline", "run", str(inputs), "--out", str(out), "--workers", "1",
                           "--quiet", *extra], cwd=REPO, capture_output=True, text=True, timeout=300)


def test_a_file_name_of_long_four_byte_letters_does_not_stop_the_run(tmp_path: Path) -> None:
    """A legal name of 62 letters of four bytes each (248 bytes + .txt) made a doc id whose temporary
    text file name was over 255 bytes: the whole run stopped with 'File name too long'."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / ("𝐀" * 62 + ".txt")).write_text(TEXT, encoding="utf-8")
    (inputs / "a" / ("中" * 83 + ".txt")).parent.mkdir()
    (inputs / "a" / ("中" * 83 + ".txt")).write_text(TEXT, encoding="utf-8")
    (inputs / "b").mkdir()
    (inputs / "b" / ("中" * 83 + ".txt")).write_text(TEXT + "Mer.\n", encoding="utf-8")  # same stem: id + hash
    done = _run(inputs, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert len(list((tmp_path / "out" / "text").glob("*.txt"))) == 3


def test_doc_ids_stay_short_in_bytes() -> None:
    assert len(safe_id("𝐀" * 62).encode()) <= 160
    assert len(safe_id("ø" * 200).encode()) <= 160


def test_files_of_the_user_in_the_output_folder_are_neither_deleted_nor_overwritten(tmp_path: Path) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    (inputs / "notat.txt").write_text(TEXT, encoding="utf-8")
    mine = {
        ".write-test": "the user's own file",
        ".budsjett.xlsx.backup01": "a backup of the user's",  # looked like a temporary file of the export
        "tables/.mine.csv.original": "a copy of the user's",
        "text/.notes.txt.20241201": "a dated copy of the user's",
        "text/notat.txt": "the user's own notes, named like a document's text",
    }
    for name, content in mine.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text(content, encoding="utf-8")
    done = _run(inputs, out)
    assert done.returncode == 0, done.stderr
    for name, content in mine.items():
        assert (out / name).exists(), f"{name} was deleted"
        assert (out / name).read_text(encoding="utf-8") == content, f"{name} was overwritten"
    done = _run(inputs, out, "--full")  # and again, now with a manifest
    assert done.returncode == 0, done.stderr
    assert "text/notat.txt" in done.stderr  # the user is told why the text is missing
    for name, content in mine.items():
        assert (out / name).read_text(encoding="utf-8") == content, f"{name} was changed by the second run"


def test_a_text_of_the_project_is_still_rewritten_and_removed(tmp_path: Path) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    (inputs / "notat.txt").write_text(TEXT, encoding="utf-8")
    assert _run(inputs, out).returncode == 0
    assert "Lunner" in (out / "text" / "notat.txt").read_text(encoding="utf-8")
    again = _run(inputs, out, "--full")  # the same texts: nothing to say
    assert again.returncode == 0 and "not written" not in again.stderr, again.stderr
    (inputs / "notat.txt").write_text(TEXT.replace("Lunner", "Gran"), encoding="utf-8")
    assert _run(inputs, out).returncode == 0
    assert "Gran" in (out / "text" / "notat.txt").read_text(encoding="utf-8")
    (inputs / "annet.txt").write_text(TEXT, encoding="utf-8")
    (inputs / "notat.txt").unlink()
    assert _run(inputs, out).returncode == 0
    assert not (out / "text" / "notat.txt").exists()


def test_discover_is_unchanged_for_ordinary_names(tmp_path: Path) -> None:
    (tmp_path / "Møte 12. mars.txt").write_text("x")
    assert [s.doc_id for s in discover([tmp_path])] == ["Møte_12._mars"]


def test_a_correction_line_with_more_cells_than_the_header_is_not_applied(tmp_path: Path) -> None:
    """An unquoted comma in a corrected text made more cells than columns: the line was reported
    invalid and yet applied with the value cut at the comma, replacing the extracted text."""
    import csv

    inputs, out, fixes = tmp_path / "in", tmp_path / "out", tmp_path / "fix"
    inputs.mkdir()
    fixes.mkdir()
    (inputs / "notat.txt").write_text(TEXT, encoding="utf-8")
    assert _run(inputs, out).returncode == 0
    with (out / "tables" / "decisions.csv").open(encoding="utf-8", newline="") as f:
        decision = next(csv.DictReader(f))
    (fixes / "decisions.csv").write_text(f"id,text\n{decision['id']},Godkjent, med endringer, som foreslått\n",
                                         encoding="utf-8")
    done = _run(inputs, out, "--corrections", str(fixes))
    assert done.returncode == 0, done.stderr
    assert "not applied" in done.stderr
    with (out / "tables" / "decisions.csv").open(encoding="utf-8", newline="") as f:
        after = {row["id"]: row for row in csv.DictReader(f)}
    assert after[decision["id"]]["text"] == decision["text"]
    with (out / "tables" / "corrections.csv").open(encoding="utf-8", newline="") as f:
        assert [row["outcome"] for row in csv.DictReader(f)] == ["invalid"]


def test_a_pdf_page_that_comes_twice_keeps_its_text(tmp_path: Path) -> None:
    """A page printed or scanned twice: every line "repeated on most pages", so all of it was removed
    as running headers and footers, peeled from the edges inward; status ok, 0 characters."""
    import csv

    from fpdf import FPDF

    page = TEXT.strip().split("\n")
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for lines in (page, page, ["PS 13/24 Budsjett", "Vedtak:", "Budsjettet vedtas."]):
        pdf.add_page()
        for line in lines:
            pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    (inputs / "dobbel.pdf").write_bytes(bytes(pdf.output()))
    assert _run(inputs, out).returncode == 0
    text = (out / "text" / "dobbel.txt").read_text(encoding="utf-8")
    assert "Godkjenning" in text and "Budsjettet vedtas." in text
    with (out / "tables" / "decisions.csv").open(encoding="utf-8", newline="") as f:
        assert {row["item"] for row in csv.DictReader(f)} == {"12/24", "13/24"}
