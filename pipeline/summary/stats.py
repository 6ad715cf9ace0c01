"""Per region: its documents, their decisions (adopted and proposed; quoted ones not counted), the
distinct persons named and the documents per theme. The workbook's overview writes these rows.

A document is counted for every region its ``regions`` rows name; a document that names none is
counted under :data:`NO_REGION` (the overview shows it in its language).
"""
from __future__ import annotations

from array import array
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

#: The region of documents that name none (shown as "(uten region)" / "(no region)").
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

    @property
    def decisions(self) -> int:
        return self.adopted + self.proposed

    @property
    def person_count(self) -> int:
        """Distinct persons (by name, case aside)."""
        return len(set(self.persons))


def region_stats(tables: Tables) -> list[RegionStats]:
    """Per region (regions table, joined on doc_id) of ``tables`` (table name -> (header, rows);
    rows as tuples, which may stream from a spool on disk): its documents, their decisions and
    distinct persons, and the documents per theme assigned to the region. Sorted by decisions, then
    documents, with the documents of no region last.

    >>> tables = {"documents": (["doc_id", "status"], [("a", "ok"), ("b", "ok")]),
    ...           "regions": (["doc_id", "region"], [("a", "Asker kommune")]),
    ...           "decisions": (["doc_id", "status", "quoted"], [("a", "adopted", False), ("b", "proposed", False)])}
    >>> [(s.region, len(s.docs), s.adopted, s.proposed) for s in region_stats(tables)]
    [('Asker kommune', 1, 1, 0), ('', 1, 0, 1)]
    """

    def table(name: str) -> tuple[dict[str, int], Sequence[Sequence[Any]]]:
        header, rows = tables.get(name, ((), ()))
        return {h: k for k, h in enumerate(header)}, rows

    no_region = NO_REGION
    stats: dict[str, RegionStats] = {}
    by_doc: dict[str, list[RegionStats]] = defaultdict(list)
    idx, rows = table("regions")
    if {"doc_id", "region"} <= idx.keys():
        for row in rows:
            name, doc_id = str(row[idx["region"]] or ""), str(row[idx["doc_id"]])
            if not name:
                continue
            s = stats.setdefault(name, RegionStats(name))
            if doc_id not in s.docs:
                s.docs.add(doc_id)
                by_doc[doc_id].append(s)
    didx, drows = table("documents")
    if "doc_id" in didx:
        for row in drows:
            doc_id = str(row[didx["doc_id"]])
            ok = "status" not in didx or row[didx["status"]] != "error"
            ok = ok and not ("duplicate_of" in didx and row[didx["duplicate_of"]])  # counted under its first copy
            if ok and doc_id not in by_doc:
                s = stats.setdefault(no_region, RegionStats(no_region))
                s.docs.add(doc_id)
                by_doc[doc_id].append(s)
    idx, rows = table("decisions")
    if "doc_id" in idx:
        for row in rows:
            if "quoted" in idx and row[idx["quoted"]] is True:
                continue
            status = row[idx["status"]] if "status" in idx else ""
            for s in by_doc.get(str(row[idx["doc_id"]]), ()):
                if status == "adopted":
                    s.adopted += 1
                elif status == "proposed":
                    s.proposed += 1
    idx, rows = table("participants")
    if {"doc_id", "name"} <= idx.keys():
        for row in rows:
            for s in by_doc.get(str(row[idx["doc_id"]]), ()):
                s.persons.append(hash(str(row[idx["name"]]).casefold()))
    idx, rows = table("topics")
    if {"doc_id", "region", "theme"} <= idx.keys():
        seen: set[int] = set()  # hashes of (document, region, theme): only counted
        for row in rows:
            key = (str(row[idx["doc_id"]]), str(row[idx["region"]] or ""), str(row[idx["theme"]]))
            if key[1] and key[1] in stats and hash(key) not in seen:  # not the bucket of no region
                seen.add(hash(key))
                stats[key[1]].themes[key[2]] += 1
    return sorted(stats.values(), key=lambda s: (s.region == no_region, -s.decisions, -len(s.docs), s.region))
