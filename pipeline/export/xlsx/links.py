"""The ``Kilde`` column: each row's source (file and page or line) and the link to the file, as a
path relative to the workbook's folder written the way Excel writes it; the links of a sheet are
kept as runs of rows with the same file and added to the package afterwards (:mod:`.package`)."""
from __future__ import annotations

import os
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.models import SourceFile

#: Hyperlinks per sheet (Excel's limit). One hyperlink covers a run of rows with the same source.
MAX_LINKS = 65_530

Tables = Mapping[str, tuple[Sequence[str], Sequence[Sequence[Any]]]]


@dataclass(slots=True)
class Doc:
    source_path: str = ""
    format: str = ""
    meeting_date: str = ""
    location: str = ""  # the file on disk: the target of its links


class Sources:
    """The ``Kilde`` of a row: label (file and page or line) and the file it links to. Kept per
    document: its file name, format and date, strings shared with the listing of the run where it
    can (an archive of many documents holds one of these each until the workbook is written)."""

    def __init__(self, tables: Tables, sources: Mapping[str, str | Path | SourceFile] | None, folder: Path,
                 text: dict[str, str]) -> None:
        self.docs: dict[str, Doc] = {}
        self.page_word, self.line_word = text["page"], text["line"]
        self.folder = os.path.abspath(folder)
        self._values: dict[str, str] = {}  # one string for all documents of a format, or of a date
        self._prefixes: dict[str, str] = {}  # a source folder -> its link from the workbook's folder
        for doc_id, source in (sources or {}).items():
            doc = self.docs.setdefault(str(doc_id), Doc())
            if isinstance(source, SourceFile):
                doc.location, doc.source_path = source.location, source.source_path
            else:
                doc.location = os.fspath(source)
        self.add(*tables.get("documents", ((), ())))

    def add(self, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        """Rows of the documents table (a workbook written as results come learns them one by one)."""
        idx = {name: k for k, name in enumerate(header)}
        same = self._values
        for row in rows:
            doc_id = str(row[idx["doc_id"]]) if "doc_id" in idx else ""
            doc = self.docs.setdefault(doc_id, Doc())
            source_path, doc_format, meeting_date = (
                str(row[idx[c]]) if c in idx and row[idx[c]] is not None else ""
                for c in ("source_path", "format", "meeting_date"))
            if doc.source_path != source_path:
                doc.source_path = source_path
            doc.format = same.setdefault(doc_format, doc_format)
            doc.meeting_date = same.setdefault(meeting_date, meeting_date)

    def label(self, doc_id: Any, page: Any = 0, line: Any = 0) -> tuple[str, str]:
        """The label of a row's source, and the file it links to (``""``: none)."""
        doc = self.docs.get(str(doc_id))
        if doc is None:
            return str(doc_id or ""), ""
        label = doc.source_path or os.path.basename(doc.location) or str(doc_id)
        if doc.format == "pdf" and page:
            label = f"{label}, {self.page_word} {page}"
        elif line:
            label = f"{label}, {self.line_word} {line}"
        elif page:
            label = f"{label}, {self.page_word} {page}"
        return label, doc.location

    def target(self, location: str) -> str:
        """The target of a hyperlink to the file at ``location``, written the way Excel writes it
        (see :func:`relative_link` and :func:`link_target`)."""
        head, name = os.path.split(location)
        if (prefix := self._prefixes.get(head)) is None:
            prefix = self._prefixes[head] = relative_link(Path(head), Path(self.folder))
        if prefix.startswith("file:"):  # another drive
            return Path(os.path.abspath(location)).as_uri()
        return link_target(name if prefix == os.curdir else f"{prefix}/{name}")


def relative_link(path: Path, folder: Path) -> str:
    """The link from a workbook in ``folder`` to ``path``: relative with POSIX separators when both
    are on one drive, else a ``file:`` URI.

    >>> relative_link(Path("/data/raw/møte 1.pdf"), Path("/data/out"))
    '../raw/møte 1.pdf'
    """
    path = Path(os.path.abspath(path))
    try:
        return Path(os.path.relpath(path, folder)).as_posix()
    except ValueError:  # another drive (Windows)
        return path.as_uri()


#: What a hyperlink's target cannot hold as it is, and how Excel writes it; a byte of a file name that
#: is not UTF-8 (a surrogate escape, U+DC80-U+DCFF) is %-escaped as the byte it is. The separator "/"
#: becomes "\\"; every other character that a link would read as a separator, a drive, a query or a
#: fragment ("\\" and ":" in a Linux file name, "?", "#") is escaped, so a link leads to its own
#: file and nowhere else.
_LINK_ESCAPES = str.maketrans({
    "/": "\\", "%": "%25", '"': "%22", " ": "%20", "<": "%3c", ">": "%3e", "[": "%5b", "]": "%5d", "^": "%5e",
    "`": "%60", "{": "%7b", "}": "%7d", "#": "%23", "?": "%3f", "\\": "%5c", ":": "%3a", "|": "%7c",
    **{chr(b): f"%{b:02x}" for b in (*range(0x20), 0x7F)},
    **{chr(0xDC00 + b): f"%{b:02x}" for b in range(0x80, 0x100)}})


def link_target(link: str) -> str:
    """A link as the target of a hyperlink relationship, written the way Excel writes it: relative
    paths with backslashes, characters a URL cannot hold %-escaped (in one pass: an escape is not
    escaped again).

    >>> link_target("../raw/møte #1 [utkast] 50%.pdf")
    '..\\\\raw\\\\møte%20%231%20%5butkast%5d%2050%25.pdf'
    >>> link_target("m\\udcf8te.pdf")  # the file name's byte 0xF8 (Latin-1 ø)
    'm%f8te.pdf'
    >>> link_target("../raw/x\\\\..\\\\calc.exe?a#b")  # a backslash in a Linux file name is a character
    '..\\\\raw\\\\x%5c..%5ccalc.exe%3fa%23b'
    """
    if link.startswith("file:"):
        return link  # Path.as_uri() has escaped it
    return link.translate(_LINK_ESCAPES)


class Links:
    """The hyperlinks of one sheet, one per run of rows with the same target: rows and column in
    arrays (a workbook of a large archive has many), and no more than ``MAX_LINKS`` (Excel's limit:
    the rest would not be written)."""

    def __init__(self) -> None:
        self.first, self.last, self.col = array("i"), array("i"), array("H")  # Excel: 2**20 rows, 2**14 columns
        self.target: list[str] = []

    def add(self, row: int, col: int, target: str) -> None:
        """A cell at ``row``, ``col`` links to ``target``: a new link, or the run above gets longer."""
        if self.target and self.last[-1] == row - 1 and self.col[-1] == col and self.target[-1] == target:
            self.last[-1] = row
        elif len(self.target) < MAX_LINKS:
            self.first.append(row)
            self.last.append(row)
            self.col.append(col)
            self.target.append(target)

    def __len__(self) -> int:
        return len(self.target)

    def __iter__(self) -> Iterator[tuple[int, int, int, str]]:
        return zip(self.first, self.last, self.col, self.target)
