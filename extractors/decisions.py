"""Decisions: labelled blocks (``Vedtak:``, ``Forslag til vedtak``, ``Innstilling``, ``Konklusjon:``),
quoted decisions of earlier meetings (``... med slikt vedtak:``), and in minutes the short
unlabelled conclusion under an agenda item (``Godkjennes.``).

A decision's text is all of what follows its label up to what follows a decision (see
:func:`collect`). The vocabulary is data: labels in ``pipeline/resources/labels.jsonl``, the
phrases of quotes, proposals, outcome lines and the meeting's record in ``decisions.jsonl``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import takewhile

from extractors.agenda import section_of
from extractors.context import DocContext
from extractors.lexicons import first_names
from extractors.line_end import line_end, line_end_fits
from extractors.outcomes import add_outcomes
from extractors.votes import VOTE_LIST_RE
from pipeline import rules
from pipeline.cases import prefix_pattern, starts_with_case, treatment_case_re
from pipeline.models import DecisionRow
from pipeline.record import decision_sentence, follows_decision, is_narrative, records_meeting, sentences
from pipeline.sections import Block, decision_phrase_re, starts_section

_QUOTE_INTROS = rules.patterns("decisions.jsonl", "quote_intro")
_QUOTE_RE = re.compile("|".join(_QUOTE_INTROS), re.IGNORECASE)
#: "Olav Hansen (Sp) fremmet følgende alternative forslag:" - a proposal made in the meeting.
_PROPOSAL_INTROS = rules.patterns("decisions.jsonl", "proposal_intro")
_PROPOSAL_RE = re.compile("|".join(_PROPOSAL_INTROS), re.IGNORECASE)
_CASE_NO_RE = re.compile(rf"\b(?:{prefix_pattern()})\s*:?\s*(\d{{1,4}}/\d{{2,4}})", re.IGNORECASE)
_DATE_LINE_RE = re.compile(r"^[\w\s,.]*\d{1,2}\.\s?(?:\d{1,2}\.|\w+)\s?\d{2,4}\s*$")
_CONTENT = ("para", "numbered", "bullet", "heading", "row")
#: A vote outcome after the decision text is not part of it ("Enstemmig vedtatt.", "Vedtatt mot 2 stemmer").
_OUTCOME_RE = re.compile("|".join(f"^(?:{p})" for p in rules.patterns("decisions.jsonl", "outcome_line")), re.IGNORECASE)
_LIST = ("numbered", "bullet")
_MAX_UNLABELLED = 300
_PAGE_NUMBER_RE = re.compile(r"\d{1,3}")
_QUOTED_RE = re.compile(r'\s*["«“”](.*)["»“”]\s*')
_QUOTE_MARK_RE = re.compile(r'["«»“”]')


def collect(ctx: DocContext, start: int, after_rest: bool = False, whole: bool = True,
            proposal: bool = False) -> tuple[list[Block], int]:
    """The decision text's blocks from ``start`` on, and the index after them.

    The decision is all of its paragraphs and points, across blank lines and page breaks, up to
    what follows a decision: the next item, a label or section heading (Saksopplysninger,
    Behandling, Vedlegg), a vote list or outcome ("Enstemmig vedtatt"), a proposal made in the
    meeting, a date line. A proposal made in the meeting keeps its own sub-labels
    ("Endringsforslag:") and ends at its vote. With ``whole`` false (a short unlabelled conclusion) it ends at the
    first blank line unless a list goes on. After a label with its text on the same line
    (``Konklusjon: Godkjent.``) only lines that follow at once belong.
    """
    blocks = ctx.blocks
    starts = {s.start for s in ctx.sections}
    taken: list[Block] = []
    i = start
    while i < len(blocks) and (blocks[i].kind == "blank" or _is_page_number(blocks[i])) and not after_rest:
        i += 1
    while i < len(blocks):
        b = blocks[i]
        if b.kind == "blank" or _is_page_number(b):
            j = i
            while j < len(blocks) and (blocks[j].kind == "blank" or _is_page_number(blocks[j])):
                j += 1
            nxt = _as_content(blocks[j], j in starts, taken, whole, proposal) if j < len(blocks) else None
            goes_on = (whole and not after_rest and not _ends(nxt, j, starts, taken)
                       and not (nxt.kind in ("para", "heading") and is_narrative(nxt.text))
                       and not (nxt.kind == "heading" and re.match(r"[A-ZÆØÅ]{3,}\s+[a-zæøå]", nxt.text))  # "SVAR fra ordfører"
                       and not _names_only(nxt.text)
                       and not _part_heading(nxt, taken)) if nxt is not None else False
            if nxt is not None and taken and (goes_on or _list_goes_on(taken, nxt)):
                i = j
                continue
            break
        if proposal and not taken and b.kind == "label" and b.label and b.label.kind == "other" and not b.rest:
            i += 1  # "OVERSENDELSESFORSLAG" over the proposal's text names it
            continue
        b = _as_content(b, i in starts, taken, whole, proposal)
        if _ends(b, i, starts, taken):
            break
        taken.append(b)
        i += 1
    return taken, i


def _part_heading(b: Block, taken: list[Block]) -> bool:
    """A short heading with a colon after a blank line opens the next part of the document
    ("Hva saken gjelder:"), unless the decision's last line introduced it."""
    raw = b.raw.strip()
    return (b.kind == "heading" and raw.endswith(":") and len(raw.split()) <= 6 and not re.search(r"\d", raw)
            and not taken[-1].text.endswith(":"))


