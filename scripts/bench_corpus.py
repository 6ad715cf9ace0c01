"""A synthetic archive of Norwegian meeting documents for ``make bench``.

    python scripts/bench_corpus.py --docs 200 --out data/bench/corpus-200 [--seed 1]

writes the documents under ``OUT/docs/{pdf,docx,txt}/`` and a list of them in ``OUT/manifest.json``.

Six templates (a council's minutes, a regional council's notes, a case document, a nynorsk
meeting book, a board protocol with recorded votes, a notice of meeting) are filled with names
from ``pipeline/reference/resources/names/``, places and councils from ``pipeline/reference/resources/regions.jsonl``,
dates, case numbers, decisions and background text, and written as text PDFs (fpdf2), DOCX
(python-docx) and TXT (some in Windows-1252); about one in seven has OCR-like damage (ø read as
o or g, å as a, æ as e). The same ``--docs`` and ``--seed`` give the same files, byte for byte.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import io
import json
import random
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GENERATOR = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
FIXED_TIME = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)

Block = tuple[str, object]  # ("title" | "h" | "p" | "table", text or rows)

PARTIES = ["Ap", "H", "Sp", "FrP", "SV", "KrF", "V", "MDG", "R", "INP"]
THEMES = {
    "samferdsel": ("fylkesvei {n}", "ny gang- og sykkelvei", "kollektivtilbudet", "rassikring av fylkesveien",
                   "bussforbindelsen til {town}"),
    "næring": ("næringsarealet på {place}", "etablererveiledning", "det regionale næringsfondet",
               "reiselivssatsingen", "nye arbeidsplasser i {town}"),
    "helse": ("legevaktsamarbeidet", "helsehuset i {town}", "rekruttering av fastleger",
              "det interkommunale jordmorsamarbeidet", "velferdsteknologi i hjemmetjenesten"),
    "skole": ("skolestrukturen", "ny barneskole på {place}", "skoleskyss", "lærerrekruttering",
              "den videregående skolen i {town}"),
    "klima": ("klimaplanen", "klimatilpasning og flomsikring", "beredskap mot skred",
              "energieffektivisering av kommunale bygg", "ladeinfrastruktur"),
    "bredbånd": ("bredbåndsutbyggingen", "mobildekning langs {road}", "digitalisering av tjenestene",
                 "felles IKT-drift", "fiber til grendene"),
}
ADJ = ["nødvendig", "viktig", "krevende", "godt forankret", "i tråd med planen", "økonomisk forsvarlig"]
BACKGROUND = [
    "Saken gjelder {topic} i {municipality}, som har vært drøftet i flere møter siden {year}.",
    "Administrasjonen har innhentet innspill fra berørte parter, og høringsfristen var {date}.",
    "Tiltaket er {adj}, men forutsetter at {council} og {county} bidrar med finansiering.",
    "Kostnadene er beregnet til {amount} kroner, hvorav kommunens andel utgjør {share} prosent.",
    "Det vises til vedtak i kommunestyret {date}, sak {case}, om {topic}.",
    "Rådmannen/kommunedirektøren vurderer at {topic} bør prioriteres i økonomiplanperioden.",
    "Arbeidet skal gjennomføres i samarbeid med nabokommunene {neighbours}.",
    "Erfaringer fra andre regioner viser at {topic} gir best resultat når kommunene står sammen.",
    "Saken har betydning for innbyggere, næringsliv og frivillige lag og foreninger i hele regionen.",
    "Det er ikke avsatt midler til formålet i årets budsjett, og finansiering må avklares særskilt.",
    "Fylkeskommunen har signalisert at {topic} vil bli vurdert i neste rullering av handlingsprogrammet.",
    "Prosjektet følges opp av en arbeidsgruppe med representanter fra alle deltakerkommunene.",
]
BACKGROUND_NN = [
    "Saka gjeld {topic} i {municipality}, som har vore drøfta i fleire møte sidan {year}.",
    "Administrasjonen har henta inn innspel frå partane, og høyringsfristen var {date}.",
    "Tiltaket er naudsynt, men føreset at {council} og {county} er med på finansieringa.",
    "Kostnadene er rekna til {amount} kroner, der kommunen sin del utgjer {share} prosent.",
    "Kommunedirektøren meiner at {topic} bør prioriterast i økonomiplanperioden.",
    "Arbeidet skal gjerast saman med nabokommunane {neighbours}.",
]
DECISIONS = [
    "{body} slutter seg til kommunedirektørens vurdering av {topic}.",
    "{municipality} kommune bevilger {amount} kroner til {topic}. Beløpet dekkes av disposisjonsfondet.",
    "{body} ber kommunedirektøren legge fram en sak om {topic} innen {date}.",
    "Saken om {topic} utsettes til neste møte.",
    "{council} gir sin tilslutning til {topic} og ber sekretariatet følge opp overfor {county}.",
    "Orienteringen om {topic} tas til orientering.",
    "Høringsuttalelsen om {topic} vedtas slik den foreligger.",
]
DECISIONS_NN = [
    "{body} sluttar seg til vurderinga av {topic}.",
    "{municipality} kommune løyver {amount} kroner til {topic}.",
    "Saka om {topic} vert utsett til neste møte.",
    "Orienteringa om {topic} vert teken til orientering.",
]


@dataclass(frozen=True)
class Pools:
    first: list[str]
    first_w: list[float]
    last: list[str]
    last_w: list[float]
    municipalities: list[str]
    councils: list[dict]
    counties: dict[str, list[str]]  # county code -> the county's names (old and new)


def load_pools() -> Pools:
    def tsv(name: str, weight: str) -> tuple[list[str], list[float]]:
        with open(ROOT / "pipeline" / "reference" / "resources" / "names" / name, encoding="utf-8") as f:
            rows = list(csv.DictReader(f, delimiter="\t"))
        return [r["name"] for r in rows], [float(r[weight]) for r in rows]

    first, first_w = tsv("first_names.tsv", "weight")
    last, last_w = tsv("surnames.tsv", "count")
    regions = [json.loads(line) for line in open(ROOT / "pipeline" / "reference" / "resources" / "regions.jsonl",
                                                  encoding="utf-8") if line.strip()]
    munis = sorted({r["name"].removesuffix(" kommune") for r in regions if r["kind"] == "municipality"})
    councils = [r for r in regions if r["kind"] in ("ipr", "regionråd") and len(r["members"]) >= 2]
    counties: dict[str, list[str]] = {}
    for r in regions:
        if r["kind"] == "county":
            counties.setdefault(r["code"], []).append(r["name"])
    return Pools(first, first_w, last, last_w, munis, councils, counties)


class Filler:
    """Random but seeded slot values for one document."""

    def __init__(self, pools: Pools, rng: random.Random) -> None:
        self.p, self.rng = pools, rng
        self.council = rng.choice(pools.councils)
        self.municipality = rng.choice(self.council["members"])
        codes = [c for c in self.council["county_codes"] if c in pools.counties] or sorted(pools.counties)
        self.county = rng.choice(pools.counties[rng.choice(codes)])
        self.date = dt.date(2005, 1, 1) + dt.timedelta(days=rng.randrange(20 * 365))
        self.yy = self.date.strftime("%y")
        self.case_no = rng.randrange(1, 120)
        self.theme = rng.choice(sorted(THEMES))

    def person(self) -> str:
        first = self.rng.choices(self.p.first, self.p.first_w, k=1 + (self.rng.random() < 0.2))
        return " ".join(first + self.rng.choices(self.p.last, self.p.last_w))

    def title(self) -> str:
        topic = self.topic()
        return topic[:1].upper() + topic[1:]

    def topic(self) -> str:
        theme = self.theme if self.rng.random() < 0.6 else self.rng.choice(sorted(THEMES))
        return self.rng.choice(THEMES[theme]).format(
            n=self.rng.randrange(10, 999), town=self.rng.choice(self.council["members"]),
            place=self.rng.choice(["Sentrum", "Moen", "Nordbyen", "Vika", "Haugen"]),
            road=f"E{self.rng.choice([6, 10, 16, 18, 39, 134])}")

    def other_date(self) -> str:
        return (self.date + dt.timedelta(days=self.rng.randrange(-200, 200))).strftime("%d.%m.%Y")

    def case(self) -> str:
        self.case_no += 1
        return f"{self.case_no:03d}/{self.yy}"

    def fill(self, template: str, body: str = "Kommunestyret") -> str:
        members = [m for m in self.council["members"] if m != self.municipality]
        amount = f"{self.rng.randrange(50, 9000) * 1000:,}".replace(",", " ")
        return template.format(
            topic=self.topic(), municipality=self.municipality, council=self.council["name"],
            county=self.county, year=self.date.year - self.rng.randrange(1, 6), date=self.other_date(),
            adj=self.rng.choice(ADJ), amount=amount, share=self.rng.randrange(5, 60), case=self.case(),
            neighbours=" og ".join(members[:2]) or "i regionen", body=body)

    def paragraphs(self, n: int, pool: list[str] = BACKGROUND) -> list[Block]:
        out: list[Block] = []
        for _ in range(n):
            out.append(("p", " ".join(self.fill(s) for s in self.rng.sample(pool, self.rng.randint(3, 5)))))
        return out

    def members(self, n: int) -> list[tuple[str, str]]:
        return [(self.person(), self.rng.choice(PARTIES)) for _ in range(n)]

    def votes(self) -> str:
        if self.rng.random() < 0.6:
            return "Enstemmig vedtatt."
        against = self.rng.randrange(2, 12)
        parties = ", ".join(self.rng.sample(PARTIES, 2))
        yes = self.rng.randrange(13, 30)
        return f"Innstillingen ble vedtatt med {yes} mot {against} stemmer ({parties})."


def t_protocol(f: Filler) -> list[Block]:
    body = f.rng.choice(["Kommunestyret", "Formannskapet", "Hovedutvalg for teknikk og miljø"])
    present = f.members(f.rng.randint(7, 15))
    absent = f.members(f.rng.randint(0, 3))
    items = [(f.case(), f.title()) for _ in range(f.rng.randint(3, 10))]
    blocks: list[Block] = [("title", f"{f.municipality} kommune"), ("h", "Møteprotokoll"),
                           ("p", f"Utvalg: {body}\nMøtested: Kommunestyresalen, {f.municipality} rådhus\n"
                                 f"Dato: {f.date:%d.%m.%Y}\nTidspunkt: 09:00 - 14:30"),
                           ("h", "Til stede"),
                           ("p", "\n".join(f"{n} ({p})" + (", ordfører" if k == 0 else "")
                                           for k, (n, p) in enumerate(present)))]
    if absent:
        blocks += [("h", "Forfall"), ("p", "\n".join(f"{n} ({p})" for n, p in absent)),
                   ("h", "Møtende varamedlemmer"),
                   ("p", "\n".join(f"{f.person()} ({p}) for {n} ({p})" for n, p in absent))]
    blocks += [("p", f"Protokollen godkjennes av {present[1][0]} og {present[2][0]}."), ("h", "Saksliste"),
               ("table", [("Saksnr.", "Innhold")] + [(f"PS {c}", t) for c, t in items])]
    for case, title in items:
        blocks += [("h", f"PS {case} {title}"), ("p", "Kommunedirektørens innstilling:"),
                   ("p", f.fill(f.rng.choice(DECISIONS), body))]
        blocks += f.paragraphs(f.rng.randint(0, 2))
        blocks += [("p", f"Behandling i {body} - {f.date:%d.%m.%Y}:"), ("p", "Votering:"), ("p", f.votes()),
                   ("p", "Vedtak:"), ("p", f.fill(f.rng.choice(DECISIONS), body))]
    return blocks


def t_council_notes(f: Filler) -> list[Block]:
    rows = [("Navn", "Kommune", "Rolle")]
    for m in f.council["members"]:
        rows += [(f.person(), m, "ordfører"), (f.person(), m, "kommunedirektør")]
    items = [(f.case(), f.title()) for _ in range(f.rng.randint(3, 8))]
    blocks: list[Block] = [("title", "REFERAT"), ("h", f.council["name"]),
                           ("p", f"Møtedato: {f.date:%d.%m.%Y}\nSted: {f.municipality} rådhus\n"
                                 "Tid: kl. 09.00-14.00"),
                           ("h", "Til stede"), ("table", rows),
                           ("p", f"Forfall: {f.person()}, ordfører i {f.rng.choice(f.council['members'])}"),
                           ("p", f"Fra {f.county}: {f.person()}, seniorrådgiver regional utvikling"),
                           ("h", "Saksliste"), ("p", "\n".join(f"Sak {c} {t}" for c, t in items))]
    for case, title in items:
        blocks += [("h", f"Sak {case} {title}")] + f.paragraphs(f.rng.randint(1, 3))
        blocks += [("p", "Vedtak:"), ("p", f.fill(f.rng.choice(DECISIONS), f.council["name"]))]
    return blocks


def t_case_document(f: Filler) -> list[Block]:
    title = f.title()
    points = [f.fill(f.rng.choice(DECISIONS)) for _ in range(f.rng.randint(1, 4))]
    blocks: list[Block] = [
        ("title", f"{f.municipality} kommune"), ("h", "SAKSFRAMLEGG"),
        ("p", f"Saksbehandler: {f.person()}\nArkiv: {f.rng.randrange(1, 999):03d}\n"
              f"Arkivsak-dok. {f.yy}/{f.rng.randrange(1, 9999):05d}-{f.rng.randrange(1, 9)}"),
        ("table", [("Saksgang", "Møtedato", "Saksnr"), ("1 Formannskapet", f"{f.date:%d.%m.%Y}", f.case()),
                   ("2 Kommunestyret", f.other_date(), f.case())]),
        ("h", title), ("p", "Vedlegg:\n" + "\n".join(f"{k}. {f.title()}" for k in range(1, 4))),
        ("h", "Kommunedirektørens innstilling"),
        ("p", "\n".join(f"{k}. {p}" for k, p in enumerate(points, 1))), ("h", "Saksopplysninger"),
        ("p", "Bakgrunn")] + f.paragraphs(f.rng.randint(2, 8))
    blocks += [("h", "Vurdering")] + f.paragraphs(f.rng.randint(2, 6))
    blocks += [("h", "Økonomiske konsekvenser")] + f.paragraphs(1)
    return blocks


def t_meeting_book_nn(f: Filler) -> list[Block]:
    present = f.members(f.rng.randint(5, 11))
    items = [(f.case(), f.title()) for _ in range(f.rng.randint(3, 8))]
    blocks: list[Block] = [("title", f"{f.municipality} kommune"), ("h", "Møtebok"),
                           ("p", f"Utval: Formannskapet\nMøtestad: Heradshuset\nDato: {f.date:%d.%m.%Y}"),
                           ("h", "Til stades"), ("p", "\n".join(f"{n} ({p})" for n, p in present)),
                           ("h", "Sakliste"), ("p", "\n".join(f"{c} {t}" for c, t in items))]
    for case, title in items:
        blocks += [("h", f"{case} {title}"), ("p", "Kommunedirektøren sitt framlegg til vedtak:"),
                   ("p", f.fill(f.rng.choice(DECISIONS_NN), "Formannskapet"))]
        blocks += f.paragraphs(f.rng.randint(0, 2), BACKGROUND_NN)
        blocks += [("p", f"Handsaming i formannskapet - {f.date:%d.%m.%Y}:"), ("p", "Røysting:"),
                   ("p", f.rng.choice(["Samrøystes vedteke.", "Framlegget vart vedteke mot 2 røyster."])),
                   ("p", f"Vedtak i formannskapet - {f.date:%d.%m.%Y}:"),
                   ("p", f.fill(f.rng.choice(DECISIONS_NN), "Formannskapet"))]
    return blocks


def t_board_protocol(f: Filler) -> list[Block]:
    board = f.members(f.rng.randint(5, 9))
    items = [(f.case(), f.title()) for _ in range(f.rng.randint(2, 6))]
    blocks: list[Block] = [("title", f"Protokoll fra styremøte i {f.council['name']}"),
                           ("p", f"Dato: {f.date:%d.%m.%Y}\nSted: {f.rng.choice(f.council['members'])}"),
                           ("h", "Møtende styremedlemmer"),
                           ("table", [("Navn", "Parti", "Rolle")] + [(n, p, "leder" if k == 0 else "medlem")
                                                                     for k, (n, p) in enumerate(board)])]
    for case, title in items:
        blocks += [("h", f"Styresak {case} {title}")] + f.paragraphs(f.rng.randint(1, 3))
        blocks += [("p", "Forslag til vedtak:"), ("p", f.fill(f.rng.choice(DECISIONS), "Styret"))]
        if f.rng.random() < 0.5:
            yes = ", ".join(n for n, _ in board[: len(board) // 2 + 1])
            no = ", ".join(n for n, _ in board[len(board) // 2 + 1:])
            blocks += [("p", f"Stemte for: {yes}\nStemte mot: {no}")]
        blocks += [("p", "Vedtak:"), ("p", f.fill(f.rng.choice(DECISIONS), "Styret"))]
    return blocks


def t_notice(f: Filler) -> list[Block]:
    items = [(f.case(), f.title()) for _ in range(f.rng.randint(4, 12))]
    blocks: list[Block] = [("title", f"{f.municipality} kommune"), ("h", "Møteinnkalling"),
                           ("p", f"Utvalg: Formannskapet\nMøtested: {f.municipality} rådhus, møterom 1\n"
                                 f"Dato: {f.date:%d.%m.%Y}\nTidspunkt: 10:00"),
                           ("p", "Forfall meldes til servicetorget, som sørger for innkalling av "
                                 "varamedlemmer."),
                           ("h", "Saksliste")]
    blocks += [("p", "\n".join(f"PS {c} {t}" for c, t in items))]
    for case, title in items:
        blocks += [("h", f"PS {case} {title}"), ("p", "Forslag til vedtak:"),
                   ("p", f.fill(f.rng.choice(DECISIONS), "Formannskapet"))]
    blocks += [("p", f"{f.municipality}, {f.other_date()}\n{f.person()}\nordfører")]
    return blocks


TEMPLATES: dict[str, Callable[[Filler], list[Block]]] = {
    "protokoll": t_protocol, "referat": t_council_notes, "saksframlegg": t_case_document,
    "motebok": t_meeting_book_nn, "styreprotokoll": t_board_protocol, "innkalling": t_notice,
}
OCR_DAMAGE = {"ø": (("o", 0.5), ("g", 0.3), ("0", 0.2)), "å": (("a", 0.9), ("d", 0.1)),
              "æ": (("e", 0.8), ("ae", 0.2)), "Ø": (("O", 1.0),), "Å": (("A", 1.0),), "Æ": (("E", 1.0),)}


def ocr_damage(text: str, rng: random.Random) -> str:
    """æ, ø and å misread as by an OCR engine without Norwegian letters (most, not all)."""
    out = []
    for ch in text:
        if ch in OCR_DAMAGE and rng.random() < 0.85:
            x, acc = rng.random(), 0.0
            for seen, weight in OCR_DAMAGE[ch]:
                acc += weight
                if x < acc:
                    ch = seen
                    break
        out.append(ch)
    return "".join(out)


# --------------------------------------------------------------------------- writers


def as_text(blocks: list[Block]) -> str:
    parts = []
    for kind, value in blocks:
        if kind == "table":
            parts.append("\n".join("\t".join(row) for row in value))  # type: ignore[attr-defined]
        else:
            parts.append(str(value))
    return "\n\n".join(parts) + "\n"


def latin1(text: str) -> str:
    return text.replace("–", "-").encode("latin-1", "replace").decode("latin-1")


def write_pdf(blocks: list[Block], path: Path, title: str) -> int:
    from fpdf import FPDF

    class Pdf(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("Helvetica", size=8)
            self.cell(0, 5, latin1(f"{title} - side {self.page_no()} av {{nb}}"), align="C")

    pdf = Pdf(format="A4")
    pdf.set_creation_date(FIXED_TIME)
    pdf.set_margins(22, 20, 22)
    pdf.alias_nb_pages()
    pdf.add_page()
    for kind, value in blocks:
        if kind == "table":
            pdf.set_font("Helvetica", size=9)
            with pdf.table(first_row_as_headings=True, line_height=5) as table:
                for row in value:  # type: ignore[attr-defined]
                    table.row([latin1(c) for c in row])
            pdf.ln(3)
            continue
        size, style = {"title": (16, "B"), "h": (12, "B")}.get(kind, (10, ""))
        pdf.set_font("Helvetica", style=style, size=size)
        pdf.multi_cell(0, size * 0.5, latin1(str(value)), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.output(str(path))
    return pdf.page_no()


def write_docx(blocks: list[Block], path: Path) -> None:
    from docx import Document

    doc = Document()
    doc.core_properties.created = doc.core_properties.modified = FIXED_TIME.replace(tzinfo=None)
    for kind, value in blocks:
        if kind == "title":
            doc.add_heading(str(value), level=0)
        elif kind == "h":
            doc.add_heading(str(value), level=2)
        elif kind == "table":
            rows = list(value)  # type: ignore[call-overload]
            table = doc.add_table(rows=len(rows), cols=len(rows[0]))
            table.style = "Table Grid"
            for r, row in enumerate(rows):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
        else:
            for line in str(value).split("\n"):
                doc.add_paragraph(line)
    buffer = io.BytesIO()
    doc.save(buffer)
    deterministic_zip(buffer.getvalue(), path)


def deterministic_zip(data: bytes, path: Path) -> None:
    """The same zip with every entry dated 2024-01-01, so the same document gives the same bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info))


