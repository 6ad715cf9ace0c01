"""Participants: people from attendance lists and tables, vote lists, sentences that say who
attended, signatures, and people named with a role.

* Attendance sections (``Til stede:``, ``Deltakere:``, ``Forfall:``, ``Møtende varamedlemmer:``,
  "Fra <organisation>:" ...; ``pipeline/resources/labels.jsonl``) give ``present``/``absent``;
  an entry or a heading that says Teams or digital gives ``remote``. Entries are table rows
  (``extractors.participant_tables``) or list lines such as ``Kari Nordmann (Ap), leder``.
* Sentences in prose: "Til stede var ordfører Kari Dahl fra Vang, ...", "... deltok på Teams",
  "... hadde meldt forfall", "Fra Nordland fylkeskommune møtte rådgiver Ola Lind".
* People in named votes were there (``present``, party as organisation when none is known).
* A signature (a line that is only a name, with a role on the next line) and a name after a role
  word (``fylkesdirektør Kari Nordmann``; ``resources/roles.jsonl``) are ``mentioned``; other names
  in running text only when the first name and the surname are both in Statistics Norway's lists.
"""
from __future__ import annotations

import re

from extractors import participant_tables as tables
from extractors.context import DocContext
from extractors.lexicons import surnames
from extractors.nlp import nlp, text_of
from extractors.people import REMOTE_RE, ROLE_LABELS, Found, entries, listed, role_after, role_before, role_re
from pipeline.models import ParticipantRow
from pipeline.sections import Block

#: "Fra Agder fylkeskommune: Line Haugstøl, seniorrådgiver" - people from an organisation; with
#: nothing after the colon, the list follows on the next lines.
FROM_ORG_RE = re.compile(r"^(?:fra|frå)\s+(?P<org>[^:]{3,60}?)\s*:\s*(?P<names>.*)$", re.IGNORECASE)
#: Sentences that say who attended, and how.
SENTENCES = (
    ("absent", re.compile(r"\b(?:meldt forfall|hadde forfall|har forfall|meldte forfall|var fraværende|"
                          r"hadde fråvær|ikke til stede|ikkje til stades)\b", re.IGNORECASE)),
    ("remote", re.compile(r"\b(?:deltok|møtte|var med)\s+(?:på|via|over)\s+(?:teams|zoom|video|skype)\b|"
                          r"\bdeltok digitalt\b|\bmøtte digitalt\b", re.IGNORECASE)),
    ("present", re.compile(r"^\s*(?:til stede|tilstede|til stades)\s+(?:var|vart|på møtet var)\b|"
                           r"^\s*(?:møtende|frammøtte|fremmøtte)\s+var\b|\b(?:møtte|deltok)\s+(?:også|òg|dessuten)?\s*"
                           r"(?:rådgiver|ordfører|[a-zæøå]*leder|[a-zæøå]*direktør)?", re.IGNORECASE)),
)
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ])")


def extract(ctx: DocContext) -> list[ParticipantRow]:
    found = Found(ctx.doc_id)
    covered = _attendance_sections(ctx, found)
    covered |= tables.header_tables(ctx, found, covered)
    covered |= _lists_in_lines(ctx, found)
    covered |= tables.signature_rows(ctx, found, covered)
    covered |= _sentences(ctx, found, covered)
    _signatures_and_roles(ctx, found, covered)
    return list(found.rows.values())


# --------------------------------------------------------------------------- attendance lists


def _section_start(b: Block) -> tuple[str, str, str] | None:
    """(attendance, role, organisation) when the block starts an attendance list."""
    if b.kind == "label" and b.label and b.label.category == "attendance":
        attendance = "remote" if b.label.attendance == "present" and REMOTE_RE.search(b.raw) else b.label.attendance
        role = b.label.pattern if b.label.id == "mentioned" or b.label.pattern in ROLE_LABELS else ""
        return attendance, role, ""
    from_org = FROM_ORG_RE.match(b.raw.strip()) if b.kind in ("heading", "para") and b.raw.rstrip().endswith(":") \
        else None
    if from_org and not from_org.group("names"):
        return "present", "", from_org.group("org")
    return None