def _names_only(text: str) -> bool:
    """A line of names, as the signatures under a protocol: "Kari Dahl    Ola Vik", with their
    roles after them ("ordfører sekretær").

    >>> _names_only("Kari Dahl Ola Vik ordfører sekretær"), _names_only("Enhet Årsak")
    (True, False)
    >>> _names_only("Eva Berg rykker opp som fast medlem for Høyre.")
    False
    """
    words = text.split()
    names = len(list(takewhile(lambda w: w[:1].isupper() and w.strip(".-").isalpha(), words)))
    return (2 <= names and len(words) - names <= 3 and len(words) <= 10 and words[0] in first_names()
            and not text.endswith(".") and all(w.isalpha() for w in words[names:]))


def _as_content(b: Block, starts_item: bool, taken: list[Block], whole: bool, proposal: bool) -> Block:
    """A numbered heading inside a decision ("1. Til konkrete enkeltforslag") and a proposal's own
    sub-label ("Endringsforslag:") are part of its text."""
    if b.kind == "item" and (_point_of_list(taken, b) or whole and not starts_item and "/" not in b.number):
        return replace(b, kind="numbered", text=f"{b.number}. {b.text}")
    if proposal and b.kind == "label" and b.label and b.label.category == "decision" and b.label.kind == "other":
        return replace(b, kind="para")
    return b


def _ends(b: Block, i: int, starts: set[int], taken: list[Block]) -> bool:
    """The block is not part of the decision before it."""
    if b.kind not in _CONTENT or i in starts or _is_page_number(b):
        return True
    text = b.raw.strip() or b.text
    if starts_with_case(b.text) or b.kind == "heading" and starts_section(b.text):
        return True
    if taken and follows_decision(b.text):
        return True
    return bool(taken) and (bool(_DATE_LINE_RE.match(b.text)) or bool(_OUTCOME_RE.match(b.text))
                            or bool(VOTE_LIST_RE.match(b.text)) or _proposes(text) or _quotes(text))


def _point_of_list(taken: list[Block], b: Block) -> bool:
    """A line read as an agenda item ("1. Tilskudd til ...") that is the first or next point of the
    decision's own numbered list."""
    if not b.number.isdigit():
        return False
    numbered = [x for x in taken if x.kind == "numbered"]
    return (not taken and b.number == "1") or bool(numbered) and _follows(numbered[-1].number, b.number)


def _list_goes_on(taken: list[Block], nxt: Block) -> bool:
    """After a blank line the decision goes on if it introduced a list or its numbering continues."""
    last = taken[-1]
    if last.text.endswith(":") and nxt.kind in _LIST:
        return True
    if nxt.kind == "numbered" and last.kind == "numbered":
        return _follows(last.number, nxt.number)
    numbered = [b for b in taken if b.kind == "numbered"]
    return bool(numbered) and nxt.kind == "numbered" and _follows(numbered[-1].number, nxt.number)


