"""Tests for pipeline.readers. Every fixture is generated in tmp_path (fpdf2, python-docx, zipfile)."""
from __future__ import annotations

import codecs
import random
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.errors import DocumentError, UnreadableDocument, UnsupportedFormat
from pipeline.models import Page, RawDocument, Table
from pipeline.readers import READERS, decode_text, read_document, read_docx, read_pdf, read_text_file

fpdf = pytest.importorskip("fpdf")
docx = pytest.importorskip("docx")

NORWEGIAN = "Møtet i regionrådet ble åpnet. Særlig viktig: økonomi."
PARTICIPANTS = [("Fornavn", "Etternavn", "Organisasjon"), ("Kari", "Nordmann", "Bodø kommune"),
                ("Ola", "Ås", "Nordland fylkeskommune")]


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --------------------------------------------------------------------------- text: encodings

ENCODING_CASES = [
    ("utf-8", "Møte i styret".encode(), "Møte i styret", "utf-8"),
    ("utf-8 with BOM", codecs.BOM_UTF8 + "Møte æøå".encode(), "Møte æøå", "utf-8-sig"),
    ("utf-16 LE with BOM", codecs.BOM_UTF16_LE + "Særlig møte".encode("utf-16-le"), "Særlig møte", "utf-16"),
    ("utf-16 BE with BOM", codecs.BOM_UTF16_BE + "Særlig møte".encode("utf-16-be"), "Særlig møte", "utf-16"),
    ("utf-16 LE no BOM", "Referat fra møtet".encode("utf-16-le"), "Referat fra møtet", "utf-16-le"),
    ("utf-16 BE no BOM", "Referat fra møtet".encode("utf-16-be"), "Referat fra møtet", "utf-16-be"),
    ("utf-16 LE no BOM, ASCII only", "Referat".encode("utf-16-le"), "Referat", "utf-16-le"),
    ("cp1252 møte", b"m\xf8te", "møte", "cp1252"),
    ("cp1252 quotes and dash", b"\x93Vedtak\x94 \x96 \xe6\xf8\xe5", "“Vedtak” – æøå", "cp1252"),
    ("latin-1 byte cp1252 leaves undefined", b"\xc5s\x81", "Ås\x81", "cp1252"),
    ("utf-8, stray cp1252 byte", "Særlig møte på".encode() + b" \xe6", "Særlig møte på æ", "utf-8+cp1252"),
    ("ascii", b"Saksliste", "Saksliste", "utf-8"),
]
ENCODING_IDS = [case[0] for case in ENCODING_CASES]


@pytest.mark.parametrize(("label", "data", "text", "encoding"), ENCODING_CASES, ids=ENCODING_IDS)
def test_decode_text(label: str, data: bytes, text: str, encoding: str) -> None:
    assert decode_text(data) == (text, encoding)


@pytest.mark.parametrize(("label", "data", "text", "encoding"), ENCODING_CASES, ids=ENCODING_IDS)
def test_read_text_file_encodings(tmp_path: Path, label: str, data: bytes, text: str, encoding: str) -> None:
    doc = read_text_file(write(tmp_path, "a.txt", data))
    assert doc == RawDocument(pages=(Page(1, text),), encoding=encoding, format="txt", text_source="text")


@pytest.mark.parametrize(
    ("data", "text"),
    [(b"\xe5", "å"), (b"\xf8y", "øy"), (b"Ski\xe6r", "Skiær"), (b"\xc6re", "Ære"), (b"M\xf8te", "Møte"),
     (b"\xd8st", "Øst"), (b"Bod\xf8 og \xc5s", "Bodø og Ås")],
)
def test_short_norwegian_cp1252_is_never_an_exotic_encoding(data: bytes, text: str) -> None:
    assert decode_text(data) == (text, "cp1252")


