"""Readers: turn one input file (.txt/.md, .pdf, .docx) into a :class:`RawDocument`.

Text per page as the file has it (decoded, ``\\n`` line ends; cleaning is the normaliser's job),
plus tables as rows of cell strings. PDF text comes from pypdfium2; pdfplumber runs only on pages
whose text suggests a participant or voting table (``TABLE_MARKERS``). :func:`read_document`
dispatches through :data:`READERS`; every problem is an :class:`UnsupportedFormat` or
:class:`UnreadableDocument` with a short plain message, never a library error. Files that are not
regular files (a FIFO would block), bigger than :data:`MAX_FILE_BYTES` or holding more than
:data:`MAX_TEXT_CHARS` characters are refused; a PDF with images but no text is a scan needing OCR.
"""
from __future__ import annotations

import codecs
import contextlib
import functools
import re
import stat
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.errors import DocumentError, UnreadableDocument, UnsupportedFormat
from pipeline.models import Page, RawDocument, Table
from pipeline.pdftables import page_tables

if TYPE_CHECKING:
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

Reader = Callable[[Path], RawDocument]

#: Words (lower case) of attendance lists that make a PDF page worth a pdfplumber table pass (it
#: costs some 0.25 s a page, so only where a participant table is likely; a "Behandlet av /
#: Møtedato" table reads well enough as text lines).
TABLE_MARKERS = (
    "til stede", "tilstede", "til stades", "deltakere", "deltagere", "møtende", "møtande", "forfall",
    "frammøtte", "fremmøtte", "desse møtte", "følgende medlemmer", "varamedlem",
)

#: The largest file read at all (bytes on disk). Bigger files become an error row without being opened.
MAX_FILE_BYTES = 200 * 1024 * 1024
#: The most text one document may hold (characters after reading; about 4,000 dense pages). The
#: analysis takes some 15 s per million characters, so more is an archive accident, not a document.
MAX_TEXT_CHARS = 10_000_000

_BOMS = (  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
# C0 controls other than \t \n \v \f \r, DEL, and the replacement character: not in real text.
_JUNK_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f\ufffd]")
_JUNK_SHARE = 0.05
# A valid UTF-8 multi-byte sequence: evidence a file is UTF-8 even if some bytes are not.
_UTF8_SEQ_RE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


# Windows-1252 differs from Latin-1 only in 0x80-0x9F; the five bytes it leaves undefined stay Latin-1.
_CP1252_OVER_LATIN1 = {b: bytes([b]).decode("cp1252", "ignore") or chr(b) for b in range(0x80, 0xA0)}


def _cp1252(data: bytes) -> str:
    """Decode as Windows-1252, with Latin-1 for the bytes cp1252 leaves undefined (never fails)."""
    return data.decode("latin-1").translate(_CP1252_OVER_LATIN1)


def _cp1252_errors(err: UnicodeError) -> tuple[str, int]:
    """Codec error handler: bytes that are not UTF-8 are read as cp1252."""
    if not isinstance(err, UnicodeDecodeError):
        raise err
    return _cp1252(err.object[err.start : err.end]), err.end


codecs.register_error("minutes-cp1252", _cp1252_errors)


# --------------------------------------------------------------------------- errors


