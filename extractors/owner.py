"""The owner region: the regional council, county or municipality whose meeting or case a document
is (``documents.region``; topics are attributed to it).

Found from, in order:

1. the body's own name ("Namsos formannskap", "Regionrådet for Hadeland", "Styret i Fosen
   Regionråd");
2. the kind of owner the body's word implies (``resources/owner_bodies.jsonl``: a kommunestyre or
   formannskap belongs to a municipality, a fylkesting to a county, a regionråd's board or AU to a
   council), then the first region of that kind named in full in the document's head (letterhead:
   "NOME KOMMUNE"), in a meeting-place label ("Møtested: Levanger rådhus"), or anywhere in full;
3. without a body: the one council an agreement is with, the region the title names, a council
   named in full in the head, the head's organisation, the first council named in full.

Needs only the gazetteer mentions of :func:`extractors.regions.mentions` (computed from the
spaCy docs of the context), so it runs inside the metadata step, first of all extractors.
"""
from __future__ import annotations

import re
from functools import cache, lru_cache

from extractors.context import DocContext
from extractors.lexicons import read_jsonl, regions
from extractors.nlp import nlp
from extractors.regions import ALWAYS, BARE, form_of, mentions

HEAD_BLOCKS = 8
#: A title that is a meeting venue ("Stjørdal Rådhus, 28.01.05") names where, not whose.
_VENUE = re.compile(r"rådhus|kommunehus|heradshus|samfunnshus|hotell|hotel\b", re.IGNORECASE)
COUNCIL_KINDS = frozenset({"ipr", "regionråd", "samarbeidsråd", "other"})


@cache
def _body_words() -> list[tuple[re.Pattern[str], str]]:
    """(pattern on the body's words, owner kind) in file order: the first that matches counts."""
    return [(re.compile(rf"(?<![\wæøå]){row['pattern']}", re.IGNORECASE), row["owner"])
            for row in read_jsonl("extractors.resources", "owner_bodies.jsonl")]


def body_kind(body: str) -> str:
    """"municipality", "county", "council" or "" for a body's name.

    >>> body_kind("Formannskapet"), body_kind("Fylkesutvalet"), body_kind("Vesterålen regionråds arbeidsutvalg")
    ('municipality', 'county', 'council')
    """
    for pattern, kind in _body_words():
        if pattern.search(body):
            return kind
    return ""


_ENDINGS = "(?:g|gs|get|gets|et|ets|t|ts|s|a|e|en)?"


def is_body_word(word: str) -> bool:
    """A single word that names a body, in its own inflections, not a compound or plural
    ("Kommunestyrets", "Fylkesutvalget", "RÅDSMØTE"; not "Kommunestyresalen", "Regionrådene").

    >>> [is_body_word(w) for w in ("Kommunestyrets", "Fylkesutvalget", "RÅDSMØTE", "Kommunestyresalen", "Regionrådene")]
    [True, True, True, False, False]
    """
    return _body_word_re().fullmatch(word) is not None


@cache
def _body_word_re() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p.pattern}{_ENDINGS})" for p, _ in _body_words()), re.IGNORECASE)


def kind_of(region_id: str) -> str:
    kind = regions()[region_id].kind
    return "council" if kind in COUNCIL_KINDS else kind


def named_in(text: str) -> list[str]:
    """Region ids the gazetteer finds in a short text (a body's name), in order."""
    return list(_named_in(text)) if text else []


@lru_cache(maxsize=4096)
def _named_in(text: str) -> tuple[str, ...]:
    return tuple(e.ent_id_ for e in nlp()(text).ents if e.label_ == "REGION" and e.ent_id_ in regions())


def owner(ctx: DocContext, body: str, organisation_id: str, title: str = "") -> str:
    """The owner region's id, or "" when the document does not tell."""
    wanted = body_kind(body)
    for rid in named_in(body):
        if not wanted or kind_of(rid) == wanted:
            return rid
    hits = [(i, rid, form) for i, rid, _, form in mentions(ctx) if rid in regions()]
    head = {i for k, (i, _) in enumerate(ctx.nonblank()) if k < HEAD_BLOCKS}
    full = [(i, rid) for i, rid, form in hits if form in ALWAYS or form == "fuzzy"]
    if wanted:
        if organisation_id and kind_of(organisation_id) == wanted:
            return organisation_id
        at_place = [rid for i, rid, _ in hits if _is_place(ctx, i)]
        in_full = [rid for _, rid in full]
        bare = [rid for i, rid, text, form in mentions(ctx)  # "Møre og Romsdal vil delta …" under a fylkesutval
                if form in BARE and rid in regions() and not _after_a_name(ctx.blocks[i].text, text)]
        return next((rid for rid in at_place + in_full + bare if kind_of(rid) == wanted), "")
    if ctx.doc_type == "agreement":
        councils = {rid for _, rid in full if kind_of(rid) == "council"}
        if len(councils) == 1:
            return councils.pop()
    in_title = [] if _VENUE.search(title) else named_in(title)
    if in_title:
        return in_title[0]
    councils_in_head = [rid for i, rid in full if i in head and kind_of(rid) == "council"]
    if councils_in_head:
        return councils_in_head[0]
    if organisation_id:
        return organisation_id
    return next((rid for _, rid in full if kind_of(rid) == "council"), "")


_NAME_BEFORE = re.compile(r"[A-ZÆØÅ][a-zæøå]+\s+$")


def _after_a_name(line: str, mention: str) -> bool:
    """A bare place name right after a capitalised word is a surname ("Marit Bratt Eide").

    >>> _after_a_name("MEDL SP Marit Bratt Eide MEDL H", "Eide"), _after_a_name("2015. Møre og Romsdal vil", "Møre og Romsdal")
    (True, False)
    """
    at = line.find(mention)
    return at > 0 and bool(_NAME_BEFORE.search(line[:at]))


def _is_place(ctx: DocContext, i: int) -> bool:
    b = ctx.blocks[i]
    return bool(b.label and b.label.category == "meta" and b.label.id == "place")


__all__ = ["body_kind", "form_of", "named_in", "owner"]
