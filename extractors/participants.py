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

from spacy.tokens import Doc

from extractors import attendance_words as words
from extractors import participant_tables as tables
from extractors.context import DocContext
from extractors.inline_lists import AGENDA_RE, CONTINUES_RE, HEADER_RE, cues, inline_lists, list_part, read_run
from extractors.lexicons import first_names, surnames
from extractors.nlp import nlp, text_of
from extractors.parties import is_party
from extractors.people import (
    REMOTE_RE,
    ROLE_LABELS,
    Found,
    entries,
    listed,
    org_after,
    role_before,
    role_ending_at,
    role_re,
    split_role,
    surname_first,
)
from extractors.votes import VOTE_LIST_RE
from pipeline.models import ParticipantRow
from pipeline.sections import Block

#: "Fra Agder fylkeskommune: Line Haugstøl, seniorrådgiver" - people from an organisation; with
#: nothing after the colon, the list follows on the next lines.
FROM_ORG_RE = re.compile(r"^(?:fra|frå)\s+(?P<org>[^:]{3,60}?)\s*:\s*(?P<names>.*)$", re.IGNORECASE)
#: A column of a list flattened into lines ("Navn Funksjon Parti Møtte for"): the second person of
#: a line is the member the first met for.
STOOD_IN_COLUMN = words.pattern("stood_in_column")
#: Sentences that say who attended, and how.
SENTENCES = words.patterns("sentence")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ])")


def extract(ctx: DocContext) -> list[ParticipantRow]:
    found = Found(ctx.doc_id)
    covered = inline_lists(ctx, found)
    covered |= _attendance_sections(ctx, found, covered)
    covered |= tables.header_tables(ctx, found, covered)
    covered |= _lists_in_lines(ctx, found, covered)
    covered |= _vote_lists(ctx, found, covered)
    covered |= tables.signature_rows(ctx, found, covered)
    covered |= _sentences(ctx, found, covered)
    _signatures_and_roles(ctx, found, covered)
    return list(found.rows.values())


# --------------------------------------------------------------------------- attendance lists


def _section_start(b: Block) -> tuple[str, str, str] | None:
    """(attendance, role, organisation) when the block starts an attendance list."""
    if b.kind == "label" and b.label and b.label.category == "attendance":
        heading = b.text[:len(b.text) - len(b.rest)] if b.rest else b.raw  # "Til stede på Teams:", not an entry's "(Teams)"
        attendance = "remote" if b.label.attendance == "present" and REMOTE_RE.search(heading) else b.label.attendance
        role = b.label.pattern if b.label.id == "mentioned" or b.label.pattern in ROLE_LABELS else ""
        return attendance, role, ""
    from_org = FROM_ORG_RE.match(b.raw.strip()) if b.kind in ("heading", "para") and b.raw.rstrip().endswith(":") \
        else None
    if from_org and not from_org.group("names"):
        return "present", "", from_org.group("org")
    return None


def _attendance_sections(ctx: DocContext, found: Found, read: set[int]) -> set[int]:
    covered: set[int] = set()
    blocks = ctx.blocks
    for i, b in enumerate(blocks):
        start = _section_start(b) if i not in read else None
        if start is None:
            continue
        attendance, role, org = start
        run = _prose_run(ctx, i) if not b.rest else []
        if run:
            text = " ".join(blocks[j].text for j in run)
            if read_run(text, cues(text), attendance, role, b, found)[0]:
                covered.update(run)
                continue
        rest = b.rest[:m.start()] if b.rest and (m := AGENDA_RE.search(b.rest)) else b.rest  # the list ends at a case
        rest = list_part(rest)  # ... or where running text begins
        whole = rest == b.rest  # with running text after the list, its mentions are read later
        if rest and _flattened(rest, ctx.docs[i]):
            still_open = read_run(rest, cues(rest), attendance, role, b, found)[1]
            covered.update([i] if whole else [])
            nxt = next(ctx.nonblank(i + 1), None)
            if still_open and nxt and nxt[0] <= i + 2 and nxt[1].kind == "para" and CONTINUES_RE.match(nxt[1].text):
                read_run(nxt[1].text, cues(nxt[1].text), still_open, role, nxt[1], found)  # the list runs on
                covered.add(nxt[0])
        elif rest:
            entries(nlp()(rest), b, attendance, role, found, org)
            covered.update([i] if whole else [])
        columns: dict[int, str] | None = None
        j, blank_run, stood_in = i + 1, 0, False
        while j < len(blocks):
            nb = blocks[j]
            if nb.kind == "blank":
                blank_run += 1
                if blank_run > 1 or b.rest:
                    break
                j += 1
                continue
            kind = _list_line(nb.text, ctx.docs[j]) if nb.kind in ("heading", "para") else ""
            if kind:  # a column heading or cell of a table written one cell a line, or a group's organisation
                org = nb.text.strip() if kind == "org" and not start[2] else org
                covered.add(j)
                j, blank_run = j + 1, 0
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
                stood_in = stood_in or bool(STOOD_IN_COLUMN.search(nb.text))
                for sp in list(doc.spans.get("persons", []))[1:] if stood_in else []:
                    found.add(sp.text, "", "", "absent", nb)  # "Ola Brekke varamedlem AP Kari Vik": met for her
            covered.add(j)
            j += 1
    return covered


#: "Sak 28 og 29/14 (kl 10-12):", "Fra sak 30/14": who was there for which cases.
_CASES_RE = re.compile(r"^(?:fra |frå |til |under |i )?(?:sak|sakene|kl\.?)\s*\d", re.IGNORECASE)


