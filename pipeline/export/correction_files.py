"""Correction files (see :mod:`pipeline.export.corrections`): ``DIR/<table>.csv`` read and checked.

A file may be named after its table or after its workbook sheet (``Vedtak.csv``, ``Decisions.csv``);
its header may use the CSV column names or the workbook's headers in either language (a filtered
sheet saved as CSV), a ``Kilde`` column is ignored; ``;``, tab or ``,`` separated (sniffed from the
header line, as Excel in a Norwegian locale writes ``;``), UTF-8 with or without BOM, UTF-16 with
BOM or Windows-1252. Every cell is checked against its column's type and allowed values
(:data:`pipeline.models.ALLOWED_VALUES`); what is wrong is a problem with its file and line, and
the rest of the file is read on.
"""
from __future__ import annotations

import csv
import io
import re
import typing
from collections.abc import Collection
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from pipeline.export.labels import LANGUAGES, labels
from pipeline.models import ALLOWED_VALUES
from pipeline.models import TABLES as ROW_CLASSES

#: The tables that take corrections (their rows have ids).
TABLES = ("decisions", "participants", "agenda_items", "votes", "regions", "topics")
DELETE_HEADERS = ("delete", "slett")
DELETE_YES, DELETE_NO = ("yes", "ja"), ("no", "nei")
_TRUE, _FALSE = ("true", "yes", "ja", "1"), ("false", "no", "nei", "0")
_DATES = ("meeting_date",)


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


# --------------------------------------------------------------------------- reading


def _sheet_tables() -> dict[str, str]:
    """File stem (casefolded) -> table: the table names and the workbook's sheet names."""
    names = {t: t for t in TABLES}
    for lang in LANGUAGES:
        sheets = labels(lang).sheets
        names.update({sheets[t].casefold(): t for t in TABLES if t in sheets})
    return names


def _header_names(table: str) -> dict[str, str]:
    """Header (casefolded) -> column: the CSV columns and the workbook's headers in both languages."""
    names: dict[str, str] = {}
    for column in (f.name for f in fields(ROW_CLASSES[table])):
        for name in (column, *(labels(lang).header(column) for lang in LANGUAGES)):
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



@dataclass
class Found:
    """What :func:`read_folder` found: the valid corrections by table and id, and the problems."""

    corrections: dict[str, dict[str, Correction]] = field(default_factory=lambda: {t: {} for t in TABLES})
    problems: list[CorrectionRow] = field(default_factory=list)

    def problem(self, file: str, line: int, table: str, message: str, row_id: str = "", column: str = "",
                value: str = "") -> None:
        self.problems.append(CorrectionRow(file, line, table, row_id, column, "", value, "invalid", message))


def read_folder(folder: Path, documents: Collection[str] | None = None) -> Found:
    """The correction files of ``folder``, checked (``documents``: the doc ids of the run, when known)."""
    fixes = Found()
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


def _read_file(fixes: Found, name: str, table: str, text: str, documents: Collection[str] | None) -> None:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    headers = _header_names(table)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        fixes.problem(name, 1, table, f"the header does not parse: {exc}")
        return
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
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader, None)
        except csv.Error as exc:  # a quote out of place: this line is left out, the next ones are read
            fixes.problem(name, line, table, f"the line does not parse ({exc}): a quote out of place?")
            if reader.line_num < line:
                break
            continue
        if cells is None:
            break
        _read_row(fixes, name, line, table, columns, cells, documents)


def _read_row(fixes: Found, name: str, line: int, table: str, columns: list[str | None], cells: list[str],
              documents: Collection[str] | None) -> None:
    if not any(c.strip() for c in cells):
        return
    if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns):]):
        # not applied: a value cut at an unquoted comma or semicolon would replace the extracted one
        fixes.problem(name, line, table, f"{len(cells)} cells, the header has {len(columns)} columns: not applied "
                      "(a comma or semicolon in a value? put the value in quotes)")
        return
    given = {col: cell.strip() for col, cell in zip(columns, cells) if col and cell.strip()}
    row_id = given.pop("id", "")
    if not row_id:
        fixes.problem(name, line, table, "no id: give the id of the row to correct (a new one to add a row)")
        return
    if (first := fixes.corrections[table].get(row_id)) is not None:
        fixes.problem(name, line, table, f"{row_id} is corrected in {first.file} line {first.line} already", row_id)
        return
    delete = given.pop("delete", "").casefold()
    if delete and delete not in DELETE_YES + DELETE_NO:
        fixes.problem(name, line, table, f"delete {delete!r}: write yes or ja to delete the row", row_id, "delete")
        return
    values: dict[str, Any] = {}
    problems = len(fixes.problems)
    for column, raw in given.items():
        value, problem = parse_value(table, column, raw)
        if not problem and column == "doc_id" and documents is not None and value not in documents:
            problem = f"{value!r} is not among the documents"
        if problem:
            fixes.problem(name, line, table, problem, row_id, column, raw)
        else:
            values[column] = value
    if not values and not delete and len(fixes.problems) > problems:
        return  # nothing valid on the line (reported)
    fixes.corrections[table][row_id] = Correction(name, line, table, row_id, values, delete in DELETE_YES)
