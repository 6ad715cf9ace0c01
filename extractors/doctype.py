"""The document type, scored from cues (``resources/doc_types.jsonl``: a phrase, the type it points
to, where it must stand and its weight); the highest score wins, ``other`` when none.

Where a cue must stand:

* ``title``: in the title;
* ``head``: a line of the document's head naming the document ("Møteprotokoll", "Referat fra
  styremøte", "Kommunestyrets behandling av sak 33/2026"): the cue is a whole word within the
  first :data:`HEAD_REACH` characters of the line, not the object of "godkjenning av" ("Godkjenning
  av protokoll" is an agenda item), and the head ends at the first case number (the agenda
  begins: "3-24 Godkjenning av protokoll", "TR-sak 1/2005 / Referat fra møte");
* anywhere else: anywhere in the text (once per cue).

A proposal label ("Forslag til vedtak", "Innstilling") points to a case; a slide deck is
recognised by its shape (short lines, few sentences) unless the document names itself in its
head or opens with a sentence (a web page's lead).
"""
from __future__ import annotations

import re
from functools import cache

from extractors.context import DocContext
from extractors.lexicons import read_jsonl
from pipeline.sections import Block

HEAD_LINES = 8
HEAD_REACH = 60
#: The least score that makes a type: one weak cue alone ("innstilling" in a news page) is not enough.
MIN_SCORE = 1.5
#: A line that opens with a case number: the agenda begins ("3-24 …", "1 og 2-24 …", "TR-sak 1/2005", "PS 12/24").
_CASE_LINE = re.compile(r"^\W*(?:[\wæøå]+-)?(?:sak|ps|rs)?\s*\d{1,3}(?:\s*og\s*\d{1,3})?\s*[/-]\s*(?:\d{4}|\d{2})\b",
                        re.IGNORECASE)
_OBJECT_OF = re.compile(r"\b(?:godkjenning|godkjenning|godkjenne|godkjent|gjennomgang|underskrift) av\s*$")


@cache
def _cues() -> list[dict]:
    return read_jsonl("extractors.resources", "doc_types.jsonl")


def head_lines(ctx: DocContext) -> list[str]:
    """The first lines of the document, up to the first agenda item or line that opens with a case number."""
    out: list[str] = []
    for _, b in ctx.nonblank():
        if len(out) >= HEAD_LINES or (out and (b.kind == "item" or _CASE_LINE.match(b.text))):
            break
        out.append(b.text)
    return out


def names_itself(lines: list[str], pattern: str) -> bool:
    """``pattern`` (casefolded) is a whole word of one of ``lines``, near the line's start or written
    in capitals (a title run into a transcript's first line), and not the object of an approval
    ("Godkjenning av protokoll").

    >>> names_itself(["1 Hjartdal kommune Møteprotokoll for Kommunestyret"], "møteprotokoll")
    True
    >>> names_itself(["3-24 Godkjenning av protokoll fra møte 5-2023"], "protokoll")
    False
    >>> names_itself(["Vurdering i saksframlegget oversendes"], "saksframlegg")
    False
    >>> names_itself(["1 Regionrådet Austrheim, Fedje, Gulen, Lindås, Masfjorden, Meland, Osterøy PROTOKOLL"], "protokoll")
    True
    """
    for line in lines:
        folded = line.casefold()
        for at in _word_at(folded, pattern):
            capitals = len(folded) == len(line) and line[at:at + len(pattern)].isupper()
            if (at <= HEAD_REACH or capitals) and not _OBJECT_OF.search(folded[:at]):
                return True
    return False


def _word_at(text: str, pattern: str) -> list[int]:
    """Offsets where ``pattern`` stands as a whole word (no letter or digit on either side)."""
    out, at = [], text.find(pattern)
    while at >= 0:
        end = at + len(pattern)
        if (at == 0 or not text[at - 1].isalnum()) and (end == len(text) or not text[end].isalnum()):
            out.append(at)
        at = text.find(pattern, at + 1)
    return out


def starts_a_word(text: str, pattern: str) -> bool:
    r"""``pattern`` occurs in ``text`` where no letter or digit comes right before it (what the regex
    ``(?<!\w)pattern`` finds, by ``str.find``: many times faster on a whole document).

    >>> starts_a_word("møteprotokoll og protokoll", "protokoll"), starts_a_word("møteprotokoll", "protokoll")
    (True, False)
    """
    at = text.find(pattern)
    while at >= 0:
        if at == 0 or not (text[at - 1].isalnum() or text[at - 1] == "_"):
            return True
        at = text.find(pattern, at + 1)
    return False


def scores(ctx: DocContext, title: str) -> dict[str, float]:
    """Type -> score of the cues found."""
    head = head_lines(ctx)
    body = "\n".join(b.text for b in ctx.blocks).casefold()
    out: dict[str, float] = {}
    named = False
    for cue in _cues():
        pattern = cue["pattern"].casefold()
        where = cue.get("where", "")
        if where == "head":
            hit = names_itself(head, pattern)
            named = named or (hit and float(cue.get("weight", 1)) >= 3)
        else:
            hit = starts_a_word(title.casefold() if where == "title" else body, pattern)
        if hit:
            out[cue["id"]] = out.get(cue["id"], 0.0) + float(cue.get("weight", 1))
    if any(b.label and b.label.category == "decision" and b.label.status == "proposed" for b in ctx.blocks):
        out["case"] = out.get("case", 0.0) + 1.0
    decisions = any(b.label and b.label.category == "decision" for b in ctx.blocks)
    if not decisions and not named and looks_like_slides(ctx.blocks):
        out["presentation"] = out.get("presentation", 0.0) + 3.0
    return out


def doc_type(ctx: DocContext, title: str) -> str:
    found = scores(ctx, title)
    if not found or max(found.values()) < MIN_SCORE:
        return "other"
    return max(sorted(found), key=lambda k: found[k])


def looks_like_slides(blocks: list[Block]) -> bool:
    """Slide decks: mostly short lines and bullets, few full sentences, and a title first (a web
    page or a letter opens with a sentence). Agenda items and labels are the structure of a meeting
    document, not the shape of slides: they do not count."""
    lines = [b for b in blocks if b.kind not in ("blank", "item", "label")]
    if len(lines) < 15 or _is_sentence(lines[0].text):
        return False
    short = sum(1 for b in lines if len(b.text) < 70 or b.kind in ("bullet", "heading"))
    sentences = sum(1 for b in lines if b.kind == "para" and b.text.endswith(".") and len(b.text) > 90)
    return short / len(lines) > 0.8 and sentences / len(lines) < 0.1


def _is_sentence(text: str) -> bool:
    return len(text) > 60 and text.rstrip().endswith(".") and len(text.split()) >= 10
