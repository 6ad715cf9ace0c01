"""What the export writes and removes in the output folder: only its own files (issue 18, item 1)."""
from __future__ import annotations

from pathlib import Path

from pipeline.cli import main

DOCS = Path(__file__).parent / "fixtures" / "docs"


def _inputs(folder: Path, n: int) -> list[Path]:
    folder.mkdir(exist_ok=True)
    docs = sorted(DOCS.glob("*.txt"))[:n]
    for doc in docs:
        (folder / doc.name).write_bytes(doc.read_bytes())
    return docs


def test_the_run_removes_only_texts_it_wrote(tmp_path: Path) -> None:
    """A file the user put in ``OUT/text`` (``brev.txt``) survives every run; the text of a document
    that left the inputs goes."""
    inputs, out = tmp_path / "in", tmp_path / "out"
    docs = _inputs(inputs, 3)
    assert main(["run", str(inputs), "--out", str(out), "--quiet", "--workers", "1", "--format", "csv"]) == 0
    texts = {p.name for p in (out / "text").glob("*.txt")}
    assert texts == {f"{d.stem}.txt" for d in docs}
    (out / "text" / "brev.txt").write_text("Mitt eget brev.\n", encoding="utf-8")
    (out / "text" / "notater").mkdir()
    assert main(["run", str(inputs), "--out", str(out), "--quiet", "--workers", "1", "--format", "csv"]) == 0
    (inputs / docs[0].name).unlink()  # a document leaves the inputs: its text goes, the user's stay
    assert main(["run", str(inputs), "--out", str(out), "--quiet", "--workers", "1", "--format", "csv"]) == 0
    assert (out / "text" / "brev.txt").read_text(encoding="utf-8") == "Mitt eget brev.\n"
    assert (out / "text" / "notater").is_dir()
    assert {p.name for p in (out / "text").glob("*.txt")} == {f"{d.stem}.txt" for d in docs[1:]} | {"brev.txt"}