def _short(exc: BaseException) -> str:
    """The first line of an exception message, cut to a readable length."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "..."


def _require_plain_file(path: Path) -> None:
    """Refuse, before opening, what is not a regular file or is too big: opening a FIFO or a device
    would block the run forever (a directory fails on open with its own message)."""
    info = path.stat()
    if not stat.S_ISREG(info.st_mode) and not stat.S_ISDIR(info.st_mode):
        raise UnreadableDocument("cannot open file: not a regular file (a pipe, socket or device)")
    if info.st_size > MAX_FILE_BYTES:
        raise UnreadableDocument(f"file too large: {info.st_size / 2**20:.0f} MB "
                                 f"(minutes reads files up to {MAX_FILE_BYTES // 2**20} MB)")


def _require_sane_size(doc: RawDocument) -> RawDocument:
    """Refuse a document with more text than :data:`MAX_TEXT_CHARS` (it would take hours to analyse)."""
    characters = sum(len(page.text) for page in doc.pages)
    if characters > MAX_TEXT_CHARS:
        raise UnreadableDocument(f"file too large: {characters:,} characters of text "
                                 f"(minutes reads up to {MAX_TEXT_CHARS:,} per document)")
    return doc


def _plain_errors(what: str) -> Callable[[Reader], Reader]:
    """Make a reader raise only DocumentError: OSError and library errors become UnreadableDocument.
    Non-regular files, oversized files and oversized texts are refused here, for every format."""

    def wrap(reader: Reader) -> Reader:
        @functools.wraps(reader)
        def guarded(path: Path) -> RawDocument:
            try:
                _require_plain_file(Path(path))
                return _require_sane_size(reader(Path(path)))
            except DocumentError:
                raise
            except OSError as exc:
                raise UnreadableDocument(f"cannot open file: {exc.strerror or _short(exc)}") from exc
            except Exception as exc:  # noqa: BLE001 - a library's error must not escape a reader
                raise UnreadableDocument(f"cannot read this {what}: {_short(exc)}") from exc

        return guarded

    return wrap


def _require_content(path: Path) -> None:
    """Open the file (so a directory or a permission problem shows as OSError) and refuse 0 bytes."""
    with path.open("rb") as fh:
        if not fh.read(1):
            raise UnreadableDocument("empty file (0 bytes)")


# --------------------------------------------------------------------------- text files


def _utf16_by_nuls(data: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when the NUL bytes fall on one side of each byte pair, else None."""
    even, odd = data[0::2], data[1::2]
    pairs = max(len(odd), 1)
    nul_even, nul_odd = even.count(0) / pairs, odd.count(0) / pairs
    if nul_odd >= 0.3 and nul_even <= 0.02:
        return "utf-16-le"
    if nul_even >= 0.3 and nul_odd <= 0.02:
        return "utf-16-be"
    return None


