"""Regions across documents: the region reference (``Regioner`` sheet: each region mentioned in the
run with its kind, code, members and the councils a municipality belongs to) and ``rollup`` (with
``--rollup``, municipalities in the regions and topics tables are reported under their regional
council; the municipality stays in ``rolled_up_from``)."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache

from pipeline.models import DocumentResult, RegionRow
from pipeline.reference import Region, regions
from pipeline.rowids import row_id

COUNCIL_KINDS = ("ipr", "regionråd", "samarbeidsråd")


@cache
def _by_name() -> dict[str, Region]:
    return {r.name: r for r in regions().values()}


@cache
def councils_of() -> dict[str, tuple[Region, ...]]:
    """Municipality name ("Asker kommune") -> the current councils it is a member of."""
    out: dict[str, list[Region]] = {}
    municipalities = {r.code: r for r in regions().values() if r.kind == "municipality"}
    for council in regions().values():
        if council.kind not in COUNCIL_KINDS or council.valid_to:
            continue
        for code in council.member_codes:
            if code in municipalities:
                out.setdefault(municipalities[code].name, []).append(council)
    return {k: tuple(sorted(v, key=lambda r: r.name)) for k, v in out.items()}


@dataclass(frozen=True)
class ReferenceRow:
    region: str
    region_kind: str
    region_code: str
    members: str
    councils: str
    valid_from: str
    valid_to: str
    documents: int


def region_reference(rows: Iterable[RegionRow]) -> list[ReferenceRow]:
    """Each region mentioned in the run, with its members (councils) or councils (municipalities)."""
    docs: dict[str, set[str]] = {}
    for row in rows:
        docs.setdefault(row.region, set()).add(row.doc_id)
    out = []
    for name in sorted(docs):
        region = _by_name().get(name)
        if region is None:
            continue
        out.append(ReferenceRow(
            name, region.kind, region.code, ", ".join(region.members),
            ", ".join(c.name for c in councils_of().get(name, ())), region.valid_from or "", region.valid_to or "",
            len(docs[name])))
    return out


def council_of(region: str, mentioned: set[str] | frozenset[str] = frozenset()) -> str:
    """The council a municipality's rows are reported under with ``--rollup``: its one current
    council, or the one of its councils the document mentions; the municipality itself when that
    leaves more than one (credit is never split or doubled) and for any other region.

    >>> council_of("Vang kommune"), council_of("Regionrådet i Valdres"), council_of("")
    ('Regionrådet i Valdres', 'Regionrådet i Valdres', '')
    """
    councils = councils_of().get(region, ())
    chosen = [c for c in councils if c.name in mentioned] or list(councils)
    return chosen[0].name if len(chosen) == 1 else region


def rollup(result: DocumentResult) -> DocumentResult:
    """Report municipalities under their council. Region mentions (``regions``): the council
    mentioned in the same document if there is one, else every current council the municipality
    belongs to. What is counted for a region, the owner (``documents.region``, the decisions'
    ``region``) and the topics, goes to one council only (:func:`council_of`)."""
    mentioned = {row.region for row in result.regions}
    target: dict[str, list[str]] = {}
    for row in result.regions:
        councils = councils_of().get(row.region, ())
        if row.region_kind != "municipality" or not councils:
            continue
        chosen = [c.name for c in councils if c.name in mentioned] or [c.name for c in councils]
        target[row.region] = chosen
    new_regions, seen = [], set()
    for row in result.regions:
        for name in target.get(row.region, [row.region]):
            if name in seen:
                continue
            seen.add(name)
            council = _by_name()[name]
            new_regions.append(row if name == row.region else replace(  # a row of its own: its own id
                row, region=name, region_kind=council.kind, region_code=council.code, rolled_up_from=row.region,
                id=row_id("regions", row.doc_id, (name,)) if row.id else ""))
    new_topics, seen_topics = [], set()
    for topic in result.topics:
        name = council_of(topic.region, mentioned)
        if (name, topic.theme) not in seen_topics:
            seen_topics.add((name, topic.theme))
            new_topics.append(topic if name == topic.region else replace(  # a row of its own: its own id
                topic, region=name, rolled_up_from=topic.region,
                id=row_id("topics", topic.doc_id, (name, topic.theme)) if topic.id else ""))
    document = result.document
    if document.region:
        document = replace(document, region=council_of(document.region, mentioned))
    decisions = tuple(replace(d, region=council_of(d.region, mentioned)) if d.region else d
                      for d in result.decisions)  # the id stays: votes name the decision by it
    return replace(result, document=document, regions=tuple(new_regions), topics=tuple(new_topics),
                   decisions=decisions)