def _prose_run(ctx: DocContext, i: int) -> list[int]:
    """The lines after an attendance label when they are running text with headings inside
    ("Eide kommune: Ola Tangen, Kari Lund. Nesset kommune: ..."), broken anywhere, even inside a name."""
    run: list[int] = []
    for j, nb in ctx.nonblank(i + 1):
        if j > (run[-1] if run else i) + 2 or nb.kind not in ("para", "heading"):
            break
        if nb.kind == "heading" and not _CASES_RE.match(nb.text) and not listed(ctx.docs[j]):  # type: ignore[arg-type]
            break
        run.append(j)
    text = " ".join(ctx.blocks[j].text for j in run)
    long_lines = sum(len(ctx.blocks[j].text) >= 60 for j in run)
    return run if long_lines >= 2 and len(cues(text)) >= 2 else []


def _flattened(rest: str, doc: Doc | None) -> bool:
    """A list after a label that is a flattened table: column headings ("Navn Funksjon Repr"), or
    several names with no commas or brackets between them ("Kari Lund Medlem AP Nils Berg Leder H")."""
    if HEADER_RE.search(rest):
        return True
    return doc is not None and len(doc.spans.get("persons", [])) >= 2 and not re.search(r"[,;()]", rest)


def _list_line(text: str, doc: Doc | None) -> str:
    """"cell" for a line of a table written one cell a line ("Navn", "Medlem", "AP-V"), "org" for a
    short line naming the organisation of the people below it ("Frøya", "Fylkesmannen"), else ""."""
    text = text.strip()
    if not text or doc is None or listed(doc):
        return ""
    if text.casefold() in tables.HEADER_WORDS or role_re().fullmatch(text) or is_party(text):
        return "cell"
    words = text.split()
    if len(words) <= 3 and not re.search(r"[\d:;.,!?]", text) and words[0][0].isupper() \
            and all(w[0].isupper() or w in ("og", "i") for w in words):
        return "org"
    return ""


def _lists_in_lines(ctx: DocContext, found: Found, read: set[int]) -> set[int]:
    """People in vote lists (they were there), "Fra <organisation>: names" lines, and label cells
    in table rows ("Saksbehandler:\\tKari Nordmann")."""
    voted = {(v.page, v.line) for v in ctx.votes}
    for v in ctx.votes:
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
        elif b.kind == "row" and i not in read and tables.label_cells(b, found):
            covered.add(i)
    return covered


def _vote_lists(ctx: DocContext, found: Found, covered: set[int]) -> set[int]:
    """A named vote list that runs on over the next lines ("For forslaget stemte 34: Kari Lund (AP),"
    then "Nils Berg (H), Anne-Lise Bratt" then "Holmøy (AP) ..."): everyone in it was there."""
    done: set[int] = set()
    for i, b in enumerate(ctx.blocks):
        if b.kind not in ("para", "heading") or not VOTE_LIST_RE.match(b.text.strip()) or b.text.rstrip().endswith("."):
            continue
        parts, j = [b.text.split(":", 1)[1]], i + 1
        while j < len(ctx.blocks) and ctx.blocks[j].kind in ("para", "heading") and j not in covered and len(parts) < 40:
            parts.append(ctx.blocks[j].text)
            done.add(j)
            if ctx.blocks[j].text.rstrip().endswith("."):
                break
            j += 1
        if len(parts) > 1:
            entries(nlp()(" ".join(parts)), b, "present", "", found)
            done.add(i)
    return done


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
    firsts, lasts = first_names(), surnames()
    for i, b in enumerate(ctx.blocks):
        doc = ctx.docs[i]
        if doc is None or i in covered or b.kind == "row":
            continue
        text = text_of(doc)
        spans = list(doc.spans.get("persons", []))
        # a signature written surname first is the whole line, one name of two to four words, a
        # first name second ("Moe Øystein", "Haugland, Arne")
        words = text.split(None, 4)
        backwards = surname_first(text.strip()) if not spans and 2 <= len(words) <= 4 and words[1] in firsts else []
        if backwards and backwards[0] == (0, len(text.strip())) and _signature_role(ctx, i):
            found.add(text.strip(), _signature_role(ctx, i), "", "mentioned", b)  # "Moe Øystein" over "leder"
        for k, span in enumerate(spans):
            # what stands up to the next name, and no further: a line may hold thousands of names
            after = text[span.end_char:min(spans[k + 1].start_char if k + 1 < len(spans) else len(text),
                                           span.end_char + 160)]
            before = text[max(0, span.start_char - 160):span.start_char]
            adjacent = role_ending_at(before, len(before.rstrip()))
            # "ordfører Kari Lund": the role right before; else the one after ("Kari Lund, ordfører
            # Ringerike", "Kari Lund Ordfører Andøy kommune"), as one further back belongs to the name before
            role, org = ("", "") if adjacent else _role_after(after)
            if not role:
                role = role_before(before)
                org = org_after(after)
            if not role and span.start_char == 0 and span.end_char >= len(text.rstrip(" ,")):
                role = _signature_role(ctx, i)
            if role or span[-1].text in lasts:
                role, org = split_role(role, org)
                found.add(span.text, role, org, "mentioned", b)


def _role_after(after: str) -> tuple[str, str]:
    """The role and organisation written right after a name, up to a comma or bracket."""
    chunk = re.split(r"[,;()]|\.(?:\s|$)", after.lstrip(" ,–-"), maxsplit=1)[0].strip()
    if not chunk or not role_re().match(chunk):
        return "", ""
    return split_role(chunk, "") if len(chunk.split()) <= 8 else (chunk, "")


def _signature_role(ctx: DocContext, i: int) -> str:
    """A line that is only a name, with a role on the next line: a signature."""
    for j, nb in ctx.nonblank(i + 1):
        if j > i + 2:
            return ""
        return nb.text if role_re().match(nb.text) and len(nb.text.split()) <= 6 else ""
    return ""


