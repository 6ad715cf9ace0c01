"""Named votes: "For innstillingen stemte 13: Kari Nordmann (AP), ..." / "Imot forslaget stemte 6: ...".

One row per person per vote list, with the proposal as written ("innstillingen", "forslaget fra
Sp"), the party in brackets, and the vote (for, against, blank).
"""
from __future__ import annotations

import re

from extractors.agenda import section_of
from extractors.context import DocContext
from extractors.nlp import nlp, text_of
from pipeline.models import VoteRow

VOTE_LIST_RE = re.compile(
    r"^(?P<side>for|imot|mot|blankt?|avstod|avsto)\b(?P<proposal>[^:]{0,120}?)\s*\b(?:stemte|røysta|røystet|stemmer)\b"
    r"(?:\s+(?:for|imot|mot|blankt?))?\s*(?P<count>\d{1,3})?\s*(?:\([^)]*\))?\s*:\s*(?P<names>.+)$"
    # "Følgende representanter stemte for forslaget: ..."
    r"|^(?:følgende|følgjande)\s+\w+\s+(?:stemte|røysta)\s+(?P<side2>for|imot|mot|blankt?)\b(?P<proposal2>[^:]{0,120}?)"
    r"\s*:\s*(?P<names2>.+)$",
    re.IGNORECASE)
SIDES = {"for": "for", "imot": "against", "mot": "against", "blank": "blank", "blankt": "blank",
         "avstod": "blank", "avsto": "blank"}


def parse_vote_line(text: str) -> tuple[str, str, list[tuple[str, str]]] | None:
    """(vote, proposal, [(name, party)]) for a vote-list line.

    >>> parse_vote_line("Imot forslaget stemte 2: Kari Nordmann (H), Ola Dahl (FrP)")
    ('against', 'forslaget', [('Kari Nordmann', 'H'), ('Ola Dahl', 'FrP')])
    >>> parse_vote_line("Følgende representanter stemte for forslaget: Eva Lund (SV).")
    ('for', 'forslaget', [('Eva Lund', 'SV')])
    """
    m = VOTE_LIST_RE.match(text.strip())
    if not m:
        return None
    side, proposal, names = (m.group("side"), m.group("proposal"), m.group("names")) if m.group("side") else (
        m.group("side2"), m.group("proposal2"), m.group("names2"))
    doc = nlp()(names)
    people = []
    for span in doc.spans.get("persons", []):
        party = re.match(r"^\s*\(([^)]{1,20})\)", text_of(doc)[span.end_char:])
        people.append((span.text, party.group(1) if party else ""))
    return SIDES[side.casefold()], proposal.strip(" ,"), people


def extract(ctx: DocContext) -> list[VoteRow]:
    rows = []
    for i, b in enumerate(ctx.blocks):
        if b.kind == "blank" or not b.text[:1].isalpha():
            continue
        parsed = parse_vote_line(b.text)
        if parsed is None:
            continue
        vote, proposal, people = parsed
        section = section_of(ctx, i)
        for name, party in people:
            rows.append(VoteRow(ctx.doc_id, section.number if section else "", proposal, name, party, vote,
                                b.page, b.line))
    return rows