def _decode_guess(data: bytes) -> tuple[str, str]:
    r"""Decode bytes without a BOM: UTF-16 by NUL pattern, strict UTF-8, mostly-UTF-8, then cp1252.

    >>> _decode_guess(b"M\xc3\xb8te\x00dato")
    ('Møte\x00dato', 'utf-8')
    """
    encoding = _utf16_by_nuls(data) if b"\x00" in data else None
    if encoding is not None:
        return data.decode(encoding, errors="replace"), encoding
    # Stray NULs in 8-bit text are junk characters: decode_text refuses the file if there are many.
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    utf8_sequences = len(_UTF8_SEQ_RE.findall(data))
    bad_bytes = len(data.decode("utf-8", errors="replace")) - len(data.decode("utf-8", errors="ignore"))
    if utf8_sequences > bad_bytes:  # a UTF-8 file with a few stray Windows bytes pasted in
        return data.decode("utf-8", errors="minutes-cp1252"), "utf-8+cp1252"
    return _cp1252(data), "cp1252"


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode the bytes of a text file; return the text and the name of the encoding found.

    BOMs first, then UTF-16 by its NUL-byte pattern, then strict UTF-8, then Windows-1252
    (Latin-1 for the few bytes cp1252 leaves undefined). Binary data raises UnreadableDocument.

    >>> decode_text("møte".encode())
    ('møte', 'utf-8')
    >>> decode_text(b"m\\xf8te")
    ('møte', 'cp1252')
    >>> decode_text("\\ufeffmøte".encode("utf-16-le"))
    ('møte', 'utf-16')
    >>> decode_text("møte".encode("utf-16-be"))
    ('møte', 'utf-16-be')
    """
    if not data:
        raise UnreadableDocument("empty file (0 bytes)")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text, found = data.decode(encoding, errors="replace"), encoding
            break
    else:
        text, found = _decode_guess(data)
    if text and len(_JUNK_RE.findall(text)) / len(text) > _JUNK_SHARE:
        raise UnreadableDocument("not a text file: it contains binary data")
    return text, found


def _split_pages(text: str) -> tuple[Page, ...]:
    r"""Form feeds separate pages; a trailing ``\f`` (as pdftotext writes) makes no extra page."""
    parts = text.split("\f")
    if len(parts) > 1 and not parts[-1].strip():
        parts.pop()
    return tuple(Page(number, part) for number, part in enumerate(parts, start=1))


@_plain_errors("text file")
def read_text_file(path: Path) -> RawDocument:
    """Read a .txt/.md file: detect its encoding, unify line ends, split pages on form feeds."""
    text, encoding = decode_text(path.read_bytes())
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    fmt = "md" if path.suffix.lower() == ".md" else "txt"
    return RawDocument(pages=_split_pages(text), encoding=encoding, format=fmt, text_source="text")


# --------------------------------------------------------------------------- PDF


#: Path objects (lines, rectangles) a page needs before pdfplumber looks for a ruled table on it:
#: pdfplumber's table finder follows drawn lines, so a page without them has no table to find.
MIN_RULE_OBJECTS = 4


def _page_has_rules(page: Any) -> bool:
    """True when the page draws enough lines or boxes to hold a ruled table."""
    import pypdfium2.raw as pdfium_c

    objects = page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=2)
    return sum(1 for _, _ in zip(range(MIN_RULE_OBJECTS), objects)) >= MIN_RULE_OBJECTS


def _page_has_image(page: Any) -> bool:
    """True when the page shows an image (a page with no text and no image is simply blank)."""
    import pypdfium2.raw as pdfium_c

    return next(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3), None) is not None


def _pdfium_error(exc: Exception) -> UnreadableDocument:
    """A plain message for a pypdfium2 load error (its err_code follows FPDF_GetLastError)."""
    import pypdfium2.raw as pdfium_c

    messages = {
        pdfium_c.FPDF_ERR_PASSWORD: "encrypted PDF: needs a password",
        pdfium_c.FPDF_ERR_SECURITY: "encrypted PDF: unsupported security handler",
        pdfium_c.FPDF_ERR_FORMAT: "damaged PDF: not a valid PDF structure (truncated or corrupt)",
    }
    return UnreadableDocument(messages.get(getattr(exc, "err_code", None), f"damaged PDF: {_short(exc)}"))


def _clean_pdf_text(text: str) -> str:
    """pdfium's \\r\\n become \\n; its line-end hyphen U+FFFE becomes "-" and keeps the line break."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return re.sub("\ufffe\n?", "-\n", text)


def _likely_table(text: str) -> bool:
    lowered = text.lower()
    return any(marker in lowered for marker in TABLE_MARKERS)


def _clean_cell(cell: str | None) -> str:
    return "" if cell is None else re.sub(r"\s*\n\s*", " ", str(cell)).strip()


def _clean_rows(rows: list[list[str | None]]) -> tuple[tuple[str, ...], ...]:
    cleaned = (tuple(_clean_cell(cell) for cell in row) for row in rows)
    return tuple(row for row in cleaned if any(row))


def _pdf_tables(path: Path, page_numbers: list[int]) -> tuple[Table, ...]:
    """pdfplumber's tables on the given 1-based pages; best effort: a page it cannot parse has none."""
    import pdfplumber

    tables: list[Table] = []
    try:
        with pdfplumber.open(path) as pdf:
            for number in page_numbers:
                page = pdf.pages[number - 1]
                try:
                    found = page.extract_tables()
                    tables.extend(Table(number, rows) for rows in map(_clean_rows, found) if rows)
                except Exception:  # noqa: BLE001 - pdfminer cannot parse this page; its text is read
                    pass
                finally:
                    page.close()
    except Exception:  # noqa: BLE001 - pdfminer cannot open what pdfium read: keep the text
        pass
    return tuple(tables)


