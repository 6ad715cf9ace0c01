"""The workbook (``pipeline.export.xlsx``): what is stored, read back with openpyxl and pandas, and
rendered by LibreOffice."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zipfile
from dataclasses import astuple, replace
from pathlib import Path
from urllib.parse import unquote

import openpyxl
import pandas as pd
import pytest

from pipeline.export.labels import labels
from pipeline.export.xlsx import cells, links, package, workbook
from pipeline.export.xlsx import fast as fast_module
from pipeline.export.xlsx import sheets as sheet_module
from pipeline.models import (
    AgendaItemRow,
    DecisionRow,
    DocumentRow,
    ParticipantRow,
    RegionRow,
    RepairRow,
    TopicRow,
    VoteRow,
    columns,
)

LONG = "Vedtak. " * 5_000  # 40,000 characters
TRICKY = ['=HYPERLINK("http://x","y")', "+1+1", "@SUM(A1)", "-2", "\tinnrykk", "\rretur"]
RUN = {"started": "2025-03-01T08:00:00+00:00", "finished": "2025-03-01T08:02:30+00:00", "version": "0.1.0",
       "inputs": "data/raw", "documents": 3, "ok": 2, "failed": 1, "seconds": 150.2, "workers": 2}

HEADERS_NB, SHEETS_NB = labels("nb").headers, labels("nb").sheets


def _table(row_class: type, rows: list) -> tuple[list[str], list[tuple]]:
    return columns(row_class), [astuple(r) for r in rows]


def _documents(docs: list[tuple[DocumentRow, str]]) -> tuple[list[str], list[tuple]]:
    """The documents table with its owner region (``documents.region``; added here as a column
    while the row class has no such field)."""
    header = columns(DocumentRow)
    if "region" in header:
        return header, [astuple(replace(doc, region=owner)) for doc, owner in docs]
    return [*header, "region"], [(*astuple(doc), owner) for doc, owner in docs]


def make_tables() -> dict[str, tuple[list[str], list[tuple]]]:
    docs = [  # with their owner regions: the notat has none
        (DocumentRow("mote", "2021/møte 1.pdf", "minutes", "Protokoll fra regionrådet", "2021-03-04",
                     "Regionrådet", format="pdf", pages=3,
                     checks="agenda_item_without_decision(5); attendance_without_names(p1 l7 Til stede:)"), "Nord IPR"),
        (DocumentRow("notat", "notat.txt", "case", "=Notat med formelnavn", "", "", format="txt", pages=1,
                     checks="date_in_future(2031-01-02)"), ""),
        (DocumentRow("odelagt", "ødelagt.docx", status="error", error="not a Word file: the .docx is not a valid zip archive",
                     format="docx"), ""),
    ]
    decisions = [DecisionRow("mote", "4", "vedtak", "adopted", text, page=2, line=k) for k, text in
                 enumerate([*TRICKY, "Linje\x0bskift og \x00null", LONG], start=1)]
    decisions += [
        DecisionRow("mote", "5", "forslag til vedtak", "proposed", "Rådet tilrår saken.", page=3, line=1),
        DecisionRow("notat", "06/2021", "vedtak", "adopted", "Sitert vedtak.", quoted=True, line=12),
        DecisionRow("notat", "", "innstilling", "proposed", "Saken tas til orientering.", line=20),
    ]
    participants = [ParticipantRow("mote", "Kari Nordmann", "leder", "Nord IPR", "present", page=1, line=3),
                    ParticipantRow("mote", "Ola Nordmann", "", "Sør/Vest: [Test]?", "absent", page=1, line=4),
                    ParticipantRow("notat", "=Per Formel", attendance="mentioned", line=2)]
    regions = [RegionRow("mote", "Nord IPR", "Nord IPR", page=1),
               RegionRow("mote", "Sør/Vest: [Test]?", "Sør-Vest", page=1),
               RegionRow("notat", "Nord IPR", "Nordregionen", line=1),
               RegionRow("notat", "Et svært langt regionnavn som ikke får plass i et arknavn", "lang",
                         line=2)]
    topics = [TopicRow("mote", "Nord IPR", "samferdsel", "veg", page=1),
              TopicRow("notat", "Nord IPR", "samferdsel", "bane", line=3),
              TopicRow("notat", "Nord IPR", "energi", "kraft", line=4),
              TopicRow("mote", "", "kultur", "idrett", page=2)]
    return {
        "documents": _documents(docs),
        "decisions": _table(DecisionRow, decisions),
        "participants": _table(ParticipantRow, participants),
        "agenda_items": _table(AgendaItemRow, [AgendaItemRow("mote", "4", "Regional plan", page=1, line=9)]),
        "regions": _table(RegionRow, regions),
        "topics": _table(TopicRow, topics),
        "votes": _table(VoteRow, []),
        "repairs": _table(RepairRow, [RepairRow("mote", 2, 7, "ocr_g_for_ø", "mgte", "møte", 0.9)]),
    }


@pytest.fixture
def written(tmp_path: Path, sources: dict[str, Path]) -> tuple[Path, dict]:
    tables = make_tables()
    path = tmp_path / "out" / "minutes.xlsx"
    workbook.write_workbook(path, tables, RUN, per_region=True, sources=sources)
    return path, tables


def _rows(ws) -> list[list]:
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_sheets_headers_frozen_panes_and_tables(written):
    path, tables = written
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[0] == "Oversikt"
    for table, (header, rows) in tables.items():
        ws = wb[SHEETS_NB[table]]
        shown = [HEADERS_NB.get(h, h) for h in header] + ["Kilde"]
        assert [c.value for c in ws[1]] == shown
        assert ws.freeze_panes == "A2"
        [excel_table] = ws.tables.values()
        assert excel_table.ref == f"A1:{openpyxl.utils.get_column_letter(len(shown))}{max(len(rows), 1) + 1}"
        assert [c.name for c in excel_table.tableColumns] == shown
        assert excel_table.tableStyleInfo.showRowStripes
    assert "Feil" in wb.sheetnames and "Retting" in wb.sheetnames
    assert len({t.name for ws in wb.worksheets for t in ws.tables.values()}) == sum(
        len(ws.tables) for ws in wb.worksheets)  # table names unique in the workbook


def test_cells_are_stored_as_typed_and_safe(written):
    path, tables = written
    wb = openpyxl.load_workbook(path)
    vedtak = wb["Vedtak"]
    text_col = columns(DecisionRow).index("text") + 1
    stored = [vedtak.cell(r, text_col) for r in range(2, vedtak.max_row + 1)]
    for cell, value in zip(stored[: len(TRICKY) - 1], TRICKY[:-1], strict=True):
        assert cell.data_type == "s" and cell.value == value  # text, as written: no apostrophe, no formula
        assert cell.quotePrefix  # Excel keeps it text when the cell is edited
    assert stored[len(TRICKY) - 1].value == "\nretur"  # a CR is a line end in a cell
    assert stored[len(TRICKY)].value == "Linjeskift og null"
    long_cell = stored[len(TRICKY) + 1].value
    assert len(long_cell) == cells.MAX_CHARS and long_cell.endswith(labels("nb").text["truncated"])
    assert long_cell.startswith(LONG[:1000])
    assert not any(c.data_type == "f" for ws in wb.worksheets for row in ws.iter_rows() for c in row)
    assert wb["Dokumenter"]["D3"].value == "=Notat med formelnavn" and wb["Dokumenter"]["D3"].data_type == "s"

    date_cell = wb["Dokumenter"]["E2"]
    assert date_cell.is_date and date_cell.value.date() == dt.date(2021, 3, 4)
    assert wb["Dokumenter"]["E3"].value is None  # no date: empty, not ""
    quoted_col = columns(DecisionRow).index("quoted") + 1
    assert {vedtak.cell(r, quoted_col).value for r in range(2, vedtak.max_row + 1)} == {"Ja", "Nei"}


def test_every_row_has_a_kilde_that_links_to_its_source(written, sources):
    path, _ = written
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets[1:]:
        header = [c.value for c in ws[1]]
        if "Kilde" not in header:
            continue
        k = header.index("Kilde") + 1
        for r in range(2, ws.max_row + 1):
            cell = ws.cell(r, k)
            if ws.cell(r, 1).value is None:
                continue
            assert cell.value, (ws.title, r)
            assert cell.hyperlink is not None, (ws.title, r, cell.value)
            target = unquote(cell.hyperlink.target).replace("\\", "/")
            assert (path.parent / target).resolve() in {p.resolve() for p in sources.values()}
    vedtak = wb["Vedtak"]
    kilde = [c.value for c in vedtak[openpyxl.utils.get_column_letter(vedtak.max_column)]][1:]
    assert kilde[0] == "2021/møte 1.pdf, s. 2"  # PDF: page
    assert kilde[-1] == "notat.txt, linje 20"  # text file: line
    # one hyperlink per run of rows with the same source file
    with zipfile.ZipFile(path) as z:
        sheet = z.read(_part(z, "Vedtak")).decode()
    assert sheet.count("<hyperlink ") == 2


def _part(z: zipfile.ZipFile, sheet: str) -> str:
    return package.sheet_parts(z)[sheet]


def test_decision_status_colours_errors_and_repairs(written):
    path, _ = written
    wb = openpyxl.load_workbook(path)
    rules = [rule for cf in wb["Vedtak"].conditional_formatting for rule in cf.rules]
    formulas = " ".join(f for rule in rules for f in rule.formula)
    assert '"vedtatt"' in formulas and '"forslag"' in formulas
    fills = {rule.dxf.fill.bgColor.rgb for rule in rules}
    assert len(fills) == 2
    feil = _rows(wb["Feil"])
    assert feil[0] == ["Dokument-ID", "Kildefil", "Dokumenttype", "Feilmelding", "Kilde"]
    assert feil[1][:4] == ["odelagt", "ødelagt.docx", "annet", "ikke en Word-fil: .docx-filen er ikke et gyldig zip-arkiv"]
    retting = _rows(wb["Retting"])
    assert retting[1][:6] == ["mote", 2, 7, "ocr_g_for_ø", "mgte", "møte"]
    assert retting[1][-1] == "2021/møte 1.pdf, s. 2"


def test_overview(written):
    path, tables = written
    wb = openpyxl.load_workbook(path)
    ws = wb["Oversikt"]
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert "0.1.0" in values and "data/raw" in values
    try:
        from zoneinfo import ZoneInfo

        ZoneInfo("Europe/Oslo")
        started = dt.datetime(2025, 3, 1, 9, 0)  # Norwegian time
    except Exception:  # no time zone database: UTC
        started = dt.datetime(2025, 3, 1, 8, 0)
    assert started in values
    [table] = ws.tables.values()
    first = openpyxl.utils.cell.range_boundaries(table.ref)[1]
    header = [c.value for c in ws[first]]
    assert header[:7] == ["Region", "Dokumenter", "Vedtatt", "Forslag", "Personer", "Omtalt i dokumenter",
                          "Hovedtemaer"]
    # too wide for one printed page: the theme grid (themes in list order) has the region names again
    assert header[7:] == ["Region (temaer)", "Energi og kraft", "Samferdsel og mobilitet", "Kultur og idrett"]
    rows = {r[0]: r for r in ([c.value for c in row] for row in ws.iter_rows(min_row=first + 1)) if r[0]}
    # Nord IPR owns the meeting: its document, decisions (not the notat's, which only mentions it) and
    # persons; mentioned by both documents; themes by documents (the notat's round-table rows on Nord IPR too)
    assert rows["Nord IPR"][:6] == ["Nord IPR", 1, 8, 1, 2, 2]
    assert rows["Nord IPR"][6] == "Samferdsel og mobilitet, Energi og kraft, Kultur og idrett"
    assert rows["Nord IPR"][7:] == ["Nord IPR", 1, 2, 1]
    # a region only mentioned: no documents, decisions or persons of its own
    assert rows["Sør/Vest: [Test]?"][:6] == ["Sør/Vest: [Test]?", 0, 0, 0, 0, 1]
    assert list(rows)[-1] == "(uten region)" and rows["(uten region)"][:6] == ["(uten region)", 1, 0, 1, 1, 0]
    assert "Dokumenter med kontrollpunkter" in values and values[values.index("Dokumenter med kontrollpunkter") + 1] == 2
    rules = [rule for cf in ws.conditional_formatting for rule in cf.rules]
    assert [rule.type for rule in rules] == ["colorScale"]
    with zipfile.ZipFile(path) as z:
        chart = z.read("xl/charts/chart1.xml").decode()
    assert "<c:barChart>" in chart and '<c:barDir val="bar"/>' in chart


def test_the_overview_table_header_takes_little_of_its_page(written):
    """The theme names over the grid are turned and wrapped on two lines: the header row (shared by the
    region table, printed on a page before the grid) is as high as the longer half of the longest
    name, not as the whole name: the region table does not start half-way down its page."""
    path, _ = written
    ws = openpyxl.load_workbook(path)["Oversikt"]
    [table] = ws.tables.values()
    first = openpyxl.utils.cell.range_boundaries(table.ref)[1]
    themes = [c.value for c in ws[first]][8:]
    assert themes and all(ws.cell(first, 9 + k).alignment.wrap_text for k in range(len(themes)))
    height = ws.row_dimensions[first].height
    assert height < 8 * max(len(t) for t in themes) and height <= 160, height


def test_pandas_reads_the_same_rows(written):
    path, tables = written
    for table, (header, rows) in tables.items():
        frame = pd.read_excel(path, sheet_name=SHEETS_NB[table])
        assert len(frame) == len(rows), table
        assert len(frame.columns) == len(header) + 1
    frame = pd.read_excel(path, sheet_name="Vedtak")
    assert list(frame["Tekst"][:4]) == TRICKY[:4]


def test_region_sheets(written):
    path, _ = written
    wb = openpyxl.load_workbook(path)
    names = wb.sheetnames[wb.sheetnames.index("Feil") + 1:]
    # by owner region: the regions the documents only mention get no sheet
    assert names == ["Nord IPR", "(uten region)"]
    ws = wb["Nord IPR"]
    texts = [c.value for c in ws["F"] if c.value]
    assert "Rådet tilrår saken." in texts and "Saken tas til orientering." not in texts
    assert "Saken tas til orientering." in [c.value for c in wb["(uten region)"]["F"] if c.value]
    assert len(ws.tables) == 2
    # a decision row on the region sheet links to its source too
    assert any(c.hyperlink for row in ws.iter_rows() for c in row)


def test_english(tmp_path, sources):
    path = tmp_path / "out" / "minutes.xlsx"
    workbook.write_workbook(path, make_tables(), RUN, lang="en", sources=sources)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Overview", "Checks", "Documents", "Decisions", "Participants", "Agenda",
                             "Region mentions", "Themes", "Votes", "Repairs", "Errors"]
    assert [c.value for c in wb["Decisions"][1]][:5] == ["Document ID", "Item", "Kind", "Status", "Text"]
    assert wb["Decisions"].cell(1, wb["Decisions"].max_column).value == "Source"
    assert wb["Decisions"]["F2"].value == "No"
    with pytest.raises(ValueError):
        workbook.write_workbook(path, make_tables(), RUN, lang="se")


def test_a_long_table_continues_on_another_sheet(tmp_path, monkeypatch, sources):
    monkeypatch.setattr(sheet_module, "MAX_ROWS", 4)  # a header and three rows per sheet
    tables = make_tables()
    path = tmp_path / "minutes.xlsx"
    workbook.write_workbook(path, tables, RUN, sources=sources)
    wb = openpyxl.load_workbook(path)
    n = len(tables["decisions"][1])
    assert n == 11
    sheets = ["Vedtak", "Vedtak (2)", "Vedtak (3)", "Vedtak (4)"]
    assert [s for s in wb.sheetnames if s.startswith("Vedtak")] == sheets
    assert [len(pd.read_excel(path, sheet_name=s)) for s in sheets] == [3, 3, 3, 2]
    for name in ("Vedtak", "Vedtak (4)"):
        ws = wb[name]
        assert ws.max_row <= 4 and ws.freeze_panes == "A2" and len(ws.tables) == 1
        assert ws["A1"].value == "Dokument-ID"


def test_unknown_tables_and_no_sources(tmp_path):
    tables = make_tables()
    tables["meetings"] = (["meeting_id", "date", "documents"], [("m1", "2021-03-04", "mote notat")])
    tables["runs"] = (list(RUN), [tuple(RUN.values())])
    tables["new_table"] = (["doc_id", "value"], [("notat", 1.5), ("ukjent", float("nan"))])
    path = tmp_path / "minutes.xlsx"
    workbook.write_workbook(path, tables, RUN)  # no sources: Kilde names the file, without a link
    wb = openpyxl.load_workbook(path)
    assert _rows(wb["Møter"])[1] == ["m1", dt.datetime(2021, 3, 4), "mote notat",
                                     "2021/møte 1.pdf; notat.txt"]
    assert "Kilde" not in _rows(wb["Kjøringer"])[0]
    assert _rows(wb["new_table"]) == [["Dokument-ID", "value", "Kilde"], ["notat", 1.5, "notat.txt"],
                                      ["ukjent", None, "ukjent"]]
    assert not any(c.hyperlink for ws in wb.worksheets for row in ws.iter_rows() for c in row)


def test_an_interrupted_write_leaves_the_old_workbook(tmp_path, monkeypatch, sources):
    path = tmp_path / "minutes.xlsx"
    workbook.write_workbook(path, make_tables(), RUN, sources=sources)
    before = path.read_bytes()

    def broken(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(workbook, "finish_package", broken)
    with pytest.raises(KeyboardInterrupt):
        workbook.write_workbook(path, make_tables(), RUN, sources=sources)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["minutes.xlsx", "raw"]


def test_names_and_text():
    used: set[str] = set()
    asked = ("Vedtak", "VEDTAK", "a" * 40, "a" * 40, "'x'", "History", "")
    names = [cells.sheet_name(n, used) for n in asked]
    assert names == ["Vedtak", "VEDTAK (2)", "a" * 31, "a" * 27 + " (2)", "x", "History (1)", "Ark"]
    assert cells.clean_text("a\x00\x1f\ud800b\ufffe") == "ab"
    emoji = "😀" * 20_000  # 40,000 UTF-16 code units
    cut = cells.clean_text(emoji)
    assert len(cut.encode("utf-16-le")) // 2 <= cells.MAX_CHARS and cut.endswith("text/]")


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_libreoffice_opens_and_renders_it(written, tmp_path, sources, lang):
    """LibreOffice renders the workbook to PDF: every page landscape, no character below 8 points
    (issue 17 item 4), and the overview on page 1."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-calc poppler-utils")
    path, _ = written
    if lang == "en":
        path = tmp_path / "en" / "minutes.xlsx"
        workbook.write_workbook(path, _coded_tables(), RUN, lang="en", per_region=True, sources=sources)
    out = tmp_path / "pdf"
    profile = (tmp_path / "lo-profile").as_uri()  # its own profile: runs beside another soffice
    result = subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                             "--outdir", str(out), str(path)], capture_output=True, text=True, timeout=300)
    pdf = out / "minutes.pdf"
    assert result.returncode == 0 and pdf.exists() and pdf.stat().st_size > 10_000, result.stderr
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils (pdftoppm) is not installed: the PDF was made but page 1 not rendered")
    smallest, landscape, pages = _min_font_and_landscape(pdf)
    assert landscape and pages >= 10, pages
    assert smallest >= 7.9, smallest  # issue 17 item 4: nothing prints below 8 points
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(out / "page")],
                   check=True, timeout=120)
    [png] = out.glob("page*.png")
    assert png.stat().st_size > 10_000
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout
        assert labels(lang).text["title"] in text and "Nord IPR" in text


