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
import hashlib
import io
import json
import logging
import re
import typing
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import MISSING, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from pipeline.models import ALLOWED_VALUES, DocumentResult, as_dict
from pipeline.models import TABLES as ROW_CLASSES

log = logging.getLogger("minutes")

#: The tables that take corrections (their rows have ids).
TABLES = ("decisions", "participants", "agenda_items", "votes", "regions", "topics")
DELETE_HEADERS = ("delete", "slett")
DELETE_YES, DELETE_NO = ("yes", "ja"), ("no", "nei")
_TRUE, _FALSE = ("true", "yes", "ja", "1"), ("false", "no", "nei", "0")
_DATES = ("meeting_date",)
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


@dataclass(frozen=True)
class CorrectionRow:
    """One outcome: a row of the ``corrections`` table and of the ``Rettelser`` sheet."""

    file: str  # the correction file, relative to the corrections folder
    line: int  # its line (1 is the header)
    table: str
    id: str
    column: str  # the corrected column, empty for a whole row (deleted, added)
    extracted: str  # the value the pipeline extracted (an orphan's last known one)
    corrected: str  # the value of the correction
    outcome: str  # applied, deleted, added, unchanged, orphaned or invalid
    message: str = ""


@dataclass(frozen=True)
class Correction:
    """One valid line of a correction file: the typed values of its filled cells."""

    file: str
    line: int
    table: str
    id: str
    values: dict[str, Any]
    delete: bool = False


def default_folder() -> Path | None:
    """``data/corrections`` of the current folder, when it exists."""
    folder = Path("data/corrections")
    return folder if folder.is_dir() else None


