"""The vocabulary of decisions, read from ``pipeline/resources/decisions.jsonl``: what ends a
decision's text (a paragraph in the past tense that records the meeting, the first words of what
follows a decision: "Møtet hevet", "Rett utskrift", "Vedlegg").
"""
from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources


@cache
def _patterns(kind: str) -> tuple[str, ...]:
    text = resources.files("pipeline.resources").joinpath("decisions.jsonl").read_text(encoding="utf-8")
    found = []
    for raw in text.splitlines():
        if raw.strip():
            entry = json.loads(raw)
            if entry["id"] == kind:
                pattern = entry["pattern"]
                found.append(pattern if entry.get("regex") else re.escape(pattern).replace(r"\ ", r"\s+"))
    return tuple(sorted(found, key=len, reverse=True))


@cache
def _narrative_re() -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(_patterns("narrative")) + r")\b", re.IGNORECASE)


@cache
def _after_re() -> re.Pattern[str]:
    return re.compile(r"^\W*?(?:" + "|".join(_patterns("after_decision")) + r")(?:\b|$)", re.IGNORECASE)


def is_narrative(text: str) -> bool:
    """The paragraph's first sentence records what happened in the meeting.

    >>> is_narrative("Det ble ikke tid til gjennomgang av styresaker."), is_narrative("Kommunen ber om en ny vurdering.")
    (True, False)
    """
    first = re.split(r"(?<=[.!?])\s", text.strip(), maxsplit=1)[0]
    return bool(_narrative_re().search(first))


def follows_decision(text: str) -> bool:
    """The line is what follows a decision ("Møtet hevet kl. 22:40.", "Rett utskrift bekreftes").

    >>> follows_decision("Møtet hevet kl. 22:40."), follows_decision("Protokoll fra møtet godkjennes.")
    (True, False)
    """
    return bool(_after_re().match(text))
