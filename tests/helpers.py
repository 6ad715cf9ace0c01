"""Running the analysis on a text in memory."""
from __future__ import annotations

from pipeline.models import DocumentResult, Page, RawDocument, SourceFile
from pipeline.process import analyse


def analyse_text(text: str, doc_id: str = "t") -> DocumentResult:
    from pathlib import Path

    source = SourceFile(Path(f"{doc_id}.txt"), f"{doc_id}.txt", doc_id)
    return analyse(source, RawDocument(pages=(Page(1, text),), format="txt"))
