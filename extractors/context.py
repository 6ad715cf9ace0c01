"""What extractors see of one document: its blocks, their spaCy docs, and what was found so far."""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc

from extractors.nlp import nlp
from pipeline.models import Line, RawDocument
from pipeline.sections import Block, segment

_SPLIT_HYPHEN_RE = re.compile(r"(?<=\w)- (?=[A-ZÆØÅ])")
_SPACED_HYPHEN_RE = re.compile(r"\b(Nord|Sør|Midt|Vest|Øst|Indre|Ytre|Nedre|Øvre) - (?=[A-ZÆØÅ])")


@dataclass
class DocContext:
    doc_id: str
    blocks: list[Block]
    docs: list[Doc | None]  # one spaCy doc per block, None for blank lines
    raw: RawDocument | None = None
    found: dict[str, Any] = field(default_factory=dict)

    def nonblank(self, start: int = 0) -> Iterator[tuple[int, Block]]:
        for i in range(start, len(self.blocks)):
            if self.blocks[i].kind != "blank":
                yield i, self.blocks[i]

    @property
    def doc_type(self) -> str:
        meta = self.found.get("metadata")
        return meta.doc_type if meta else "other"


def nlp_text(block: Block) -> str:
    """The text given to spaCy: a row's cells on one line; "Midt- Buskerud" (a PDF line-break
    remnant) and "Sør - Trøndelag" (a transcript's spaced hyphen) as "Midt-Buskerud", "Sør-Trøndelag"."""
    text = " \t ".join(block.cells) if block.kind == "row" else block.text
    return _SPACED_HYPHEN_RE.sub(r"\1-", _SPLIT_HYPHEN_RE.sub("-", text))


def build_context(doc_id: str, lines: list[Line], raw: RawDocument | None = None) -> DocContext:
    blocks = segment(lines)
    texts = [nlp_text(b) for b in blocks if b.kind != "blank"]
    parsed = iter(nlp().pipe(texts, batch_size=256))
    docs = [None if b.kind == "blank" else next(parsed) for b in blocks]
    return DocContext(doc_id=doc_id, blocks=blocks, docs=docs, raw=raw)
