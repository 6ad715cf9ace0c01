"""Participants: people from attendance lists and tables, signatures, and people named with a role.

* Attendance sections (``Til stede:``, ``Deltakere:``, ``Forfall:``, ``Møtende varamedlemmer:``,
  ...; ``pipeline/resources/labels.jsonl``) give ``present``/``absent``; an entry that says it took
  part on Teams or digitally is ``remote``. Entries are table rows (first name / last name /
  organisation columns, or a header row naming the columns) or comma-separated lines such as
  ``Kari Nordmann (Ap), leder``.
* A signature (a line that is only a name, with a role on the next line) and a name after a role
  word (``fylkesdirektør Kari Nordmann``; ``resources/roles.jsonl``) are ``mentioned``.
* Other names in running text count only when the first name and the surname are both in
  Statistics Norway's lists.

Names are recognised by ``extractors.nlp.person_spans``: never by knowing the people.
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

from spacy.tokens import Doc, Span

from extractors.context import DocContext
from extractors.nlp import nlp, read_jsonl, surnames
from pipeline.models import ParticipantRow
from pipeline.sections import Block

_REMOTE_RE = re.compile(r"\b(?:deltok|møtte|til stede)?\s*(?:på|via|over)\s+(?:teams|zoom|skype|video|nett)\b|\bdigitalt\b|"
                        r"\bfjernmøte\b|\bvideolink\b|\(\s*(?:teams|zoom|skype|video|digital)\s*\)", re.IGNORECASE)
#: "Per Olsen (H) for Kari Hansen (H)": the second person was stood in for, so absent.
_STOOD_IN_FOR = re.compile(r"(?:^|\s)(?:for|i staden for|i stedet for|istedenfor)\s*$", re.IGNORECASE)
#: A list entry that is a person by its shape even when the first name is not in the name list:
#: two to four capitalised words followed by a party in brackets ("Aslak Rønnevik (Sp)").
_ENTRY_BY_SHAPE = re.compile(r"(?:^|(?<=[,;:•]\s)|(?<=^\s))(?P<name>[A-ZÆØÅ][\wæøå'-]+(?:\s+[A-ZÆØÅ][\wæøå'-]+){1,3})"
                             r"\s*\((?P<party>[A-Za-zÆØÅæøå]{1,6})\)")
_ABSENT_RE = re.compile(r"\(\s*forfall\s*\)|\bmeldt forfall\b", re.IGNORECASE)
_PARTY_RE = re.compile(r"^\(?\s*(ap|a|h|sp|frp|sv|krf|v|mdg|r|inp|pp|fnb|tvf|kp|kyst|uavh\.?|[A-ZÆØÅ][\wæøå]{0,3}l)\s*\)?$",
                       re.IGNORECASE)
_HEADER_WORDS = {
    "navn": "name", "namn": "name", "fornavn": "first", "førenamn": "first", "etternavn": "last", "etternamn": "last",
    "organisasjon": "org", "kommune": "org", "virksomhet": "org", "representerer": "org", "region": "org",
    "parti": "org", "rolle": "role", "funksjon": "role", "tittel": "role", "stilling": "role", "verv": "role",
}
_RANK = {"present": 3, "remote": 3, "absent": 3, "mentioned": 1}
#: "Fra Agder fylkeskommune: Line Haugstøl, seniorrådgiver" - people from an organisation.
FROM_ORG_RE = re.compile(r"^(?:fra|frå)\s+(?P<org>[^:]{3,60}?)\s*:\s*(?P<names>.+)$", re.IGNORECASE)
#: "kommunedirektør i Sirdal" - a role with the organisation after it.
_ROLE_AT_RE = re.compile(r"^(?P<role>.+?)\s+(?:(?:i|for|ved|på)\s+)?(?P<org>[A-ZÆØÅ][\wæøåÆØÅ .-]+)$")


@cache
def role_re() -> re.Pattern[str]:
    phrases = sorted((r["pattern"] for r in read_jsonl("extractors.resources", "roles.jsonl")), key=len, reverse=True)
    alt = "|".join(re.escape(p).replace(r"\ ", r"\s*") for p in phrases)
    return re.compile(rf"(?<![\w.])(?:{alt})(?![\wæøå])", re.IGNORECASE)


def _role_before(text: str) -> str:
    """The role written right before a name: from the last role word on ("Fylkesråd for distrikt og
    fylkesveier", "spesialrådgiver"), at most eight words back."""
    words = text.split()[-8:]
    tail = " ".join(words)
    matches = list(role_re().finditer(tail))
    if not matches:
        return ""
    role = tail[matches[-1].start():].strip(" ,:–-")
    role = re.split(r"\s+(?:og|ved|med|,)\s*$", role)[0]
    return role if len(role.split()) <= 8 and not re.search(r"[.;:]\s", role) else ""


def _role_after(text: str) -> str:
    m = re.match(r"^\s*[,–-]\s*([^,;()]+)", text)
    if m and role_re().match(m.group(1).strip()):
        return m.group(1).strip()
    return ""


def _listed(doc: Doc) -> bool:
    """A line of an attendance list: it names a person, by the name lists or by its shape."""
    return bool(doc.spans.get("persons")) or bool(_ENTRY_BY_SHAPE.search(doc.text))


def _person(doc: Doc) -> Span | None:
    spans = doc.spans.get("persons", [])
    return spans[0] if spans else None


class Found:
    """People found in one document: one row per person, the strongest evidence wins."""

    def __init__(self, doc_id: str) -> None:
        self.doc_id = doc_id
        self.rows: dict[str, ParticipantRow] = {}

    def add(self, name: str, role: str, org: str, attendance: str, block: Block, party: str = "") -> None:
        """Record a person; a list entry beats a mention, and known details are never lost."""
        name = re.sub(r"\s+", " ", name).strip(" ,.")
        if len(name.split()) < 2:
            return
        key = name.casefold()
        role, org, party = role.strip(" ,"), org.strip(" ,"), party.strip(" ,")
        old = self.rows.get(key)
        if old is None:
            self.rows[key] = ParticipantRow(self.doc_id, name, role, org or party, attendance, party, block.page,
                                            block.line)
            return
        stronger = _RANK[attendance] > _RANK[old.attendance]
        self.rows[key] = replace(
            old, role=old.role or role, party=old.party or party,
            organisation=org if org and (stronger or not old.organisation or old.organisation == old.party)
            else old.organisation or party,
            attendance=attendance if stronger else old.attendance,
            page=block.page if stronger else old.page, line=block.line if stronger else old.line)


def extract(ctx: DocContext) -> list[ParticipantRow]:
    found = Found(ctx.doc_id)
    covered = _attendance_sections(ctx, found)
    covered |= _lists_in_lines(ctx, found)
    covered |= _signature_rows(ctx, found, covered)
    _signatures_and_roles(ctx, found, covered)
    return list(found.rows.values())


def _lists_in_lines(ctx: DocContext, found: Found) -> set[int]:
    """People in vote lists (they were there), "Fra <organisation>: ..." lines, and label cells in
    table rows ("Saksbehandler:\tKari Nordmann")."""
    voted = {(v.page, v.line) for v in ctx.found.get("votes", [])}
    for v in ctx.found.get("votes", []):
        found.add(v.name, "", "", "present", Block("para", "", v.page, v.line), v.party)
    covered = set()
    for i, b in enumerate(ctx.blocks):
        if b.kind == "blank" or i in covered:
            continue
        from_org = FROM_ORG_RE.match(b.text)
        if (b.page, b.line) in voted:
            covered.add(i)
        elif from_org and b.kind != "label":
            _entries(nlp()(from_org.group("names")), b, "present", "", found, default_org=from_org.group("org"))
            covered.add(i)
        elif b.kind == "row":
            if _label_cells(b, found):
                covered.add(i)
    return covered


def _label_cells(b: Block, found: Found) -> bool:
    """A row like "Sakshandsamar:\tRagnhild Vikøren\tArkiv:\t026": a label cell, then the person."""
    from pipeline.sections import match_label

    hit = False
    for k, cell in enumerate(b.cells[:-1]):
        label = match_label(cell if cell.endswith(":") else cell + ":")
        if label and label[0].category == "attendance" and not label[2]:
            span = _person(nlp()(b.cells[k + 1]))
            if span is not None:
                role = label[0].pattern if label[0].id == "mentioned" or label[0].pattern in _ROLE_LABELS else ""
                found.add(span.text, role, "", label[0].attendance, b)
                hit = True
    return hit


# --------------------------------------------------------------------------- attendance lists


def _attendance_sections(ctx: DocContext, found: Found) -> set[int]:
    covered: set[int] = set()
    blocks = ctx.blocks
    for i, b in enumerate(blocks):
        if not (b.kind == "label" and b.label and b.label.category == "attendance"):
            continue
        attendance = b.label.attendance
        role = b.label.pattern if b.label.id == "mentioned" or b.label.pattern in _ROLE_LABELS else ""
        if b.rest:
            _entries(nlp()(b.rest), b, attendance, role, found)
        header: dict[int, str] | None = None
        j = i + 1
        blank_run = 0
        while j < len(blocks):
            nb = blocks[j]
            if nb.kind == "blank":
                blank_run += 1
                if blank_run > 1 or b.rest:
                    break
                j += 1
                continue
            if nb.kind in ("label", "item") or (nb.kind == "heading" and not _listed(ctx.docs[j])):  # type: ignore[arg-type]
                break
            blank_run = 0
            if nb.kind == "row":
                mapped = _header(nb.cells)
                if mapped:
                    header = mapped
                else:
                    _row(nb, header, attendance, found)
            else:
                doc = ctx.docs[j]
                if doc is None or not _listed(doc):
                    break
                _entries(doc, nb, attendance, role, found)
            covered.add(j)
            j += 1
    return covered


_ROLE_LABELS = {"møteleder", "møteleiar", "ordstyrer", "referent", "sekretær", "protokollfører"}


def _header(cells: tuple[str, ...]) -> dict[int, str] | None:
    mapped = {k: _HEADER_WORDS[c.casefold().strip(" :")] for k, c in enumerate(cells)
              if c.casefold().strip(" :") in _HEADER_WORDS}
    return mapped if len(mapped) >= 2 else None


def _row(b: Block, header: dict[int, str] | None, attendance: str, found: Found) -> None:
    cells = [c for c in b.cells]
    if header:
        fields: dict[str, str] = {}
        for k, c in enumerate(cells):
            key = header.get(k)
            if key:
                fields[key] = (fields.get(key, "") + " " + c).strip()
        name = fields.get("name") or f"{fields.get('first', '')} {fields.get('last', '')}"
        span = _person(nlp()(name.strip()))
        if span is not None:
            _add_entry(found, span.text, fields.get("role", ""), fields.get("org", ""), attendance, " ".join(cells), b)
        return
    doc = nlp()(" ".join(cells[:2]))
    span = _person(doc)
    if span is None:
        return
    used = 2 if len(cells) > 1 and span.end_char > len(cells[0]) else 1
    others = [c for c in cells[used:] if c]
    org = next((c for c in others if not role_re().fullmatch(c.strip())), "")
    role = next((c for c in others if role_re().fullmatch(c.strip())), "")
    _add_entry(found, span.text, role, org, attendance, " ".join(others), b)


def _add_entry(found: Found, name: str, role: str, org: str, attendance: str, context: str, b: Block,
               party: str = "") -> None:
    if _REMOTE_RE.search(context) and attendance == "present":
        attendance = "remote"
    if _ABSENT_RE.search(context):
        attendance = "absent"
    org = re.sub(r"\s*\([^)]*\)\s*", " ", org).strip()
    found.add(name, role, org, attendance, b, party)


def _entries(doc: Doc, b: Block, attendance: str, label_role: str, found: Found, default_org: str = "") -> None:
    """Names in a list line: each name with what follows it up to the next name."""
    text = doc.text
    spans = [(sp.start_char, sp.end_char) for sp in doc.spans.get("persons", [])]
    for m in _ENTRY_BY_SHAPE.finditer(text):
        if not any(s < m.end("name") and m.start("name") < e for s, e in spans):
            spans.append((m.start("name"), m.end("name")))
    spans.sort()
    for k, (start, stop) in enumerate(spans):
        end = spans[k + 1][0] if k + 1 < len(spans) else len(text)
        before = text[spans[k - 1][1] if k else 0:start]
        after = text[stop:end]
        paren = re.match(r"^\s*\(([^)]{1,40})\)", after)
        party = paren.group(1) if paren and not _REMOTE_RE.search(paren.group(1)) else ""
        tail = after[paren.end():] if paren else after
        role = label_role or _role_after(tail) or _role_before(before)
        role, org = _split_role(role, default_org or _org_after(tail))
        status = attendance
        if k and _STOOD_IN_FOR.search(before):
            status, role = "absent", ""  # the member a substitute met for
        elif k + 1 < len(spans) and _STOOD_IN_FOR.search(text[stop + (paren.end() if paren else 0):end]):
            role = role or "varamedlem"
        _add_entry(found, text[start:stop], role, org, status, after, b, party)


def _org_after(text: str) -> str:
    """", Fauske, leder av ..." -> "Fauske": a capitalised phrase right after a name that is not a role."""
    m = re.match(r"^\s*,\s*([A-ZÆØÅ][^,;()]{1,50})", text)
    if m and not role_re().match(m.group(1)) and len(m.group(1).split()) <= 5:
        return m.group(1).strip()
    return ""


def _split_role(role: str, org: str) -> tuple[str, str]:
    """"kommunedirektør i Sirdal" -> ("kommunedirektør", "Sirdal") when no organisation is known yet."""
    m = _ROLE_AT_RE.match(role)
    if m and not org and role_re().fullmatch(m.group("role")):
        return m.group("role"), m.group("org")
    return role, org


# --------------------------------------------------------------------------- mentions


def _signatures_and_roles(ctx: DocContext, found: Found, covered: set[int]) -> None:
    lasts = surnames()
    for i, b in enumerate(ctx.blocks):
        doc = ctx.docs[i]
        if doc is None or i in covered or b.kind == "row":
            continue
        for span in doc.spans.get("persons", []):
            before = doc.text[:span.start_char]
            role = _role_before(before)
            if not role and span.start_char == 0 and span.end_char >= len(doc.text.rstrip(" ,")):
                role = _signature_role(ctx, i)
            if not role:
                role = _role_after(doc.text[span.end_char:])
            if role or span[-1].text in lasts:
                found.add(span.text, role, "", "mentioned", b)


def _signature_rows(ctx: DocContext, found: Found, covered: set[int]) -> set[int]:
    """Signatures side by side: a row of names, with a row of roles under it and a row of
    "For <organisation>" above it (agreements, protocols signed by two)."""
    done = set()
    rows = [i for i, b in enumerate(ctx.blocks) if b.kind == "row" and i not in covered]
    for i in rows:
        cells = [c for c in ctx.blocks[i].cells if c]
        spans = [_person(nlp()(c)) for c in cells]
        if not cells or any(sp is None or len(sp.text) < len(c) - 1 for sp, c in zip(spans, cells)):
            continue
        below = _neighbour_cells(ctx, i, +1, len(cells))
        above = _neighbour_cells(ctx, i, -1, len(cells))
        for k, sp in enumerate(spans):
            role = below[k] if below and role_re().match(below[k]) else ""
            org = re.sub(r"^(?:for|på vegne av)\s+", "", above[k], flags=re.IGNORECASE) if above and re.match(
                r"^(?:for|på vegne av)\s", above[k], re.IGNORECASE) else ""
            found.add(sp.text, role, org, "mentioned", ctx.blocks[i])  # type: ignore[union-attr]
        done.add(i)
    return done


def _neighbour_cells(ctx: DocContext, i: int, step: int, count: int) -> list[str] | None:
    """The non-empty cells of the nearest row above or below (blank lines skipped), if it has ``count`` of them."""
    j = i + step
    while 0 <= j < len(ctx.blocks) and ctx.blocks[j].kind == "blank":
        j += step
    if not (0 <= j < len(ctx.blocks)) or ctx.blocks[j].kind != "row":
        return None
    cells = [c for c in ctx.blocks[j].cells if c]
    return cells if len(cells) == count else None


def _signature_role(ctx: DocContext, i: int) -> str:
    """A line that is only a name, with a role on the next line: a signature."""
    for j, nb in ctx.nonblank(i + 1):
        if j > i + 2:
            return ""
        return nb.text if role_re().match(nb.text) and len(nb.text.split()) <= 6 else ""
    return ""
