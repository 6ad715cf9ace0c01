"""The package, finished: xlsxwriter's ``constant_memory`` mode cannot make Excel tables, and Excel
allows 65,530 hyperlinks per sheet, so tables and hyperlinks are added afterwards: the package is
copied once, member by member, adding a table part per table, and one hyperlink per run of rows
with the same source file (``<hyperlink ref="O2:O41">``; one relationship per file) to each sheet,
and compressed."""
from __future__ import annotations

import shutil
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any
from xml.etree import ElementTree
from xml.sax.saxutils import quoteattr

from xlsxwriter.utility import xl_range

from pipeline.export.xlsx.links import Links
from pipeline.export.xlsx.style import TABLE_STYLE, TableSpec

#: Compression of the package: zlib's default level, or level 1 (3x faster, files ~40% larger) for a
#: package larger than ``ZIP_FAST_ABOVE`` bytes uncompressed (some 50,000 rows).
ZIP_LEVEL, ZIP_FAST_LEVEL, ZIP_FAST_ABOVE = 6, 1, 64 << 20


_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_TABLE_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml"
# Worksheet children that come after <hyperlinks> (the schema fixes the order of the children).
_AFTER_HYPERLINKS = (b"<printOptions", b"<pageMargins", b"<pageSetup", b"<headerFooter", b"<rowBreaks",
                     b"<colBreaks", b"<customProperties", b"<cellWatches", b"<ignoredErrors", b"<smartTags",
                     b"<drawing", b"<legacyDrawing", b"<picture", b"<oleObjects", b"<controls",
                     b"<webPublishItems", b"<tableParts", b"<extLst", b"</worksheet>")


def _table_xml(spec: TableSpec, number: int) -> bytes:
    ref = xl_range(spec.first_row, spec.first_col, spec.last_row, spec.last_col)
    cols = "".join(f'<tableColumn id="{k}" name={quoteattr(c)}/>'
                   for k, c in enumerate(spec.columns, start=1))
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<table xmlns="{_NS_MAIN}" id="{number}" name="{spec.name}" displayName="{spec.name}" ref="{ref}" '
        f'totalsRowShown="0"><autoFilter ref="{ref}"/><tableColumns count="{len(spec.columns)}">{cols}'
        f'</tableColumns><tableStyleInfo name="{TABLE_STYLE}" showFirstColumn="0" showLastColumn="0" '
        'showRowStripes="1" showColumnStripes="0"/></table>'
    ).encode()


