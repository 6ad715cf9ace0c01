"""The vocabulary files of agenda items, decisions and outcomes (pipeline/resources/agenda.jsonl,
decisions.jsonl, outcomes.jsonl) are well formed: each line a rule with a known kind, every
pattern compiles, no rule twice."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

RESOURCES = Path(__file__).resolve().parents[1] / "pipeline" / "resources"
KINDS = {
    "agenda.jsonl": {"case_prefix", "series_prefix", "plain_series", "agenda_intro", "title_outcome", "title_leader",
                     "list_heading", "treatment_case", "reference_word"},
    "decisions.jsonl": {"narrative", "after_decision", "decision_sentence", "quote_intro", "proposal_intro",
                        "outcome_line"},
    "outcomes.jsonl": {"refers_to_proposal", "unanimous", "votes", "blank", "noted", "postponed", "sent back",
                       "election", "rejected"},
}


@pytest.mark.parametrize("name", sorted(KINDS))
def test_rule_file(name: str) -> None:
    seen = set()
    for number, raw in enumerate((RESOURCES / name).read_text(encoding="utf-8").splitlines(), start=1):
        entry = json.loads(raw)
        assert set(entry) <= {"id", "pattern", "regex", "note"}, (name, number)
        assert entry["id"] in KINDS[name], (name, number)
        assert entry["pattern"].strip() == entry["pattern"] and entry["pattern"], (name, number)
        if entry.get("regex"):
            re.compile(entry["pattern"])
        assert (entry["id"], entry["pattern"]) not in seen, (name, number)
        seen.add((entry["id"], entry["pattern"]))
    assert KINDS[name] == {json.loads(raw)["id"] for raw in (RESOURCES / name).read_text(encoding="utf-8").splitlines()}
