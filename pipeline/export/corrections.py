"""Hand corrections that survive reprocessing.

The secretariat corrects the tables in files ``DIR/<table>.csv`` (``minutes run --corrections DIR``,
``data/corrections/`` by default when it exists), one file per table of ``decisions``,
``participants``, ``agenda_items``, ``votes``, ``regions`` and ``topics``. A file holds the
table's own columns (or the workbook's headers, Norwegian or English: a filtered sheet saved as CSV
will do), ``id`` required, and only the cells to change filled in; an empty cell keeps the
extracted value. A column ``delete`` (``slett``) with ``yes`` or ``ja`` removes the row. A row
whose id is not in the table and that gives a ``doc_id`` adds a row (ids of the pipeline's own form,
``d-0123456789ab``, name extracted rows: when such a row is gone its correction is *orphaned*).

:func:`read` reads and checks the files into a :class:`Corrections`; a file, line or cell that is
not right is an ``invalid`` outcome with its file and line, and the rest applies.
:meth:`Corrections.stream` applies them to the results as the export reads them (added rows come
after the last document), :meth:`Corrections.report` lists every outcome (the ``corrections``
table and the workbook's ``Rettelser`` sheet), and :meth:`Corrections.save` keeps the rows that
were corrected as they were extracted (``OUT/.state/corrections.json``): the last known text of a
row that has since gone, and what ``minutes evaluate`` scores as extracted.
"""
from __future__ import annotations

import csv
import json
import logging
import re
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import MISSING, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from pipeline.export.correction_files import TABLES, Correction, CorrectionRow, read_folder
from pipeline.export.files import atomic_path
from pipeline.models import TABLES as ROW_CLASSES
from pipeline.models import DocumentResult, as_dict

__all__ = ["TABLES", "Correction", "CorrectionRow", "Corrections", "as_extracted",
           "drop_tables", "load_record", "read"]

log = logging.getLogger("minutes")

#: Columns an added row must fill (besides id and doc_id).
REQUIRED_TO_ADD = {"decisions": ("kind", "status", "text"), "participants": ("name",),
                   "agenda_items": ("number", "title"), "votes": ("name", "vote"), "regions": ("region",),
                   "topics": ("theme",)}
#: What a row reads as in the outcomes (its last known text).
SHOWN = {"decisions": ("item", "kind", "status", "text"), "participants": ("name", "role", "organisation", "attendance"),
         "agenda_items": ("number", "title"), "votes": ("item", "proposal", "name", "vote"),
         "regions": ("region", "mention"), "topics": ("region", "theme", "evidence")}
#: The ids the pipeline gives (pipeline.rowids): such an id names an extracted row, never an added one.
PIPELINE_ID_RE = re.compile(r"[dpavrt]-[0-9a-f]{12}(?:-\d+)?")
RECORD = Path(".state") / "corrections.json"
OUTCOMES = ("applied", "deleted", "added", "unchanged", "orphaned", "invalid")


def read(folder: Path, documents: Collection[str] | None = None, out: Path | None = None) -> Corrections:
    """The corrections of ``folder``, checked (``documents``: the doc ids of the run, when known);
    with ``out`` the rows earlier runs saw corrected (:meth:`Corrections.save`)."""
    found = read_folder(folder, documents)
    for p in found.problems:
        log.warning("corrections: %s%s: %s", p.file, f" line {p.line}" if p.line else "", p.message)
    return Corrections(known=load_record(out) if out is not None else {}, corrections=found.corrections,
                       outcomes=list(found.problems))

# --------------------------------------------------------------------------- applying


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _csv_row(row: Any) -> dict[str, str]:
    return {k: _text(v) for k, v in as_dict(row).items()}


def describe(table: str, row: Mapping[str, Any]) -> str:
    """What a row reads as: its main cells.

    >>> describe("participants", {"name": "Kari Nordmann", "role": "", "attendance": "present"})
    'Kari Nordmann | present'
    """
    return " | ".join(_text(row.get(c)) for c in SHOWN.get(table, ()) if _text(row.get(c)))


