"""Document metadata: type, title, meeting date, deciding body, language.

The document type is scored in :mod:`extractors.doctype`.
"""
from __future__ import annotations

import re
from collections import Counter

from extractors import doctype, owner
from extractors.context import DocContext, Metadata
from extractors.dates import find_dates, first_date, meeting_date_in, years_in
from extractors.lexicons import regions
from extractors.regions import ALWAYS, mentions
from pipeline.sections import Block, clean

#: Words that mark a text as Nynorsk or as Bokmål (lower case; counted as whole words).
_NYNORSK = frozenset("ikkje eg vere korleis kva frå sjølv dei òg berre mykje difor vedteke handsaming møtestad".split())
_BOKMAL = frozenset("ikke jeg være hvordan hva fra selv de også bare mye derfor vedtatt behandling møtested".split())
#: One of those words, whole: finds what ``re.findall(r"\w+")`` finds of them, without listing every word.
_LANGUAGE_WORD_RE = re.compile(r"(?<!\w)(?:" + "|".join(sorted(_NYNORSK | _BOKMAL, key=len, reverse=True)) + r")(?!\w)")
_BODY_FROM_TITLE = re.compile(r"\b(?:møte|møtet|sitt møte)\s+i\s+(?P<body>[^,.:\d]+?)(?:\s+(?:den\s+)?\d|\s*[,.:]|$)",
                              re.IGNORECASE)
_BODY_WORDS = re.compile(
    r"^(?:[A-ZÆØÅ][\wæøå-]*(?:rådet|styret|utvalget|utvalet|tinget|rådsmøte|skapet|gruppa|gruppen)"
    r"|kommunestyret|formannskapet|fylkestinget|fylkesrådet|bystyret|regionrådet|representantskapet|"
    r"fylkesutvalget|kontrollutvalget|arbeidsutvalget|(?:hovedutvalg|hovudutval|utvalg|utval) for [\wæøå ]+)$",
    re.IGNORECASE,
)


def find_title(ctx: DocContext) -> tuple[str, int]:
    """The first line that reads as a title: not an attachment list, a date, a label or a page header."""
    skip_list = False
    parts: list[str] = []
    first_line = 0
    for _, b in ctx.nonblank():
        if b.label and b.label.pattern in ("vedlegg", "trykte vedlegg", "utrykte vedlegg"):
            skip_list = True
            continue
        if skip_list and (re.match(r"^\d{1,2}\.?\s", b.text) or b.kind in ("bullet", "numbered")):
            continue
        skip_list = False
        if b.kind == "label" and b.label and b.label.category in ("meta", "attendance"):
            if parts:
                break
            continue
        text = clean(b.text).strip(" :")
        if not text or re.fullmatch(r"[\d\s.,/–-]+", text) or len(text) < 4:
            if parts and re.fullmatch(r"[\d\s–-]+", text or "-"):
                parts.append(text)  # "2020 – 2024" under an all-caps title
            continue
        if b.kind in ("row", "bullet"):
            if parts:
                break
            continue
        if parts:
            if b.raw.lstrip().startswith("#") and len(parts) < 4 and len(text) < 40:
                parts.append(text)
                continue
            break
        parts.append(text)
        first_line = b.line
        if not b.raw.lstrip().startswith("#") or len(text) > 40:
            break
    title = " ".join(p for p in parts if p)
    if title.isupper():
        title = title.capitalize()
    title = re.sub(r"^([A-ZÆØÅ]{3,})\b", lambda m: m.group(1).capitalize(), title)
    return title[:300], first_line


HEAD_LINES = 10  # a web transcript's first lines are the site's ("Størrelse: px", "Download …")
HEAD_CHARS = 300  # of each head line: a transcript runs a whole page into one line
_MEETING_DATE_LABEL_RE = re.compile(r"\bmøtedato\b", re.IGNORECASE)
# compiled here, as every line of a document is searched (re's own cache is shared with dynamic patterns)
_TREATED_BY_RE = re.compile(r"\b(?:behandlet av|utval|utvalg|saksgang|organ)\b", re.IGNORECASE)
_TREATED_IN_MEETING_RE = re.compile(
    r"\b(?:behandling|handsaming)\b.*?\bi møte(?:t)?\s+(?:den\s+)?(\S+(?:\s+\w+\s+\d{4})?)", re.IGNORECASE)


