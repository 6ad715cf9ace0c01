"""Attendance lists in the forms real protocols use, as data (tests/cases/participants.json):
short made-up snippets, one per form. Each expected person must be found with the attributes
given; the names under "not" must not be found (two people read as one, a name cut short)."""
from __future__ import annotations

import pytest

from extractors.parties import is_party
from tests.conftest import cases
from tests.helpers import analyse_text

CASES = cases("participants")


@pytest.mark.parametrize("case", CASES, ids=[c["label"] for c in CASES])
def test_attendance_form(case: dict) -> None:
    people = {p.name: p for p in analyse_text(case["original"]).participants}
    for want in case["expected"]:
        assert want["name"] in people, f"{want['name']} not found in {sorted(people)}"
        got = people[want["name"]]
        for key, value in want.items():
            assert getattr(got, key) == value, f"{want['name']}: {key} is {getattr(got, key)!r}, not {value!r}"
    for name in case.get("not", []):
        assert name not in people


@pytest.mark.parametrize("code", ["AP", "Ap", "H", "KrF", "FRP", "MDG", "NAAP", "NASP", "FLSV", "AP-V", "SL/TVP",
                                  "UAVH", "Senterpartiet", "Miljøpartiet De Grønne"])
def test_party_codes(code: str) -> None:
    assert is_party(code)


@pytest.mark.parametrize("word", ["NAV", "KS", "IKS", "ROR", "Frøya", "Kommune", "Nordby kommune", "sv", "Kari"])
def test_not_party_codes(word: str) -> None:
    assert not is_party(word)