def test_utf8_norwegian_never_becomes_mojibake() -> None:
    text, encoding = decode_text("møte på Særlig økonomi".encode())
    assert (text, encoding) == ("møte på Særlig økonomi", "utf-8")
    assert "Ã" not in text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzæøåÆØÅéABCXYZ .,:;-()0123456789\n", min_size=1))
def test_norwegian_text_round_trips_in_utf8_and_cp1252(text: str) -> None:
    assert decode_text(text.encode("utf-8"))[0] == text
    assert decode_text(text.encode("cp1252"))[0] == text


# --------------------------------------------------------------------------- text: errors and pages


def test_binary_junk_is_refused(tmp_path: Path) -> None:
    junk = random.Random(0).randbytes(4096)
    with pytest.raises(UnreadableDocument, match="^not a text file: it contains binary data$"):
        read_document(write(tmp_path, "junk.txt", junk))


def test_png_renamed_txt_is_refused(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"
    png += random.Random(1).randbytes(300) + b"\x00\x00\x00\x00IEND\xaeB`\x82"
    with pytest.raises(UnreadableDocument, match="binary data"):
        read_document(write(tmp_path, "bilde.md", png))


def test_control_bytes_without_nul_are_refused() -> None:
    with pytest.raises(UnreadableDocument, match="binary data"):
        decode_text(bytes(range(1, 32)) * 20 + b"tekst")


@pytest.mark.parametrize("name", ["empty.txt", "empty.pdf", "empty.docx"])
def test_empty_file(tmp_path: Path, name: str) -> None:
    with pytest.raises(UnreadableDocument, match=r"^empty file \(0 bytes\)$"):
        read_document(write(tmp_path, name, b""))


def test_form_feed_pages_and_line_ends(tmp_path: Path) -> None:
    data = "Side én\r\nlinje to\fSide to\rlinje\fSide tre\n\f".encode()
    doc = read_document(write(tmp_path, "referat.MD", data))
    assert doc.pages == (Page(1, "Side én\nlinje to"), Page(2, "Side to\nlinje"), Page(3, "Side tre\n"))
    assert (doc.format, doc.encoding, doc.text_source) == ("md", "utf-8", "text")


def test_text_is_not_otherwise_changed(tmp_path: Path) -> None:
    text = "  Sak 12/24\t–\u00a0vedtak \uf0b7 punkt  \n\n"
    assert read_document(write(tmp_path, "a.text", text.encode())).pages == (Page(1, text),)


def test_directory_is_reported_as_cannot_open(tmp_path: Path) -> None:
    for name in ("mappe.txt", "mappe.pdf", "mappe.docx"):
        (tmp_path / name).mkdir()
        with pytest.raises(UnreadableDocument, match="^cannot open file: ") as info:
            read_document(tmp_path / name)
        assert isinstance(info.value.__cause__, OSError)


def test_missing_file_is_reported_as_cannot_open(tmp_path: Path) -> None:
    with pytest.raises(UnreadableDocument, match="^cannot open file: No such file"):
        read_document(tmp_path / "borte.pdf")


# --------------------------------------------------------------------------- PDF


def make_pdf(path: Path, pages: list[str], table_page: int | None = None,
             user_password: str | None = None) -> Path:
    """One page per string (Helvetica, latin-1); on ``table_page`` (1-based) a bordered participant table."""
    pdf = fpdf.FPDF()
    if user_password is not None:
        pdf.set_encryption(owner_password="eier", user_password=user_password)
    pdf.set_font("Helvetica", size=12)
    for number, text in enumerate(pages, start=1):
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
        if number == table_page:
            pdf.ln(4)
            with pdf.table() as table:
                for cells in PARTICIPANTS:
                    row = table.row()
                    for cell in cells:
                        row.cell(cell)
    pdf.output(str(path))
    return path


def test_pdf_text_pages_and_norwegian_words(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "møte.pdf", [NORWEGIAN, "Sak 2: Budsjett for fylkeskommunen."])
    doc = read_document(path)
    assert [page.number for page in doc.pages] == [1, 2]
    assert doc.pages[0].text == NORWEGIAN
    assert "fylkeskommunen" in doc.pages[1].text and "Møtet" not in doc.pages[1].text
    assert (doc.format, doc.text_source, doc.tables) == ("pdf", "text", ())


def test_pdf_crlf_becomes_lf(tmp_path: Path) -> None:
    doc = read_pdf(make_pdf(tmp_path / "a.pdf", ["Første linje\nAndre linje"]))
    assert doc.pages[0].text == "Første linje\nAndre linje"


def test_pdf_line_end_hyphen_becomes_dash_and_line_break(tmp_path: Path) -> None:
    doc = read_pdf(make_pdf(tmp_path / "a.pdf", ["Vedtak i fylkes-\nkommunen ble gjort."]))
    assert doc.pages[0].text == "Vedtak i fylkes-\nkommunen ble gjort."
    assert "\ufffe" not in doc.pages[0].text


def test_pdf_participant_table_after_til_stede(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "protokoll.pdf", [NORWEGIAN, "Til stede:"], table_page=2)
    doc = read_document(path)
    assert doc.tables == (Table(page=2, rows=tuple(PARTICIPANTS)),)
    assert "Kari Nordmann" in doc.pages[1].text


def test_pdf_table_without_marker_is_not_extracted(tmp_path: Path) -> None:
    doc = read_pdf(make_pdf(tmp_path / "a.pdf", ["Oversikt over kostnader"], table_page=1))
    assert "Kari" in doc.pages[0].text
    assert doc.tables == ()


def test_pdf_encrypted_needs_password(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "hemmelig.pdf", [NORWEGIAN], user_password="secret")
    with pytest.raises(UnreadableDocument, match="^encrypted PDF: needs a password$"):
        read_document(path)


def test_pdf_encrypted_with_empty_user_password_reads(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "åpen.pdf", [NORWEGIAN, "Til stede:"], table_page=2, user_password="")
    assert b"/Encrypt" in path.read_bytes()
    doc = read_document(path)
    assert doc.pages[0].text == NORWEGIAN
    assert doc.tables == (Table(page=2, rows=tuple(PARTICIPANTS)),)


def test_pdf_truncated_is_damaged(tmp_path: Path) -> None:
    data = make_pdf(tmp_path / "full.pdf", [NORWEGIAN, "Side to"]).read_bytes()
    with pytest.raises(UnreadableDocument, match="^damaged PDF: ") as info:
        read_document(write(tmp_path, "halv.pdf", data[: len(data) // 2]))
    assert info.value.__cause__ is not None


def test_pdf_that_is_not_a_pdf_is_damaged(tmp_path: Path) -> None:
    with pytest.raises(UnreadableDocument, match="^damaged PDF: "):
        read_document(write(tmp_path, "a.pdf", b"Dette er bare tekst, ikke PDF."))


def test_pdf_without_text_keeps_its_pages(tmp_path: Path) -> None:
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 50, 30, style="F")
    pdf.add_page()
    pdf.output(str(tmp_path / "skann.pdf"))
    doc = read_document(tmp_path / "skann.pdf")
    assert doc.pages == (Page(1, ""), Page(2, ""))


def test_unexpected_library_error_becomes_unreadable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pypdfium2

    path = make_pdf(tmp_path / "a.pdf", [NORWEGIAN])

    def boom(*args: object, **kwargs: object) -> None:
        raise ValueError("something odd inside the library")

    monkeypatch.setattr(pypdfium2, "PdfDocument", boom)
    with pytest.raises(UnreadableDocument, match="^cannot read this PDF: something odd") as info:
        read_document(path)
    assert isinstance(info.value.__cause__, ValueError)


def test_pdf_table_failure_keeps_the_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pdfplumber.page

    path = make_pdf(tmp_path / "a.pdf", ["Til stede:"], table_page=1)

    def boom(self: object, *args: object) -> None:
        raise RuntimeError("pdfminer trouble")

    monkeypatch.setattr(pdfplumber.page.Page, "extract_tables", boom)
    monkeypatch.setattr("pipeline.readers.page_tables", lambda *args: [])  # the fast reader finds none
    doc = read_document(path)
    assert doc.tables == () and "Kari" in doc.pages[0].text


def test_ruled_table_read_without_pdfplumber(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pdfplumber.page

    path = make_pdf(tmp_path / "a.pdf", ["Til stede:"], table_page=1)
    monkeypatch.setattr(pdfplumber.page.Page, "extract_tables", lambda *args: pytest.fail("pdfplumber used"))
    doc = read_document(path)
    assert any("Kari" in " ".join(row) for table in doc.tables for row in table.rows)


# --------------------------------------------------------------------------- DOCX


def make_docx(path: Path) -> Path:
    document = docx.Document()
    document.add_heading("Referat fra regionrådet", level=1)
    document.add_paragraph("Møtet ble åpnet av leder.")
    document.add_paragraph("Godkjenning av innkalling", style="List Bullet")
    table = document.add_table(rows=0, cols=3)
    for cells in PARTICIPANTS:
        row = table.add_row()
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    document.add_paragraph("Vedtak: Saken ble enstemmig vedtatt.")
    document.sections[0].footer.paragraphs[0].text = "Side 1 av 1"
    document.save(str(path))
    return path


def test_docx_reading_order_list_and_table(tmp_path: Path) -> None:
    doc = read_document(make_docx(tmp_path / "referat.docx"))
    assert doc.pages == (Page(1, "\n".join([
        "Referat fra regionrådet",
        "Møtet ble åpnet av leder.",
        "• Godkjenning av innkalling",
        "Fornavn\tEtternavn\tOrganisasjon",
        "Kari\tNordmann\tBodø kommune",
        "Ola\tÅs\tNordland fylkeskommune",
        "Vedtak: Saken ble enstemmig vedtatt.",
    ])),)
    assert doc.tables == (Table(page=1, rows=tuple(PARTICIPANTS)),)
    assert (doc.format, doc.text_source) == ("docx", "text")


def test_docx_each_paragraph_read_by_its_own_style(tmp_path: Path) -> None:
    """The reader looks each style up once per document: paragraphs of the same style, of
    another and of none, interleaved, each keep what their own style makes of them."""
    document = docx.Document()
    for text, style in [("Sak 1", "Heading 1"), ("Innkalling", "List Bullet"), ("Åpning", None),
                        ("Saksliste", "List Bullet"), ("Sak 2", "Heading 1"), ("Vedtak", None), ("Referat", "List Number")]:
        document.add_paragraph(text, style=style)
    document.save(str(tmp_path / "stiler.docx"))
    doc = read_document(tmp_path / "stiler.docx")
    assert doc.pages[0].text.split("\n") == ["Sak 1", "• Innkalling", "Åpning", "• Saksliste", "Sak 2", "Vedtak", "• Referat"]


@pytest.mark.parametrize(("default", "expected"), [("1", "Innkalling"), ("on", "• Innkalling"), ("true", "• Innkalling")])
def test_docx_default_paragraph_style_is_the_last_marked_default(tmp_path: Path, default: str, expected: str) -> None:
    """A paragraph without a style has the document's default paragraph style, as python-docx finds
    it: the last paragraph style marked default ("1", "true" or "on"), here a list style after Normal."""
    from docx.oxml.ns import qn

    document = docx.Document()
    document.styles["List Bullet"].element.set(qn("w:default"), "0" if default == "1" else default)
    document.add_paragraph("Innkalling")
    document.save(str(tmp_path / "standard.docx"))
    assert read_document(tmp_path / "standard.docx").pages[0].text == expected


def test_docx_default_style_python_docx_refuses_is_a_damaged_file(tmp_path: Path) -> None:
    from docx.oxml.ns import qn

    document = docx.Document()
    document.styles["List Bullet"].element.set(qn("w:default"), "yes")
    document.add_paragraph("Innkalling")
    document.save(str(tmp_path / "feil.docx"))
    with pytest.raises(UnreadableDocument, match="damaged Word file"):
        read_document(tmp_path / "feil.docx")


def test_docx_merged_cells_and_multi_paragraph_cells(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "Til stede"
    for col, text in enumerate(["Kari", "Nordmann", "leder"]):
        table.cell(1, col).text = text
    table.cell(2, 0).text = "Ola"
    table.cell(2, 1).text = "Ås"
    table.cell(2, 2).add_paragraph("varamedlem")
    document.save(str(tmp_path / "a.docx"))
    doc = read_docx(tmp_path / "a.docx")
    assert doc.tables[0].rows == (("Til stede",), ("Kari", "Nordmann", "leder"), ("Ola", "Ås", "varamedlem"))
    assert doc.pages[0].text.splitlines() == ["Til stede", "Kari\tNordmann\tleder", "Ola\tÅs\tvaramedlem"]


def test_docx_numbering_properties_make_a_list_item(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("Nummerert punkt")
    ppr = paragraph._p.get_or_add_pPr()
    num_pr = ppr._add_numPr()
    num_pr._add_ilvl(val=0)
    num_pr._add_numId(val=1)
    document.add_paragraph("Vanlig avsnitt")
    document.save(str(tmp_path / "a.docx"))
    assert read_docx(tmp_path / "a.docx").pages[0].text == "• Nummerert punkt\nVanlig avsnitt"


def test_docx_plain_text_is_not_a_word_file(tmp_path: Path) -> None:
    with pytest.raises(UnreadableDocument, match="^not a Word file: the .docx is not a valid zip archive$"):
        read_document(write(tmp_path, "a.docx", b"Dette er bare tekst."))


def test_docx_garbage_document_xml_is_damaged(tmp_path: Path) -> None:
    source = make_docx(tmp_path / "ok.docx")
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            garbage = item.filename == "word/document.xml"
            dst.writestr(item, b"<w:document <<< not xml" if garbage else src.read(item.filename))
    with pytest.raises(UnreadableDocument, match="^damaged Word file: ") as info:
        read_document(broken)
    assert info.value.__cause__ is not None


def test_docx_zip_without_document_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "tom.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "hei")
    with pytest.raises(UnreadableDocument, match="^damaged Word file: "):
        read_document(path)


# --------------------------------------------------------------------------- dispatch


def test_unsupported_suffix(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedFormat) as info:
        read_document(write(tmp_path, "budsjett.xls", b"x"))
    assert str(info.value) == "unsupported file type '.xls': minutes reads .pdf, .docx, .txt and .md"


def test_old_word_doc(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedFormat) as info:
        read_document(write(tmp_path, "referat.DOC", b"\xd0\xcf\x11\xe0"))
    assert str(info.value) == "old Word .doc format: save it as .docx or PDF"


def test_suffix_is_case_insensitive_and_registry_is_complete(tmp_path: Path) -> None:
    assert set(READERS) == {".txt", ".text", ".md", ".pdf", ".docx"}
    make_pdf(tmp_path / "A.PDF", [NORWEGIAN])
    assert read_document(tmp_path / "A.PDF").format == "pdf"
    assert read_document(write(tmp_path, "B.TXT", b"hei")).format == "txt"


def test_all_errors_are_document_errors(tmp_path: Path) -> None:
    cases = [write(tmp_path, "a.pdf", b"%PDF-1.7\n%%EOF"), write(tmp_path, "b.docx", b"PK\x03\x04junk"),
             write(tmp_path, "c.txt", b"\x00\x01\x02\x03" * 50), write(tmp_path, "d", b"x")]
    for path in cases:
        with pytest.raises(DocumentError):
            read_document(path)