def meeting_date(ctx: DocContext, title: str) -> str:
    """From, in order: a meeting date in the document's head (after a label, a weekday or "møte",
    or with a time; a missing year from the text's case numbers and dates, checked against the
    weekday: :func:`extractors.dates.meeting_date_in`), a meeting date or time label ("Møtedato:", "Tid:"), a "Behandlet av /
    Møtedato" table, "behandling ... i møte den ...", a plain "Dato:" label (not in case documents,
    where it dates the letter), or the title of minutes and protocols."""
    blocks = ctx.blocks
    head_text = " \n ".join(text[:HEAD_CHARS] for text in _date_head(ctx))
    found = meeting_date_in(head_text, lambda: years_in("\n".join(b.text for b in blocks)))
    if found:
        return found
    plain = ""
    for i, b in enumerate(blocks):
        if b.label and b.label.category == "meta" and b.label.id == "date":
            found = first_date(b.rest) or _next_date(blocks, i)
            if found and b.label.pattern != "dato":
                return found
            plain = plain or found
        # both patterns need "møte", and re's case-insensitive m, ø, t, e are lower()'s (unlike i, s, k)
        if "møte" not in b.text.lower():
            continue
        if _MEETING_DATE_LABEL_RE.search(b.text) and (b.kind == "row" or _TREATED_BY_RE.search(b.text)):
            found = _next_date(blocks, i)
            if found:
                return found
        m = _TREATED_IN_MEETING_RE.search(b.text)
        if m and first_date(m.group(1)):
            return first_date(m.group(1))
    if plain and ctx.doc_type != "case":
        return plain
    if ctx.doc_type in ("minutes", "protocol", "presentation", "other"):
        head = [b.text for _, b in list(ctx.nonblank())[:10]]
        meeting_lines = [t for t in head if re.search(r"\bmøte|\bmøtet\b|\bmøtedato", t, re.IGNORECASE)]
        for texts in ([title], meeting_lines, head[:6]):
            dates = [d for t in texts for d in find_dates(t)]
            if dates:
                return dates[0][0]
    return ""


def _date_head(ctx: DocContext) -> list[str]:
    """The head's lines, up to the first agenda item, decision or section label ("Forslag til
    vedtak", "Bakgrunn for saken": what follows quotes earlier meetings)."""
    out: list[str] = []
    for _, b in ctx.nonblank():
        if len(out) >= HEAD_LINES or (out and (b.kind == "item" or (b.label and b.label.category in ("decision",
                                                                                                   "section")))):
            break
        out.append(b.text)
    return out


def _next_date(blocks: list[Block], i: int) -> str:
    for b in blocks[i + 1: i + 5]:
        if b.kind == "blank":
            continue
        found = first_date(b.text)
        if found:
            return found
    return ""


def body(ctx: DocContext, title: str, organisation: str) -> str:
    """The body that met or decides, from the first of: an "Utvalg:" label, a "Behandlet av /
    Saksgang / Utvalg ... Møtedato" table, a body's name standing alone in the document's head,
    the title ("Referat fra møte i X"), "Behandling i X" / "Vedtak i X", the owner of an adopted
    decision ("Regionrådets vedtak"), and for minutes and protocols of a council the council itself."""
    for i, b in enumerate(ctx.blocks):
        if b.label and b.label.category == "meta" and b.label.id == "body":
            rest = b.rest or _next_text(ctx, i)
            if rest:
                return _tidy(rest)
        found = _body_from_table(ctx, i)
        if found:
            return found
    for k, (_, b) in enumerate(ctx.nonblank()):
        if k >= 8:
            break
        if b.kind in ("heading", "para") and _BODY_WORDS.match(b.text):
            return _tidy(b.text)
    word = _body_word_in_head(ctx)
    if word:
        return word
    m = _BODY_FROM_TITLE.search(title)
    if m:
        return m.group("body").strip()
    for b in ctx.blocks:
        m = _BODY_IN_TREATMENT.search(b.text)
        if m and _BODY_WORDS.match(m.group(1)):
            return _tidy(m.group(1))
    for b in ctx.blocks:
        if b.label and b.label.category == "decision" and b.label.status == "adopted" and b.owner:
            return _nominative(b.owner.split()[-1])
    if ctx.doc_type in ("minutes", "protocol") and organisation and not organisation.endswith("kommune"):
        return organisation
    return ""


def _next_text(ctx: DocContext, i: int) -> str:
    """The short line right after an empty label ("Utvalg:" / "Verdal kommunestyre")."""
    for _, b in ctx.nonblank(i + 1):
        return b.text if len(b.text) <= 60 and not b.label else ""
    return ""


