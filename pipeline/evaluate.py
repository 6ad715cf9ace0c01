"""``minutes evaluate OUT GOLD``: how far to trust a run, measured against hand annotations.

GOLD holds one ``<doc>.json`` per annotated document (the format of the project's gold files:
doc, doc_type, title, meeting_date, body, decisions, participants, agenda_items, regions,
topics; ``"optional": true`` marks an item that may be found or not without penalty). A gold
file is matched to the run's document whose ``source_path`` has the same stem.

For each table: precision, recall and F1 from a greedy one-to-one matching by similarity,
attribute accuracies on the matched pairs, per-document figures, and every miss and false find
(written to ``OUT/evaluation/`` as CSV when asked).
"""
from __future__ import annotations

import csv
import json
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

csv.field_size_limit(sys.maxsize)

Item = dict[str, Any]
Similar = Callable[[Item, Item], float | None]


def norm(text: str | None) -> str:
    """Case- and space-insensitive form.

    >>> norm("  Til\u00a0Stede ")
    'til stede'
    """
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text or "")).strip().casefold()


_REGION_NOISE = re.compile(
    r"\b(ipr|interkommunalt|interkommunale|politisk|politiske|råd|rådet|for|i|kommuneregion|regionråd|regionrådet|"
    r"samarbeidsrådet|utvikling|sekretariat|sekretariatet|kommune|kommunes|fylkeskommune|fylkeskommunes|fylke)\b"
)


def region_key(name: str | None) -> str:
    """A region name without the words that vary between ways of writing it.

    >>> region_key("Interkommunalt politisk råd for Asker og Bærum"), region_key("Asker og Bærum IPR")
    ('asker og bærum', 'asker og bærum')
    """
    text = re.sub(r"\(.*?\)", " ", norm(name))
    text = _REGION_NOISE.sub(" ", text)
    return re.sub(r"[\s,/]+", " ", text).strip()


def _strip_numbering(text: str) -> str:
    return re.sub(r"(^|\s)\d{1,2}[.)]\s", " ", text)


def decision_similarity(g: Item, p: Item) -> float | None:
    s = fuzz.ratio(norm(_strip_numbering(g["text"])), norm(_strip_numbering(p.get("text", ""))))
    return s if s >= 80 else None


def name_similarity(g: Item, p: Item) -> float | None:
    s = fuzz.ratio(norm(g["name"]).replace(".", ""), norm(p.get("name", "")).replace(".", ""))
    return s if s >= 90 else None


def agenda_similarity(g: Item, p: Item) -> float | None:
    if norm(g["number"]).rstrip(".") != norm(p.get("number", "")).rstrip("."):
        return None
    s = fuzz.ratio(norm(g["title"]), norm(p.get("title", "")))
    return s if s >= 80 else None


def region_similarity(g: Item, p: Item) -> float | None:
    s = fuzz.ratio(region_key(g["region"]), region_key(p["region"]))
    return s if s >= 85 else None


def topic_similarity(g: Item, p: Item) -> float | None:
    return region_similarity(g, p) if g["theme"] == p["theme"] else None


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    attr_ok: dict[str, int] = field(default_factory=dict)
    attr_n: dict[str, int] = field(default_factory=dict)

    def add(self, other: Tally) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn
        for k, n in other.attr_n.items():
            self.attr_n[k] = self.attr_n.get(k, 0) + n
            self.attr_ok[k] = self.attr_ok.get(k, 0) + other.attr_ok.get(k, 0)

    def figures(self) -> dict[str, Any]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        out: dict[str, Any] = {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3),
                               "tp": self.tp, "fp": self.fp, "fn": self.fn}
        for k, n in self.attr_n.items():
            out[f"{k}_accuracy"] = round(self.attr_ok[k] / n, 3)
        return out


@dataclass(frozen=True)
class Finding:
    """A miss (in gold, not found) or a false find (found, not in gold), or a wrong attribute."""

    doc: str
    table: str
    what: str  # "miss", "false find", "wrong <attribute>"
    gold: str
    found: str


Check = tuple[str, Callable[[Item, Item], bool | None]]