def sheet_parts(src: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the zip member of its XML, from the workbook and its relationships."""
    book = ElementTree.fromstring(src.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(src.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{{{_NS_PKG_REL}}}Relationship")}
    parts = {}
    for sheet in book.iter(f"{{{_NS_MAIN}}}sheet"):
        target = targets.get(sheet.get(f"{{{_NS_REL}}}id"), "")
        parts[sheet.get("name", "")] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    return parts


@dataclass
class _SheetAdditions:
    tables: list[tuple[int, TableSpec]] = field(default_factory=list)
    links: Iterable[tuple[int, int, int, str]] = ()
    rel_ids: dict[str, str] = field(default_factory=dict)  # hyperlink target -> relationship id

    def hyperlinks(self) -> Iterator[bytes]:
        """The ``<hyperlink>`` elements, in pieces (a sheet of a large archive has thousands)."""
        rel_ids = self.rel_ids
        for links in _batched(self.links, _PIECE):
            refs = []
            for first, last, col, target in links:
                rel = rel_ids.setdefault(target, f"rIdLink{len(rel_ids) + 1}")
                refs.append(f'<hyperlink ref="{xl_range(first, col, last, col)}" r:id="{rel}"/>')
            yield "".join(refs).encode()

    def table_parts(self) -> bytes:
        if not self.tables:
            return b""
        parts = "".join(f'<tablePart r:id="rIdTable{n}"/>' for n, _ in self.tables)
        return f'<tableParts count="{len(self.tables)}">{parts}</tableParts>'.encode()

    def relationships(self, target_of: Callable[[str], str]) -> Iterator[bytes]:
        """The relationships of the hyperlinks (named by :meth:`hyperlinks`; ``target_of`` makes a
        link's target as the relationship writes it) and tables, in pieces."""
        for rels in _batched(self.rel_ids.items(), _PIECE):
            yield "".join(f'<Relationship Id="{rel}" Type="{_NS_REL}/hyperlink" '
                          f'Target={quoteattr(target_of(target))} TargetMode="External"/>'
                          for target, rel in rels).encode()
        yield "".join(f'<Relationship Id="rIdTable{n}" Type="{_NS_REL}/table" Target="../tables/table{n}.xml"/>'
                      for n, _ in self.tables).encode()


#: Elements written to the package at a time when there are many (hyperlinks, relationships).
_PIECE = 2_000


def _batched(items: Iterable[Any], size: int) -> Iterator[tuple[Any, ...]]:
    """``items`` in tuples of ``size`` (the last may be shorter): itertools.batched of Python 3.12."""
    it = iter(items)
    while batch := tuple(islice(it, size)):
        yield batch


def _copy_sheet(source: Any, target: Any, add: _SheetAdditions) -> None:
    """Copy a sheet's XML, adding the hyperlinks and table parts where the schema wants them. Only
    the part after ``</sheetData>`` (page set-up and the like) is held in memory; the hyperlinks
    are written a piece at a time."""
    end_tags = (b"</sheetData>", b"<sheetData/>")
    keep = max(len(t) for t in end_tags)
    tail, found, first = b"", False, True
    while chunk := source.read(1 << 20):
        if first:
            first = False
            root = chunk[: chunk.find(b">", chunk.find(b"<worksheet")) + 1]
            if b'xmlns:r="' not in root:  # xlsxwriter declares it; be sure anyway
                chunk = chunk.replace(b"<worksheet ", f'<worksheet xmlns:r="{_NS_REL}" '.encode(), 1)
        buf = tail + chunk
        if found:
            tail = buf
            continue
        hits = [(i, tag) for tag in end_tags if (i := buf.find(tag)) >= 0]
        if hits:
            i, tag = min(hits)
            target.write(buf[: i + len(tag)])
            tail, found = buf[i + len(tag):], True
        else:
            target.write(buf[:-keep])
            tail = buf[-keep:]
    if not found:
        raise ValueError("not a worksheet")
    parts = add.table_parts()
    if parts:
        cut = tail.find(b"<extLst")
        cut = tail.rfind(b"</worksheet>") if cut < 0 else cut
        tail = tail[:cut] + parts + tail[cut:]
    if add.links:
        if (cut := tail.find(b"</hyperlinks>")) >= 0:
            before, after = tail[:cut], tail[cut:]
        else:
            cut = min(i for tag in _AFTER_HYPERLINKS if (i := tail.find(tag)) >= 0)
            before, after = tail[:cut] + b"<hyperlinks>", b"</hyperlinks>" + tail[cut:]
        target.write(before)
        for piece in add.hyperlinks():
            target.write(piece)
        tail = after
    target.write(tail)


def finish_package(source: Path, target: Any, tables: Sequence[TableSpec], links: Mapping[str, Links],
                    target_of: Callable[[str], str]) -> None:
    """Copy the package ``source`` into the open file ``target``, adding the Excel tables and the
    hyperlinks, and compressing it (xlsxwriter stored it uncompressed)."""
    with zipfile.ZipFile(source) as src:
        parts = sheet_parts(src)
        additions: dict[str, _SheetAdditions] = defaultdict(_SheetAdditions)
        for number, spec in enumerate(tables, start=1):
            additions[parts[spec.sheet]].tables.append((number, spec))
        for sheet, runs in links.items():
            if runs:
                additions[parts[sheet]].links = runs
        members = {info.filename for info in src.infolist()}
        rels_of = {_rels_name(p) for p in additions}
        size = sum(info.file_size for info in src.infolist())
        level = ZIP_FAST_LEVEL if size > ZIP_FAST_ABOVE else ZIP_LEVEL
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=level, allowZip64=True) as dst:
            for info in src.infolist():
                name = info.filename
                if name == "[Content_Types].xml":
                    types = "".join(f'<Override PartName="/xl/tables/table{n}.xml" '
                                    f'ContentType="{_TABLE_TYPE}"/>' for n in range(1, len(tables) + 1))
                    dst.writestr(name, src.read(name).replace(b"</Types>", types.encode() + b"</Types>"))
                elif name in additions:
                    with src.open(info) as r, dst.open(name, "w", force_zip64=info.file_size > 1 << 30) as w:
                        _copy_sheet(r, w, additions[name])
                    # its relationships at once: the hyperlinks' ids of one sheet are held at a time
                    rels = _rels_name(name)
                    _write_relationships(src, dst, rels, additions.pop(name), rels in members, target_of)
                elif name in rels_of:
                    continue  # written with its sheet
                else:
                    with src.open(info) as r, dst.open(name, "w", force_zip64=info.file_size > 1 << 30) as w:
                        shutil.copyfileobj(r, w, 1 << 20)
            for number, spec in enumerate(tables, start=1):
                dst.writestr(f"xl/tables/table{number}.xml", _table_xml(spec, number))


def _rels_name(part: str) -> str:
    """The relationships part of a package part: ``xl/worksheets/_rels/sheet1.xml.rels``."""
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels"


def _write_relationships(src: zipfile.ZipFile, dst: zipfile.ZipFile, rels: str, add: _SheetAdditions,
                         exists: bool, target_of: Callable[[str], str]) -> None:
    """A sheet's relationships part with those of its hyperlinks and tables added."""
    old = src.read(rels) if exists else (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                                         f'<Relationships xmlns="{_NS_PKG_REL}"></Relationships>').encode()
    head, end, rest = old.rpartition(b"</Relationships>")
    with dst.open(rels, "w") as w:
        w.write(head)
        for piece in add.relationships(target_of):
            w.write(piece)
        w.write(end + rest)