def _follows(a: str, b: str) -> bool:
    if a.isdigit() and b.isdigit():
        return int(b) == int(a) + 1
    return len(a) == 1 and len(b) == 1 and ord(b) == ord(a) + 1


def _is_page_number(b: Block) -> bool:
    return _is_page_number_text(b.text)


def _is_page_number_text(text: str) -> bool:
    return len(text) <= 3 and bool(_PAGE_NUMBER_RE.fullmatch(text))  # the length first: most lines are longer


def join(blocks: list[Block], rest: str = "") -> str:
    parts = [rest] if rest else []
    for b in blocks:
        text = b.text + ":" if b.kind == "heading" and b.raw.rstrip().endswith(":") else b.text  # "… endres slik:"
        parts.append(("• " + text) if b.kind == "bullet" else text)
    return " ".join(" ".join(parts).split())  # = re.sub(r"\s+", " ", ...).strip(): both split at str.isspace()


def _status(kind: str, label_status: str, doc_type: str) -> str:
    if label_status:
        return label_status
    return "adopted" if doc_type in ("minutes", "protocol") else "proposed"


@dataclass(frozen=True)
class _Start:
    """What a block that starts a decision says about it; the text follows from ``collect``."""

    item: str
    kind: str
    status: str
    quoted: bool
    label: str
    rest: str = ""  # the decision's first words, on the label's own line
    label_kind: str = ""  # "proposal" for a proposal made in the meeting


def _start(ctx: DocContext, i: int, b: Block) -> _Start | None:
    """A labelled decision, a quoted decision of an earlier meeting, or a proposal made in the meeting."""
    if b.kind == "label" and b.label and b.label.category == "decision":
        rest = "" if _is_page_number_text(b.rest) else b.rest  # "Vedtak: 5": a page number ran in
        return _Start(_item(ctx, i), b.label.kind, _status(b.label.kind, b.label.status, ctx.doc_type), False, b.text,
                      rest)
    if b.kind in ("para", "numbered", "heading") and _quotes(b.raw.strip()):
        case = _CASE_NO_RE.search(b.text)
        return _Start(case.group(1) if case else "", "vedtak", "adopted", True, _quote_label(b.text))
    if b.kind in ("para", "heading") and _proposes(b.raw.strip()):
        return _Start(_item(ctx, i), "other", "proposed", False, _quote_label(b.text), label_kind="proposal")
    return None


def _item(ctx: DocContext, i: int) -> str:
    """The agenda item of block ``i``, else the case it treats (asked only of a decision's start)."""
    section = section_of(ctx, i)
    return section.number if section else _treated_case(ctx, i)


# asked of every line: the line's end first (what every pattern must end with), then the search
def _quotes(text: str) -> bool:
    return line_end_fits(text, _QUOTE_END) and bool(_QUOTE_RE.search(text))


def _proposes(text: str) -> bool:
    return line_end_fits(text, _PROPOSAL_END) and bool(_PROPOSAL_RE.search(text))


_QUOTE_END = line_end(_QUOTE_INTROS)  # "vedtak", maybe a colon: "... med slikt vedtak:"
_PROPOSAL_END = line_end(_PROPOSAL_INTROS)  # a colon: "... fremmet følgende forslag:"


def _treated_case(ctx: DocContext, i: int) -> str:
    """Outside agenda items: the case whose treatment the text records, from the last line before
    ``i`` that names it ("Kommunestyrets behandling av sak 33/2026 i møte den 24.06.2026:") or the
    case heading of a case document ("PS 18/24 Budsjettjustering")."""
    if ctx.treated is None:
        found = ((j, b, treatment_case_re().search(b.text)) for j, b in enumerate(ctx.blocks) if b.kind != "blank")
        ctx.treated = [(j, next(g for g in m.groups() if g) if m else b.number) for j, b, m in found
                                 if m or b.kind == "item" and "/" in b.number]
    return next((number for j, number in reversed(ctx.treated) if j < i), "")