@dataclass
class Corrections:
    """Checked corrections, and what became of them as the export applies them."""

    known: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> {table, row} of earlier runs
    corrections: dict[str, dict[str, Correction]] = field(default_factory=lambda: {t: {} for t in TABLES})
    outcomes: list[CorrectionRow] = field(default_factory=list)
    seen: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> {table, row}: rows corrected now
    marks: dict[tuple[str, str], dict[str, str | None]] = field(default_factory=dict)
    documents: set[str] = field(default_factory=set)

    def problem(self, file: str, line: int, table: str, message: str, row_id: str = "", column: str = "",
                value: str = "") -> None:
        self.outcomes.append(CorrectionRow(file, line, table, row_id, column, "", value, "invalid", message))
        log.warning("corrections: %s%s: %s", file, f" line {line}" if line else "", message)

    def apply(self, table: str, rows: Iterable[Any]) -> tuple[Any, ...]:
        """``rows`` (row objects of ``table``) with their corrections applied, deleted ones left out."""
        fixes = self.corrections.get(table)
        if not fixes:
            return tuple(rows)
        out = []
        for row in rows:
            fix = fixes.get(row.id)
            if fix is None:
                out.append(row)
                continue
            extracted = _csv_row(row)
            self.seen[fix.id] = {"table": table, "row": extracted}
            if fix.delete:
                self._outcome(fix, "", describe(table, extracted), "", "deleted")
                continue
            changes = {c: v for c, v in fix.values.items() if v != getattr(row, c)}
            if "doc_id" in changes:
                self.problem(fix.file, fix.line, table, "the doc_id of an extracted row cannot change: delete the "
                             "row and add one", fix.id, "doc_id", _text(changes.pop("doc_id")))
            elif not changes:
                self._outcome(fix, "", describe(table, extracted), "", "unchanged",
                              "the extracted row has these values already")
            for column, value in changes.items():
                self._outcome(fix, column, extracted[column], _text(value), "applied")
            if changes:
                self.marks[(table, fix.id)] = {c: extracted[c] for c in changes}
                row = replace(row, **changes)
            out.append(row)
        return tuple(out)

    def _outcome(self, fix: Correction, column: str, extracted: str, corrected: str, outcome: str,
                 message: str = "") -> None:
        self.outcomes.append(CorrectionRow(fix.file, fix.line, fix.table, fix.id, column, extracted, corrected,
                                           outcome, message))

    def stream(self, results: Iterable[DocumentResult]) -> Iterator[DocumentResult]:
        """The results with their corrections applied; the added rows come with the last result (a
        correction is an addition only once every document is seen not to have its id)."""
        last: DocumentResult | None = None
        for result in results:
            self.documents.add(result.document.doc_id)
            tables: dict[str, Any] = {t: self.apply(t, getattr(result, t)) for t in TABLES if self.corrections[t]}
            fixed = replace(result, **tables)
            if last is not None:
                yield last
            last = fixed
        added = self._finish()
        if last is not None:
            grown: dict[str, Any] = {t: getattr(last, t) + rows for t, rows in added.items() if rows}
            yield replace(last, **grown)

    def _finish(self) -> dict[str, tuple[Any, ...]]:
        """Orphans and additions: the corrections whose id no document had."""
        added: dict[str, tuple[Any, ...]] = {}
        for table, fixes in self.corrections.items():
            rows = []
            for fix in fixes.values():
                if fix.id in self.seen:
                    continue
                if fix.id in self.known or PIPELINE_ID_RE.fullmatch(fix.id):
                    self._orphan(fix)
                elif (row := self._added(fix)) is not None:
                    rows.append(row)
            added[table] = tuple(rows)
        return added

    def _orphan(self, fix: Correction) -> None:
        last = self.known.get(fix.id, {}).get("row")
        text = describe(fix.table, last) if last else ""
        message = (f"its row is no longer extracted; last known: {text}" if last
                   else "no extracted row has this id (nor had one in the runs this output folder remembers)")
        if last is not None:
            self.seen[fix.id] = self.known[fix.id]  # remembered on
        changed = {c: v for c, v in fix.values.items() if last is None or _text(v) != last.get(c, "")}
        if fix.delete or not changed:
            self._outcome(fix, "", text, "", "orphaned", message)
        for column, value in changed.items():
            self._outcome(fix, column, (last or {}).get(column, ""), _text(value), "orphaned", message)
        log.warning("corrections: %s line %d: %s %s is orphaned: %s", fix.file, fix.line, fix.table, fix.id, message)

    def _added(self, fix: Correction) -> Any:
        row_class = ROW_CLASSES[fix.table]
        if fix.delete:
            self._outcome(fix, "", describe(fix.table, fix.values), "", "deleted", "an added row marked delete")
            return None
        missing = [c for c in ("doc_id", *REQUIRED_TO_ADD[fix.table]) if c not in fix.values]
        problem = f"{fix.id} is not a row of {fix.table}; to add a row give its {', '.join(missing)}" if missing \
            else (f"{fix.values['doc_id']!r} is not among the documents" if fix.values["doc_id"] not in self.documents
                  else "")
        if problem:
            self.problem(fix.file, fix.line, fix.table, problem, fix.id)
            return None
        blank = {f.name: "" for f in fields(row_class) if f.default is MISSING and f.default_factory is MISSING}
        row = row_class(**{**blank, **fix.values, "id": fix.id})
        self._outcome(fix, "", "", describe(fix.table, fix.values), "added")
        self.marks[(fix.table, fix.id)] = {c: None for c in fix.values}
        return row

    def notes(self, table: str, row_id: Any) -> Mapping[str, str | None]:
        """The corrected cells of a row: column -> the extracted value (None: a row added by hand)."""
        return self.marks.get((table, str(row_id)), {})

    def report(self) -> list[tuple[Any, ...]]:
        """Every outcome, by file and line: the rows of the ``corrections`` table."""
        return [tuple(as_dict(o).values()) for o in sorted(self.outcomes, key=lambda o: (o.file, o.line))]

    def summary(self) -> str:
        """``3 applied, 1 deleted, 1 added, 1 invalid``: corrections (lines) by outcome."""
        lines: dict[tuple[str, int], str] = {}
        for o in self.outcomes:  # a line counts once, by its worst outcome
            key = (o.file, o.line)
            if key not in lines or OUTCOMES.index(o.outcome) > OUTCOMES.index(lines[key]):
                lines[key] = o.outcome
        counts = Counter(lines.values())
        return ", ".join(f"{counts[k]} {k}" for k in OUTCOMES if counts[k])

    def save(self, out: Path) -> None:
        """Keep the corrected rows as they were extracted (``OUT/.state/corrections.json``): the last
        known text of a row that goes, and the tables as extracted for ``minutes evaluate``."""
        ids = {fix.id for fixes in self.corrections.values() for fix in fixes.values()}
        record = {i: self.seen.get(i) or self.known[i] for i in sorted(ids) if i in self.seen or i in self.known}
        with atomic_path(out / RECORD, "w", encoding="utf-8") as f:
            json.dump(record, f, ensure_ascii=False, indent=1, sort_keys=True)


