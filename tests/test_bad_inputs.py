"""Bad input never stops a run (issue 7): the whole CLI, in process, over ``tests/fixtures/bad/``
plus the files that are made at test time (a 50 MB text, symlink loops, a FIFO, a locked file,
awkward names). Each file gives a correct result or an error row with a plain message; the run
exits 0; tracebacks appear only with ``--debug``; no document text becomes a formula or a path.
"""
from __future__ import annotations

import contextlib
import csv
import importlib.util
import io
import os
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest
from openpyxl import load_workbook

from pipeline.cli import main

REPO = Path(__file__).resolve().parents[1]
BAD = REPO / "tests" / "fixtures" / "bad"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
TRACEBACK_RE = re.compile(r"Traceback \(most recent call last\)|File \"[^\"]+\", line \d+")


def _script() -> ModuleType:
    """scripts/make_bad_inputs.py as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("make_bad_inputs", REPO / "scripts" / "make_bad_inputs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MAKE = _script()
# The corpus runs as if Tesseract were absent (pipeline.ocr.tesseract_language patched to None).
SCANNED = "scanned PDF without a text layer: install Tesseract with its Norwegian model: " \
    "apt-get install tesseract-ocr tesseract-ocr-nor"
LOCKED = None if os.geteuid() == 0 else "cannot open file: Permission denied"  # root reads a mode-000 file

#: source_path -> None when the file must be read correctly, else a substring of its error message.
EXPECTED: dict[str, str | None] = {
    "empty.pdf": "empty file (0 bytes)",
    "empty.docx": "empty file (0 bytes)",
    "empty.txt": "empty file (0 bytes)",
    "empty.md": "empty file (0 bytes)",
    "pdf_truncated.pdf": "damaged PDF: not a valid PDF structure",
    "pdf_corrupt_xref.pdf": None,  # pdfium rebuilds a broken cross-reference table
    "pdf_header_only.pdf": "damaged PDF: not a valid PDF structure",
    "pdf_is_html.pdf": "damaged PDF: not a valid PDF structure",
    "pdf_encrypted_password.pdf": "encrypted PDF: needs a password",
    "pdf_encrypted_empty_password.pdf": None,
    "pdf_300_blank_pages.pdf": None,
    "pdf_pages_loop.pdf": "damaged PDF",
    "pdf_outlines_loop.pdf": None,
    "pdf_scanned_no_text.pdf": SCANNED,
    "binary_junk.txt": "not a text file: it contains binary data",
    "png_named.txt": "not a text file: it contains binary data",
    "utf16le_bom.txt": None,
    "utf16le_no_bom.txt": None,
    "utf16be_no_bom.txt": None,
    "windows1252.txt": None,
    "nul_and_controls.txt": None,
    "docx_not_a_zip.docx": "not a Word file",
    "docx_broken_document_xml.docx": "damaged Word file",
    "docx_without_document.docx": "damaged Word file: a part is missing",
    "docx_entity_expansion.docx": "damaged Word file",
    "docx_good_control.docx": None,
    "formula_injection.txt": None,
    "title_path_traversal.txt": None,
    "møte i formannskapet æøå ÆØÅ.txt": None,
    "sak 'tolv' (kopi).txt": None,
    "duplicate_a.txt": None,
    "duplicate_b.txt": None,
    # made at test time
    "big_50mb.txt": "file too large: ",
    "one_long_line.txt": None,  # cut into lines before the analysis (issue 18)
    "self_loop.txt": "cannot open file: Too many levels of symbolic links",
    "dangling.pdf": "cannot open file: No such file or directory",
    "pipe.txt": "cannot open file: not a regular file",
    "locked.txt": LOCKED,
    'sak "13" vedtak.txt': None,
    "linje\nskift.txt": None,
    "sak..\\..\\..\\etc\\passwd.txt": None,
    "-=cmd.txt": None,
    "=HYPERLINK(1).txt": None,
    "m\\xf8te cp1252.txt": None,
}
#: Words every correctly read copy of the protocol text holds.
PROTOCOL_WORDS = ("Møteprotokoll", "Særlig viktig: økonomi", "Regionrådet slutter seg til forslaget")


def unquote(value: str) -> str:
    """A cell as it was before export made formula-like text inert with a leading apostrophe."""
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_START) else value


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@dataclass(frozen=True)
class Run:
    code: int
    inputs: Path
    out: Path
    stdout: str
    stderr: str
    documents: dict[str, dict[str, str]]

    def text(self, source_path: str) -> str:
        doc_id = self.documents[source_path]["doc_id"]
        return (self.out / "text" / f"{doc_id}.txt").read_text(encoding="utf-8")


def run_cli(inputs: list[Path], out: Path, *extra: str) -> Run:
    """``minutes run`` in process, with stdout and stderr captured."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(["run", *map(str, inputs), "--out", str(out), "--workers", "1", "--quiet", *extra])
    documents = {unquote(row["source_path"]): row for row in _rows(out / "tables" / "documents.csv")}
    return Run(code, inputs[0], out, stdout.getvalue(), stderr.getvalue(), documents)


