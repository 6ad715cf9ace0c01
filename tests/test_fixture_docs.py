"""The project's own realistic documents scored with ``minutes evaluate`` against their
annotations: tests/fixtures/docs (20 documents the rules were developed on) and
tests/fixtures/holdout (12 documents written later without sight of the rules, first scored
before any rule was changed for them; see the READMEs). The hidden-set figures of the
extraction issue must hold here at least."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.evaluate import evaluate

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module", params=["docs", "holdout"])
def figures(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict:
    docs = FIXTURES / request.param
    out = tmp_path_factory.mktemp(f"{request.param}-out")
    inputs = tmp_path_factory.mktemp(f"{request.param}-in")
    for doc in docs.glob("*.txt"):
        (inputs / doc.name).write_bytes(doc.read_bytes())
    assert main(["run", str(inputs), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    return evaluate(out, docs / "gold").figures()


def test_every_document_is_read(figures: dict) -> None:
    assert figures["documents"]["missing"] == 0 and figures["documents"]["errors"] == 0
    assert figures["documents"]["doc_type_accuracy"] >= 0.9


def test_extraction_figures(figures: dict) -> None:
    assert figures["documents"]["meeting_date_accuracy"] >= 0.8
    assert figures["decisions"]["f1"] >= 0.75 and figures["decisions"]["status_accuracy"] >= 0.95
    assert figures["participants"]["f1"] >= 0.85 and figures["participants"]["attendance_accuracy"] >= 0.9
    assert figures["agenda_items"]["f1"] >= 0.8
    assert figures["regions"]["f1"] >= 0.7
    assert figures["topics_document"]["f1"] >= 0.75 and figures["topics_region"]["f1"] >= 0.6