def match(doc: str, table: str, gold: list[Item], pred: list[Item], similar: Similar, show: Callable[[Item], str],
          checks: Iterable[Check] = ()) -> tuple[Tally, list[Finding]]:
    """Greedy one-to-one matching by similarity; optional gold items cost nothing either way."""
    tally, findings = Tally(), []
    pairs = sorted(((s, gi, pi) for gi, g in enumerate(gold) for pi, p in enumerate(pred)
                    if (s := similar(g, p)) is not None), reverse=True)
    used_g: set[int] = set()
    used_p: set[int] = set()
    for _, gi, pi in pairs:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        g, p = gold[gi], pred[pi]
        if g.get("optional"):
            continue
        tally.tp += 1
        for name, check in checks:
            verdict = check(g, p)
            if verdict is None:
                continue
            tally.attr_n[name] = tally.attr_n.get(name, 0) + 1
            tally.attr_ok[name] = tally.attr_ok.get(name, 0) + int(verdict)
            if not verdict:
                findings.append(Finding(doc, table, f"wrong {name}", f"{show(g)} [{g.get(name)}]",
                                        f"{show(p)} [{p.get(name)}]"))
    for gi, g in enumerate(gold):
        if gi not in used_g and not g.get("optional"):
            tally.fn += 1
            findings.append(Finding(doc, table, "miss", show(g), ""))
    for pi, p in enumerate(pred):
        if pi not in used_p:
            tally.fp += 1
            findings.append(Finding(doc, table, "false find", "", show(p)))
    return tally, findings


def read_table(out: Path, name: str) -> list[Item]:
    path = out / "tables" / f"{name}.csv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


TABLES = ("decisions", "participants", "agenda_items", "regions", "topics_document", "topics_region")