def digest(folder: Path | None) -> str:
    """A hash of the files of the corrections folder (names and contents): part of the export key,
    so that a changed correction file makes a rerun export again."""
    if folder is None:
        return ""
    h = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        if path.is_file():
            h.update(path.name.encode("utf-8", "surrogateescape") + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


# --------------------------------------------------------------------------- reading


def _sheet_tables() -> dict[str, str]:
    """File stem (casefolded) -> table: the table names and the workbook's sheet names."""
    from pipeline.export import SHEETS_NB
    from pipeline.workbook import SHEETS_EN

    names = {t: t for t in TABLES}
    for sheets in (SHEETS_NB, SHEETS_EN):
        names.update({sheets[t].casefold(): t for t in TABLES if t in sheets})
    return names


def _header_names(table: str) -> dict[str, str]:
    """Header (casefolded) -> column: the CSV columns and the workbook's headers in both languages."""
    from pipeline.export import HEADERS_NB
    from pipeline.workbook import HEADERS_EN

    names: dict[str, str] = {}
    for column in (f.name for f in fields(ROW_CLASSES[table])):
        for name in (column, HEADERS_NB.get(column, column), HEADERS_EN.get(column, ""),
                     column.replace("_", " ").capitalize()):
            if name:
                names.setdefault(name.casefold(), column)
    for name in DELETE_HEADERS:
        names[name] = "delete"
    return names


#: Workbook columns that are not table columns (the link to the source): ignored.
_IGNORED = ("kilde", "source")


def _decode(data: bytes) -> tuple[str, str]:
    """The text of a file (UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252), or a
    message why it is not one."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), ""
        except UnicodeDecodeError:
            return "", "not readable as UTF-16 text"
    if b"\0" in data:
        return "", "not a CSV file (binary: save the sheet as CSV)"
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding), ""
        except UnicodeDecodeError:
            continue
    return "", "not UTF-8 or Windows-1252 text"


def _delimiter(text: str) -> str:
    """``;`` (Excel in a Norwegian locale), tab or ``,``: the one the header line uses most.

    >>> _delimiter("id;status\\n"), _delimiter("id,status\\n"), _delimiter("id\\n")
    (';', ',', ',')
    """
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


_HINTS: dict[str, dict[str, str]] = {}


def _hint(table: str, column: str) -> str:
    if table not in _HINTS:
        _HINTS[table] = {k: str(v) for k, v in typing.get_type_hints(ROW_CLASSES[table]).items()}
    return _HINTS[table].get(column, "str")


def parse_value(table: str, column: str, raw: str) -> tuple[Any, str]:
    """A cell as the column's type, or a message why it cannot be.

    >>> parse_value("decisions", "status", "Adopted"), parse_value("decisions", "status", "vedtatt")[1]
    (('adopted', ''), "'vedtatt' is not one of adopted, proposed")
    >>> parse_value("decisions", "votes_for", "7"), parse_value("decisions", "quoted", "ja")
    ((7, ''), (True, ''))
    >>> parse_value("decisions", "meeting_date", "31.02.2026")[1]
    "'31.02.2026' is not a date (YYYY-MM-DD)"
    """
    hint = _hint(table, column)
    if "bool" in hint:
        word = raw.casefold()
        if word in _TRUE or word in _FALSE:
            return word in _TRUE, ""
        return None, f"{raw!r} is not true/false (ja/nei, yes/no)"
    if "int" in hint:
        if re.fullmatch(r"[+-]?\d+", raw):
            return int(raw), ""
        return None, f"{raw!r} is not a whole number"
    if raw.startswith("'") and raw[1:2] in ("=", "+", "-", "@"):  # the CSV tables' guard against formulas
        raw = raw[1:]
    if column in _DATES:
        from datetime import date

        try:
            if re.fullmatch(r"\d{4}-\d\d-\d\d", raw):
                date.fromisoformat(raw)
                return raw, ""
        except ValueError:
            pass
        return None, f"{raw!r} is not a date (YYYY-MM-DD)"
    allowed = ALLOWED_VALUES.get((table, column))
    if allowed is not None:
        word = raw.casefold()
        if word not in allowed:
            return None, f"{raw!r} is not one of {', '.join(allowed)}"
        return word, ""
    return raw, ""


def read(folder: Path, documents: Collection[str] | None = None, out: Path | None = None) -> Corrections:
    """The corrections of ``folder``, checked (``documents``: the doc ids of the run, when known);
    with ``out`` the rows earlier runs saw corrected (:meth:`Corrections.save`)."""
    fixes = Corrections(known=load_record(out) if out is not None else {})
    tables = _sheet_tables()
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        table = tables.get(path.stem.casefold()) if path.suffix.casefold() == ".csv" else None
        if table is None:
            fixes.problem(path.name, 0, "", f"not a correction file: name it <table>.csv, <table> one of "
                                            f"{', '.join(TABLES)}")
            continue
        text, problem = _decode(path.read_bytes())
        if problem:
            fixes.problem(path.name, 0, table, problem)
            continue
        _read_file(fixes, path.name, table, text, documents)
    return fixes


def _read_file(fixes: Corrections, name: str, table: str, text: str, documents: Collection[str] | None) -> None:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    headers = _header_names(table)
    line = 1
    try:
        header = next(reader, None)
        if header is None:
            return
        columns: list[str | None] = []
        for cell in header:
            name_ = cell.strip().strip("\ufeff")
            column = headers.get(name_.casefold())
            if column is None and name_ and name_.casefold() not in _IGNORED:
                fixes.problem(name, 1, table, f"unknown column {name_!r} (ignored)", column=name_)
            columns.append(column if column != "id" or "id" not in columns else None)
        if "id" not in columns:
            fixes.problem(name, 1, table, "no id column: every correction names the id of its row")
            return
        seen: dict[str, int] = {}
        while True:
            line = reader.line_num + 1
            cells = next(reader, None)
            if cells is None:
                break
            _read_row(fixes, name, line, table, columns, cells, seen, documents)
    except csv.Error as exc:
        fixes.problem(name, line, table, f"the file does not parse from here on: {exc}")


def _read_row(fixes: Corrections, name: str, line: int, table: str, columns: list[str | None], cells: list[str],
              seen: dict[str, int], documents: Collection[str] | None) -> None:
    if not any(c.strip() for c in cells):
        return
    if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns):]):
        fixes.problem(name, line, table, f"{len(cells)} cells, the header has {len(columns)} columns (extra ignored)")
    given = {col: cell.strip() for col, cell in zip(columns, cells) if col and cell.strip()}
    row_id = given.pop("id", "")
    if not row_id:
        fixes.problem(name, line, table, "no id: give the id of the row to correct (a new one to add a row)")
        return
    if row_id in seen:
        fixes.problem(name, line, table, f"id {row_id} is corrected on line {seen[row_id]} already", row_id)
        return
    seen[row_id] = line
    delete = given.pop("delete", "").casefold()
    if delete and delete not in DELETE_YES + DELETE_NO:
        fixes.problem(name, line, table, f"delete {delete!r}: write yes or ja to delete the row", row_id, "delete")
        return
    values: dict[str, Any] = {}
    problems = len(fixes.outcomes)
    for column, raw in given.items():
        value, problem = parse_value(table, column, raw)
        if not problem and column == "doc_id" and documents is not None and value not in documents:
            problem = f"{value!r} is not among the documents"
        if problem:
            fixes.problem(name, line, table, problem, row_id, column, raw)
        else:
            values[column] = value
    if not values and not delete and len(fixes.outcomes) > problems:
        return  # nothing valid on the line (reported)
    fixes.corrections[table][row_id] = Correction(name, line, table, row_id, values, delete in DELETE_YES)


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

    def __bool__(self) -> bool:
        return bool(self.outcomes) or any(self.corrections.values())

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
        from pipeline.export import atomic_path

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
