"""Line classification on its cases (tests/cases/sections.json)."""
from __future__ import annotations

import pytest

from pipeline.models import Line
from pipeline.sections import classify, segment
from tests.conftest import cases

CASES = cases("sections")


@pytest.mark.parametrize("case", CASES, ids=[c["label"] for c in CASES])
def test_classify(case: dict) -> None:
    block = classify(Line(1, 1, case["original"]))
    assert block.kind == case["kind"]
    for key, value in case["expected"].items():
        where = block.label if block.label is not None and hasattr(block.label, key) and key != "text" else block
        assert getattr(where, key) == value, key


def test_label_rest_is_the_text_after_the_colon() -> None:
    block = classify(Line(1, 1, "Forfall: Kari Hansen (Sp), Ola Dahl (Ap)"))
    assert block.rest == "Kari Hansen (Sp), Ola Dahl (Ap)"


def test_segment_keeps_blank_lines_and_positions() -> None:
    blocks = segment([Line(3, 10, "Vedtak:"), Line(3, 11, ""), Line(3, 12, "Godkjent.")])
    assert [(b.kind, b.page, b.line) for b in blocks] == [("label", 3, 10), ("blank", 3, 11), ("para", 3, 12)]
