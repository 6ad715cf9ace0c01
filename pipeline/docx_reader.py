"""The Word (.docx) reader: the body's paragraphs and tables in reading order, as one page of text
plus the tables as rows of cell strings (:func:`read_docx`, registered in :data:`pipeline.readers.READERS`).
"""
from __future__ import annotations

import contextlib
import zipfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline import reader_base
from pipeline.errors import UnreadableDocument
from pipeline.models import Page, RawDocument, Table
from pipeline.reader_base import clean_cell, plain_errors, require_content, short_message

if TYPE_CHECKING:
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph


def _numbered(ppr: Any) -> bool:
    """True when a w:pPr carries numbering properties with a real numId (numId 0 switches it off)."""
    num_pr = getattr(ppr, "numPr", None)
    return num_pr is not None and (num_pr.numId is None or num_pr.numId.val != 0)


#: The runs of a paragraph whose text is read: every run inside it (also those in tracked insertions,
#: smart tags, inline content controls, simple fields, hyperlinks and custom XML, which
#: python-docx's ``Paragraph.text`` leaves out), but not deleted or moved-away text, nor text boxes
#: (python-docx leaves those out too). Field codes are ``w:instrText``, not text: never read.
_RUNS_XPATH = ".//w:r[not(ancestor::w:del) and not(ancestor::w:moveFrom) and not(ancestor::w:txbxContent)]"


@cache
def _runs() -> Any:
    """_RUNS_XPATH compiled once (``element.xpath`` compiles it at each call), with python-docx's namespaces."""
    from docx.oxml.ns import nsmap
    from lxml import etree

    return etree.XPath(_RUNS_XPATH, namespaces=nsmap)


def _paragraph_text(p: Any) -> str:
    """The text of a ``w:p`` element: its runs' text (tabs and breaks as python-docx gives them)."""
    return "".join(run.text for run in _runs()(p))


def _paragraph_line(paragraph: Paragraph, styles: dict[str | None, Any]) -> str:
    """A paragraph's text; list paragraphs (by style or numbering) get a "• " prefix. ``styles``:
    the document's paragraph styles by id as found so far (python-docx looks a paragraph's style up
    among all the document's styles each time, the default one by reading them all)."""
    style_id = paragraph._p.style  # a paragraph's style depends on its style id alone: looked up once per id
    if style_id not in styles:
        styles[style_id] = paragraph.style if style_id is not None else _default_paragraph_style(paragraph)
    text, style = _paragraph_text(paragraph._p), styles[style_id]
    name = (style.name or "").lower() if style is not None else ""
    if name.startswith(("heading", "overskrift", "title", "tittel")):
        return text
    is_list = "list" in name or _numbered(paragraph._p.pPr)
    if not is_list and style is not None:
        is_list = _numbered(style.element.pPr)
    return f"• {text}" if is_list and text.strip() else text


#: The values of w:default python-docx reads (ST_OnOff): "on" ones, and all (any other makes it raise).
_ON = ("1", "true", "on")
_ON_OFF = (*_ON, "0", "false", "off")


