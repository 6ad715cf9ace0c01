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


def _in_two_councils() -> str:
    return next(name for name, councils in sorted(councils_of().items()) if len(councils) >= 2)


def test_rollup_credits_what_a_document_owns_to_one_council_only() -> None:
    """Issue 17 item 1: a municipality's decisions (and the owner of its documents) roll up to its
    council; a municipality in two councils keeps them unless the document names one of them, so
    nothing is credited twice."""
    from dataclasses import fields, replace

    from pipeline.models import DecisionRow, DocumentResult, DocumentRow, RegionRow, TopicRow

    two = _in_two_councils()
    first, second = (c.name for c in councils_of()[two][:2])
    doc = DocumentRow("d", "d.txt")
    has_owner = "region" in {f.name for f in fields(DocumentRow)}
    for owner, mentions, expected in (("Vang kommune", [], "Regionrådet i Valdres"), (two, [], two),
                                      (two, [second], second)):
        result = DocumentResult(
            document=replace(doc, region=owner) if has_owner else doc,  # type: ignore[type-var]
            decisions=(DecisionRow("d", "1", "vedtak", "adopted", "Godkjent.", region=owner),),
            regions=tuple(RegionRow("d", name, name, "regionråd") for name in mentions)
                    + (RegionRow("d", owner, owner, "municipality"),),
            topics=(TopicRow("d", owner, "energi", "kraft"),))
        rolled = rollup(result)
        assert [d.region for d in rolled.decisions] == [expected], owner
        assert [t.region for t in rolled.topics] == [expected], owner
        if has_owner:
            assert rolled.document.region == expected  # type: ignore[attr-defined]
    assert first != second
