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

import re
from bisect import bisect_right
from collections import Counter
from functools import cache
from itertools import accumulate

from rapidfuzz import fuzz, process
from spacy.tokens import Doc, Span

from extractors.context import DocContext
from extractors.lexicons import gazetteer, regions
from extractors.nlp import tail, text_of
from pipeline.models import RegionRow
from pipeline.sections import Block

ALWAYS = {"name", "genitive", "variant", "county", "municipality"}
BARE = {"municipality_bare", "county_bare"}
STRUCTURAL = ("heading", "bullet", "row", "item")
#: Text right before a municipality that makes it part of a council's name ("råd for Asker og Bærum").
_IN_COUNCIL_NAME = re.compile(r"\b(?:[Rr]åd|[Rr]ådet|[Rr]egionråd|[Rr]egionrådet|IPR|[Ss]amarbeidsråd\w*)\s+(?:for|i|på)\s+"
                              r"(?:[A-ZÆØÅ][\wæøå-]*\s+|og\s+){0,3}$")
#: Words a match of _IN_COUNCIL_NAME spans at most (the council word, "for", three more), and one spare.
COUNCIL_NAME_WORDS = 6
#: A short line that looks like a council's name, for the fuzzy fallback ("Gardermoreregionen IPR").
_COUNCIL_LIKE = re.compile(r"regionen\b|\bipr\b|regionråd|\brådet\b", re.IGNORECASE)
FUZZY_CUTOFF = 90
_ASIDE_OR_END = re.compile(r"\s*\(.*?\)\s*|[:,]\s*$")


@cache
def forms() -> dict[tuple[str, str], str]:
    """(region id, pattern casefolded) -> the form it was derived in."""
    return {(row["id"], row["pattern"].casefold()): row.get("form", "name") for row in gazetteer()}


def form_of(region_id: str, mention: str) -> str:
    return forms().get((region_id, mention.casefold()), "name")


@cache
def _council_names() -> dict[str, str]:
    """Council names and variants (casefolded) -> region id, for fuzzy matching."""
    return {row["pattern"].casefold(): row["id"] for row in gazetteer()
            if row.get("form") in ("name", "variant") and len(row["pattern"]) >= 8}