def build_corpus(folder: Path) -> Path:
    """The committed corpus copied, plus everything that is made at test time."""
    shutil.copytree(BAD, folder, ignore=shutil.ignore_patterns("README.md"))
    MAKE.make_big_text(folder, 50, "big_50mb.txt")
    MAKE.make_long_line(folder)
    MAKE.make_symlink_loops(folder)
    MAKE.make_unreadable(folder)
    MAKE.make_awkward_names(folder)
    return folder


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """One run over the whole corpus, as on a machine without Tesseract."""
    from pipeline import ocr

    root = tmp_path_factory.mktemp("bad")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ocr, "tesseract_language", lambda: None)
        return run_cli([build_corpus(root / "in")], root / "out")


# --------------------------------------------------------------------------- the corpus is as documented


def test_the_committed_corpus_is_what_the_script_makes_and_small() -> None:
    made, again = MAKE.corpus(), MAKE.corpus()
    committed = {p.name for p in BAD.iterdir()} - {"README.md"}
    assert committed == set(made)
    for name, make in made.items():
        data = make()
        assert data == again[name](), f"{name}: the script is not deterministic"
        # PDFs, zips and the PNG also depend on the fpdf2, Pillow and zlib versions: not compared
        if name.endswith((".txt", ".md")) and not data.startswith(b"\x89PNG"):
            assert (BAD / name).read_bytes() == data, f"{name}: run scripts/make_bad_inputs.py"
    assert sum(p.stat().st_size for p in BAD.iterdir()) < 1024 * 1024


def test_the_readme_lists_every_committed_file() -> None:
    readme = (BAD / "README.md").read_text(encoding="utf-8")
    for name in MAKE.corpus():
        assert f"`{name}`" in readme, name


# --------------------------------------------------------------------------- every file, one outcome


def test_the_run_goes_on_and_exits_0_quietly(corpus_run: Run) -> None:
    assert corpus_run.code == 0
    assert corpus_run.stdout == "" and corpus_run.stderr == ""
    expected = set(EXPECTED) if "m\\xf8te cp1252.txt" in corpus_run.documents else set(EXPECTED) - {
        "m\\xf8te cp1252.txt"}
    assert set(corpus_run.documents) == expected
    runs = _rows(corpus_run.out / "tables" / "runs.csv")
    assert int(runs[0]["documents"]) == len(expected)


@pytest.mark.parametrize("source_path", sorted(EXPECTED))
def test_each_bad_input_is_read_or_named_in_plain_words(corpus_run: Run, source_path: str) -> None:
    if source_path not in corpus_run.documents:
        pytest.skip("the file system refused this name")
    row, message = corpus_run.documents[source_path], EXPECTED[source_path]
    if message is None:
        assert row["status"] == "ok", row["error"]
        assert row["error"] == ""
        assert (corpus_run.out / "text" / f"{row['doc_id']}.txt").exists()
    else:
        assert row["status"] == "error"
        assert message in row["error"]
        assert not TRACEBACK_RE.search(row["error"]) and "\n" not in row["error"]
        assert len(row["error"]) < 300


@pytest.mark.parametrize("source_path", [
    "utf16le_bom.txt", "utf16le_no_bom.txt", "utf16be_no_bom.txt", "windows1252.txt", "nul_and_controls.txt",
    "pdf_corrupt_xref.pdf", "pdf_encrypted_empty_password.pdf", "docx_good_control.docx", "duplicate_a.txt",
    "møte i formannskapet æøå ÆØÅ.txt", "linje\nskift.txt", "sak..\\..\\..\\etc\\passwd.txt",
])
def test_readable_files_give_the_right_text(corpus_run: Run, source_path: str) -> None:
    text = corpus_run.text(source_path)
    for words in PROTOCOL_WORDS:
        assert words in text
    assert not re.search("[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]", text)
    assert corpus_run.documents[source_path]["title"] == "Møteprotokoll"


