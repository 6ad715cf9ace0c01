"""Attendance lists in the forms real protocols use, as data (tests/cases/participants.json):
short made-up snippets, one per form. Each expected person must be found with the attributes
given; the names under "not" must not be found (two people read as one, a name cut short)."""
from __future__ import annotations

from pathlib import Path

import pytest

from extractors.parties import is_party
from pipeline.models import SourceFile
from pipeline.process import analyse
from pipeline.readers import read_document
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


def _many_names(n: int) -> list[str]:
    firsts, lasts = ["Kari", "Per", "Ola", "Anne", "Nils"], ["Nordli", "Strand", "Berge", "Lunde", "Haugen"]
    return [f"{firsts[i % 5]} {lasts[i // 5 % 5]}{chr(97 + i // 25 % 26)}{chr(97 + i // 650 % 26)}" for i in range(n)]


@pytest.mark.parametrize("form", ["commas", "flattened", "surname first"])
def test_long_list_line_in_linear_time(form: str) -> None:
    """Issue 18 item 7: a line with thousands of names takes time in proportion to its length."""
    import time

    names = _many_names(12000)
    text = {"commas": "Til stede: " + ", ".join(names),
            "flattened": "Følgende medlemmer møtte: Navn Funksjon Repr " + " ".join(f"{x} Medlem AP" for x in names),
            "surname first": "DISSE MØTTE " + " ".join(f"{i}. {x.split()[1]}, {x.split()[0]} (AP)"
                                                     for i, x in enumerate(names))}[form]
    start = time.perf_counter()
    people = analyse_text(text + "\n").participants
    assert time.perf_counter() - start < 30
    assert len(people) == len(names) and all(p.attendance == "present" for p in people)


def test_attendance_vocabulary_is_one_valid_file() -> None:
    """Issue 19 item 4: the attendance words are one reviewed data file; every line is well formed."""
    import re

    from extractors.lexicons import read_jsonl

    rows = read_jsonl("extractors.resources", "attendance.jsonl")
    assert len({r["id"] for r in rows}) == len(rows)
    wheres = {"entry", "after_name", "before_name", "column_heading", "sentence", "status_cell", "group_heading",
              "table_column"}
    for row in rows:
        assert row["where"] in wheres, row
        if row["where"] == "table_column":
            assert row["heading"] == row["heading"].casefold() and row["holds"]
        else:
            re.compile(row["regex"])
            assert row["note"]


def test_election_board_pdf_with_surname_first_members(tmp_path: Path) -> None:
    """A protocol as PDF with the members surname first in a ruled table ("Navn | Funksjon |
    Representerer", list codes with a municipality prefix) and in plain lines after it."""
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 7, "MØTEPROTOKOLL\nValgstyret\nMøtedato: 03.09.2025\n\nMøtende medlemmer:")
    with pdf.table() as table:
        for cells in (("Navn", "Funksjon", "Representerer"), ("Sand Øivind", "Leder", "NOAP"),
                      ("Berg Kari Anne", "Nestleder", "NOH"), ("Holm Per", "Medlem", "NOSP")):
            row = table.row()
            for cell in cells:
                row.cell(cell)
    pdf.multi_cell(0, 7, "\nForfall:\nLie Eva Medlem NOKRF\n\nMøtende varamedlemmer:\nStrand Tore Medlem NOKRF\n")
    path = tmp_path / "valgstyret.pdf"
    pdf.output(str(path))
    result = analyse(SourceFile(str(path), path.name, "valgstyret"), read_document(path))
    people = {p.name: (p.attendance, p.organisation, p.party) for p in result.participants}
    assert people == {"Sand Øivind": ("present", "", "NOAP"), "Berg Kari Anne": ("present", "", "NOH"),
                      "Holm Per": ("present", "", "NOSP"), "Lie Eva": ("absent", "", "NOKRF"),
                      "Strand Tore": ("present", "", "NOKRF")}


@pytest.mark.parametrize("signature", ["Lund Eva", "Berg Per Olav", "Høiberg, Kari Anne"])
def test_signature_written_surname_first(signature: str) -> None:
    """A line that is only a name written surname first (two to four words), a role under it: a
    signature; only such short lines are read for one."""
    text = f"Forslag til vedtak:\nSaken tas til orientering.\n\n01.10.2020\n{signature}\nstyreleder\n"
    people = {p.name: (p.attendance, p.role) for p in analyse_text(text).participants}
    assert people == {signature: ("mentioned", "styreleder")}
