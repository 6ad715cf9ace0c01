"""Per region: its documents, their decisions (adopted and proposed; quoted ones not counted), the
distinct persons named, the documents per theme, and the documents that mention it. The workbook's
overview writes these rows.

Everything is counted by **owner region** (``documents.region``: the council, county or
municipality whose meeting or case the document is; a decision by its own ``region``, which is its
document's owner): a document, its decisions and its people count for one region only, so the
decisions of all regions add up to at most the decisions of the run. Documents without an owner
are counted under :data:`NO_REGION` (the overview shows it in its language). A region a document
merely mentions (the ``regions`` table) gets that document counted in :attr:`RegionStats.mentioned`
and nothing else. Themes come from the ``topics`` table, whose rows already name the region they
belong to (the owner, or the region of a round-table section).
"""
from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

#: The region of documents without an owner (shown as "(uten region)" / "(no region)").
NO_REGION = ""

Tables = Mapping[str, tuple[Sequence[str], Sequence[Sequence[Any]]]]


@dataclass
class RegionStats:
    region: str
    docs: set[str] = field(default_factory=set)
    adopted: int = 0
    proposed: int = 0
    #: hashes of the casefolded names of its participants, repeats included (an array: a few bytes
    #: each, where a set of them would take tens of MB on a large archive); see :attr:`person_count`
    persons: array[int] = field(default_factory=lambda: array("q"))
    themes: Counter[str] = field(default_factory=Counter)
    #: documents that mention the region (any owner)
    mentioned: int = 0

    @property
    def decisions(self) -> int:
        return self.adopted + self.proposed

    @property
    def person_count(self) -> int:
        """Distinct persons (by name, case aside)."""
        return len(set(self.persons))


def owners(tables: Tables) -> dict[str, str]:
    """doc_id -> owner region (:data:`NO_REGION` when unknown) of the documents read (failed ones
    and copies of another, ``duplicate_of``, left out); every document has none when the table has
    no ``region`` column.

    >>> owners({"documents": (["doc_id", "status", "region"], [("a", "ok", "Asker kommune"), ("b", "error", "")])})
    {'a': 'Asker kommune'}
    """
    header, rows = tables.get("documents", ((), ()))
    idx = {h: k for k, h in enumerate(header)}
    if "doc_id" not in idx:
        return {}
    status, region, duplicate = idx.get("status"), idx.get("region"), idx.get("duplicate_of")
    return {str(row[idx["doc_id"]]): str(row[region] or "") if region is not None else NO_REGION
            for row in rows if (status is None or row[status] != "error")
            and (duplicate is None or not row[duplicate])}  # a copy is counted under its first


def region_stats(tables: Tables) -> list[RegionStats]:
    """Per owner region of ``tables`` (table name -> (header, rows); rows as tuples, which may stream
    from a spool on disk): its documents, their decisions and distinct persons, the documents per
    theme, and the documents that mention it. Sorted by decisions, documents and mentions, with
    the documents of no region last.

    >>> tables = {"documents": (["doc_id", "status", "region"], [("a", "ok", "Asker kommune"), ("b", "ok", "")]),
    ...           "regions": (["doc_id", "region"], [("a", "Asker kommune"), ("a", "Viken"), ("b", "Viken")]),
    ...           "decisions": (["doc_id", "status", "quoted"], [("a", "adopted", False), ("b", "proposed", False)])}
    >>> [(s.region, len(s.docs), s.adopted, s.proposed, s.mentioned) for s in region_stats(tables)]
    [('Asker kommune', 1, 1, 0, 1), ('Viken', 0, 0, 0, 2), ('', 1, 0, 1, 0)]
    """

    def table(name: str) -> tuple[dict[str, int], Sequence[Sequence[Any]]]:
        header, rows = tables.get(name, ((), ()))
        return {h: k for k, h in enumerate(header)}, rows

    stats: dict[str, RegionStats] = {}

    def of(region: str) -> RegionStats:
        s = stats.get(region)
        if s is None:
            s = stats[region] = RegionStats(region)
        return s

    owner = owners(tables)
    for doc_id, region in owner.items():
        of(region).docs.add(doc_id)
    idx, rows = table("decisions")
    if "doc_id" in idx:
        own = idx.get("region")
        for row in rows:
            if "quoted" in idx and row[idx["quoted"]] is True:
                continue
            doc_id = str(row[idx["doc_id"]])
            if doc_id not in owner and owner:  # a decision of a failed or unknown document
                continue
            region = str(row[own] or "") if own is not None else ""
            s = of(region or owner.get(doc_id, NO_REGION))
            status = row[idx["status"]] if "status" in idx else ""
            if status == "adopted":
                s.adopted += 1
            elif status == "proposed":
                s.proposed += 1
    idx, rows = table("participants")
    if {"doc_id", "name"} <= idx.keys():
        for row in rows:
            doc_id = str(row[idx["doc_id"]])
            if doc_id in owner or not owner:
                of(owner.get(doc_id, NO_REGION)).persons.append(hash(str(row[idx["name"]]).casefold()))
    idx, rows = table("regions")
    if {"doc_id", "region"} <= idx.keys():
        seen: set[int] = set()  # hashes of (document, region): each document counted once
        for row in rows:
            key = (str(row[idx["doc_id"]]), str(row[idx["region"]] or ""))
            if key[1] and hash(key) not in seen:
                seen.add(hash(key))
                of(key[1]).mentioned += 1
    idx, rows = table("topics")
    if {"doc_id", "region", "theme"} <= idx.keys():
        seen = set()  # hashes of (document, region, theme): only counted
        for row in rows:
            doc_id = str(row[idx["doc_id"]])
            region, theme = str(row[idx["region"]] or "") or owner.get(doc_id, NO_REGION), str(row[idx["theme"]])
            if hash((doc_id, region, theme)) not in seen:
                seen.add(hash((doc_id, region, theme)))
                of(region).themes[theme] += 1
    return sorted(stats.values(), key=lambda s: (s.region == NO_REGION, -s.decisions, -len(s.docs), -s.mentioned,
                                                 s.region))