def _min_font_and_landscape(pdf: Path) -> tuple[float, bool, int]:
    """The smallest font size of any character on any page (points), whether every page is
    landscape, and the number of pages (pdfminer: each character's size is its font size times
    the page's scaling)."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar

    def chars(item):
        if isinstance(item, LTChar):
            yield item
        for child in getattr(item, "__iter__", lambda: iter(()))():
            yield from chars(child)

    smallest, landscape, pages = 99.0, True, 0
    for page in extract_pages(str(pdf)):
        pages += 1
        landscape &= page.width > page.height
        for char in chars(page):
            if char.get_text().strip():  # a turned character (the theme grid's headers): its width
                a, b = char.matrix[:2]
                smallest = min(smallest, char.size if abs(a) >= abs(b) else char.width)
    return smallest, landscape, pages


def test_every_sheet_prints_landscape_with_titles_footer_and_8_points(written):
    """Issue 17 item 4: landscape A4, the header row on every page, a footer with sheet, page and
    run date, and a scale that keeps Calibri 11 at 8 points or more: the one that fits the page width
    when the columns allow it, else printed at a fixed scale with the first column repeated."""
    from pipeline.export.xlsx.style import PRINT_FONT_SLACK, PRINT_MIN_SCALE, PRINT_WIDTH_PX

    path, _ = written
    wb = openpyxl.load_workbook(path)
    fitted = scaled = 0
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text, ws.title
        assert ws.oddFooter.left.text == "&A" and "2025-03-01" in ws.oddFooter.right.text, ws.title
        if ws.title in ("Dokumenter", "Vedtak", "Kontroll", "Oversikt"):
            assert ws.print_title_rows, ws.title
        width = {k: dim.width for dim in ws.column_dimensions.values() if dim.min for k in range(dim.min, dim.max + 1)}
        pixels = PRINT_FONT_SLACK * sum(7 * (width.get(k) or 9.14) for k in range(1, ws.max_column + 1))  # 7 px + 5
        scale = ws.page_setup.scale or 100  # 100 %: not written
        assert not (ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage), ws.title
        assert scale is not None and PRINT_MIN_SCALE * 100 <= int(scale) <= 100, ws.title
        if pixels * int(scale) / 100 <= PRINT_WIDTH_PX:
            fitted += 1
        elif ws.title == "Oversikt":  # the region table on a page, the theme grid (with the regions) on the next
            assert [b.id for b in ws.col_breaks.brk] == [7]
            header_row = int(ws.print_title_rows.split(":")[0].lstrip("$"))  # "$19:$19"
            assert ws.cell(header_row, 8).value == "Region (temaer)"
        else:  # wider than a page at that scale: the first column on every page
            assert ws.print_title_cols == "$A:$A", ws.title
            scaled += 1
    assert fitted and scaled  # both kinds in this workbook (Vedtak is too wide to fit)
    assert wb["Vedtak"].print_title_cols == "$A:$A"


def test_a_decisions_text_prints_on_the_page_of_its_document_id(tmp_path):
    """Vedtak prints across pages (too wide for one): its first long text column (the decision's
    text) is narrowed, when it must, to print on the first page with the columns before it (long
    document ids, as real file names give, and long texts: the text on the second page before)."""
    from pipeline.export.xlsx.style import PRINT_FONT_SLACK, PRINT_WIDTH_PX, column_pixels

    tables = make_tables()
    header, rows = tables["decisions"]
    i_doc, i_text = header.index("doc_id"), header.index("text")
    long_id = "a_kommunestyret_behandling_2026-03-25_mote461_protokoll"
    tables["decisions"] = (header, [row[:i_doc] + (long_id,) + row[i_doc + 1:i_text] + ("Vedtaket lyder slik. " * 8,)
                                    + row[i_text + 1:] for row in rows])
    path = tmp_path / "minutes.xlsx"
    workbook.write_workbook(path, tables, RUN)
    ws = openpyxl.load_workbook(path)["Vedtak"]
    header = [c.value for c in ws[1]]
    text = header.index(labels("nb").header("text")) + 1
    padding = 0.7109375  # what the file stores beyond the width asked for (7 px a character + 5)
    width = [ws.column_dimensions[openpyxl.utils.get_column_letter(k)].width - padding for k in range(1, text + 1)]
    assert ws.print_title_cols == "$A:$A" and width[-1] >= 30
    assert column_pixels(width) * PRINT_FONT_SLACK <= PRINT_WIDTH_PX * 100 / int(ws.page_setup.scale), width


def _sheets(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/")}


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}  # core.xml: the time written


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_speed_up_writes_the_bytes_xlsxwriter_writes(tmp_path, monkeypatch, sources, lang):
    """Issue 19 item 6: every part of the package (sheets, tables, relationships, styles, chart) is
    byte-identical with the xlsxwriter speed-up (:mod:`pipeline.export.xlsx.fast`) and without it."""
    assert fast_module.ENABLED, "the installed xlsxwriter is outside the range pyproject.toml pins"
    tables = make_tables()
    workbook.write_workbook(tmp_path / "fast.xlsx", tables, RUN, lang=lang, per_region=True, sources=sources)
    monkeypatch.setattr(fast_module, "ENABLED", False)
    workbook.write_workbook(tmp_path / "plain.xlsx", tables, RUN, lang=lang, per_region=True, sources=sources)
    fast, plain = _parts(tmp_path / "fast.xlsx"), _parts(tmp_path / "plain.xlsx")
    assert fast.keys() == plain.keys() and sum(n.startswith("xl/worksheets/sheet") for n in fast) >= 10
    for name in plain:
        assert fast[name] == plain[name], name


def test_rows_written_whole_and_corrected_rows_give_the_bytes_xlsxwriter_writes(tmp_path, monkeypatch):
    """A table sheet's rows go to the file whole (:meth:`fast.FastRows.put_row`), but a corrected row
    stays open for its marked cells and notes: the sheets are the same as xlsxwriter's own, with
    corrected rows first, between and last, a long row (its height) and dates."""
    tables = make_tables()
    header, rows = tables["decisions"]
    i_id, i_text = header.index("id"), header.index("text")
    many = [row[:i_id] + (f"d-{k}",) + row[i_id + 1:] for k in range(12) for row in rows]
    many = [row[:i_text] + ("Vedtaket lyder slik. " * 30,) + row[i_text + 1:] if k % 5 == 3 else row
            for k, row in enumerate(many)]
    tables["decisions"] = (header, many)
    ids = [many[0][i_id], many[len(many) // 2][i_id], many[-1][i_id]]
    marks = {("decisions", ids[0]): {"text": "Før"}, ("decisions", ids[1]): {"status": None},
             ("decisions", ids[2]): {"text": None}}

    def write(path: Path) -> None:
        with workbook.Workbook(path, corrected=lambda t, i: marks.get((t, i), {})) as book:
            book.close(tables, RUN)

    write(tmp_path / "fast.xlsx")
    monkeypatch.setattr(fast_module, "ENABLED", False)
    write(tmp_path / "plain.xlsx")
    fast, plain = _parts(tmp_path / "fast.xlsx"), _parts(tmp_path / "plain.xlsx")
    assert fast.keys() == plain.keys() and any(n.startswith("xl/comments") for n in fast)
    for name in plain:
        assert fast[name] == plain[name], name


def test_fast_rows_write_the_bytes_xlsxwriter_writes(tmp_path, monkeypatch):
    """The sheets' XML is the same with the fast row writer and with xlsxwriter's own, for every
    kind of text that needs escaping or a whitespace mark."""
    tables = make_tables()
    header, rows = tables["decisions"]
    odd = [" innrykk", "slutt ", "a & b <c> d", "_x0041_ er Excels escape", "<r>rik</r>", "kontroll\x1ftegn",
           "\ufffeikke\uffff", "linje\nlinje", "\u00a0hardt mellomrom", "“sitat” og 'apostrof' \"dobbel\"", "æøå ÆØÅ"]
    tables["decisions"] = (header, [*rows, *(astuple(DecisionRow("mote", str(k), "vedtak", "adopted", text, page=k,
                                                                 line=10**12 + k)) for k, text in enumerate(odd))])
    workbook.write_workbook(tmp_path / "fast.xlsx", tables, RUN)
    monkeypatch.setattr(fast_module.FastRows, "install", classmethod(lambda cls, ws: None))
    workbook.write_workbook(tmp_path / "plain.xlsx", tables, RUN)
    fast, plain = _sheets(tmp_path / "fast.xlsx"), _sheets(tmp_path / "plain.xlsx")
    assert fast.keys() == plain.keys() and len(fast) >= 8
    for name in plain:
        assert fast[name] == plain[name], name
    assert b"_x005F_x0041_" in b"".join(fast.values())  # the careful cells went through xlsxwriter


def test_sources_link_from_the_workbook_folder_to_each_file(tmp_path):
    from pipeline.models import SourceFile

    here, there = tmp_path / "out" / "møte 1.pdf", tmp_path / "raw" / "2021" / "sak #2.docx"
    given = {"a": SourceFile(here, "møte 1.pdf", "a"), "b": SourceFile(there, "2021/sak #2.docx", "b"), "c": here}
    sources = links.Sources({}, given, tmp_path / "out", labels("nb").text)
    assert sources.target(sources.label("a")[1]) == "møte%201.pdf"
    assert sources.target(sources.label("b", page=3)[1]) == "..\\raw\\2021\\sak%20%232.docx"
    assert sources.label("b", page=3)[0] == "2021/sak #2.docx, s. 3"  # the run's relative path
    assert sources.label("c")[0] == "møte 1.pdf"  # a bare path: its file name
    assert sources.label("unknown") == ("unknown", "")


def test_a_link_escapes_each_character_once(tmp_path):
    """A name's "%" and its bytes that are not UTF-8 are escaped once each: the byte 0xF8 of a
    Latin-1 "ø" as %f8, not as an escaped escape (%25f8)."""
    given = {"a": tmp_path / "raw" / "m\udcf8te 100%.pdf"}
    sources = links.Sources({}, given, tmp_path / "out", labels("nb").text)
    assert sources.target(sources.label("a")[1]) == "..\\raw\\m%f8te%20100%25.pdf"


HOSTILE_NAMES = ["x\\..\\..\\Windows\\System32\\calc.exe", "spørsmål?svar=ja.pdf", "sak #2.docx", "100% ferdig.txt",
                 "møte 1 .pdf", "c:referat.txt", "a|b.txt"]


def _open_as_windows(target: str, folder: str) -> str:
    """Where a relative link leads when Excel on Windows follows it: split at its separators, each
    part %-decoded, resolved from the workbook's folder (POSIX separators in the answer)."""
    from posixpath import normpath

    assert "?" not in target and "#" not in target, target  # no query, no fragment
    parts = [unquote(p) for p in target.replace("/", "\\").split("\\")]
    assert not any(":" in p for p in parts[:1]), target  # no drive
    return normpath("/".join([folder, *parts]))


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_link_leads_to_its_own_file_and_nowhere_else(tmp_path, name):
    """Issue 18 item 13: backslashes (legal in a Linux file name), "?", "#", "%", spaces and a colon
    are characters of the name, never a separator, drive, query or fragment."""
    raw = tmp_path / "raw" / "sub"
    raw.mkdir(parents=True)
    path = raw / name
    path.write_text("x", encoding="utf-8")
    sources = links.Sources({}, {"a": path}, tmp_path / "out", labels("nb").text)
    target = sources.target(sources.label("a")[1])
    assert _open_as_windows(target, "/w/out") == "/w/raw/sub/" + name


