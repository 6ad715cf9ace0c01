"""What the repair and the row ids remember to go faster changes nothing they give: a word decided
once per document is decided so only where no neighbour has a say, the models' memos can be
dropped at any time, and a row copied with its new fields equals ``dataclasses.replace``."""
from __future__ import annotations

import dataclasses
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import models
from pipeline.lexicon import base_model
from pipeline.models import DecisionRow, DocumentResult, DocumentRow, Line, VoteRow
from pipeline.repair import repair_lines, repair_text
from pipeline.rowids import _updated, complete, row_id
from tests.test_repair_properties import damaged_text


def test_a_word_whose_neighbours_have_a_say_is_decided_at_each_place() -> None:
    # bor is kept after a subject and before a place (bor i), and is bør before an infinitive:
    # the same token, both ways in one document, in either order
    first = repair_text("Saken ble drgftet i mgtet. Han bor i Oslo, og radet bor vurdere saken pa nytt.")
    assert "Han bor i Oslo" in first and "rådet bør vurdere" in first
    second = repair_text("Saken ble drgftet i mgtet. Radet bor vurdere saken. Han bor i Oslo.")
    assert "Rådet bør vurdere" in second and "Han bor i Oslo" in second


@settings(max_examples=60, deadline=None)
@given(st.lists(damaged_text, min_size=1, max_size=4))
def test_repair_does_not_depend_on_what_the_models_remember(pages: list[str]) -> None:
    lines = [Line(page, 1, text) for page, text in enumerate(pages, 1)]
    warm = repair_lines(lines)
    for nynorsk in (False, True):
        base_model(nynorsk).trim(limit=0)  # forget every remembered reading and verdict
        assert not base_model(nynorsk).evidence
    assert repair_lines(lines) == warm


def test_a_row_copied_with_new_fields_equals_replace() -> None:
    row_classes = [cls for cls in vars(models).values()
                   if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__name__.endswith("Row")
                   and "id" in {f.name for f in dataclasses.fields(cls)}]
    assert len(row_classes) >= 6
    for cls in row_classes:
        values = {f.name: "x" if f.type in (str, "str") else f.default for f in dataclasses.fields(cls)
                  if f.default is not dataclasses.MISSING or f.type in (str, "str")}
        row: Any = cls(**values)
        assert _updated(row, {"id": "new"}) == dataclasses.replace(row, id="new")
        assert row.id == values["id"]  # the original is left as it was


def test_complete_sets_a_decisions_fields_and_id_and_links_its_vote() -> None:
    doc = DocumentRow(doc_id="m1", source_path="m1.txt", region="Viken", meeting_date="2024-03-01", body="Rådet",
                      title="Protokoll")
    decision = DecisionRow(doc_id="m1", item="4", kind="vedtak", status="adopted", text="Saken  godkjennes.")
    vote = VoteRow(doc_id="m1", item="4", proposal="", name="Kari", party="Sp", vote="for")
    result = complete(DocumentResult(document=doc, decisions=(decision,), votes=(vote,)), lambda d: "samferdsel")
    got = result.decisions[0]
    assert (got.region, got.meeting_date, got.body, got.title, got.themes) == (
        "Viken", "2024-03-01", "Rådet", "Protokoll", "samferdsel")
    assert got.id == row_id("decisions", "m1", ("4", "vedtak", "adopted", "saken godkjennes."))
    assert result.votes[0].decision_id == got.id and result.votes[0].id.startswith("v-")
    assert decision.id == "" and not decision.region  # the extractor's row is left as it was


def test_trim_to_nothing_forgets_the_evidence_too() -> None:
    """A model that remembers only verdicts of evidence (a clean document seen) forgets them too
    when trimmed to nothing (found by the property test above: it failed when no reading was kept)."""
    model = base_model(False)
    model.trim(limit=0)
    model.evidence["mgte"] = True
    model.trim(limit=0)
    assert not model.evidence
