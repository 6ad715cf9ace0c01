"""Topics: the 14 themes of the contract, per region section and for the document as a whole.

* A region section is a heading that names a region (the "round the table" part of minutes)
  and the lines under it, up to the next such heading or agenda item. Every theme keyword in
  it gives the region that theme.
* The document's owner region (``documents.region``, :mod:`extractors.owner`) has every theme
  with at least ``MIN_HITS`` keyword hits outside those sections (one hit in the title or an
  agenda item's title is enough). A region merely mentioned gets no topics.
* When the owner is unknown, the document's themes (its sections' and the others) are rows with
  an empty region.

Each row keeps its evidence: the line the first keyword hit is in.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from spacy.tokens import Doc

from extractors.context import DocContext
from extractors.lexicons import regions
from extractors.nlp import text_of, theme_hits
from extractors.regions import accepted
from pipeline.models import TopicRow

MIN_HITS = 2
#: A text this short (a notice, a web page, an excerpt) names no theme in passing: one hit is enough.
SHORT_TEXT = 3000
_EVIDENCE_CHARS = 160


def _region_sections(ctx: DocContext) -> list[tuple[str, int, int]]:
    """(region id, first block, end block) for headings that are a region's name, with content under
    them up to the next heading, label or item. A single such heading is a title or a party to an
    agreement, not a round of regions: at least two are needed."""
    hits: dict[int, str] = {}
    for i, rid, mention in accepted(ctx):
        b = ctx.blocks[i]
        if b.kind == "heading" and i not in hits and len(mention) >= 0.5 * len(b.text):
            hits[i] = rid
    stops = [i for i, b in enumerate(ctx.blocks) if b.kind in ("item", "label", "heading")]
    sections = []
    for start, rid in sorted(hits.items()):
        end = next((s for s in stops if s > start), len(ctx.blocks))
        if any(ctx.blocks[k].kind != "blank" for k in range(start + 1, end)):
            sections.append((rid, start + 1, end))
    return sections if len(sections) >= 2 else []


def _evidence(text: str, offset: int) -> str:
    start = max(0, offset - 60)
    return text[start:start + _EVIDENCE_CHARS].strip()


#: A meeting place after its label, up to the next label or 80 characters ("Sted: Miljøbygget Tid: …").
_PLACE = re.compile(r"\b(?:møtested|møtestad|sted|stad)\s*:\s*[^:]{0,80}?(?=\s+[A-ZÆØÅ][\wæøå/-]{1,20}:|$)",
                    re.IGNORECASE)
_NAMED_MAX = 60
#: Web and e-mail addresses ("https://agderfk.no/nett-tv") are no themes.
_ADDRESS = re.compile(r"\b(?:https?://|www\.)\S+|\S+@\S+\.\w+")


def _block_hits(ctx: DocContext) -> list[list[tuple[str, str, int]]]:
    """(theme, evidence) of each keyword hit, per block (none for a blank one). Names are no
    themes: no hit inside a region's name ("Masfjorden"), a person's name ("Anne Strøm"), a
    participant's role or organisation where it is written ("Helse- og omsorgssjef", "Melhus
    videregående skole"), a meeting place ("Møtested: Miljøbygget") or a web or e-mail address."""
    named = {text for p in ctx.participants for text in (p.role, p.organisation)
             if 3 < len(text) <= _NAMED_MAX}
    out: list[list[tuple[str, str, int]]] = []
    for doc in ctx.docs:
        if doc is None:
            out.append([])
            continue
        text = text_of(doc)
        hits = theme_hits(text)
        if hits:
            masked = _names(doc, text, named)
            hits = [h for h in hits if not any(a <= h[2] < z for a, z in masked)]
        out.append([(theme, _evidence(text, offset), offset) for theme, _, offset in hits])
    return out


def _names(doc: Doc, text: str, named: set[str]) -> list[tuple[int, int]]:
    spans = list(_own_names(doc))
    for name in named:
        at = text.find(name)
        while at >= 0:
            spans.append((at, at + len(name)))
            at = text.find(name, at + 1)
    return spans


def _own_names(doc: Doc) -> tuple[tuple[int, int], ...]:
    """The names in a doc whatever the document: regions, persons, a meeting place, an address.
    Kept in the doc: they depend on it alone, and a repeated line shares its doc (extractors.context)."""
    found = doc.user_data.get("names")
    if not isinstance(found, tuple):
        text = text_of(doc)
        # a meeting place follows its label's colon; an address has "://", "www." or "@" (the patterns
        # cost more than a line's tokens when they run on every line)
        places = _PLACE.finditer(text) if ":" in text else ()
        addresses = _ADDRESS.finditer(text) if "@" in text or "://" in text or "www." in text else ()
        found = doc.user_data["names"] = (
            *((e.start_char, e.end_char) for e in doc.ents), *((s.start_char, s.end_char) for s in doc.spans.get("persons", [])),
            *(m.span() for m in places), *(m.span() for m in addresses))
    return found