# --------------------------------------------------------------------------- the archive


def generate(docs: int, out: Path, seed: int = 1) -> dict:
    """Write ``docs`` documents under ``out/docs/{pdf,docx,txt}/`` and ``out/manifest.json`` (paths
    relative to ``out/docs``); reuse an archive made earlier with the same size, seed and generator."""
    manifest_path = out / "manifest.json"
    key = {"docs": docs, "seed": seed, "generator": GENERATOR}
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        complete = all((out / "docs" / f["path"]).exists() for f in manifest.get("files", []))
        if {k: manifest.get(k) for k in key} == key and complete:
            return manifest
    pools = load_pools()
    files = []
    names = sorted(TEMPLATES)
    for i in range(docs):
        rng = random.Random(f"{seed}:{i}")
        template = names[i % len(names)] if i < len(names) else rng.choice(names)
        filler = Filler(pools, rng)
        blocks = TEMPLATES[template](filler)
        damaged = rng.random() < 0.15
        if damaged:
            blocks = [(k, ocr_damage(str(v), rng) if k != "table" else
                       [tuple(ocr_damage(c, rng) for c in row) for row in v])  # type: ignore[attr-defined]
                      for k, v in blocks]
        fmt = rng.choices(["pdf", "docx", "txt"], [0.45, 0.25, 0.30])[0]
        stem = f"{i:05d}_{template}_{filler.municipality}_{filler.date:%Y-%m-%d}".replace(" ", "_")
        rel = Path(fmt) / f"{stem}.{fmt}"
        path = out / "docs" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        pages, encoding = 1, ""
        if fmt == "pdf":
            pages = write_pdf(blocks, path, f"{template.capitalize()} {filler.date:%d.%m.%Y}")
        elif fmt == "docx":
            write_docx(blocks, path)
        else:
            text = as_text(blocks)
            encoding = "cp1252" if rng.random() < 0.1 else "utf-8"
            try:
                path.write_bytes(text.encode(encoding))
            except UnicodeEncodeError:
                encoding = "utf-8"
                path.write_bytes(text.encode(encoding))
        files.append({"path": rel.as_posix(), "format": fmt, "template": template, "pages": pages,
                      "ocr_damage": damaged, "encoding": encoding})
    manifest = {**key, "files": files}
    manifest_path.write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    return manifest


def generate_texts(docs: int, out: Path, seed: int = 1) -> list[Path]:
    """``docs`` short text documents (the templates above as UTF-8 text, no OCR damage) in ``out``:
    the small archive on which a pool of workers must not lose to one worker (issue 18). Reused
    when it is already there."""
    out.mkdir(parents=True, exist_ok=True)
    names = sorted(TEMPLATES)
    paths = []
    pools: Pools | None = None
    for i in range(docs):
        path = out / f"{i:05d}_{names[i % len(names)]}.txt"
        if not path.exists():
            pools = pools or load_pools()
            filler = Filler(pools, random.Random(f"texts:{seed}:{i}"))
            path.write_text(as_text(TEMPLATES[names[i % len(names)]](filler)), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    manifest = generate(args.docs, args.out, args.seed)
    pdfs = [f for f in manifest["files"] if f["format"] == "pdf"]
    print(f"{len(manifest['files'])} documents in {args.out} ({len(pdfs)} PDFs, "
          f"{sum(f['pages'] for f in pdfs)} PDF pages)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
