"""Regions mentioned as actors: regional councils, counties, and municipalities.

Gazetteer hits (``REGION`` entities from ``extractors.nlp``) are kept by the form they were
matched in (``resources/gazetteer.jsonl``):

* council names, genitives and variants, county and municipality names with "fylkeskommune" /
  "kommune": always;
* a bare municipality or county name ("Asker", "Viken") only where it names an actor: as a
  section heading, a participant's organisation, or a table cell;
* a bare district name ("Midt-Buskerud") in a heading, a list line or a table cell, or when it
  recurs.
"""
from __future__ import annotations

from collections import Counter
from functools import cache

from extractors.context import DocContext
from extractors.nlp import gazetteer, regions
from pipeline.models import RegionRow

ALWAYS = {"name", "genitive", "variant", "county", "municipality"}
BARE = {"municipality_bare", "county_bare"}
STRUCTURAL = ("heading", "bullet", "row", "item")


@cache
def forms() -> dict[tuple[str, str], str]:
    """(region id, pattern casefolded) -> the form it was derived in."""
    return {(row["id"], row["pattern"].casefold()): row.get("form", "name") for row in gazetteer()}


def form_of(region_id: str, mention: str) -> str:
    return forms().get((region_id, mention.casefold()), "name")


def mentions(ctx: DocContext) -> list[tuple[int, str, str, str]]:
    """(block index, region id, mention as written, form) for every gazetteer hit."""
    out = []
    for i, doc in enumerate(ctx.docs):
        if doc is None:
            continue
        for ent in doc.ents:
            if ent.label_ == "REGION":
                out.append((i, ent.ent_id_, ent.text, form_of(ent.ent_id_, ent.text)))
    return out


def accepted(ctx: DocContext) -> list[tuple[int, str, str]]:
    """The mentions that name an actor: (block index, region id, mention)."""
    hits = mentions(ctx)
    recurring = Counter(rid for _, rid, _, form in hits if form == "district")
    orgs = {p.organisation.casefold() for p in ctx.found.get("participants", [])}
    out = []
    for i, rid, text, form in hits:
        kind = ctx.blocks[i].kind
        if form in ALWAYS:
            ok = True
        elif form in BARE:
            ok = kind in ("heading", "row") or text.casefold() in orgs
        elif form == "district":
            ok = kind in STRUCTURAL or recurring[rid] >= 2
        else:
            ok = False
        if ok and rid in regions():
            out.append((i, rid, text))
    return out


def extract(ctx: DocContext) -> list[RegionRow]:
    first: dict[str, tuple[int, str]] = {}
    count: Counter[str] = Counter()
    for i, rid, text in accepted(ctx):
        first.setdefault(rid, (i, text))
        count[rid] += 1
    rows = []
    for rid, (i, text) in first.items():
        region = regions()[rid]
        b = ctx.blocks[i]
        rows.append(RegionRow(ctx.doc_id, region.name, text, region.kind, region.code, count[rid], b.page, b.line))
    return rows
