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

    A list whose every entry is a name with its party in brackets is read by that shape, so a
    name the name lists do not know ("Tormod Brekkestø (PENSJ)") is not lost:

    >>> parse_vote_line("For stemte 2: Tormod Brekkestø (PENSJ), Gyda Solheimsnes (H).")[2]
    [('Tormod Brekkestø', 'PENSJ'), ('Gyda Solheimsnes', 'H')]
    """
    m = VOTE_LIST_RE.match(text.strip())
    if not m:
        return None
    side, proposal, names = (m.group("side"), m.group("proposal"), m.group("names")) if m.group("side") else (
        m.group("side2"), m.group("proposal2"), m.group("names2"))
    by_shape = [(m.group(1), m.group(2)) for m in _ENTRY_RE.finditer(names)]
    if by_shape and _ENTRY_RE.sub("", names).strip(" ,.;og") == "":
        return SIDES[side.casefold()], proposal.strip(" ,"), by_shape
    doc = nlp()(names)
    people = []
    for span in doc.spans.get("persons", []):
        party = re.match(r"^\s*\(([^)]{1,20})\)", text_of(doc)[span.end_char:])
        people.append((span.text, party.group(1) if party else ""))
    return SIDES[side.casefold()], proposal.strip(" ,"), people


#: One entry of a vote list written "Name Name (PARTY)", with the separator after it.
_ENTRY_RE = re.compile(r"\s*([A-ZÆØÅ][\wæøåÆØÅ.'-]*(?:\s+[A-ZÆØÅ][\wæøåÆØÅ.'-]*){1,4})\s*\(([^()]{1,20})\)\s*(?:,|\bog\b|$|\.)?")
#: A vote list wraps over at most this many lines.
_MAX_LIST_LINES = 40
_GOES_ON_RE = re.compile(r"^[A-ZÆØÅ(]")


def vote_list_text(ctx: DocContext, i: int) -> str:
    r"""The text of the vote list that starts at block ``i``, with the lines it wraps onto: while the
    list has not ended with a full stop, a next line that starts with a capital (a name, or the rest
    of a name broken at the line end) belongs to it; a blank line, a label, an item or the next vote
    list ends it.

    >>> from extractors.context import build_context
    >>> from pipeline.models import Line
    >>> text = "For forslaget stemte 3: Kari Nordmann (AP), Per\nHansen (H), Ingrid Berg (SP).\nDermed vedtatt."
    >>> ctx = build_context("x", [Line(1, n, t) for n, t in enumerate(text.splitlines(), 1)])
    >>> vote_list_text(ctx, 0)
    'For forslaget stemte 3: Kari Nordmann (AP), Per Hansen (H), Ingrid Berg (SP).'
    """
    text = ctx.blocks[i].text
    for nb in ctx.blocks[i + 1: i + 1 + _MAX_LIST_LINES]:
        if text.rstrip().endswith(".") or nb.kind in ("blank", "label", "item") or not _GOES_ON_RE.match(nb.text) \
                or VOTE_LIST_RE.match(nb.text.strip()):
            break
        text += " " + nb.text
    return text


def extract(ctx: DocContext) -> list[VoteRow]:
    rows = []
    for i, b in enumerate(ctx.blocks):
        if b.kind == "blank" or not b.text[:1].isalpha() or not VOTE_LIST_RE.match(b.text.strip()):
            continue
        parsed = parse_vote_line(vote_list_text(ctx, i))
        if parsed is None:
            continue
        vote, proposal, people = parsed
        section = section_of(ctx, i)
        for name, party in people:
            rows.append(VoteRow(ctx.doc_id, section.number if section else "", proposal, name, party, vote,
                                b.page, b.line))
    return rows