def test_the_workbook_links_hostile_names_to_their_files(tmp_path):
    """The same through the whole workbook: each ``Kilde`` hyperlink's relationship target."""
    raw = tmp_path / "raw"
    raw.mkdir()
    docs = {}
    for k, name in enumerate(HOSTILE_NAMES):
        (raw / name).write_text("x", encoding="utf-8")
        docs[f"d{k}"] = raw / name
    rows = [astuple(DocumentRow(doc_id, name, "minutes", format="txt")) for doc_id, name in
            zip(docs, HOSTILE_NAMES)]
    path = tmp_path / "out" / "minutes.xlsx"
    workbook.write_workbook(path, {"documents": (columns(DocumentRow), rows)}, RUN, sources=docs)
    with zipfile.ZipFile(path) as z:
        rels = b"".join(z.read(n) for n in z.namelist() if n.endswith(".xml.rels") and "worksheets" in n).decode()
    targets = sorted(re.findall(r'Type="[^"]*/hyperlink" Target="([^"]*)"', rels))
    assert sorted(_open_as_windows(t, "/w/out") for t in targets) == sorted("/w/raw/" + n for n in HOSTILE_NAMES)


def _coded_tables() -> dict[str, tuple[list[str], list[tuple]]]:
    """make_tables with every kind of coded value: outcomes, votes, region kinds, themes of a
    decision, text sources, written languages, meetings with their document types."""
    tables = make_tables()
    header, rows = tables["decisions"]
    extra = [DecisionRow("mote", "7", kind, "adopted", f"Vedtak {k}.", outcome=outcome, unanimous=k % 2 == 0,
                         themes="samferdsel klima_miljo")
             for k, (kind, outcome) in enumerate(zip(["vedtak", "konklusjon", "other", "innstilling"] * 2,
                                                     ["adopted as recommended", "adopted amended", "adopted after vote",
                                                      "rejected", "noted", "postponed", "sent back", "election"]))]
    tables["decisions"] = (header, rows + [astuple(d) for d in extra])
    header, rows = tables["documents"]
    i_source, i_lang = header.index("text_source"), header.index("language")
    tables["documents"] = (header, [(*r[:i_source], src, *r[i_source + 1:i_lang], lang, *r[i_lang + 1:])
                                    for r, src, lang in zip(rows, ["text+ocr", "ocr", "text"], ["nn", "nb", ""])])
    tables["votes"] = _table(VoteRow, [VoteRow("mote", "4", "innstillingen", f"Person {side}", "Ap", side)
                                       for side in ("for", "against", "blank")])
    tables["participants"] = _table(ParticipantRow, [ParticipantRow("mote", f"Person {a}", attendance=a)
                                                     for a in ("present", "remote", "absent", "mentioned")])
    tables["regions"] = _table(RegionRow, [RegionRow("mote", f"Region {kind}", "x", kind) for kind in
                                           ("ipr", "regionråd", "samarbeidsråd", "other", "county", "municipality")])
    tables["meetings"] = (["meeting_id", "date", "documents", "doc_types"],
                          [("m1", "2021-03-04", "mote notat", "case minutes protocol agreement presentation other")])
    return tables


