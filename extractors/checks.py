"""Checks: what looks wrong in what was read from a document, so a user knows where to look.

Real documents are not all read right. Each check is a plain rule over what the other
extractors found; it fires only on evidence in the document itself:

``protocol_without_decision``     minutes or a protocol in which no decision was read
``case_without_proposal``         a case document with no proposal (forslag til vedtak, innstilling)
``vote_count_mismatch``           a named vote list whose names do not add up to the count it states,
                                  or a decision whose stated votes differ from the names voting
``attendance_without_names``      the heading of an attendance list ("Til stede:") with no names read
                                  under it (an explicit "ingen" is no miss)
``agenda_item_without_decision``  an agenda item of a protocol with no decision, when the protocol's
                                  other items have theirs
``date_in_future``                a meeting date after the day the document was read

A check is written as its id, with the details in brackets: ``agenda_item_without_decision(3/24, 5/24)``.
The ids are the same in every language; the workbook shows them in its own (:mod:`pipeline.export`).
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from extractors.context import DocContext
from extractors.votes import VOTE_LIST_RE, parse_vote_line, vote_list_text
from pipeline.models import DecisionRow, ParticipantRow
from pipeline.sections import Block

CHECKS = ("protocol_without_decision", "case_without_proposal", "vote_count_mismatch", "attendance_without_names",
          "agenda_item_without_decision", "date_in_future")
#: An attendance heading that says nobody: "Forfall: Ingen", "Forfall: -".
_NOBODY_RE = re.compile(r"^\s*(?:ingen|ingen\s+\w+|ikke noen|ikkje nokon|-+|–|—|0)\s*\.?\s*$", re.IGNORECASE)
#: How far under an attendance heading its names may stand (table rows, a list line by line).
_LIST_LINES = 40


def check(name: str, details: list[str] | None = None) -> str:
    """>>> check("agenda_item_without_decision", ["3/24", "5/24"]), check("date_in_future")
    ('agenda_item_without_decision(3/24, 5/24)', 'date_in_future')
    """
    return f"{name}({', '.join(details)})" if details else name


def _decisions_found(decisions: list[DecisionRow]) -> list[DecisionRow]:
    return [d for d in decisions if not d.quoted]


def _vote_counts(ctx: DocContext, decisions: list[DecisionRow]) -> list[str]:
    """Vote lists whose stated count differs from the names read, and decisions whose counts differ
    from the named votes of their item."""
    out = []
    for i, b in enumerate(ctx.blocks):
        if b.kind == "blank" or not b.text[:1].isalpha():
            continue
        m = VOTE_LIST_RE.match(b.text.strip())
        parsed = parse_vote_line(vote_list_text(ctx, i)) if m else None
        if m is None or parsed is None or not m.group("count"):
            continue
        stated, read = int(m.group("count")), len(parsed[2])
        if stated != read:
            out.append(f"p{b.page} l{b.line}: {stated} ≠ {read}")
    named: Counter[tuple[str, str]] = Counter((v.item, v.vote) for v in ctx.votes)
    for d in decisions:
        if d.status != "adopted" or d.votes_for is None or not any(item == d.item for item, _ in named):
            continue
        if named[(d.item, "for")] not in (0, d.votes_for) or named[(d.item, "against")] not in (0, d.votes_against):
            out.append(f"{d.item or '-'}: {d.votes_for}-{d.votes_against} ≠ "
                       f"{named[(d.item, 'for')]}-{named[(d.item, 'against')]}")
    return out


def _list_under(ctx: DocContext, i: int) -> tuple[list[Block], bool]:
    """The blocks of the attendance list under heading ``i`` (its own line first), and whether it
    says that nobody is listed."""
    head = ctx.blocks[i]
    blocks, nobody = [head], bool(head.rest) and bool(_NOBODY_RE.match(head.rest))
    if head.rest:
        return blocks, nobody
    blank_run = 0
    for nb in ctx.blocks[i + 1: i + 1 + _LIST_LINES]:
        if nb.kind == "blank":
            blank_run += 1
            if blank_run > 1 and len(blocks) > 1:
                break
            continue
        if nb.kind in ("label", "item"):
            break
        blank_run = 0
        if _NOBODY_RE.match(nb.text):
            nobody = True
        blocks.append(nb)
    return blocks, nobody


def _attendance_without_names(ctx: DocContext, people: list[ParticipantRow]) -> list[str]:
    found_at = {(p.page, p.line) for p in people}
    out = []
    for i, b in enumerate(ctx.blocks):
        if b.kind != "label" or not b.label or b.label.category != "attendance" or b.label.attendance == "mentioned":
            continue
        blocks, nobody = _list_under(ctx, i)
        if nobody or any((x.page, x.line) in found_at for x in blocks):
            continue
        if len(blocks) == 1 and not b.rest:
            continue  # a heading standing alone (a table's column, a word in running text): nothing was listed
        out.append(f"p{b.page} l{b.line} {b.text[:40]}")
    return out


def extract(ctx: DocContext, today: dt.date | None = None) -> list[str]:
    meta = ctx.metadata
    if meta is None:
        raise RuntimeError("checks run after the metadata extractor (extractors.registry.NEEDS)")
    decisions = _decisions_found(list(ctx.decisions))
    items = [a.number for a in ctx.agenda_items]
    out: list[str] = []
    if meta.doc_type in ("minutes", "protocol") and not any(d.status == "adopted" for d in decisions):
        out.append(check("protocol_without_decision"))
    if meta.doc_type == "case" and not any(d.status == "proposed" for d in decisions):
        out.append(check("case_without_proposal"))
    mismatches = _vote_counts(ctx, decisions)
    if mismatches:
        out.append(check("vote_count_mismatch", mismatches))
    empty = _attendance_without_names(ctx, list(ctx.participants))
    if empty:
        out.append(check("attendance_without_names", empty))
    decided = {d.item for d in decisions if d.item}
    if meta.doc_type == "protocol" and decided and len(items) >= 2:
        missing = [n for n in items if n not in decided]
        if missing and len(missing) < len(items):
            out.append(check("agenda_item_without_decision", missing))
    if meta.meeting_date and meta.meeting_date > (today or dt.date.today()).isoformat():
        out.append(check("date_in_future", [meta.meeting_date]))
    return out