_MAIL_HEADER = re.compile(r"(?:til|kopi|fra|frå|sendt|cc|to|from)\s*:", re.IGNORECASE)
_HEAD_WORD = re.compile(r"[A-ZÆØÅa-zæøå][\wæøå-]+")


def _body_word_in_head(ctx: DocContext) -> str:
    """A body's word in the document's head: "Møteprotokoll for Kommunestyret", "Kommunestyrets
    behandling av sak 33/2026", "MØTEREFERAT RÅDSMØTE" (the words of ``resources/owner_bodies.jsonl``)."""
    for k, (_, b) in enumerate(ctx.nonblank()):
        if k >= 8:
            break
        if b.kind == "row" or (b.label and b.label.category == "attendance") or _MAIL_HEADER.match(b.text):
            continue  # a member's organisation in a table or list ("Namdal regionråd"), an e-mail's addressees
        for m in _HEAD_WORD.finditer(b.text):
            word = m.group(0)
            if re.match(r"\s+for\s", b.text[m.end():]) and not word.casefold().endswith("t"):
                continue  # a title: "Fylkesråd for samferdsel Kari Dal"
            if len(word) > 4 and owner.is_body_word(word):
                return _tidy(_nominative(word))
    return ""


_BODY_IN_TREATMENT = re.compile(r"\b(?:behandling|handsaming|vedtak)\s+i\s+([A-ZÆØÅa-zæøå-]+)", re.IGNORECASE)
_TABLE_HEAD = re.compile(r"^(?:behandlet av|behandla av|utvalg|utval|saksgang|organ|utvalgsnavn)$", re.IGNORECASE)


def _body_from_table(ctx: DocContext, i: int) -> str:
    """"Behandlet av | Møtedato | Saknr" with "1 Fylkesutvalget | 04.02.2025" under it."""
    b = ctx.blocks[i]
    if b.kind != "row" or not any(c.casefold() == "møtedato" for c in b.cells):
        return ""
    col = next((k for k, c in enumerate(b.cells) if _TABLE_HEAD.match(c)), None)
    for nb in ctx.blocks[i + 1: i + 3]:
        if nb.kind == "row":
            cells = nb.cells if col is None or col >= len(nb.cells) else (nb.cells[col], *nb.cells)
            for cell in cells:
                name = re.sub(r"^\d+\s*", "", cell).strip()
                if name and not re.search(r"\d", name):
                    return _tidy(name)
    return ""


def _tidy(body: str) -> str:
    """"FORMANNSKAPET" -> "Formannskapet"; "formannskapet" -> "Formannskapet"."""
    body = body.strip(" :")
    if body.isupper() or body.islower():
        body = body[:1].upper() + body[1:].lower()
    return body


def _nominative(word: str) -> str:
    """"Regionrådets" -> "Regionrådet"."""
    return word[:-1] if word.endswith("s") and len(word) > 4 else word


def place(ctx: DocContext) -> str:
    """The meeting place from a "Sted:", "Møtested:" or "Møtestad:" label."""
    for b in ctx.blocks:
        if b.label and b.label.category == "meta" and b.label.id == "place" and b.rest:
            return b.rest.strip()[:120]
    return ""


def organisation(ctx: DocContext) -> str:
    """The id of the council, county or municipality whose document this is: the first region named
    in full in the document's head ("NOME KOMMUNE", "Salten Regionråd"), not as a meeting place."""
    head = [i for k, (i, _) in enumerate(ctx.nonblank()) if k < 8]
    for i, rid, _, form in mentions(ctx):
        b = ctx.blocks[i]
        if i in head and form in ALWAYS and not (b.label and b.label.id == "place") and rid in regions():
            return rid
    return ""


def language(ctx: DocContext) -> str:
    words = Counter(_LANGUAGE_WORD_RE.findall(" ".join(b.text for b in ctx.blocks).lower()))
    nn, nb = sum(words[w] for w in _NYNORSK), sum(words[w] for w in _BOKMAL)
    if nn + nb < 5:
        return ""
    return "nn" if nn > nb else "nb"


def extract(ctx: DocContext) -> Metadata:
    title, line = find_title(ctx)
    kind = doctype.doc_type(ctx, title)
    ctx.metadata = Metadata(doc_type=kind, title=title)  # later steps read the type
    org_id = organisation(ctx)
    org = regions()[org_id].name if org_id else ""
    found_body = body(ctx, title, org)
    owner_id = owner.owner(ctx, found_body, org_id, title)
    return Metadata(kind, title, meeting_date(ctx, title), found_body, language(ctx), line, place(ctx), org,
                    regions()[owner_id].name if owner_id else "", owner_id)
