"""Stable row ids, and what makes a decision row read on its own.

Every row of ``decisions``, ``participants``, ``agenda_items``, ``votes``, ``regions`` and
``topics`` gets an ``id`` derived from its document's id and the row's own content (never from its
position, its page and line, or a counter over the run): the same on every rerun, unchanged when
an unrelated part of the document changes, and unchanged by a rule change that leaves the row's
content as it was. Two rows of one document with the same content are told apart by the order in
which they occur (``…-2`` for the second).

What identifies a row (its *key*):

=============  ==========================================
decisions      item, kind, status, text
participants   name
agenda_items   number, title
votes          item, proposal, name, vote
regions        region
topics         region, theme
=============  ==========================================

Text is compared casefolded with runs of whitespace as one space, so a change of line breaks or
capitals in the source does not change an id.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from pipeline.models import DecisionRow, DocumentResult, VoteRow

#: table -> (id prefix, the row's key)
KEYS: dict[str, tuple[str, Callable[[Any], tuple[str, ...]]]] = {
    "decisions": ("d", lambda r: (r.item, r.kind, r.status, r.text)),
    "participants": ("p", lambda r: (r.name,)),
    "agenda_items": ("a", lambda r: (r.number, r.title)),
    "votes": ("v", lambda r: (r.item, r.proposal, r.name, r.vote)),
    "regions": ("r", lambda r: (r.region,)),
    "topics": ("t", lambda r: (r.region, r.theme)),
}

def _norm(value: str) -> str:
    """Casefolded, runs of whitespace as one space, none at the ends (``str.split`` splits on what
    ``\\s`` matches).

    >>> _norm("  Saken\\n\\tgodkjennes.\\u00a0 ")
    'saken godkjennes.'
    """
    return " ".join(str(value).split()).casefold()


def row_id(table: str, doc_id: str, key: Sequence[str], occurrence: int = 1) -> str:
    """The id of a row: its table's letter and 12 hex digits of a hash of the document id and the
    row's key; ``-N`` for the N-th row of a document with the same key.

    >>> row_id("decisions", "mote-1", ("4", "vedtak", "adopted", "Saken  godkjennes."))
    'd-f529943f797a'
    >>> row_id("decisions", "mote-1", ("4", "vedtak", "adopted", "saken godkjennes.")) == row_id(
    ...     "decisions", "mote-1", ("4", "vedtak", "adopted", "Saken  godkjennes."))
    True
    >>> row_id("participants", "mote-1", ("Kari Nordmann",), 2)[-2:]
    '-2'
    """
    prefix = KEYS[table][0]
    text = "\x1f".join([doc_id, table, *(_norm(k) for k in key)])
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
    return f"{prefix}-{digest}" + (f"-{occurrence}" if occurrence > 1 else "")


def with_ids(table: str, doc_id: str, rows: Sequence[Any],
             more: Callable[[Any], dict[str, Any]] | None = None) -> tuple[Any, ...]:
    """``rows`` with their ids set (rows that have one keep it), and the fields ``more`` gives for
    each (none of them part of the key), in one copy of the row."""
    key_of = KEYS[table][1]
    seen: Counter[tuple[str, ...]] = Counter()
    out = []
    for row in rows:
        key = key_of(row)
        seen[key] += 1
        fields = more(row) if more else {}
        if not row.id:
            fields["id"] = row_id(table, doc_id, key, seen[key])
        out.append(_updated(row, fields) if fields else row)
    return tuple(out)


def _updated(row: Any, fields: dict[str, Any]) -> Any:
    """``dataclasses.replace(row, **fields)`` without the generated ``__init__`` (a run copies
    every row): a copy of the row's attributes, for a row class without ``__post_init__`` and
    without slots (else by ``replace``).

    >>> from pipeline.models import RegionRow
    >>> row = RegionRow("d1", "Viken", "Viken")
    >>> _updated(row, {"id": "r-1"}) == replace(row, id="r-1"), row.id
    (True, '')
    """
    cls = type(row)
    if hasattr(cls, "__post_init__") or not hasattr(row, "__dict__"):
        return replace(row, **fields)
    new = object.__new__(cls)
    new.__dict__.update(row.__dict__)
    new.__dict__.update(fields)
    return new


def _decision_of(vote: VoteRow, decisions: Sequence[DecisionRow]) -> str:
    """The decision a vote list belongs to: the adopted (else the last) decision of the vote's item
    that is not a quoted one; for a document without items, its only such decision."""
    same = [d for d in decisions if not d.quoted and d.item == vote.item]
    if not same and not vote.item:
        own = [d for d in decisions if not d.quoted]
        same = own if len(own) == 1 else []
    adopted = [d for d in same if d.status == "adopted"]
    chosen = adopted or same
    return chosen[-1].id if chosen else ""


def complete(result: DocumentResult, decision_themes: Callable[[DecisionRow], str] | None = None) -> DocumentResult:
    """Ids on every row, each decision with its document's owner region, meeting date, body and
    title (and the themes of its case, by ``decision_themes``), each vote with its decision's id."""
    doc = result.document
    region = getattr(doc, "region", "")
    decisions = with_ids("decisions", doc.doc_id, result.decisions, lambda d: dict(
        region=region, meeting_date=doc.meeting_date, body=doc.body, title=doc.title,
        themes=decision_themes(d) if decision_themes else d.themes))
    votes = with_ids("votes", doc.doc_id, result.votes,
                     lambda v: dict(decision_id=v.decision_id or _decision_of(v, decisions)))
    return replace(
        result, decisions=decisions, votes=votes,
        participants=with_ids("participants", doc.doc_id, result.participants),
        agenda_items=with_ids("agenda_items", doc.doc_id, result.agenda_items),
        regions=with_ids("regions", doc.doc_id, result.regions),
        topics=with_ids("topics", doc.doc_id, result.topics))
