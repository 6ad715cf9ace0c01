"""Properties of the OCR repair (issue 7), checked by hypothesis on 500 examples each: it never
raises on any Unicode text, it is idempotent (repairing repaired text changes nothing), and it
leaves correct Norwegian alone."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.models import Line
from pipeline.repair import repair_lines
from tests.test_properties import any_text, norwegian_text

PROPERTY = settings(max_examples=500, deadline=None)
#: Words as OCR without Norwegian letters leaves them, among correct ones, so that repairs happen.
DAMAGED = ("mgte", "matet", "regionradet", "fylkeskommunen", "pa", "na", "ogsa", "okonomi", "vedtak", "saken",
           "Regionradets", "drgfting", "nagdvendig", "felles", "gjennomfares", "samarbeidsomrader", "og", "i")
damaged_text = st.lists(st.sampled_from(DAMAGED), min_size=3, max_size=40).map(" ".join)


def _lines(text: str) -> list[Line]:
    return [Line(1, i, t) for i, t in enumerate(text.split("\n"), 1)]


def _repair(text: str) -> str:
    return "\n".join(line.text for line in repair_lines(_lines(text))[0])


@PROPERTY
@given(st.one_of(any_text, damaged_text))
def test_repair_never_raises_and_keeps_the_lines(text: str) -> None:
    lines = _lines(text)
    repaired, changes = repair_lines(lines)
    assert [(x.page, x.number) for x in repaired] == [(x.page, x.number) for x in lines]
    assert all(c.before != c.after for c in changes)


@PROPERTY
@given(st.one_of(any_text, damaged_text))
def test_repair_is_idempotent(text: str) -> None:
    once = _repair(text)
    assert _repair(once) == once


@PROPERTY
@given(norwegian_text())
def test_repair_leaves_correct_norwegian_alone(text: str) -> None:
    assert _repair(text) == text