def _themes_in(hits: list[list[tuple[str, str, int]]], start: int, end: int,
               where: Callable[[int, int], bool] = lambda i, at: True) -> dict[str, list[tuple[int, str]]]:
    """theme -> [(block index, evidence)] for keyword hits in blocks[start:end] (where ``where``
    holds for the block and offset)."""
    out: dict[str, list[tuple[int, str]]] = {}
    for i in range(start, end):
        for theme, evidence, at in hits[i]:
            if where(i, at):
                out.setdefault(theme, []).append((i, evidence))
    return out


def _between(a: int, z: int) -> Callable[[int, int], bool]:
    return lambda _, at: a <= at < z


def _inline_sections(ctx: DocContext) -> list[tuple[str, int, int, int]]:
    """(region id, block, start, end offset) of a round run into one line: "Skjervøy: … Nordreisa: …"
    (a transcript flattens the round of reports), from each region named before a colon to the next;
    at least two are needed."""
    openings: list[tuple[int, int, str]] = []
    for i, rid, mention in accepted(ctx):
        b = ctx.blocks[i]
        if b.label or ctx.docs[i] is None:
            continue
        text = text_of(ctx.docs[i])  # type: ignore[arg-type]
        for m in _opening(mention).finditer(text) if ":" in text else ():
            openings.append((i, m.start(), rid))
    openings = sorted(set(openings))
    if len(openings) < 2:
        return []
    out = []
    for k, (i, at, rid) in enumerate(openings):
        nxt = openings[k + 1] if k + 1 < len(openings) else None
        end = nxt[1] if nxt and nxt[0] == i else len(text_of(ctx.docs[i]))  # type: ignore[arg-type]
        out.append((rid, i, at, end))
    return out


@lru_cache(maxsize=4096)
def _opening(mention: str) -> re.Pattern[str]:
    """A region's name before a colon, as a word: compiled once per name (re's own cache of 512
    patterns misses when a document names many regions)."""
    return re.compile(rf"(?<![\wæøå]){re.escape(mention)}\s*:")


def _row(ctx: DocContext, region: str, theme: str, hit: tuple[int, str]) -> TopicRow:
    b = ctx.blocks[hit[0]]
    return TopicRow(ctx.doc_id, region, theme, hit[1], b.page, b.line)


def extract(ctx: DocContext) -> list[TopicRow]:
    rows: list[TopicRow] = []
    seen: set[tuple[str, str]] = set()
    in_sections: set[int] = set()
    doc_themes: dict[str, tuple[int, str]] = {}
    hits_of = _block_hits(ctx)  # a block's hits count in its region's section and in the whole document

    def add(region: str, theme: str, hit: tuple[int, str]) -> None:
        if (region, theme) not in seen:
            seen.add((region, theme))
            rows.append(_row(ctx, region, theme, hit))

    for rid, start, end in _region_sections(ctx):
        in_sections.update(range(start - 1, end))
        for theme, hits in _themes_in(hits_of, start, end).items():
            add(regions()[rid].name, theme, hits[0])
            doc_themes.setdefault(theme, hits[0])
    inline = _inline_sections(ctx)
    for rid, i, a, z in inline:
        for theme, hits in _themes_in(hits_of, i, i + 1, _between(a, z)).items():
            add(regions()[rid].name, theme, hits[0])
            doc_themes.setdefault(theme, hits[0])

    def outside(i: int, at: int) -> bool:
        return i not in in_sections and not any(k == i and a <= at < z for _, k, a, z in inline)

    meta = ctx.metadata
    title_line, owner = (meta.title_line, meta.region) if meta else (0, "")
    own: dict[str, tuple[int, str]] = {}
    short = sum(len(b.text) for b in ctx.blocks) < SHORT_TEXT
    for theme, hits in _themes_in(hits_of, 0, len(ctx.blocks), outside).items():
        weight = sum(MIN_HITS if short or _is_heading_line(ctx, h[0], title_line) else 1 for h in hits)
        if weight >= MIN_HITS:
            own.setdefault(theme, hits[0])
            doc_themes.setdefault(theme, hits[0])
    for theme, hit in (own if owner else doc_themes).items():
        add(owner, theme, hit)
    return sorted(rows, key=lambda r: (r.region != "", r.region, r.page, r.line, r.theme))


def _is_heading_line(ctx: DocContext, i: int, title_line: int) -> bool:
    """The title and agenda item titles say what a document is about: one hit there is enough."""
    b = ctx.blocks[i]
    return b.line == title_line or b.kind == "item"