def _default_paragraph_style(paragraph: Paragraph) -> Any:
    """python-docx's default paragraph style (``paragraph.style`` of a paragraph without a style: the
    last w:style of type paragraph marked default), found by the attributes' text rather than by
    python-docx's parsing of every style's type; a value it refuses is left to it (its error)."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml.ns import qn
    from docx.styles.style import StyleFactory

    kinds = {member.xml_value for member in WD_STYLE_TYPE}
    found = None
    part: Any = paragraph.part  # the document part, which has the styles
    for style in part.styles.element.iterchildren(qn("w:style")):
        kind, default = style.get(qn("w:type")), style.get(qn("w:default"))
        if kind is not None and kind not in kinds or kind == "paragraph" and default is not None and default not in _ON_OFF:
            return paragraph.style
        if kind == "paragraph" and default in _ON:
            found = style
    return StyleFactory(found) if found is not None else None


def _block_text(element: Any) -> str:
    """The text of a table cell (or other block container): its paragraphs, and the rows of a table
    inside it (cells apart by spaces), content controls and custom XML looked into, one per line."""
    from docx.oxml.ns import qn

    lines: list[str] = []
    for child in element.iterchildren():
        if child.tag == qn("w:p"):
            lines.append(_paragraph_text(child))
        elif child.tag == qn("w:tbl"):
            for tr in child.iterchildren(qn("w:tr")):
                cells = (clean_cell(_block_text(tc)) for tc in tr.iterchildren(qn("w:tc")))
                lines.append(" ".join(cell for cell in cells if cell))
        elif child.tag in (qn("w:sdt"), qn("w:customXml")):
            content = child.find(qn("w:sdtContent")) if child.tag == qn("w:sdt") else child
            if content is not None:
                lines.append(_block_text(content))
    return "\n".join(lines)


def _docx_rows(table: DocxTable) -> tuple[tuple[str, ...], ...]:
    """Rows of cell text; a merged cell that python-docx repeats across a row appears once."""
    rows = []
    for row in table.rows:
        cells, previous = [], None
        for cell in row.cells:
            if previous is not None and cell._tc is previous._tc:
                continue
            previous = cell
            cells.append(clean_cell(_block_text(cell._tc)))
        if any(cells):
            rows.append(tuple(cells))
    return tuple(rows)


def _walk_body(element: Any, doc: Any, lines: list[str], tables: list[Table], styles: dict[str | None, Any]) -> None:
    """Paragraphs and tables in reading order; content controls (w:sdt) and custom XML are looked into.
    ``styles``: the paragraph styles found so far (:func:`_paragraph_line`)."""
    from docx.oxml.ns import qn
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    for child in element.iterchildren():
        if child.tag == qn("w:p"):
            lines.append(_paragraph_line(Paragraph(child, doc), styles))
        elif child.tag == qn("w:tbl"):
            rows = _docx_rows(DocxTable(child, doc))
            lines.extend("\t".join(row) for row in rows)
            if rows:
                tables.append(Table(1, rows))
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                _walk_body(content, doc, lines, tables, styles)
        elif child.tag == qn("w:customXml"):  # a block of custom XML around paragraphs and tables
            _walk_body(child, doc, lines, tables, styles)


def _require_sane_unpacked_size(path: Path) -> None:
    """Refuse a zip bomb: a .docx whose parts unpack to more than ``reader_base.MAX_FILE_BYTES`` (looked
    up there at each call, like the other size checks; the sizes in the zip directory bound what
    zipfile will ever inflate)."""
    with zipfile.ZipFile(path) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > reader_base.MAX_FILE_BYTES:
        raise UnreadableDocument(f"file too large: the Word file unpacks to {unpacked / 2**20:.0f} MB "
                                 f"(minutes reads files up to {reader_base.MAX_FILE_BYTES // 2**20} MB)")


@contextlib.contextmanager
def _huge_text_nodes() -> Iterator[None]:
    """python-docx's XML parser, allowed text nodes over libxml2's 10 MB (``huge_tree``): a Word file
    with a long text in one run is large, not damaged. Entities stay unresolved, and the sizes are
    bounded before (:func:`_require_sane_unpacked_size`) and after (:data:`pipeline.reader_base.MAX_TEXT_CHARS`)."""
    from docx.oxml import parser
    from lxml import etree

    normal = parser.oxml_parser
    huge = etree.XMLParser(remove_blank_text=True, resolve_entities=False, huge_tree=True)
    huge.set_element_class_lookup(parser.element_class_lookup)
    parser.oxml_parser = huge
    try:
        yield
    finally:
        parser.oxml_parser = normal


@plain_errors("Word file")
def read_docx(path: Path) -> RawDocument:
    """Read a .docx body (not headers/footers) as one page; tables also as :class:`Table` rows."""
    import docx
    from lxml import etree

    require_content(path)
    if not zipfile.is_zipfile(path):
        raise UnreadableDocument("not a Word file: the .docx is not a valid zip archive")
    _require_sane_unpacked_size(path)
    try:
        try:
            doc = docx.Document(str(path))
        except etree.XMLSyntaxError as exc:
            if "XML_PARSE_HUGE" not in str(exc):
                raise
            with _huge_text_nodes():  # a text node over 10 MB: large, not damaged (the size limits hold)
                doc = docx.Document(str(path))
        lines: list[str] = []
        tables: list[Table] = []
        _walk_body(doc.element.body, doc, lines, tables, {})
    except OSError:
        raise
    except KeyError as exc:
        raise UnreadableDocument(f"damaged Word file: a part is missing ({short_message(exc)})") from exc
    except Exception as exc:  # noqa: BLE001 - zip, XML and python-docx errors alike
        raise UnreadableDocument(f"damaged Word file: {short_message(exc)}") from exc
    return RawDocument(pages=(Page(1, "\n".join(lines)),), tables=tuple(tables), format="docx")
