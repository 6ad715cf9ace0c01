"""End to end on the five dev documents (data/raw): the tables must equal tests/golden/dev/
(``pytest --update-golden`` rewrites them; review the diff), and the dev-set figures of the
foundation issue must hold when the shared scorer is beside the repo (as in CI)."""
from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

from pipeline.cli import main
from tests.conftest import REPO, SHARED

GOLDEN = Path(__file__).parent / "golden" / "dev"
TABLES = ("documents", "decisions", "participants", "agenda_items", "regions", "topics")


@pytest.fixture(scope="module")
def dev_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dev-out")
    assert main(["run", str(REPO / "data" / "raw"), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    return out


@pytest.mark.parametrize("table", TABLES)
def test_tables_equal_golden(dev_out: Path, table: str, update_golden: bool) -> None:
    got = dev_out / "tables" / f"{table}.csv"
    want = GOLDEN / f"{table}.csv"
    if update_golden:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        shutil.copy(got, want)
    assert got.read_text(encoding="utf-8") == want.read_text(encoding="utf-8")


def test_texts_equal_golden(dev_out: Path, update_golden: bool) -> None:
    for got in sorted((dev_out / "text").glob("*.txt")):
        want = GOLDEN / "text" / got.name
        if update_golden:
            want.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(got, want)
        assert got.read_text(encoding="utf-8") == want.read_text(encoding="utf-8"), got.name


def _scorer():  # type: ignore[no-untyped-def]
    path = SHARED / "tools" / "score.py"
    if not path.exists():
        pytest.skip("shared/tools/score.py is not beside the repo")
    spec = importlib.util.spec_from_file_location("score", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_dev_figures_hold(dev_out: Path) -> None:
    dev = SHARED / "corpus" / "dev"
    res = _scorer().score(dev_out, dev / "gold", dev / "clean", dev / "raw")
    assert res["documents"]["doc_type_accuracy"] == 1.0
    assert res["documents"]["meeting_date_accuracy"] == 1.0
    assert res["decisions"]["f1"] >= 0.90 and res["decisions"]["status_accuracy"] >= 0.95
    assert res["participants"]["f1"] >= 0.95 and res["participants"]["attendance_accuracy"] >= 0.95
    assert res["agenda_items"]["f1"] >= 0.95
    assert res["regions"]["f1"] >= 0.85
    assert res["topics_document"]["f1"] >= 0.75 and res["topics_region"]["f1"] >= 0.60
    assert max(res["ocr"]["harm_words_changed_per_1000"].values()) == 0.0
    assert min(d["error_reduction"] for d in res["ocr"]["repaired"].values()) >= 0.99
