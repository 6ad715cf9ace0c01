"""Row ids (OUTPUT.md, *Row ids*): unique, the same on every rerun, unchanged when an unrelated
part of the document changes; decisions read on their own; votes name their decision."""
from __future__ import annotations

from pipeline.models import DocumentResult
from tests.helpers import analyse_text

PROTOCOL = """\
Møteprotokoll for formannskapet

Møtedato: 12.02.2026
Til stede: Kari Nordmann (Ap), Per Hansen (H), Ingrid Berg (Sp)

PS 10/26 Godkjenning av protokoll
Vedtak:
Protokollen godkjennes.

PS 11/26 Budsjettjustering for samferdsel og kollektivtrafikk 2026
Innstilling:
Budsjettet justeres som foreslått.

Vedtak:
Budsjettet justeres som foreslått.

For innstillingen stemte 2: Kari Nordmann (Ap), Per Hansen (H)
Imot innstillingen stemte 1: Ingrid Berg (Sp)
"""

TABLES = ("decisions", "participants", "agenda_items", "votes", "regions", "topics")


def _ids(result: DocumentResult) -> dict[str, list[str]]:
    return {t: [r.id for r in getattr(result, t)] for t in TABLES}


def test_every_row_has_a_unique_id() -> None:
    result = analyse_text(PROTOCOL)
    for table, ids in _ids(result).items():
        assert all(ids), table
        assert len(set(ids)) == len(ids), table
    assert len(result.decisions) >= 3 and len(result.votes) == 3


def test_ids_are_the_same_on_a_rerun_and_after_an_unrelated_change() -> None:
    before = _ids(analyse_text(PROTOCOL))
    assert _ids(analyse_text(PROTOCOL)) == before
    changed = PROTOCOL.replace("Møtedato: 12.02.2026", "Møtedato: 12.02.2026\nSted: Rådhuset, møterom 2\n\n")
    after = _ids(analyse_text(changed))
    for table in ("decisions", "participants", "agenda_items", "votes"):
        assert after[table] == before[table], table


def test_ids_depend_on_the_document() -> None:
    assert _ids(analyse_text(PROTOCOL, "a"))["decisions"] != _ids(analyse_text(PROTOCOL, "b"))["decisions"]


def test_a_changed_row_gets_a_new_id_and_the_others_keep_theirs() -> None:
    before = analyse_text(PROTOCOL)
    after = analyse_text(PROTOCOL.replace("Protokollen godkjennes.", "Protokollen godkjennes med én merknad."))
    old = {d.text: d.id for d in before.decisions}
    new = {d.text: d.id for d in after.decisions}
    assert old["Budsjettet justeres som foreslått."] == new["Budsjettet justeres som foreslått."]
    assert "Protokollen godkjennes." in old and old["Protokollen godkjennes."] not in new.values()


def test_decisions_read_on_their_own_and_votes_name_their_decision() -> None:
    result = analyse_text(PROTOCOL)
    doc = result.document
    for d in result.decisions:
        assert (d.meeting_date, d.body, d.title) == (doc.meeting_date, doc.body, doc.title)
    assert doc.meeting_date == "2026-02-12"
    adopted = [d for d in result.decisions if d.item == "11/26" and d.status == "adopted"]
    assert len(adopted) == 1
    assert {v.decision_id for v in result.votes} == {adopted[0].id}
    assert "samferdsel" in adopted[0].themes.split()