def _attendance_sections(ctx: DocContext, found: Found) -> set[int]:
    covered: set[int] = set()
    blocks = ctx.blocks
    for i, b in enumerate(blocks):
        start = _section_start(b)
        if start is None:
            continue
        attendance, role, org = start
        if b.rest:
            entries(nlp()(b.rest), b, attendance, role, found, org)
        columns: dict[int, str] | None = None
        j, blank_run = i + 1, 0
        while j < len(blocks):
            nb = blocks[j]
            if nb.kind == "blank":
                blank_run += 1
                if blank_run > 1 or b.rest:
                    break
                j += 1
                continue
            if nb.kind in ("label", "item") or (nb.kind == "heading" and not listed(ctx.docs[j])):  # type: ignore[arg-type]
                break
            blank_run = 0
            if nb.kind == "row":
                mapped = tables.header(nb.cells)
                if mapped:
                    columns = mapped
                else:
                    tables.row(nb, columns, attendance, found)
            else:
                doc = ctx.docs[j]
                if doc is None or not listed(doc):
                    break
                entries(doc, nb, attendance, role, found, org)
            covered.add(j)
            j += 1
    return covered


def _lists_in_lines(ctx: DocContext, found: Found) -> set[int]:
    """People in vote lists (they were there), "Fra <organisation>: names" lines, and label cells
    in table rows ("Saksbehandler:\\tKari Nordmann")."""
    voted = {(v.page, v.line) for v in ctx.found.get("votes", [])}
    for v in ctx.found.get("votes", []):
        found.add(v.name, "", "", "present", Block("para", "", v.page, v.line), v.party)
    covered = set()
    for i, b in enumerate(ctx.blocks):
        if b.kind == "blank":
            continue
        from_org = FROM_ORG_RE.match(b.text)
        if (b.page, b.line) in voted:
            covered.add(i)
        elif from_org and from_org.group("names") and b.kind != "label":
            entries(nlp()(from_org.group("names")), b, "present", "", found, default_org=from_org.group("org"))
            covered.add(i)
        elif b.kind == "row" and tables.label_cells(b, found):
            covered.add(i)
    return covered


def _sentences(ctx: DocContext, found: Found, covered: set[int]) -> set[int]:
    """Prose that says who attended: each sentence's names get the attendance it states."""
    done = set()
    for i, b in enumerate(ctx.blocks):
        doc = ctx.docs[i]
        if doc is None or i in covered or b.kind not in ("para", "bullet") or not doc.spans.get("persons"):
            continue
        offset, text = 0, text_of(doc)
        for sentence in _SENTENCE_SPLIT.split(text):
            start = text.index(sentence, offset)
            offset = start + len(sentence)
            attendance = next((name for name, pattern in SENTENCES if pattern.search(sentence)), None)
            if attendance is None:
                continue
            org = re.match(r"^\s*(?:fra|frå)\s+([^,]{3,50}?)\s+(?:møtte|deltok)\b", sentence, re.IGNORECASE)
            sub = nlp()(sentence)
            entries(sub, b, attendance, "", found, org.group(1) if org else "")
            done.add(i)
    return done


# --------------------------------------------------------------------------- mentions


def _signatures_and_roles(ctx: DocContext, found: Found, covered: set[int]) -> None:
    lasts = surnames()
    for i, b in enumerate(ctx.blocks):
        doc = ctx.docs[i]
        if doc is None or i in covered or b.kind == "row":
            continue
        text = text_of(doc)
        for span in doc.spans.get("persons", []):
            role = role_before(text, span.start_char)
            if not role and span.start_char == 0 and span.end_char >= len(text.rstrip(" ,")):
                role = _signature_role(ctx, i)
            if not role:
                role = role_after(text[span.end_char:])
            if role or span[-1].text in lasts:
                found.add(span.text, role, "", "mentioned", b)


def _signature_role(ctx: DocContext, i: int) -> str:
    """A line that is only a name, with a role on the next line: a signature."""
    for j, nb in ctx.nonblank(i + 1):
        if j > i + 2:
            return ""
        return nb.text if role_re().match(nb.text) and len(nb.text.split()) <= 6 else ""
    return ""