@dataclass
class Evaluation:
    totals: dict[str, Tally] = field(default_factory=lambda: {t: Tally() for t in TABLES})
    per_doc: dict[str, dict[str, Tally]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    documents: dict[str, Any] = field(default_factory=dict)
    #: the same scores of the tables as extracted, when the run applied hand corrections
    extracted: Evaluation | None = None

    def record(self, doc: str, table: str, tally: Tally, findings: list[Finding]) -> None:
        self.totals[table].add(tally)
        self.per_doc.setdefault(doc, {t: Tally() for t in TABLES})[table].add(tally)
        self.findings += findings

    def figures(self) -> dict[str, Any]:
        figures = {"documents": self.documents, **{t: self.totals[t].figures() for t in TABLES}}
        if self.extracted is not None:
            figures["as_extracted"] = self.extracted.figures()
        return figures


def _is_attr(name: str, g: Item, p: Item) -> bool:
    return bool(g[name] == p.get(name))


def evaluate(out: Path, gold_dir: Path) -> Evaluation:
    """Scores of the tables in ``out`` (with the hand corrections the run applied), and when it
    applied any, of the tables as extracted too (``Evaluation.extracted``): what the corrections changed."""
    from pipeline.export.corrections import as_extracted

    docs = {Path(d.get("source_path", "")).stem: d for d in read_table(out, "documents")}
    tables = {t: read_table(out, t) for t in ("decisions", "participants", "agenda_items", "regions", "topics")}
    golds = sorted(gold_dir.glob("*.json"))
    if not golds:
        raise FileNotFoundError(f"no gold files (*.json) in {gold_dir}")
    ev = _evaluate(docs, tables, golds)
    extracted = as_extracted(out, tables)
    if extracted is not None:
        ev.extracted = _evaluate(docs, extracted, golds)
    return ev


def _evaluate(docs: dict[str, Item], tables: dict[str, list[Item]], golds: list[Path]) -> Evaluation:
    ev = Evaluation()
    type_ok = date_ok = date_n = missing = errors = 0
    for path in golds:
        g = json.loads(path.read_text(encoding="utf-8"))
        name = g.get("doc") or path.stem
        d = docs.get(name)
        if d is None:
            missing += 1
            ev.findings.append(Finding(name, "documents", "miss", "document not in the run", ""))
            d = {}
        elif d.get("status") != "ok":
            errors += 1
        type_ok += int(d.get("doc_type") == g.get("doc_type"))
        if d and d.get("doc_type") != g.get("doc_type"):
            ev.findings.append(Finding(name, "documents", "wrong doc_type", g.get("doc_type", ""), d.get("doc_type", "")))
        if g.get("meeting_date"):
            date_n += 1
            date_ok += int(d.get("meeting_date") == g["meeting_date"])
            if d.get("meeting_date") != g["meeting_date"]:
                ev.findings.append(Finding(name, "documents", "wrong meeting_date", g["meeting_date"],
                                           d.get("meeting_date", "")))
        _score_document(ev, name, g, {t: [r for r in rows if r.get("doc_id") == d.get("doc_id")]
                                      for t, rows in tables.items()})
    ev.documents = {"gold": len(golds), "missing": missing, "errors": errors,
                    "doc_type_accuracy": round(type_ok / len(golds), 3),
                    "meeting_date_accuracy": round(date_ok / date_n, 3) if date_n else None}
    return ev


def _score_document(ev: Evaluation, name: str, g: Item, rows: dict[str, list[Item]]) -> None:
    ev.record(name, "decisions", *match(
        name, "decisions", g.get("decisions", []), rows["decisions"], decision_similarity,
        lambda x: f"{x.get('item') or ''} {x.get('kind')}/{x.get('status')}: {x.get('text', '')[:100]}",
        [("status", lambda a, b: _is_attr("status", a, b)), ("kind", lambda a, b: _is_attr("kind", a, b))]))
    ev.record(name, "participants", *match(
        name, "participants", g.get("participants", []), rows["participants"], name_similarity,
        lambda x: f"{x.get('name')} ({x.get('role') or ''}; {x.get('organisation') or ''})",
        [("attendance", lambda a, b: _is_attr("attendance", a, b)),
         ("organisation", lambda a, b: None if not a.get("organisation")
          else fuzz.partial_ratio(norm(a["organisation"]), norm(b.get("organisation"))) >= 80)]))
    ev.record(name, "agenda_items", *match(
        name, "agenda_items", g.get("agenda_items", []), rows["agenda_items"], agenda_similarity,
        lambda x: f"{x.get('number')}. {x.get('title')}"))
    ev.record(name, "regions", *match(
        name, "regions", [{"region": r} for r in g.get("regions", [])],
        [{"region": r.get("region") or r.get("mention", "")} for r in rows["regions"]], region_similarity,
        lambda x: x["region"]))
    g_themes = {t for e in g.get("topics", []) for t in e["themes"]}
    p_themes = {str(r.get("theme", "")) for r in rows["topics"]}
    ev.record(name, "topics_document", *match(
        name, "topics_document", [{"theme": t} for t in sorted(g_themes)], [{"theme": t} for t in sorted(p_themes)],
        lambda a, b: 100.0 if a["theme"] == b["theme"] else None, lambda x: x["theme"]))
    g_pairs = [{"region": e["region"], "theme": t} for e in g.get("topics", []) if e["region"] for t in e["themes"]]
    if g_pairs:
        seen, p_pairs = set(), []
        for r in rows["topics"]:
            key = (region_key(r.get("region")), r.get("theme"))
            if r.get("region") and key not in seen:
                seen.add(key)
                p_pairs.append({"region": r["region"], "theme": r.get("theme")})
        ev.record(name, "topics_region", *match(name, "topics_region", g_pairs, p_pairs, topic_similarity,
                                                lambda x: f"{x['region']}: {x['theme']}"))


def write_findings(ev: Evaluation, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "findings.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["doc", "table", "what", "gold", "found"])
        for x in ev.findings:
            writer.writerow([x.doc, x.table, x.what, x.gold, x.found])
    with (folder / "per_document.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["doc", "table", "precision", "recall", "f1", "tp", "fp", "fn"])
        for doc, tallies in sorted(ev.per_doc.items()):
            for table, tally in tallies.items():
                fig = tally.figures()
                writer.writerow([doc, table, fig["precision"], fig["recall"], fig["f1"], fig["tp"], fig["fp"], fig["fn"]])
    (folder / "figures.json").write_text(json.dumps(ev.figures(), ensure_ascii=False, indent=1), encoding="utf-8")


def _table_lines(ev: Evaluation) -> list[str]:
    lines = [f"{'table':<16} {'precision':>9} {'recall':>7} {'f1':>6} {'tp':>5} {'fp':>5} {'fn':>5}  attributes"]
    for table in TABLES:
        fig = ev.totals[table].figures()
        attrs = ", ".join(f"{k[:-9]} {v:.3f}" for k, v in fig.items() if k.endswith("_accuracy"))
        lines.append(f"{table:<16} {fig['precision']:>9.3f} {fig['recall']:>7.3f} {fig['f1']:>6.3f} "
                     f"{fig['tp']:>5} {fig['fp']:>5} {fig['fn']:>5}  {attrs}")
    return lines


def report(ev: Evaluation, details: bool = False) -> str:
    lines = [f"documents: {json.dumps(ev.documents, ensure_ascii=False)}"]
    if ev.extracted is not None:
        lines.append("with the hand corrections (tables/corrections.csv):")
    lines += _table_lines(ev)
    if ev.extracted is not None:
        lines.append("as extracted, without them:")
        lines += _table_lines(ev.extracted)
    if details:
        for x in ev.findings:
            lines.append(f"  {x.doc} {x.table} {x.what}: {x.gold} | {x.found}")
    return "\n".join(lines)