def _shown(path: Path, lang: str) -> dict[str, list[str]]:
    """The values of the coded columns of every Excel table of the workbook, by column id."""
    by_header = {v: k for k, v in labels(lang).headers.items()}
    wb = openpyxl.load_workbook(path)
    out: dict[str, list[str]] = {}
    for ws in wb.worksheets:
        for table in ws.tables.values():
            c0, r0, c1, r1 = openpyxl.utils.cell.range_boundaries(table.ref)
            for c in range(c0, c1 + 1):
                column = by_header.get(ws.cell(r0, c).value)
                if column is not None:
                    out.setdefault(column, []).extend(
                        ws.cell(r, c).value for r in range(r0 + 1, r1 + 1) if ws.cell(r, c).value is not None)
    return out


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_one_language_per_workbook(tmp_path, sources, lang):
    """Issue 17 item 3: every coded value a person reads (statuses, kinds, outcomes, attendance,
    votes, region kinds, document types, text sources, themes, checks, booleans) is a label of the
    workbook's language, none is an id or label of the other language; CSV keeps the ids."""
    from pipeline.export.labels import LIST_COLUMNS, VALUE_COLUMNS

    own, other = labels(lang), labels("en" if lang == "nb" else "nb")
    path = tmp_path / "minutes.xlsx"
    workbook.write_workbook(path, _coded_tables(), RUN, lang=lang, per_region=True, sources=sources)
    shown = _shown(path, lang)

    def foreign(group: str) -> set[str]:
        mine = set(own.themes.values() if group == "themes" else own.values[group].values())
        theirs = other.themes if group == "themes" else other.values[group]
        return (set(theirs) | set(theirs.values())) - mine

    checked = 0
    for column, group in {**VALUE_COLUMNS, "theme": "themes"}.items():
        mine = set(own.themes.values() if group == "themes" else own.values[group].values())
        for value in shown.get(column, []):
            assert value in mine and value not in foreign(group), (lang, column, value)
            checked += 1
    for column, group in LIST_COLUMNS.items():
        mine = set(own.themes.values() if group == "themes" else own.values[group].values())
        for value in shown.get(column, []):
            assert set(value.split(", ")) <= mine, (lang, column, value)
            checked += 1
    for value in shown["checks"] + shown["check"]:
        for part in value.split("; "):
            assert part.split(": ")[0] in set(own.checks.values()), (lang, value)
    assert set(shown["quoted"]) | set(shown["unanimous"]) == {own.text["yes"], own.text["no"]}
    assert {own.text["yes"], own.text["no"]}.isdisjoint({other.text["yes"], other.text["no"]})
    for column, group in (("outcome", "outcome"), ("vote", "vote"), ("region_kind", "region_kind"),
                          ("attendance", "attendance"), ("kind", "kind"), ("text_source", "text_source")):
        assert set(shown[column]) == set(own.values[group].values()), (lang, column)  # each one shown
    assert checked >= 60
    wb = openpyxl.load_workbook(path)
    everything = {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert other.text["no_region"] not in everything and own.text["no_region"] in everything
    assert not everything & (set(other.checks.values()) | set(own.checks))  # no check id, no other-language check


def test_the_checks_sheet_lists_each_check_in_the_workbooks_language(written):
    """Issue 16 (a check users can see): ``Kontroll`` second, one row per check of a document, the
    check and its details in the workbook's language, the source linked."""
    path, _ = written
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:2] == ["Oversikt", "Kontroll"]
    rows = _rows(wb["Kontroll"])
    assert rows[0] == ["Dokument-ID", "Tittel", "Kontrollpunkt", "Detaljer", "Kilde"]
    assert [r[:4] for r in rows[1:]] == [
        ["mote", "Protokoll fra regionrådet", "Sak i protokollen uten vedtak", "5"],
        ["mote", "Protokoll fra regionrådet", "Deltakerliste uten navn", "s. 1, linje 7 Til stede:"],
        ["notat", "=Notat med formelnavn", "Møtedato i framtiden", "2031-01-02"]]
    assert all(wb["Kontroll"].cell(r, 5).hyperlink for r in range(2, 5))
    docs = _rows(wb["Dokumenter"])
    checks = docs[0].index("Kontroll")
    assert docs[1][checks] == "Sak i protokollen uten vedtak; Deltakerliste uten navn"  # details: on Kontroll


def test_overview_decisions_add_up_to_at_most_the_decisions():
    """Issue 17 figure: each decision counts for one region (its owner), however many regions its
    document mentions; the persons of a document count for its owner only."""
    from pipeline.summary import region_stats

    tables = make_tables()
    stats = region_stats(tables)
    header, rows = tables["decisions"]
    not_quoted = [r for r in rows if r[header.index("quoted")] is not True]
    assert sum(s.decisions for s in stats) == len(not_quoted) < len(rows)
    mentioned = {s.region: s.mentioned for s in stats}
    assert mentioned["Nord IPR"] == 2 and mentioned["Sør/Vest: [Test]?"] == 1
    assert {s.region for s in stats if s.decisions or s.person_count} == {"Nord IPR", ""}