def load_record(out: Path) -> dict[str, dict[str, Any]]:
    """The rows :meth:`Corrections.save` kept (none when there is no record or it is damaged)."""
    try:
        record = json.loads((out / RECORD).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("corrections: %s cannot be read (%s): the last known rows are forgotten", out / RECORD, exc)
        return {}
    return record if isinstance(record, dict) else {}


def drop_tables(out: Path) -> None:
    """The ``corrections`` table of an earlier run with corrections goes when a run has none."""
    for suffix in (".csv", ".parquet"):
        (out / "tables" / f"corrections{suffix}").unlink(missing_ok=True)


def as_extracted(out: Path, tables: Mapping[str, list[dict[str, str]]]) -> dict[str, list[dict[str, str]]] | None:
    """The tables of ``out`` (as read from its CSV files) without the corrections the run applied:
    corrected cells back to their extracted values, deleted rows back, added rows gone. None when the
    run applied no correction."""
    path = out / "tables" / "corrections.csv"
    if not path.exists():
        return None
    with path.open(encoding="utf-8", newline="") as f:
        outcomes = [o for o in csv.DictReader(f) if o.get("outcome") in ("applied", "deleted", "added")]
    if not outcomes:
        return None
    record = load_record(out)
    result = {t: [dict(r) for r in rows] for t, rows in tables.items()}
    for o in outcomes:
        rows = result.get(o["table"])
        if rows is None:
            continue
        if o["outcome"] == "added":
            rows[:] = [r for r in rows if r.get("id") != o["id"]]
        elif o["outcome"] == "deleted" and o["id"] in record:
            rows.append(dict(record[o["id"]]["row"]))
        elif o["outcome"] == "applied":
            for r in rows:
                if r.get("id") == o["id"]:
                    r[o["column"]] = o["extracted"]
    return result
