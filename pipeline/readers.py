"""Readers: turn one input file (.txt/.md, .pdf, .docx) into a :class:`RawDocument`.

Text per page as the file has it (decoded, ``\\n`` line ends; cleaning is the normaliser's job),
plus tables as rows of cell strings. PDF text comes from pypdfium2; pdfplumber runs only on pages
whose text suggests a participant or voting table (``TABLE_MARKERS``). :func:`read_document`
dispatches through :data:`READERS`; every problem is an :class:`UnsupportedFormat` or
:class:`UnreadableDocument` with a short plain message, never a library error. Files that are not
regular files (a FIFO would block), bigger than :data:`MAX_FILE_BYTES` or holding more than
:data:`MAX_TEXT_CHARS` characters are refused (:mod:`pipeline.reader_base`, shared with the Word reader
of :mod:`pipeline.docx_reader`); a PDF with images but no text is a scan needing OCR.
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import Any

from pipeline.docx_reader import read_docx
from pipeline.errors import UnreadableDocument, UnsupportedFormat
from pipeline.models import Page, RawDocument, Table
from pipeline.pdftables import page_objects, page_tables
from pipeline.reader_base import (
    MAX_FILE_BYTES,
    MAX_TEXT_CHARS,
    Reader,
    clean_cell,
    plain_errors,
    require_content,
    short_message,
)

__all__ = ["MAX_FILE_BYTES", "MAX_TEXT_CHARS", "READERS", "TABLE_MARKERS", "Reader", "decode_text", "read_docx",
           "read_document", "read_pdf", "read_text_file"]

#: Words (lower case) of attendance lists that make a PDF page worth a pdfplumber table pass (it
#: costs some 0.25 s a page, so only where a participant table is likely; a "Behandlet av /
#: Møtedato" table reads well enough as text lines).
TABLE_MARKERS = (
    "til stede", "tilstede", "til stades", "deltakere", "deltagere", "møtende", "møtande", "forfall",
    "frammøtte", "fremmøtte", "desse møtte", "følgende medlemmer", "varamedlem",
)

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


@plain_errors("text file")
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

    objects = page_objects(page, pdfium_c.FPDF_PAGEOBJ_PATH, max_depth=2)
    return sum(1 for _, _ in zip(range(MIN_RULE_OBJECTS), objects)) >= MIN_RULE_OBJECTS


def _page_has_image(page: Any) -> bool:
    """True when the page shows an image (a page with no text and no image is simply blank)."""
    import pypdfium2.raw as pdfium_c

    return next(page_objects(page, pdfium_c.FPDF_PAGEOBJ_IMAGE, max_depth=3), None) is not None


def _pdfium_error(exc: Exception) -> UnreadableDocument:
    """A plain message for a pypdfium2 load error (its err_code follows FPDF_GetLastError)."""
    import pypdfium2.raw as pdfium_c

    messages = {
        pdfium_c.FPDF_ERR_PASSWORD: "encrypted PDF: needs a password",
        pdfium_c.FPDF_ERR_SECURITY: "encrypted PDF: unsupported security handler",
        pdfium_c.FPDF_ERR_FORMAT: "damaged PDF: not a valid PDF structure (truncated or corrupt)",
    }
    return UnreadableDocument(messages.get(getattr(exc, "err_code", None), f"damaged PDF: {short_message(exc)}"))


def _clean_pdf_text(text: str) -> str:
    """pdfium's \\r\\n become \\n; its line-end hyphen U+FFFE becomes "-" and keeps the line break."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return re.sub("\ufffe\n?", "-\n", text)


def _likely_table(text: str) -> bool:
    lowered = text.lower()
    return any(marker in lowered for marker in TABLE_MARKERS)


def _clean_rows(rows: list[list[str | None]]) -> tuple[tuple[str, ...], ...]:
    cleaned = (tuple(clean_cell(cell) for cell in row) for row in rows)
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
        raise UnreadableDocument(f"damaged PDF: {short_message(exc)}") from exc
    finally:
        pdf.close()


@plain_errors("PDF")
def read_pdf(path: Path) -> RawDocument:
    """Read a PDF: text per page with pypdfium2 (Tesseract for scanned pages), ruled tables from
    the page's lines (``pipeline.pdftables``) on likely pages, pdfplumber where those fail."""
    require_content(path)
    pages, read_by_ocr, tables, unsure = _pdf_pages(path)
    if not pages:
        raise UnreadableDocument("damaged PDF: it has no pages")
    if unsure:
        tables += _pdf_tables(path, unsure)
    source = "ocr" if read_by_ocr == len(pages) else "text+ocr" if read_by_ocr else "text"
    return RawDocument(pages=pages, tables=tuple(tables), format="pdf", text_source=source)


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
