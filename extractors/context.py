"""What extractors see of one document: its blocks, their spaCy docs, and what was found so far.

What the extractors found is held in typed fields, one per extractor of the registry
(:data:`extractors.registry.EXTRACTORS`: ``ctx.metadata``, ``ctx.agenda_items``, ``ctx.decisions``
...), set by :func:`extractors.registry.run_extractors` as each one finishes, and what several
extractors share while they work (the agenda sections, the region mentions) in fields of its own.
The registry checks that each extractor runs after the ones whose fields it reads
(:data:`extractors.registry.NEEDS`).
"""
from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc

from extractors.nlp import nlp
from pipeline.models import AgendaItemRow, DecisionRow, Line, ParticipantRow, RawDocument, RegionRow, TopicRow, VoteRow
from pipeline.sections import Block, segment

_SPLIT_HYPHEN_RE = re.compile(r"(?<=\w)- (?=[A-ZÆØÅ])")
_SPACED_HYPHEN_RE = re.compile(r"\b(Nord|Sør|Midt|Vest|Øst|Indre|Ytre|Nedre|Øvre) - (?=[A-ZÆØÅ])")


@dataclass(frozen=True)
class Metadata:
    """What the metadata extractor found: type, title, date, body, language, place, owner region."""

    doc_type: str = "other"
    title: str = ""
    meeting_date: str = ""
    body: str = ""
    language: str = ""  # "nb", "nn" or "" when too short to tell
    title_line: int = 0
    place: str = ""
    organisation: str = ""
    region: str = ""  # the owner region's canonical name (extractors.owner)
    region_id: str = ""  # its id in resources/regions.jsonl


@dataclass(frozen=True)
class Section:
    """The blocks of one agenda item: ``start`` is the item's own block, ``end`` is exclusive."""

    number: str
    start: int
    end: int


@dataclass
class DocContext:
    doc_id: str
    blocks: list[Block]
    docs: list[Doc | None]  # one spaCy doc per block, None for blank lines
    raw: RawDocument | None = None
    # what the extractors found, in the order they run (extractors.registry)
    metadata: Metadata | None = None  # set early (the type) by the metadata extractor itself
    agenda_items: list[AgendaItemRow] = field(default_factory=list)
    decisions: list[DecisionRow] = field(default_factory=list)
    votes: list[VoteRow] = field(default_factory=list)
    participants: list[ParticipantRow] = field(default_factory=list)
    regions: list[RegionRow] = field(default_factory=list)
    topics: list[TopicRow] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
    # what extractors share while they work
    sections: list[Section] = field(default_factory=list)  # the agenda items' blocks (extractors.agenda)
    mentions: list[tuple[int, str, str, str]] | None = None  # gazetteer hits (extractors.regions.mentions)
    accepted: list[tuple[int, str, str]] | None = None  # the hits that name an actor (extractors.regions)
    treated: list[tuple[int, str]] | None = None  # case numbers of treatment lines (extractors.decisions)

    def found(self, names: Iterable[str]) -> dict[str, Any]:
        """The outputs of the extractors ``names`` (their fields), by name."""
        return {name: getattr(self, name) for name in names}

    def nonblank(self, start: int = 0) -> Iterator[tuple[int, Block]]:
        for i in range(start, len(self.blocks)):
            if self.blocks[i].kind != "blank":
                yield i, self.blocks[i]

    @property
    def doc_type(self) -> str:
        return self.metadata.doc_type if self.metadata else "other"


def nlp_text(block: Block) -> str:
    """The text given to spaCy: a row's cells on one line; "Midt- Buskerud" (a PDF line-break
    remnant) and "Sør - Trøndelag" (a transcript's spaced hyphen) as "Midt-Buskerud", "Sør-Trøndelag"."""
    text = " \t ".join(block.cells) if block.kind == "row" else block.text
    if "- " not in text:  # both patterns need a hyphen before a space
        return text
    return _SPACED_HYPHEN_RE.sub(r"\1-", _SPLIT_HYPHEN_RE.sub("-", text))


#: spaCy docs of the block texts seen last, by text. Exact: a doc depends on its text alone (the
#: pipeline's components are rules, and no extractor changes a doc), so a line repeated within or
#: across documents (a running header, a label, "Vedtak:") is parsed once. Bounded, oldest out.
_PARSED: dict[str, Doc] = {}
PARSED_MAX = 1024
#: A Dask worker runs documents in threads of one process: the cache is read and trimmed under this
#: lock (the parsing itself runs outside it).
_PARSED_LOCK = threading.Lock()


def parse(texts: list[str]) -> list[Doc]:
    """The spaCy doc of each text, parsing each new text once."""
    unique = list(dict.fromkeys(texts))
    with _PARSED_LOCK:
        known = {text: _PARSED.pop(text) for text in unique if text in _PARSED}
    new = [text for text in unique if text not in known]
    known.update(zip(new, _parse_new(new)))
    with _PARSED_LOCK:
        _PARSED.update(known)  # the texts of this document are now the newest
        for text in list(itertools.islice(_PARSED, max(0, len(_PARSED) - PARSED_MAX))):
            del _PARSED[text]
    return [known[text] for text in texts]


def _parse_new(texts: list[str]) -> Iterator[Doc]:
    """What ``nlp().pipe(texts)`` gives: the doc of each text through each component in turn,
    without ``pipe``'s batches and error handlers (a tenth of the cost on lines this short)."""
    pipeline = nlp()
    components = [component for _, component in pipeline.pipeline]
    for text in texts:
        doc = pipeline.make_doc(text)
        for component in components:
            doc = component(doc)
        yield doc


def build_context(doc_id: str, lines: list[Line], raw: RawDocument | None = None) -> DocContext:
    blocks = segment(lines)
    parsed = iter(parse([nlp_text(b) for b in blocks if b.kind != "blank"]))
    docs = [None if b.kind == "blank" else next(parsed) for b in blocks]
    return DocContext(doc_id=doc_id, blocks=blocks, docs=docs, raw=raw)
