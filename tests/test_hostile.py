"""The second round of hostile tests (issue 18): nothing lost, nothing left running. Each test
failed before its fix; big or nested inputs are made here at run time, small ones come from
``scripts/make_bad_inputs.py``."""
from __future__ import annotations

import time

from tests.helpers import analyse_text

FIRST = ("Kari", "Ola", "Per", "Anne", "Jon", "Ingrid", "Lars", "Marit", "Nils", "Silje")
LAST = ("Nordmann", "Hansen", "Olsen", "Berg", "Dahl", "Lie", "Moen", "Haugen", "Bakke", "Strand")


def _attendance_line(count: int) -> str:
    names = (f"{FIRST[k % 10]} {LAST[k // 10 % 10]}{'sen' * (k // 100 % 3)}" for k in range(count))
    return "Møteprotokoll\nTil stede: " + ", ".join(names) + "\n"


def _seconds(text: str) -> float:
    started = time.perf_counter()
    result = analyse_text(text)
    assert result.document.status == "ok" and result.participants
    return time.perf_counter() - started


# --------------------------------------------------------------------------- item 7


def test_a_til_stede_line_of_40000_names_takes_linear_time() -> None:
    """The role before each name (and whether a place name is part of a council's name) is looked
    up in the last few words, not by splitting everything before it again."""
    analyse_text(_attendance_line(100))  # warm
    small = min(_seconds(_attendance_line(10_000)) for _ in range(2))
    large = _seconds(_attendance_line(40_000))
    assert large < 30
    assert large / small < 8, (small, large)  # 4x the names: about 4x the time, not 16x
