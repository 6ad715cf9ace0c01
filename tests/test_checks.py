"""documents.checks: each check fires where the document gives cause, and stays quiet where it
does not (invented documents written the way protocols and case documents are)."""
from __future__ import annotations

import datetime as dt

import pytest

from extractors.checks import CHECKS, check
from tests.helpers import analyse_text

GOOD_PROTOCOL = """\
Møteprotokoll for formannskapet

Møtedato: 12.02.2026
Til stede: Kari Nordmann (Ap), Per Hansen (H), Ingrid Berg (Sp)
Forfall: Ingen

PS 10/26 Godkjenning av protokoll
Vedtak:
Protokollen godkjennes.

PS 11/26 Budsjettjustering 2026
Vedtak:
Budsjettet justeres som foreslått.

For forslaget stemte 2: Kari Nordmann (Ap), Per Hansen (H)
"""


def names(text: str) -> set[str]:
    checks = analyse_text(text).document.checks
    return {c.split("(")[0] for c in checks.split("; ")} if checks else set()


def test_a_protocol_read_right_has_no_checks() -> None:
    assert names(GOOD_PROTOCOL) == set()


def test_protocol_without_decision() -> None:
    text = GOOD_PROTOCOL.replace("Vedtak:\nProtokollen godkjennes.", "Saken ble drøftet.").replace(
        "Vedtak:\nBudsjettet justeres som foreslått.", "Saken ble drøftet videre.")
    assert "protocol_without_decision" in names(text)


def test_case_without_proposal_and_with_one() -> None:
    case = "Saksframlegg\n\nSaksbehandler: Kari Nordmann\nArkivsak: 24/112\n\nBudsjett for 2025\n\nSaksopplysninger:\n" \
           "Kommunen har fått nye tall fra staten, og rammene må justeres før neste møte i kommunestyret.\n"
    assert "case_without_proposal" in names(case)
    with_proposal = case + "\nKommunedirektørens forslag til vedtak:\nBudsjettet for 2025 vedtas som foreslått.\n"
    assert "case_without_proposal" not in names(with_proposal)


def test_vote_count_mismatch() -> None:
    text = GOOD_PROTOCOL.replace("For forslaget stemte 2:", "For forslaget stemte 3:")
    result = analyse_text(text)
    assert "vote_count_mismatch" in result.document.checks
    assert "3 ≠ 2" in result.document.checks


def test_attendance_heading_without_names() -> None:
    text = GOOD_PROTOCOL.replace("Forfall: Ingen", "Forfall:\n\n\n")
    assert "attendance_without_names" not in names(text)  # a heading with nothing under it lists nobody
    text = GOOD_PROTOCOL.replace("Forfall: Ingen", "Forfall: se eget vedlegg nr. 3 til protokollen")
    assert "attendance_without_names" in names(text)


def test_agenda_item_without_decision() -> None:
    text = GOOD_PROTOCOL.replace("PS 11/26 Budsjettjustering 2026\nVedtak:\nBudsjettet justeres som foreslått.",
                                 "PS 11/26 Budsjettjustering 2026\nSaken ble drøftet i møtet.") \
        .replace("For forslaget stemte 2: Kari Nordmann (Ap), Per Hansen (H)\n", "")
    result = analyse_text(text)
    assert "agenda_item_without_decision(11/26)" in result.document.checks


def test_date_in_future() -> None:
    future = (dt.date.today() + dt.timedelta(days=400)).strftime("%d.%m.%Y")
    assert "date_in_future" in names(GOOD_PROTOCOL.replace("12.02.2026", future))


def test_check_ids_are_known() -> None:
    for text in (GOOD_PROTOCOL, GOOD_PROTOCOL.replace("stemte 2", "stemte 5")):
        assert names(text) <= set(CHECKS)


@pytest.mark.parametrize("name", CHECKS)
def test_check_format(name: str) -> None:
    assert check(name) == name and check(name, ["a", "b"]) == f"{name}(a, b)"


def test_a_vote_list_wrapped_over_lines_is_read_whole() -> None:
    """A vote list wraps over several lines, a name broken at a line end, a party on the next line;
    a first name the name lists do not know is still read (by the "Name (PARTY)" shape)."""
    text = GOOD_PROTOCOL.replace(
        "For forslaget stemte 2: Kari Nordmann (Ap), Per Hansen (H)",
        "For forslaget stemte 4: Kari Nordmann (Ap), Per\nHansen (H), Ingrid Berg\n(Sp), Tormod Wanderås (PENSJ).")
    result = analyse_text(text)
    assert [v.name for v in result.votes] == ["Kari Nordmann", "Per Hansen", "Ingrid Berg", "Tormod Wanderås"]
    assert "vote_count_mismatch" not in result.document.checks
