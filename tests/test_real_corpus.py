"""The real corpus (../shared/corpus/real: documents of councils nobody on the team wrote, with
hand-made gold) run once and scored with the shared scorer; the floors are what the rules reach
today, so a change that loses ground on real documents fails here. Skipped when the corpus or the
scorer is not beside the repo."""
from __future__ import annotations

import importlib.util
from types import ModuleType

import pytest

from pipeline.cli import main
from tests.conftest import SHARED

REAL = SHARED / "corpus" / "real"


def _scorer() -> ModuleType:
    path = SHARED / "tools" / "score.py"
    spec = importlib.util.spec_from_file_location("score", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


@pytest.fixture(scope="module")
def figures(tmp_path_factory: pytest.TempPathFactory) -> dict:
    if not (REAL / "raw").is_dir() or not (SHARED / "tools" / "score.py").exists():
        pytest.skip("the real corpus or the shared scorer is not beside the repo")
    out = tmp_path_factory.mktemp("real-out")
    assert main(["run", str(REAL / "raw"), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    return _scorer().score(out, REAL / "gold", None, None)


def test_every_real_document_is_read(figures: dict) -> None:
    assert figures["documents"]["missing"] == 0 and figures["documents"]["errors"] == 0


def test_real_decisions(figures: dict) -> None:
    decisions = figures["decisions"]
    assert decisions["f1"] >= 0.96 and decisions["precision"] >= 0.96 and decisions["recall"] >= 0.97
    assert decisions["status_accuracy"] >= 0.97


def test_real_agenda_items(figures: dict) -> None:
    agenda = figures["agenda_items"]
    assert agenda["f1"] >= 0.97 and agenda["precision"] >= 0.97 and agenda["recall"] >= 0.97
