"""Participants on the real corpus (../shared/corpus/real: 40 documents from 34 councils that the
rules were not written on, issue 16), scored with ``minutes evaluate``: the floors are the figures
reached, so a change that loses people, attendance or organisations on real documents fails here.
Skipped where the shared corpus is not present."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.evaluate import evaluate
from tests.conftest import SHARED

REAL = SHARED / "corpus" / "real"


@pytest.fixture(scope="module")
def figures(tmp_path_factory: pytest.TempPathFactory) -> dict:
    if not (REAL / "raw").is_dir():
        pytest.skip("../shared/corpus/real is not here")
    out: Path = tmp_path_factory.mktemp("real-out")
    assert main(["run", str(REAL / "raw"), "--out", str(out), "--workers", "1", "--quiet", "--format", "csv"]) == 0
    return evaluate(out, REAL / "gold").figures()


def test_participants_found(figures: dict) -> None:
    participants = figures["participants"]
    assert participants["f1"] >= 0.94
    assert participants["precision"] >= 0.97 and participants["recall"] >= 0.91


def test_participants_attendance_and_organisation(figures: dict) -> None:
    assert figures["participants"]["attendance_accuracy"] >= 0.98
    assert figures["participants"]["organisation_accuracy"] >= 0.74
