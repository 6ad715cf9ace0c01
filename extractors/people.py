"""What the participant extractors share: roles, list entries, and the record of people found.

Names are recognised by ``extractors.nlp.person_spans`` (a known first name followed by name
parts) or, inside attendance lists, by their shape (capitalised words before a party in
brackets): never by knowing the people.
"""
from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import replace
from functools import cache

from spacy.tokens import Doc, Span

from extractors.lexicons import read_jsonl
from extractors.nlp import tail, text_of
from pipeline.models import ParticipantRow
from pipeline.sections import Block

REMOTE_RE = re.compile(r"\b(?:deltok|møtte|til stede)?\s*(?:på|via|over)\s+(?:teams|zoom|skype|video|nett)\b|\bdigitalt\b|"
                       r"\bfjernmøte\b|\bvideolink\b|\(\s*(?:teams|zoom|skype|video|digital)\s*\)|\balle på teams\b",
                       re.IGNORECASE)
ABSENT_RE = re.compile(r"\(\s*forfall\s*\)|\bmeldt forfall\b|\bhadde forfall\b", re.IGNORECASE)
#: "Per Olsen (H) for Kari Hansen (H)", "..., møtte for ordfører Ole Dahl": the second person was
#: stood in for, so absent.
STOOD_IN_FOR = re.compile(r"(?:^|\s)(?:møtte for|møtte i staden for|for|i staden for|i stedet for|istedenfor)"
                          r"(?:\s+[a-zæøå.-]+){0,2}\s*$", re.IGNORECASE)
#: A list entry that is a person by its shape even when the first name is not in the name list:
#: two to four capitalised words followed by a party in brackets ("Aslak Rønnevik (Sp)").
ENTRY_BY_SHAPE = re.compile(r"(?:^|(?<=[,;:•]\s)|(?<=^\s))(?P<name>[A-ZÆØÅ][\wæøå'-]+(?:\s+[A-ZÆØÅ][\wæøå'-]+){1,3})"
                            r"\s*\((?P<party>[A-Za-zÆØÅæøå]{1,6})\)")
#: "kommunedirektør i Sirdal", "ordfører Beiarn": a role with the organisation after it.
ROLE_AT_RE = re.compile(r"^(?P<role>.+?)\s+(?:(?:i|for|ved|på|fra|frå)\s+)?(?P<org>[A-ZÆØÅ][\wæøåÆØÅ .-]+)$")
#: "Harstad: ordfører Kari Dahl" - an organisation before the colon of a list line.
ORG_BEFORE_RE = re.compile(r"^\s*(?P<org>[A-ZÆØÅ][\wæøåÆØÅ .-]{1,50}?)\s*:\s*$")
#: Attendance labels that are also the role of the person named after them.
ROLE_LABELS = frozenset({"møteleder", "møteleiar", "ordstyrer", "referent", "sekretær", "protokollfører"})
_RANK = {"present": 3, "remote": 3, "absent": 3, "mentioned": 1}


@cache
def role_re() -> re.Pattern[str]:
    phrases = sorted((r["pattern"] for r in read_jsonl("extractors.resources", "roles.jsonl")), key=len, reverse=True)
    alt = "|".join(re.escape(p).replace(r"\ ", r"\s*") for p in phrases)
    return re.compile(rf"(?<![\w.])(?:{alt})(?![\wæøå])", re.IGNORECASE)


def role_before(text: str, end: int | None = None) -> str:
    """The role written right before a name (at ``end``, default the end of ``text``): from the last
    role word on ("Fylkesråd for distrikt og fylkesveier", "spesialrådgiver"), at most eight words back."""
    words = tail(text, len(text) if end is None else end, 8).split()
    tail_text = " ".join(words)
    matches = list(role_re().finditer(tail_text))
    if not matches:
        return ""
    role = tail_text[matches[-1].start():].strip(" ,:–-")
    role = re.split(r"\s+(?:og|ved|med|,)\s*$", role)[0]
    return role if len(role.split()) <= 8 and not re.search(r"[.;:]\s", role) else ""


def role_after(text: str) -> str:
    m = re.match(r"^\s*[,–-]\s*([^,;()]+)", text)
    if m and role_re().match(m.group(1).strip()):
        return m.group(1).strip()
    return ""


def org_after(text: str) -> str:
    """", Fauske, leder av ..." or " fra Vestvågøy" -> the organisation right after a name."""
    m = re.match(r"^\s*(?:,\s*|(?:fra|frå)\s+)([A-ZÆØÅ][^,;()]{1,50})", text)
    if m and not role_re().match(m.group(1)) and len(m.group(1).split()) <= 5:
        return re.split(r"\s+(?:og|deltok|møtte|hadde)\b", m.group(1))[0].strip()
    return ""


def split_role(role: str, org: str) -> tuple[str, str]:
    """"kommunedirektør i Sirdal" -> ("kommunedirektør", "Sirdal") when no organisation is known yet."""
    m = ROLE_AT_RE.match(role)
    if m and not org and role_re().fullmatch(m.group("role")):
        return m.group("role"), m.group("org")
    return role, org


def listed(doc: Doc) -> bool:
    """A line of an attendance list: it names a person, by the name lists or by its shape."""
    return bool(doc.spans.get("persons")) or bool(ENTRY_BY_SHAPE.search(text_of(doc)))


def person(doc: Doc) -> Span | None:
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

    def entry(self, name: str, role: str, org: str, attendance: str, context: str, block: Block,
              party: str = "") -> None:
        """Record a list entry; what the entry says of itself ("(Teams)", "(forfall)") decides."""
        if REMOTE_RE.search(context) and attendance == "present":
            attendance = "remote"
        if ABSENT_RE.search(context):
            attendance = "absent"
        self.add(name, role, re.sub(r"\s*\([^)]*\)\s*", " ", org).strip(), attendance, block, party)


def entries(doc: Doc, b: Block, attendance: str, label_role: str, found: Found, default_org: str = "") -> None:
    """Names in a list line: each name with what follows it up to the next name."""
    text = text_of(doc)
    persons = sorted((sp.start_char, sp.end_char) for sp in doc.spans.get("persons", []))
    spans = list(persons)
    ends = list(itertools.accumulate((e for _, e in persons), max))  # the furthest end up to each span
    for m in ENTRY_BY_SHAPE.finditer(text):
        k = bisect.bisect_left(persons, (m.end("name"),))  # persons that start before the match ends
        if not (k and ends[k - 1] > m.start("name")):  # none of them reaches into it
            spans.append((m.start("name"), m.end("name")))
    spans.sort()
    for k, (start, stop) in enumerate(spans):
        end = spans[k + 1][0] if k + 1 < len(spans) else len(text)
        before = text[spans[k - 1][1] if k else 0:start]
        after = text[stop:end]
        paren = re.match(r"^\s*\(([^)]{1,40})\)", after)
        party = paren.group(1) if paren and not REMOTE_RE.search(paren.group(1)) else ""
        tail = after[paren.end():] if paren else after
        head_org = ORG_BEFORE_RE.match(role_re().sub("", before)) if k == 0 else None
        role = label_role or role_after(tail) or role_before(before)
        role, org = split_role(role, default_org or (head_org.group("org") if head_org else "") or org_after(tail))
        status = attendance
        if k and STOOD_IN_FOR.search(before):
            status, role = "absent", ""  # the member a substitute met for
        elif k + 1 < len(spans) and STOOD_IN_FOR.search(text[stop + (paren.end() if paren else 0):end]):
            role = role or "varamedlem"
        found.entry(text[start:stop], role, org, status, after, b, party)
