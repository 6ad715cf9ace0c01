"""The ``meetings`` table: documents of the same body on the same date are one meeting, so that a
case document and the protocol of the same case can be read together."""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from pipeline.models import DocumentRow, MeetingRow


def _slug(text: str) -> str:
    return re.sub(r"[^\wæøå]+", "-", text.casefold()).strip("-")


def _body_key(body: str) -> str:
    """"Formannskapets" and "formannskapet" are the same body."""
    key = _slug(body)
    return key[:-1] if key.endswith("ets") or key.endswith("ens") else key


class _Meeting:
    """What a meeting row needs while the documents go by: the first document's names, and the ids
    (one string) and types of all of them, not a record per document."""

    __slots__ = ("organisation", "body", "date", "place", "documents", "doc_types")

    def __init__(self, d: DocumentRow) -> None:
        self.organisation, self.body, self.date, self.place = d.organisation, d.body, d.meeting_date, d.place
        self.documents, self.doc_types = d.doc_id, {d.doc_type}

    def add(self, d: DocumentRow) -> None:
        self.documents += " " + d.doc_id
        self.doc_types.add(d.doc_type)
        self.place = self.place or d.place


def meetings(documents: Iterable[DocumentRow]) -> Iterator[MeetingRow]:
    """One row per (body, date) that at least one document names, by meeting id.

    >>> rows = meetings([DocumentRow("a", "a.pdf", "case", body="Formannskapet", meeting_date="2026-02-12"),
    ...                  DocumentRow("b", "b.pdf", "protocol", body="formannskapet", meeting_date="2026-02-12",
    ...                              place="Rådhuset")])
    >>> [(m.meeting_id, m.documents, m.doc_types, m.place) for m in rows]
    [('formannskapet-2026-02-12', 'a b', 'case protocol', 'Rådhuset')]
    """
    groups: dict[str, _Meeting] = {}
    for d in documents:
        if d.status == "ok" and d.body and d.meeting_date:
            org = f"{_slug(d.organisation)}-" if d.organisation and _body_key(d.organisation) != _body_key(d.body) else ""
            key = f"{org}{_body_key(d.body)}-{d.meeting_date}"
            if (meeting := groups.get(key)) is None:
                groups[key] = _Meeting(d)
            else:
                meeting.add(d)
    for key in sorted(groups):
        m = groups.pop(key)
        yield MeetingRow(meeting_id=key, organisation=m.organisation, body=m.body, date=m.date, place=m.place,
                         documents=m.documents, doc_types=" ".join(sorted(m.doc_types)))