def test_encodings_are_reported(corpus_run: Run) -> None:
    encodings = {name: corpus_run.documents[name]["encoding"] for name in
                 ("utf16le_bom.txt", "utf16le_no_bom.txt", "utf16be_no_bom.txt", "windows1252.txt")}
    assert encodings == {"utf16le_bom.txt": "utf-16", "utf16le_no_bom.txt": "utf-16-le",
                         "utf16be_no_bom.txt": "utf-16-be", "windows1252.txt": "cp1252"}
    assert "«Sitat» – “anførsel” koster 5 €." in corpus_run.text("windows1252.txt")


def test_nul_and_control_characters_are_dropped_not_the_words(corpus_run: Run) -> None:
    text = corpus_run.text("nul_and_controls.txt")
    assert "Møtedato: 19. november 2024" in text and "planen fortsetter" in text
    assert "[31m" in text  # an ANSI escape loses its ESC and is otherwise kept: words are never changed


def test_blank_and_looping_pdfs(corpus_run: Run) -> None:
    blank = corpus_run.documents["pdf_300_blank_pages.pdf"]
    assert (blank["pages"], blank["characters"]) == ("300", "0")
    assert "Til stede: Kari Nordmann" in corpus_run.text("pdf_outlines_loop.pdf")


def test_the_same_file_twice_is_two_documents_with_the_same_content(corpus_run: Run) -> None:
    a, b = corpus_run.documents["duplicate_a.txt"], corpus_run.documents["duplicate_b.txt"]
    assert a["doc_id"] != b["doc_id"]
    assert corpus_run.text("duplicate_a.txt") == corpus_run.text("duplicate_b.txt")
    assert {k: v for k, v in a.items() if k not in ("doc_id", "source_path")} == \
        {k: v for k, v in b.items() if k not in ("doc_id", "source_path")}


def test_entities_are_never_expanded(corpus_run: Run) -> None:
    assert "lollol" not in (corpus_run.out / "tables" / "documents.csv").read_text(encoding="utf-8")


def test_a_symlinked_folder_is_not_followed(corpus_run: Run) -> None:
    assert not [p for p in corpus_run.documents if p.startswith("loop_dir")]


def test_doc_ids_are_safe_unique_file_names(corpus_run: Run) -> None:
    ids = [row["doc_id"] for row in corpus_run.documents.values()]
    assert len({i.casefold() for i in ids}) == len(ids)
    for doc_id in ids:
        assert re.fullmatch(r"\w[\w.-]*", doc_id), doc_id  # no "/", "\\", leading "." or "-"
    assert corpus_run.documents["linje\nskift.txt"]["doc_id"] == "linje_skift"
    assert corpus_run.documents["-=cmd.txt"]["doc_id"] == "cmd"
    assert corpus_run.documents["-=cmd.txt"]["source_path"] == "'-=cmd.txt"


def test_a_name_that_is_not_utf8_is_shown_with_its_byte(corpus_run: Run) -> None:
    if "m\\xf8te cp1252.txt" not in corpus_run.documents:
        pytest.skip("the file system refused a name that is not UTF-8")
    assert corpus_run.documents["m\\xf8te cp1252.txt"]["status"] == "ok"


def test_newlines_and_quotes_in_names_survive_the_csv(corpus_run: Run) -> None:
    raw = (corpus_run.out / "tables" / "documents.csv").read_text(encoding="utf-8")
    assert '"linje\nskift.txt"' in raw and '"sak ""13"" vedtak.txt"' in raw
    assert len(_rows(corpus_run.out / "tables" / "documents.csv")) == len(corpus_run.documents)


# --------------------------------------------------------------------------- nothing escapes, nothing runs


def _all_files(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file() or p.is_symlink()}


