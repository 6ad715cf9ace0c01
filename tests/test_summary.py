"""Tables across documents: meetings, the region reference, and --rollup."""
from __future__ import annotations

from pipeline.summary import councils_of, region_reference, rollup
from tests.helpers import analyse_text


def test_a_municipality_rolls_up_to_its_council() -> None:
    r = analyse_text("Saksframlegg\n\nVang kommune og Vestre Slidre kommune ønsker bedre bredbånd og mobildekning.\n")
    assert {g.region for g in r.regions} == {"Vang kommune", "Vestre Slidre kommune"}
    rolled = rollup(r)
    assert [(g.region, g.rolled_up_from) for g in rolled.regions] == [("Regionrådet i Valdres", "Vang kommune")]


def test_councils_of_lists_current_councils_only() -> None:
    names = [c.name for c in councils_of()["Vang kommune"]]
    assert "Regionrådet i Valdres" in names
    assert all(c.valid_to is None for c in councils_of()["Vang kommune"])


def test_region_reference_has_members_and_councils() -> None:
    r = analyse_text("Referat\n\nRegionrådet i Valdres møtte Vang kommune.\n")
    ref = {row.region: row for row in region_reference(r.regions)}
    assert "Vang" in ref["Regionrådet i Valdres"].members
    assert ref["Vang kommune"].councils == "Regionrådet i Valdres"
