"""A text PDF through the whole pipeline: page numbers kept, a participant table read with its
cells (pdfplumber on that page), running headers and page numbers gone."""
from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.cli import main

fpdf = pytest.importorskip("fpdf")


def _minutes_pdf(path: Path) -> None:
    pdf = fpdf.FPDF()
    pdf.set_font("Helvetica", size=11)
    people = [("Fornavn", "Etternavn", "Organisasjon"), ("Kari", "Nordmann", "Vang kommune"),
              ("Per Arne", "Hansen", "Hallingdal IPR"), ("Ingrid", "Dahl", "Regionrådet i Valdres")]
    for page in (1, 2):
        pdf.add_page()
        pdf.cell(0, 8, "Referat - Regionrådet i Valdres", new_x="LMARGIN", new_y="NEXT")
        if page == 1:
            pdf.cell(0, 8, "Referat fra møte i regionrådet", new_x="LMARGIN", new_y="NEXT")
            pdf.cell(0, 8, "Tid: 19. november 2024 kl. 10.00", new_x="LMARGIN", new_y="NEXT")
            pdf.cell(0, 8, "Deltakere:", new_x="LMARGIN", new_y="NEXT")
            with pdf.table(first_row_as_headings=False) as table:
                for row in people:
                    cells = table.row()
                    for value in row:
                        cells.cell(value)
            pdf.ln(4)
            pdf.cell(0, 8, "1. Godkjenning av innkalling", new_x="LMARGIN", new_y="NEXT")
            pdf.cell(0, 8, "Godkjent.", new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.cell(0, 8, "2. Kraft og nett i regionen", new_x="LMARGIN", new_y="NEXT")
            pdf.cell(0, 8, "Vedtak:", new_x="LMARGIN", new_y="NEXT")
            pdf.cell(0, 8, "Regionrådet ber om økt nettkapasitet i Valdres.", new_x="LMARGIN", new_y="NEXT")
        pdf.cell(0, 8, f"Side {page} av 2", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


def _rows(out: Path, table: str) -> list[dict]:
    with (out / "tables" / f"{table}.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _run_on(tmp_path: Path, name: str, make: Callable[[Path], None]) -> Path:
    """Make one input file with ``make`` in a folder of its own, run the pipeline on it, return OUT."""
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    make(folder / name)
    assert main(["run", str(folder), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    return out


def test_minutes_pdf(tmp_path: Path) -> None:
    out = _run_on(tmp_path, "referat.pdf", _minutes_pdf)
    doc = _rows(out, "documents")[0]
    assert (doc["status"], doc["format"], doc["pages"], doc["doc_type"]) == ("ok", "pdf", "2", "minutes")
    assert doc["meeting_date"] == "2024-11-19"
    people = {p["name"]: (p["organisation"], p["attendance"]) for p in _rows(out, "participants")}
    assert people == {"Kari Nordmann": ("Vang kommune", "present"), "Per Arne Hansen": ("Hallingdal IPR", "present"),
                      "Ingrid Dahl": ("Regionrådet i Valdres", "present")}
    decisions = [(d["item"], d["text"], d["page"]) for d in _rows(out, "decisions")]
    assert decisions == [("1", "Godkjent.", "1"), ("2", "Regionrådet ber om økt nettkapasitet i Valdres.", "2")]
    text = (out / "text" / f"{doc['doc_id']}.txt").read_text(encoding="utf-8")
    assert "Side 1 av 2" not in text and "Referat - Regionrådet i Valdres" not in text


def _protocol_docx(path: Path) -> None:
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_heading("Møteprotokoll", level=1)
    d.add_paragraph("Utvalg: Formannskapet")
    d.add_paragraph("Møtedato: 12.02.2026")
    d.add_paragraph("Til stede:")
    table = d.add_table(rows=3, cols=3)
    for r, row in enumerate([("Navn", "Parti", "Rolle"), ("Kari Nordmann", "Ap", "ordfører"),
                             ("Per Hansen", "H", "medlem")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    d.add_paragraph("PS 3/26 Budsjett 2026")
    d.add_paragraph("Kommunedirektørens innstilling:")
    d.add_paragraph("Budsjettet vedtas.")
    d.add_paragraph("Vedtak:")
    d.add_paragraph("Innstillingen ble enstemmig vedtatt.")
    d.save(str(path))


def test_protocol_docx(tmp_path: Path) -> None:
    out = _run_on(tmp_path, "protokoll.docx", _protocol_docx)
    doc = _rows(out, "documents")[0]
    assert (doc["status"], doc["format"], doc["doc_type"], doc["body"], doc["meeting_date"]) == (
        "ok", "docx", "protocol", "Formannskapet", "2026-02-12")
    people = {p["name"]: (p["role"], p["attendance"]) for p in _rows(out, "participants")}
    assert people == {"Kari Nordmann": ("ordfører", "present"), "Per Hansen": ("medlem", "present")}
    decisions = [(d["item"], d["kind"], d["status"], d["text"], d["outcome"], d["unanimous"])
                 for d in _rows(out, "decisions")]
    assert decisions == [("3/26", "innstilling", "proposed", "Budsjettet vedtas.", "", ""),
                         ("3/26", "vedtak", "adopted", "Budsjettet vedtas.", "adopted as recommended", "true")]


FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")


def _scanned_pdf(path: Path, lines: list[str], turned: int = 0) -> None:
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (2480, 3508), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), 40)
    for k, line in enumerate(lines):
        draw.text((220, 300 + 80 * k), line, fill=0, font=font)
    image = image.rotate(turned)  # counter-clockwise; 180: upside down on the same A4 page
    png = path.with_suffix(".png")
    image.save(png)
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.image(str(png), x=0, y=0, w=210, h=297)
    pdf.output(str(path))
    png.unlink()


def test_scanned_pdf_is_read_by_tesseract(tmp_path: Path) -> None:
    from pipeline.ocr import tesseract_language

    if tesseract_language() is None or not FONT.exists():
        pytest.skip("needs tesseract-ocr with tesseract-ocr-nor (make system-deps) and fonts-dejavu")
    lines = ["Møteprotokoll for formannskapet", "Møtedato: 12.02.2026", "Til stede: Kari Nordmann (Ap), Per Hansen (H)",
             "PS 12/26 Budsjett for 2026", "Vedtak:", "Formannskapet går inn for økt satsing på skole og helse."]
    out = _run_on(tmp_path, "skannet.pdf", lambda path: _scanned_pdf(path, lines))
    doc = _rows(out, "documents")[0]
    assert (doc["status"], doc["text_source"], doc["meeting_date"]) == ("ok", "ocr", "2026-02-12")
    assert [d["text"] for d in _rows(out, "decisions")] == ["Formannskapet går inn for økt satsing på skole og helse."]
    assert {p["name"] for p in _rows(out, "participants")} == {"Kari Nordmann", "Per Hansen"}


def test_a_page_scanned_upside_down_is_turned_and_read(tmp_path: Path) -> None:
    """An upside-down scan read as nonsense: status ok, every table empty, no word of warning."""
    from pipeline.ocr import tesseract_language

    if tesseract_language() is None or not FONT.exists():
        pytest.skip("needs tesseract-ocr with tesseract-ocr-nor (make system-deps) and fonts-dejavu")
    lines = ["Møteprotokoll for formannskapet", "Møtedato: 12.02.2026", "Til stede: Kari Nordmann (Ap), Per Hansen (H)",
             "PS 12/26 Budsjett for 2026", "Vedtak:", "Formannskapet går inn for økt satsing på skole og helse.",
             "Saken ble drøftet, og rådmannen orienterte om den økonomiske situasjonen i kommunen.",
             "Formannskapet ber om en ny vurdering av tiltakene før neste møte i kommunestyret."]
    out = _run_on(tmp_path, "opp-ned.pdf", lambda path: _scanned_pdf(path, lines, turned=180))
    assert [d["text"] for d in _rows(out, "decisions")] == [
        "Formannskapet går inn for økt satsing på skole og helse."]
    assert _rows(out, "documents")[0]["meeting_date"] == "2026-02-12"