def fuzzy_council(text: str) -> tuple[str, str] | None:
    """(region id, text) when a short council-like line is a misspelt council name.

    >>> fuzzy_council("Gardermoreregionen IPR")
    ('gardermoregionen-ipr', 'Gardermoreregionen IPR')
    """
    if "(" in text or ":" in text or "," in text:  # what the pattern removes: most lines have none
        text = _ASIDE_OR_END.sub("", text)
    text = text.strip()
    if not _COUNCIL_LIKE.search(text) or len(text) > 60:
        return None
    best = process.extractOne(text.casefold(), _council_names().keys(), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
    return (_council_names()[best[0]], text) if best else None


def mentions(ctx: DocContext) -> list[tuple[int, str, str, str]]:
    """(block index, region id, mention as written, form) for every gazetteer hit; a heading or
    table cell with no hit may still be a misspelt council name. Computed once per document."""
    if ctx.mentions is None:
        ctx.mentions = _mentions(ctx)
    return ctx.mentions


def _mentions(ctx: DocContext) -> list[tuple[int, str, str, str]]:
    out = []
    for i, doc in enumerate(ctx.docs):
        if doc is None:
            continue
        ents = [e for e in doc.ents if e.label_ == "REGION"]
        b = ctx.blocks[i]
        if ents:  # most lines have none: their persons need not be read
            out.extend(_hits(i, doc, ents))
        elif b.kind in ("heading", "row"):
            for cell in b.cells or (b.text,):
                found = fuzzy_council(cell)
                if found:
                    out.append((i, found[0], found[1], "fuzzy"))
    return out


def _hits(i: int, doc: Doc, ents: list[Span]) -> list[tuple[int, str, str, str]]:
    """The gazetteer hits of block ``i`` that are no part of a council's or a person's name."""
    out = []
    line = text_of(doc)
    persons = sorted((p.start, p.end) for p in doc.spans.get("persons", []))
    reach = list(accumulate((e for _, e in persons), max))  # the furthest end of the persons so far
    for ent in ents:
        rid, start = ent.ent_id_, ent.start_char
        if rid.startswith("municipality-") and _may_name_council(line, start) and _IN_COUNCIL_NAME.search(
                tail(line, start, COUNCIL_NAME_WORDS)):
            continue  # "råd for Asker og Bærum": part of a council's name (only a municipality's name can be)
        k = bisect_right(persons, (ent.start, len(doc) + 1))  # the persons that start at or before it
        if k and reach[k - 1] >= ent.end:
            continue  # "Hole" in "Marit Hole Pettersen"
        text = line[start:ent.end_char]  # = ent.text, which spaCy rebuilds token by token
        out.append((i, rid, text, form_of(rid, text)))
    return out


def _may_name_council(line: str, end: int) -> bool:
    """Every council word of ``_IN_COUNCIL_NAME`` holds "åd" but "IPR": without them before ``end``, no match."""
    return line.find("åd", 0, end) >= 0 or line.find("IPR", 0, end) >= 0


def accepted(ctx: DocContext) -> list[tuple[int, str, str]]:
    """The mentions that name an actor: (block index, region id, mention). Needs the participants
    (their organisations), so it is computed once, after them."""
    if ctx.accepted is None:
        ctx.accepted = _accepted(ctx)
    return ctx.accepted


def _accepted(ctx: DocContext) -> list[tuple[int, str, str]]:
    hits = mentions(ctx)
    recurring = Counter(rid for _, rid, _, form in hits if form == "district")
    orgs = {p.organisation.casefold() for p in ctx.participants}
    out = []
    for i, rid, text, form in hits:
        kind = ctx.blocks[i].kind
        if form in ALWAYS or form == "fuzzy":
            ok = True
        elif form in BARE:
            ok = _is_whole(text, ctx.blocks[i]) or text.casefold() in orgs or _names_an_actor(ctx, i, text)
        elif form == "district":
            ok = kind in STRUCTURAL or recurring[rid] >= 2
        else:
            ok = False
        if ok and rid in regions():
            out.append((i, rid, text))
    return out


#: A bare name that names an actor: after a mayor's or chief's title ("ordfører i Tokke", "rådmann
#: Hole"), or opening a line of a round of reports ("Nordreisa: …").
_AFTER_ROLE = re.compile(r"\b(?:ordfører|ordførar|varaordfører|varaordførar|rådmann|kommunedirektør|kommunalsjef)"
                         r"(?:en|ane|ene)?\s+(?:i\s+|fra\s+|frå\s+)?$", re.IGNORECASE)
#: Three or more names in a row, separated by commas and "og": a list of members, who meet in a
#: meeting's documents; an agreement or a presentation lists them to describe the region.
LIST_MIN = 3
DESCRIBING = ("agreement", "presentation")
#: What stands between two names of a list: a comma, "og", or both.
_LIST_GAP = re.compile(r"\s*(?:,|og|,\s*og)\s*")


def _names_an_actor(ctx: DocContext, i: int, mention: str) -> bool:
    text = ctx.blocks[i].text
    at = text.find(mention)
    if at < 0:
        return False
    opens = text[at + len(mention):].lstrip().startswith(":") and not ctx.blocks[i].label  # "Nordreisa: …", not "Stad:"
    if _AFTER_ROLE.search(text[:at]) or opens:
        return True
    return ctx.doc_type not in DESCRIBING and _in_list(ctx, i, at, mention)


def _in_list(ctx: DocContext, i: int, at: int, mention: str) -> bool:
    """The mention is one of ``LIST_MIN`` or more region names joined by commas or "og"
    ("Austrheim, Fedje, Gulen, Lindås og Masfjorden")."""
    doc = ctx.docs[i]
    if doc is None:
        return False
    text = text_of(doc)
    ents = [e for e in doc.ents if e.label_ == "REGION"]
    k = next((n for n, e in enumerate(ents) if e.start_char == at), None)
    if k is None:
        return False
    run = 1
    for a, b in zip(ents[k:], ents[k + 1:], strict=False):  # forwards
        if not _LIST_GAP.fullmatch(text[a.end_char:b.start_char]):
            break
        run += 1
    for a, b in zip(reversed(ents[:k]), reversed(ents[:k + 1]), strict=False):  # backwards
        if not _LIST_GAP.fullmatch(text[a.end_char:b.start_char]):
            break
        run += 1
    return run >= LIST_MIN


def _is_whole(mention: str, block: Block) -> bool:
    """The mention is (nearly) the whole heading or table cell: "Oslo" as a section heading."""
    texts = block.cells if block.kind == "row" else (block.text,) if block.kind == "heading" else ()
    return any(len(mention) >= 0.5 * len(re.sub(r"\s*\(.*?\)|[:,]", "", t).strip()) for t in texts if mention in t)


def extract(ctx: DocContext) -> list[RegionRow]:
    """One row per region named as an actor; the owner region (``documents.region``) is one,
    mentioned as written where the document names it, else as its body ("Heradsstyret")."""
    first: dict[str, tuple[int, str]] = {}
    count: Counter[str] = Counter()
    for i, rid, text in accepted(ctx):
        first.setdefault(rid, (i, text))
        count[rid] += 1
    meta = ctx.metadata
    owner_id = getattr(meta, "region_id", "")
    if meta is not None and owner_id and owner_id not in first:
        named = [(i, text) for i, rid, text, _ in mentions(ctx) if rid == owner_id]
        top = next((i for i, _ in ctx.nonblank()), 0)
        first[owner_id] = named[0] if named else (top, meta.body or regions()[owner_id].name)
        count[owner_id] = max(1, len(named))
    rows = []
    for rid, (i, text) in first.items():
        region = regions()[rid]
        b = ctx.blocks[i]
        rows.append(RegionRow(ctx.doc_id, region.name, text, region.kind, region.code, count[rid],
                              page=b.page, line=b.line))
    return rows
