"""Decisions and agenda items of short documents written in the forms real ones use
(tests/cases/documents.json): each case lists every decision and agenda item the text holds."""
from __future__ import annotations

import pytest

from tests.conftest import cases
from tests.helpers import analyse_text

WITH_DECISIONS = [c for c in cases("documents") if "decisions" in c]
WITH_AGENDA = [c for c in cases("documents") if "agenda_items" in c]


@pytest.mark.parametrize("case", WITH_DECISIONS, ids=[c["label"] for c in WITH_DECISIONS])
def test_decisions(case: dict) -> None:
    result = analyse_text(case["original"])
    got = [{"item": d.item, "kind": d.kind, "status": d.status, "text": d.text} for d in result.decisions]
    assert got == case["decisions"]


@pytest.mark.parametrize("case", WITH_AGENDA, ids=[c["label"] for c in WITH_AGENDA])
def test_agenda_items(case: dict) -> None:
    result = analyse_text(case["original"])
    assert [{"number": a.number, "title": a.title} for a in result.agenda_items] == case["agenda_items"]
