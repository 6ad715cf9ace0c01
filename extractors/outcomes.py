"""Outcomes of decisions: what was decided about a case, unanimously or by how many votes
(the phrases are data: ``pipeline/resources/outcomes.jsonl``).

* "Innstillingen enstemmig vedtatt" as the decision text means the recommendation was adopted:
  the decision's text becomes the recommendation's text.
* ``outcome`` is one of: adopted as recommended, adopted amended, adopted after vote, rejected,
  noted, postponed, sent back, election (empty when the text does not tell).
* ``unanimous`` and the vote counts come from the item's treatment ("Enstemmig vedtatt",
  "vedtatt med 13 mot 12 stemmer", "2 blanke").
"""
from __future__ import annotations

import re
from dataclasses import replace

from extractors.context import DocContext
from pipeline import rules
from pipeline.models import DecisionRow

REFERS_TO_PROPOSAL = re.compile("|".join(rules.patterns("outcomes.jsonl", "refers_to_proposal")), re.IGNORECASE)
UNANIMOUS = rules.words_re("outcomes.jsonl", "unanimous")
VOTES = re.compile(rules.patterns("outcomes.jsonl", "votes")[0], re.IGNORECASE)
BLANK = re.compile(rules.patterns("outcomes.jsonl", "blank")[0], re.IGNORECASE)
#: The outcomes a decision's own words can state, in the order they are tried.
OUTCOMES = ("noted", "postponed", "sent back", "election", "rejected")
PHRASES = tuple((name, re.compile("|".join(rules.patterns("outcomes.jsonl", name)), re.IGNORECASE)) for name in OUTCOMES)


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().casefold()


def _section_text(ctx: DocContext, item: str) -> str:
    for section in ctx.found.get("_sections", []):
        if section.number == item:
            return "\n".join(b.text for b in ctx.blocks[section.start:section.end])
    return ""


def refers_to_proposal(text: str) -> bool:
    """The decision only says that the proposal was adopted.

    >>> [refers_to_proposal(t) for t in ("Som tilrådinga.", "Samrøystes som framlegget.", "Fylkesrådets innstilling "
    ...  "enstemmig vedtatt.", "Innstillingen ble vedtatt med 7 mot 2 stemmer.", "Budsjettet vedtas.",
    ...  "Som framlegg. Samrøystes.")]
    [True, True, True, True, False, True]
    """
    text = re.sub(rf"(?<=\.)\s*{UNANIMOUS.pattern}[^.]*\.?\s*$", "", text.strip(), flags=re.IGNORECASE)
    return bool(REFERS_TO_PROPOSAL.match(text))


def phrase_outcome(text: str) -> str:
    """The outcome a decision's own words state.

    >>> phrase_outcome("Saken tas til orientering."), phrase_outcome("Som leder ble valgt Kari Dahl."), phrase_outcome("Ok.")
    ('noted', 'election', '')
    >>> phrase_outcome("Saka vart utsett til neste møte."), phrase_outcome("Saka vert sendt attende til rådmannen.")
    ('postponed', 'sent back')
    """
    return next((name for name, pattern in PHRASES if pattern.search(text)), "")


def add_outcomes(ctx: DocContext, rows: list[DecisionRow]) -> list[DecisionRow]:
    out: list[DecisionRow] = []
    for row in rows:
        if row.status != "adopted" or row.quoted:
            out.append(row)
            continue
        proposals = [r for r in out if r.status == "proposed" and r.item == row.item and r.kind != "other"]
        proposal = proposals[-1] if proposals else None
        text = row.text
        if proposal is not None and refers_to_proposal(text):
            text = proposal.text
        treatment = _section_text(ctx, row.item) if row.item else ""
        votes = VOTES.search(treatment)
        blank = BLANK.search(treatment)
        unanimous = True if UNANIMOUS.search(treatment + "\n" + row.text) else (False if votes else None)
        outcome = phrase_outcome(text)
        if not outcome and proposal is not None:
            if votes and not unanimous:
                outcome = "adopted after vote"
            elif _norm(text) == _norm(proposal.text):
                outcome = "adopted as recommended"
            else:
                outcome = "adopted amended"
        out.append(replace(
            row, text=text, outcome=outcome, unanimous=unanimous,
            votes_for=int(votes.group(1)) if votes else None, votes_against=int(votes.group(2)) if votes else None,
            votes_blank=int(blank.group(1)) if blank else None))
    return out
