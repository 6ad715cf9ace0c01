"""Running the analysis on a text in memory."""
from __future__ import annotations

from pipeline.models import DocumentResult, Page, RawDocument, SourceFile
from pipeline.process import analyse


def analyse_text(text: str, doc_id: str = "t") -> DocumentResult:
    from pathlib import Path

    source = SourceFile(Path(f"{doc_id}.txt"), f"{doc_id}.txt", doc_id)
    return analyse(source, RawDocument(pages=(Page(1, text),), format="txt"))


def group_members(pgid: int) -> list[int]:
    """The live processes of a process group (from /proc), zombies left out."""
    from pathlib import Path

    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if fields[0] != "Z" and int(fields[2]) == pgid:
            members.append(int(entry.name))
    return members
