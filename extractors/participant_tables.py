"""People in tables: attendance tables (with or without a header row naming the columns), label
cells ("Saksbehandler:" then the name), and signatures side by side."""
from __future__ import annotations

import re

from spacy.tokens import Span

from extractors import attendance_words as words
from extractors.context import DocContext
from extractors.nlp import may_hold_names, nlp
from extractors.people import ROLE_LABELS, Found, person, role_re, surname_first
from pipeline.sections import Block, match_label

#: Column headings and what their cells hold. "person:<role>" columns hold a person with that role
#: ("Kommune | Ordførar | Kommunedirektør").
HEADER_WORDS = words.table_columns()
_STATUS = words.patterns("status_cell")


def _person(text: str) -> Span | None:
    """The first name in ``text``; a text without a known first name is not read by the pipeline."""
    return person(nlp()(text)) if may_hold_names(text) else None


def header(cells: tuple[str, ...]) -> dict[int, str] | None:
    """Column index -> what the column holds, for a header row that names a person column."""
    mapped = {k: HEADER_WORDS[c.casefold().strip(" :")] for k, c in enumerate(cells)
              if c.casefold().strip(" :") in HEADER_WORDS}
    people = {"name", "first"} & set(mapped.values()) or any(v.startswith("person:") for v in mapped.values())
    return mapped if len(mapped) >= 2 and people else None


def _status(text: str, default: str) -> str:
    return next((name for name, pattern in _STATUS if pattern.search(text)), default) if text else default


def row(b: Block, columns: dict[int, str] | None, attendance: str, found: Found) -> None:
    """One table row of an attendance list."""
    cells = list(b.cells)
    if columns:
        fields: dict[str, str] = {}
        for k, c in enumerate(cells):
            key = columns.get(k)
            if key and c:
                fields[key] = (fields.get(key, "") + " " + c).strip()
        status = _status(fields.get("status", ""), attendance)
        name = (fields.get("name") or f"{fields.get('first', '')} {fields.get('last', '')}").strip()
        span = _person(name)
        backwards = surname_first(name)  # "Moe Øystein"
        member = name[backwards[0][0]:backwards[0][1]] if backwards else span.text if span is not None else ""
        org = fields.get("org", "")
        if member:
            found.entry(member, fields.get("role", ""), org, status, " ".join(cells), b, fields.get("party", ""))
        vara = _person(fields.get("vara", ""))
        if vara is not None:
            found.add(vara.text, "varamedlem", org, "present", b, "")
        stood_in_for = _person(fields.get("for", ""))  # "Vara for" / "Møtte for": that member was absent
        if stood_in_for is not None:
            found.add(stood_in_for.text, "", "", "absent", b, "")
        for key, value in fields.items():
            who = _person(value) if key.startswith("person:") else None
            if who is not None:
                found.entry(who.text, key.split(":", 1)[1], org, attendance, value, b)
        return
    span = _person(" ".join(cells[:2]))
    backwards = surname_first(cells[0].strip()) if cells and span is None else []
    if span is None and not (backwards and backwards[0] == (0, len(cells[0].strip()))):
        return
    named = span.text if span is not None else cells[0].strip()  # "Moe Øystein | Leder | NAAP"
    used = 2 if len(cells) > 1 and span is not None and span.end_char > len(cells[0]) else 1
    others = [c for c in cells[used:] if c]
    org = next((c for c in others if not role_re().fullmatch(c.strip())), "")
    role = next((c for c in others if role_re().fullmatch(c.strip())), "")
    found.entry(named, role, org, attendance, " ".join(others), b)


def header_tables(ctx: DocContext, found: Found, covered: set[int]) -> set[int]:
    """Attendance tables found by their header row alone ("Medlem | Parti | Møtt/Forfall | Vara")."""
    done: set[int] = set()
    for i, b in enumerate(ctx.blocks):
        if b.kind != "row" or i in covered or i in done:
            continue
        columns = header(b.cells)
        if columns is None:
            continue
        done.add(i)
        j = i + 1
        while j < len(ctx.blocks) and ctx.blocks[j].kind == "row":
            row(ctx.blocks[j], columns, "present", found)
            done.add(j)
            j += 1
    return done


def label_cells(b: Block, found: Found) -> bool:
    """A row like "Sakshandsamar:\\tRagnhild Vikøren\\tArkiv:\\t026": a label cell, then the person."""
    hit = False
    for k, cell in enumerate(b.cells[:-1]):
        label = match_label(cell if cell.endswith(":") else cell + ":")
        if label and label[0].category == "attendance" and not label[2]:
            span = _person(b.cells[k + 1])
            if span is not None:
                role = label[0].pattern if label[0].id == "mentioned" or label[0].pattern in ROLE_LABELS else ""
                found.add(span.text, role, "", label[0].attendance, b)
                hit = True
    return hit


def signature_rows(ctx: DocContext, found: Found, covered: set[int]) -> set[int]:
    """Signatures side by side: a row of names, with a row of roles under it and a row of
    "For <organisation>" above it (agreements, protocols signed by two)."""
    done = set()
    for i, b in enumerate(ctx.blocks):
        if b.kind != "row" or i in covered:
            continue
        cells = [c for c in b.cells if c]
        spans = [_person(c) for c in cells]
        if not cells or any(sp is None or len(sp.text) < len(c) - 1 for sp, c in zip(spans, cells)):
            continue
        below = _neighbour_cells(ctx, i, +1, len(cells))
        above = _neighbour_cells(ctx, i, -1, len(cells))
        for k, sp in enumerate(spans):
            role = below[k] if below and role_re().match(below[k]) else ""
            org = re.sub(r"^(?:for|på vegne av)\s+", "", above[k], flags=re.IGNORECASE) if above and re.match(
                r"^(?:for|på vegne av)\s", above[k], re.IGNORECASE) else ""
            found.add(sp.text, role, org, "mentioned", b)  # type: ignore[union-attr]
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