def _pdf_pages(path: Path) -> tuple[tuple[Page, ...], int, list[Table], list[int]]:
    """Text per page, how many pages were read by OCR, the ruled tables read on pages that may hold
    a participant table (a marker word in the text and lines drawn), and the pages where lines were
    drawn but formed no table (left to pdfplumber). A page without a usable text layer
    that shows an image is a scan: Tesseract reads it (``pipeline.ocr``). A document made only of
    such pages fails with an install hint when Tesseract is missing; a mixed one keeps its text."""
    import pypdfium2 as pdfium

    from pipeline import ocr

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise _pdfium_error(exc) from exc
    try:
        pages, scanned, read_by_ocr = [], 0, 0
        tables: list[Table] = []
        unsure: list[int] = []
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            try:
                text = _clean_pdf_text(textpage.get_text_range())
                if ocr.needs_ocr(text) and _page_has_image(page):
                    scanned += 1
                    if ocr.tesseract_language() is not None:
                        text = ocr.ocr_page(page)
                        read_by_ocr += 1
                pages.append(Page(index + 1, text))
                if _likely_table(text) and _page_has_rules(page):
                    found = page_tables(page, textpage, index + 1)
                    tables += found
                    if not found:
                        unsure.append(index + 1)
            finally:
                textpage.close()
                page.close()
        if scanned and not read_by_ocr and not any(p.text.strip() for p in pages):
            raise UnreadableDocument(f"scanned PDF without a text layer: {ocr.INSTALL_HINT}")
        return tuple(pages), read_by_ocr, tables, unsure
    except pdfium.PdfiumError as exc:
        raise UnreadableDocument(f"damaged PDF: {_short(exc)}") from exc
    finally:
        pdf.close()


@_plain_errors("PDF")
def read_pdf(path: Path) -> RawDocument:
    """Read a PDF: text per page with pypdfium2 (Tesseract for scanned pages), ruled tables from
    the page's lines (``pipeline.pdftables``) on likely pages, pdfplumber where those fail."""
    _require_content(path)
    pages, read_by_ocr, tables, unsure = _pdf_pages(path)
    if not pages:
        raise UnreadableDocument("damaged PDF: it has no pages")
    if unsure:
        tables += _pdf_tables(path, unsure)
    source = "ocr" if read_by_ocr == len(pages) else "text+ocr" if read_by_ocr else "text"
    return RawDocument(pages=pages, tables=tuple(tables), format="pdf", text_source=source)


# --------------------------------------------------------------------------- DOCX


def _numbered(ppr: Any) -> bool:
    """True when a w:pPr carries numbering properties with a real numId (numId 0 switches it off)."""
    num_pr = getattr(ppr, "numPr", None)
    return num_pr is not None and (num_pr.numId is None or num_pr.numId.val != 0)


#: The runs of a paragraph whose text is read: every run inside it (also those in tracked insertions,
#: smart tags, inline content controls, simple fields, hyperlinks and custom XML, which
#: python-docx's ``Paragraph.text`` leaves out), but not deleted or moved-away text, nor text boxes
#: (python-docx leaves those out too). Field codes are ``w:instrText``, not text: never read.
_RUNS_XPATH = ".//w:r[not(ancestor::w:del) and not(ancestor::w:moveFrom) and not(ancestor::w:txbxContent)]"


def _paragraph_text(p: Any) -> str:
    """The text of a ``w:p`` element: its runs' text (tabs and breaks as python-docx gives them)."""
    return "".join(run.text for run in p.xpath(_RUNS_XPATH))