def extract(ctx: DocContext) -> list[DecisionRow]:
    rows: list[DecisionRow] = []
    covered: set[int] = set()
    for i, b in enumerate(ctx.blocks):
        start = None if i in covered else _start(ctx, i, b)
        if start is None:
            continue
        taken, end = collect(ctx, i + 1, after_rest=bool(start.rest) and not start.rest.endswith(":"),
                             whole=not start.quoted, proposal=start.label_kind == "proposal")
        text = unquote(join(taken, start.rest))
        text = text if start.quoted else trim_record(text)
        if text:
            rows.append(DecisionRow(ctx.doc_id, start.item, start.kind, start.status, text, start.quoted,
                                    start.label, page=b.page, line=b.line))
            covered.update(range(i, end))
    rows += _unlabelled(ctx, covered)
    return add_outcomes(ctx, sorted(rows, key=lambda r: (r.page, r.line)))


def trim_record(text: str) -> str:
    """A decision's text without what follows it on the same line in run-in text: a sentence that
    records the meeting or gives the vote's outcome, and everything after it; and a last sentence
    that announces what it does not hold (a link, an attachment: "Avtalen finner du her:").

    >>> trim_record("Møteboka blir godkjent. Rådmannen si tilråding blei samrøystes vedteke.")
    'Møteboka blir godkjent.'
    >>> trim_record("Rådet godkjenner referatet 5. november 2021 Kommunene orienterte kort. Vedtaket ble enstemmig vedtatt.")
    'Rådet godkjenner referatet 5. november 2021'
    >>> trim_record("Rådet ga sin tilslutning til avtalen. Avtalen finner du her:")
    'Rådet ga sin tilslutning til avtalen.'
    >>> trim_record("Rådet vedtar følgende:")
    'Rådet vedtar følgende:'
    """
    parts = sentences(text)
    for k, sentence in enumerate(parts[1:], start=1):
        if records_meeting(sentence) or _OUTCOME_RE.match(sentence.strip()):
            return " ".join(parts[:k]).strip()
    if len(parts) > 1 and parts[-1].rstrip().endswith(":"):
        return " ".join(parts[:-1]).strip()
    return text


def unquote(text: str) -> str:
    """A decision quoted in full is stored without its quotation marks.

    >>> unquote('"Flåbygd skole opprettholdes."'), unquote("«Saken utsettes.»"), unquote('Det "nye" forslaget')
    ('Flåbygd skole opprettholdes.', 'Saken utsettes.', 'Det "nye" forslaget')
    """
    m = _QUOTED_RE.fullmatch(text)
    return m.group(1).strip() if m and not _QUOTE_MARK_RE.search(m.group(1)) else text


def _quote_label(text: str) -> str:
    """The sentence that introduces a quoted decision, shortened from the left."""
    return text if len(text) <= 120 else "… " + text[-118:].split(" ", 1)[-1]


def _unlabelled(ctx: DocContext, covered: set[int]) -> list[DecisionRow]:
    """In minutes and protocols: the first short paragraph under an item that says what was decided
    (a ``vedtak`` in a protocol, a ``konklusjon`` in minutes)."""
    if ctx.doc_type not in ("minutes", "protocol"):
        return []
    rows = []
    for section in ctx.sections:
        first = next(((i, b) for i, b in ctx.nonblank(section.start + 1) if i < section.end), None)
        if first is None or first[0] in covered or first[1].kind not in ("para", "heading"):
            continue
        taken, _ = collect(ctx, first[0], whole=False)
        taken = taken[:next((k for k, t in enumerate(taken) if k and records_meeting(t.text)), len(taken))]
        text = join(taken)
        if not text or len(text) > _MAX_UNLABELLED:
            continue
        parts = sentences(text)
        if decision_phrase_re().search(parts[0]):
            text = trim_record(text)
        else:  # "Utkast er sendt ut. Regionrådet ga sin tilslutning til avtalen."
            k = next((k for k, p in enumerate(parts) if decision_sentence(p)), None)
            if k is None:
                continue
            text = trim_record(" ".join(parts[k:]))
        b = first[1]
        kind = "vedtak" if ctx.doc_type == "protocol" else "konklusjon"  # a protocol records the body's vedtak
        rows.append(DecisionRow(ctx.doc_id, section.number, kind, "adopted", text, page=b.page, line=b.line))
    return rows