def test_nothing_is_written_outside_the_out_folder(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(BAD / "title_path_traversal.txt", inputs)
    MAKE.make_awkward_names(inputs)
    direct = tmp_path / "deep" / "er"
    direct.mkdir(parents=True)
    dotted = direct / "..\\..\\..\\passwd.txt"  # a file named directly is read even though it starts with "."
    dotted.write_text(MAKE.TRAVERSAL, encoding="utf-8")
    before = _all_files(tmp_path)
    run = run_cli([inputs, dotted], tmp_path / "work" / "out")
    assert run.code == 0
    assert run.documents["title_path_traversal.txt"]["title"] == "../../etc/passwd"  # a value, never a path
    new = _all_files(tmp_path) - before
    out = (tmp_path / "work" / "out").resolve()
    assert all(p.resolve().is_relative_to(out) for p in new)
    assert {p.relative_to(out).parts[0] for p in new} == {"tables", "text", "minutes.xlsx", ".state", "datapackage.json"}
    texts = {p.name for p in (out / "text").iterdir()}
    assert texts == {f"{row['doc_id']}.txt" for row in run.documents.values()}


def test_formula_like_text_is_stored_as_text_in_csv_and_workbook(corpus_run: Run) -> None:
    formulas = 0
    for table in (corpus_run.out / "tables").glob("*.csv"):
        for row in csv.reader(table.open(encoding="utf-8", newline="")):
            for cell in row:
                number = re.fullmatch(r"-\d+(\.\d+)?", cell)
                assert number or not cell.startswith(FORMULA_START), (table.name, cell)
                formulas += cell.startswith(("'=", "'+", "'-", "'@"))
    assert formulas >= 5
    decisions = _rows(corpus_run.out / "tables" / "decisions.csv")
    texts = {row["text"] for row in decisions if row["doc_id"] == "formula_injection"}
    assert {"'=1+1", "'+cmd|' /C calc'!A0"} <= texts
    workbook = load_workbook(corpus_run.out / "minutes.xlsx")
    seen = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                    # a text cell; shown as typed (quote prefix), or the label of a link to the source file
                    assert cell.data_type == "s" and (cell.quotePrefix or cell.hyperlink is not None), (
                        sheet.title, cell.coordinate, cell.value)
                    seen += cell.value.startswith("=")
    assert seen >= 3


# --------------------------------------------------------------------------- --debug


def test_debug_shows_the_traceback_and_plain_runs_do_not(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in ("pdf_truncated.pdf", "docx_broken_document_xml.docx", "duplicate_a.txt"):
        shutil.copy(BAD / name, inputs)
    plain = run_cli([inputs], tmp_path / "plain")
    debug = run_cli([inputs], tmp_path / "debug", "--debug")
    assert plain.code == debug.code == 0
    for name in ("pdf_truncated.pdf", "docx_broken_document_xml.docx"):
        assert not TRACEBACK_RE.search(plain.documents[name]["error"])
        assert "Traceback (most recent call last)" in debug.documents[name]["error"]
        assert debug.documents[name]["error"].startswith(plain.documents[name]["error"])
    assert debug.documents["duplicate_a.txt"]["status"] == "ok"
    assert "Traceback" not in plain.stderr + debug.stderr


def test_the_size_limits_are_constants_in_readers() -> None:
    from pipeline import readers

    assert readers.MAX_FILE_BYTES == 200 * 1024 * 1024
    assert readers.MAX_TEXT_CHARS == 10_000_000


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs and symlinks")
def test_a_run_over_only_unreadable_things_still_writes_the_tables(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    MAKE.make_symlink_loops(inputs)
    MAKE.make_unreadable(inputs)
    run = run_cli([inputs], tmp_path / "out")
    assert run.code == 0
    assert run.documents["pipe.txt"]["status"] == "error"
    assert run.documents["self_loop.txt"]["status"] == "error"


def test_a_zip_bomb_docx_is_refused_unopened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline import reader_base

    inputs = tmp_path / "in"
    inputs.mkdir()
    bomb = MAKE.make_zip_bomb_docx(inputs, megabytes=5)
    shutil.copy(BAD / "docx_good_control.docx", inputs)
    assert bomb.stat().st_size < 64 * 1024
    monkeypatch.setattr(reader_base, "MAX_FILE_BYTES", 2 * 2**20)  # instead of writing 200 MB of spaces
    run = run_cli([inputs], tmp_path / "out")
    assert run.code == 0
    assert run.documents["docx_zip_bomb.docx"]["error"] == \
        "file too large: the Word file unpacks to 5 MB (minutes reads files up to 2 MB)"
    assert run.documents["docx_good_control.docx"]["status"] == "ok"