def _paragraph_line(paragraph: Paragraph) -> str:
    """A paragraph's text; list paragraphs (by style or numbering) get a "• " prefix."""
    text, style = _paragraph_text(paragraph._p), paragraph.style
    name = (style.name or "").lower() if style is not None else ""
    if name.startswith(("heading", "overskrift", "title", "tittel")):
        return text
    is_list = "list" in name or _numbered(paragraph._p.pPr)
    if not is_list and style is not None:
        is_list = _numbered(style.element.pPr)
    return f"• {text}" if is_list and text.strip() else text


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
                cells = (_clean_cell(_block_text(tc)) for tc in tr.iterchildren(qn("w:tc")))
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
            cells.append(_clean_cell(_block_text(cell._tc)))
        if any(cells):
            rows.append(tuple(cells))
    return tuple(rows)


def _walk_body(element: Any, doc: Any, lines: list[str], tables: list[Table]) -> None:
    """Paragraphs and tables in reading order; content controls (w:sdt) and custom XML are looked into."""
    from docx.oxml.ns import qn
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    for child in element.iterchildren():
        if child.tag == qn("w:p"):
            lines.append(_paragraph_line(Paragraph(child, doc)))
        elif child.tag == qn("w:tbl"):
            rows = _docx_rows(DocxTable(child, doc))
            lines.extend("\t".join(row) for row in rows)
            if rows:
                tables.append(Table(1, rows))
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                _walk_body(content, doc, lines, tables)
        elif child.tag == qn("w:customXml"):  # a block of custom XML around paragraphs and tables
            _walk_body(child, doc, lines, tables)


def _require_sane_unpacked_size(path: Path) -> None:
    """Refuse a zip bomb: a .docx whose parts unpack to more than :data:`MAX_FILE_BYTES` (the sizes
    in the zip directory bound what zipfile will ever inflate)."""
    with zipfile.ZipFile(path) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > MAX_FILE_BYTES:
        raise UnreadableDocument(f"file too large: the Word file unpacks to {unpacked / 2**20:.0f} MB "
                                 f"(minutes reads files up to {MAX_FILE_BYTES // 2**20} MB)")


@contextlib.contextmanager
def _huge_text_nodes() -> Iterator[None]:
    """python-docx's XML parser, allowed text nodes over libxml2's 10 MB (``huge_tree``): a Word file
    with a long text in one run is large, not damaged. Entities stay unresolved, and the sizes are
    bounded before (:func:`_require_sane_unpacked_size`) and after (:data:`MAX_TEXT_CHARS`)."""
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


@_plain_errors("Word file")
def read_docx(path: Path) -> RawDocument:
    """Read a .docx body (not headers/footers) as one page; tables also as :class:`Table` rows."""
    import docx
    from lxml import etree

    _require_content(path)
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
        _walk_body(doc.element.body, doc, lines, tables)
    except OSError:
        raise
    except KeyError as exc:
        raise UnreadableDocument(f"damaged Word file: a part is missing ({_short(exc)})") from exc
    except Exception as exc:  # noqa: BLE001 - zip, XML and python-docx errors alike
        raise UnreadableDocument(f"damaged Word file: {_short(exc)}") from exc
    return RawDocument(pages=(Page(1, "\n".join(lines)),), tables=tuple(tables), format="docx")


# --------------------------------------------------------------------------- dispatch

#: suffix (lower case) -> reader. The one registry: add a format here.
READERS: dict[str, Reader] = {
    ".txt": read_text_file, ".text": read_text_file, ".md": read_text_file,
    ".pdf": read_pdf, ".docx": read_docx,
}


def read_document(path: Path) -> RawDocument:
    """Read any supported file by its suffix; raise UnsupportedFormat or UnreadableDocument otherwise."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".doc":
        raise UnsupportedFormat("old Word .doc format: save it as .docx or PDF")
    reader = READERS.get(suffix)
    if reader is None:
        kind = f"file type '{suffix}'" if suffix else "file without a suffix"
        raise UnsupportedFormat(f"unsupported {kind}: minutes reads .pdf, .docx, .txt and .md")
    return reader(path)
