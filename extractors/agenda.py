"""Agenda items: numbered item headings (``4. Handlingsplan``, ``Sak 06/2021 ...``, ``PS 12/24 ...``,
``015/12 ...``, ``3-24 ...``).

Only documents that hold meetings have an agenda: minutes and protocols always; other documents
(a notice, a web page) when they have at least two items written with a case number or prefix,
or a numbered list that a line announces as the agenda ("Åtte saker på sakskartet:"). An item
listed twice (a saksliste first, the items themselves later) is reported once, with the fuller
of its titles, and its section starts at the last occurrence.
"""
from __future__ import annotations

from dataclasses import replace

from extractors.context import DocContext, Section
from pipeline.cases import agenda_intro_re, treatment_case_re
from pipeline.models import AgendaItemRow


def _candidates(ctx: DocContext) -> list[int]:
    items = [i for i, b in enumerate(ctx.blocks) if b.kind == "item"]
    if ctx.doc_type not in ("minutes", "protocol"):
        prefixed = [i for i in items if _cased(ctx.blocks[i].number) or not ctx.blocks[i].raw.lstrip()[:1].isdigit()]
        return prefixed if len(prefixed) >= 2 else _introduced(ctx, items)
    simple = [i for i in items if not _cased(ctx.blocks[i].number)]
    if simple and len(simple) < len(items):
        items = [i for i in items if _cased(ctx.blocks[i].number)] or simple
    elif simple and _one_case_treated(ctx, simple[0]):
        return []
    return _in_sequence(ctx, items)


#: Lines of a document's head where a saksprotokoll names the case whose treatment it records.
TREATED_HEAD = 5


def _one_case_treated(ctx: DocContext, first: int) -> bool:
    """The record of one case's treatment (a saksprotokoll opening with "Formannskapets behandling
    av sak 24/2026 i møte ..."), named in its head before the first plain-numbered line: that line
    and the ones after it are points of the case's texts (a proposal's numbered parts), not an
    agenda. A case named further down (minutes that refer to an earlier treatment) does not count."""
    head = [b for _, (i, b) in zip(range(TREATED_HEAD), ctx.nonblank()) if i < first]
    named = {next(g for g in m.groups() if g) for b in head if (m := treatment_case_re().search(b.text))}
    return len(named) == 1


def _cased(number: str) -> bool:
    """A case number with its year ("12/24", "3-24"), not a plain list number."""
    return "/" in number or "-" in number


def _introduced(ctx: DocContext, items: list[int]) -> list[int]:
    """A numbered list that a line announces as the agenda ("Åtte saker på sakskartet:", "Saksliste"),
    on a notice or a web page: 1, 2, 3 ... from the first item after the announcement."""
    out: list[int] = []
    for i in items:
        number = ctx.blocks[i].number
        if not number.isdigit():
            continue
        if out and int(number) == int(ctx.blocks[out[-1]].number) + 1:
            out.append(i)
        elif not out and number == "1" and _announced(ctx, i):
            out.append(i)
    return out if len(out) >= 2 else []


def _announced(ctx: DocContext, i: int) -> bool:
    before = [b for _, b in zip(range(3), (ctx.blocks[j] for j in range(i - 1, -1, -1) if ctx.blocks[j].kind != "blank"))]
    return any(agenda_intro_re().search(b.text) for b in before[:2])


def _in_sequence(ctx: DocContext, items: list[int]) -> list[int]:
    """Plain numbers must run upwards (restarting is allowed once, for a sakliste followed by the items)."""
    out: list[int] = []
    last = 0
    for i in items:
        number = ctx.blocks[i].number
        if _cased(number) or not number.isdigit():  # "12/24", "3-24", or a series number such as "OS 1"
            out.append(i)
            continue
        value = int(number)
        if value == last + 1 or (value == 1 and out) or (not out and value <= 3):
            out.append(i)
            last = value
    return out


def sections(ctx: DocContext) -> list[Section]:
    """One section per distinct item number, starting at its last occurrence."""
    starts = _candidates(ctx)
    last: dict[str, int] = {}
    for i in starts:
        last[ctx.blocks[i].number] = i
    ordered = sorted(last.values())
    out = []
    for k, i in enumerate(ordered):
        end = ordered[k + 1] if k + 1 < len(ordered) else len(ctx.blocks)
        out.append(Section(ctx.blocks[i].number, i, end))
    return out


def section_of(ctx: DocContext, index: int) -> Section | None:
    for section in ctx.sections:
        if section.start <= index < section.end:
            return section
    return None


def extract(ctx: DocContext) -> list[AgendaItemRow]:
    ctx.sections = sections(ctx)
    rows: dict[str, AgendaItemRow] = {}
    for i in _candidates(ctx):
        b = ctx.blocks[i]
        row = rows.get(b.number)
        if row is None or _completes(row.title, b.text):
            rows[b.number] = AgendaItemRow(ctx.doc_id, b.number, b.text, b.page, b.line) if row is None else \
                replace(row, title=b.text)
    return list(rows.values())


def _completes(title: str, other: str) -> bool:
    """A later occurrence of an item completes a title that a line break cut short in the saksliste.

    >>> _completes("Interkommunal", "Interkommunal PP-teneste"), _completes("Budsjett 2025", "Budsjett")
    (True, False)
    """
    return len(other) > len(title) and other.startswith(title + " ")
