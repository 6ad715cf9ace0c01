"""The fingerprint covers what decides a row and nothing that only writes it (issue 19, item 3):
changing export code re-exports the tables from the state store and processes nothing; changing an
extractor processes every document again."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline import fingerprint as fp

REPO = Path(__file__).resolve().parents[1]
DOCS = Path(__file__).parent / "fixtures" / "docs"


def _copy_code(dest: Path) -> Path:
    for package in ("pipeline", "extractors"):
        shutil.copytree(REPO / package, dest / package, ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def _touch(path: Path) -> None:
    with open(path, "a", encoding="utf-8") as f:
        f.write("\n# touched\n" if path.suffix == ".py" else "\n")


@pytest.fixture
def code(tmp_path: Path) -> Iterator[Path]:
    fp.clear_fingerprint_cache()
    yield _copy_code(tmp_path / "code")
    fp.clear_fingerprint_cache()


def test_fingerprint_follows_resources_code_and_options(tmp_path: Path) -> None:
    root = _copy_code(tmp_path)
    first = fp.fingerprint({"rollup": False}, root=root)
    assert fp.fingerprint({"rollup": False}, root=root) == first
    assert fp.fingerprint({"rollup": True}, root=root) != first
    themes = root / "pipeline" / "reference" / "resources" / "themes.jsonl"
    original = themes.read_bytes()
    themes.write_bytes(original + b"\n")
    fp.clear_fingerprint_cache()
    changed = fp.fingerprint({"rollup": False}, root=root)
    assert changed != first
    (root / "pipeline" / "reference" / "resources" / "names" / "extra.tsv").write_text("Ola\n", encoding="utf-8")
    fp.clear_fingerprint_cache()
    assert fp.fingerprint({"rollup": False}, root=root) not in (first, changed)
    (root / "pipeline" / "reference" / "resources" / "names" / "extra.tsv").unlink()
    themes.write_bytes(original)
    with open(root / "extractors" / "decisions.py", "a", encoding="utf-8") as f:
        f.write("# a comment\n")
    fp.clear_fingerprint_cache()
    assert fp.fingerprint({"rollup": False}, root=root) != first
    fp.clear_fingerprint_cache()


WRITERS = ["pipeline/export/xlsx/style.py", "pipeline/export/labels/nb.json", "pipeline/summary/stats.py",
           "pipeline/cli.py", "pipeline/run.py", "pipeline/state.py", "pipeline/stateplan.py", "pipeline/statecodec.py",
           "pipeline/statefaults.py", "pipeline/fingerprint.py", "pipeline/spool.py"]
DECIDERS = ["pipeline/readers.py", "pipeline/docx_reader.py", "pipeline/reader_base.py", "pipeline/normalise.py",
            "pipeline/repair.py", "pipeline/lexicon.py", "pipeline/ocr_choice.py", "pipeline/lexicon_data.py",
            "pipeline/ocr_confusions.py",
            "pipeline/sections.py", "pipeline/process.py", "pipeline/models.py", "extractors/decisions.py",
            "pipeline/reference/resources/roles.jsonl", "pipeline/resources/labels.jsonl",
            "pipeline/reference/resources/regions.jsonl", "pipeline/reference/__init__.py"]


def test_code_that_only_writes_rows_leaves_the_fingerprint(code: Path) -> None:
    first = fp.fingerprint({}, root=code)
    export_first = fp.export_fingerprint(code)
    for name in WRITERS:
        _touch(code / name)
    fp.clear_fingerprint_cache()
    assert fp.fingerprint({}, root=code) == first
    assert fp.export_fingerprint(code) != export_first  # the export is written again


@pytest.mark.parametrize("name", DECIDERS)
def test_code_and_rules_that_decide_rows_change_the_fingerprint(code: Path, name: str) -> None:
    first = fp.fingerprint({}, root=code)
    _touch(code / name)
    fp.clear_fingerprint_cache()
    assert fp.fingerprint({}, root=code) != first


def test_the_versions_of_the_text_libraries_are_in_the_fingerprint(code: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = fp.fingerprint({}, root=code)
    import importlib.metadata as metadata

    real = metadata.version
    monkeypatch.setattr(metadata, "version", lambda name: "0.0.1" if name == "pypdfium2" else real(name))
    fp.clear_fingerprint_cache()
    assert fp.fingerprint({}, root=code) != first


def _run(code: Path, inputs: Path, out: Path) -> tuple[int, bool]:
    """Run ``minutes`` of the code in ``code``: (documents processed, tables written)."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    done = subprocess.run([sys.executable, "-m", "pipeline", "run", str(inputs), "--out", str(out), "--workers", "1",
                           "--format", "csv"], capture_output=True, text=True, cwd=code, env=env, check=True)
    found = re.search(r"; (\d+) processed\)", done.stdout)
    assert found, done.stdout + done.stderr
    return int(found.group(1)), "tables kept" not in done.stdout


def test_changing_export_code_reexports_without_processing(code: Path, tmp_path: Path) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    for doc in sorted(DOCS.glob("*.txt"))[:3]:
        shutil.copy(doc, inputs)
    assert _run(code, inputs, out) == (3, True)
    assert _run(code, inputs, out) == (0, False)  # nothing changed: tables kept
    before = (out / "tables" / "documents.csv").stat().st_mtime_ns
    _touch(code / "pipeline" / "export" / "tables.py")
    assert _run(code, inputs, out) == (0, True)  # export code changed: written again, nothing processed
    assert (out / "tables" / "documents.csv").stat().st_mtime_ns != before
    _touch(code / "extractors" / "decisions.py")
    assert _run(code, inputs, out) == (3, True)  # an extractor changed: every document again
