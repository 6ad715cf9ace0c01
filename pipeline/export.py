"""Writing a run's results: ``tables/*.csv``, ``text/<doc_id>.txt`` and ``minutes.xlsx``.

Every file is written to a temporary name beside its target and moved into place, so an
interrupted run never leaves a half-written file where a reader expects a whole one.
Cells that a spreadsheet would take for a formula are written as text (OWASP CSV injection).
"""
from __future__ import annotations

import csv
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline import crossdoc
from pipeline.analyst import ParquetStream, column_types, write_datapackage, write_parquet
from pipeline.corrections import CorrectionRow
from pipeline.corrections import drop_tables as drop_corrections_tables
from pipeline.corrections import read as read_corrections
from pipeline.models import TABLES, DocumentResult, DocumentRow, MeetingRow, RegionRow, SourceFile, as_tuple, columns
from pipeline.spool import RowSpool

#: What a spreadsheet takes for the start of a formula (OWASP CSV injection advice).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

SHEETS_NB = {
    "documents": "Dokumenter", "decisions": "Vedtak", "participants": "Deltakere", "agenda_items": "Saksliste",
    "regions": "Regionomtaler", "topics": "Temaer", "repairs": "Retting", "runs": "Kjøringer", "votes": "Stemmer",
    "meetings": "Møter", "region_reference": "Regioner", "corrections": "Rettelser",
}
HEADERS_NB = {
    "doc_id": "Dokument-ID", "source_path": "Kildefil", "doc_type": "Dokumenttype", "title": "Tittel",
    "meeting_date": "Møtedato", "body": "Organ", "status": "Status", "error": "Feilmelding", "format": "Format",
    "pages": "Sider", "text_source": "Tekstkilde", "encoding": "Tegnkoding", "language": "Målform",
    "characters": "Tegn", "repairs": "Rettinger", "item": "Sak", "kind": "Type", "text": "Tekst", "quoted": "Sitert",
    "label": "Overskrift",
    "page": "Side", "line": "Linje", "name": "Navn", "role": "Rolle", "organisation": "Organisasjon",
    "attendance": "Oppmøte", "number": "Nummer", "region": "Region", "mention": "Skrevet som",
    "region_kind": "Regiontype", "region_code": "Regionkode", "mentions": "Omtaler", "theme": "Tema",
    "evidence": "Belegg", "rule": "Regel", "before": "Før", "after": "Etter", "confidence": "Sikkerhet",
    "started": "Startet", "finished": "Ferdig", "version": "Versjon", "inputs": "Inndata", "documents": "Dokumenter",
    "ok": "OK", "failed": "Feilet", "seconds": "Sekunder", "workers": "Arbeidere", "place": "Møtested",
    "outcome": "Utfall", "unanimous": "Enstemmig", "votes_for": "For", "votes_against": "Mot", "votes_blank": "Blanke",
    "party": "Parti", "proposal": "Forslag", "vote": "Stemme", "meeting_id": "Møte-ID", "date": "Dato",
    "doc_types": "Dokumenttyper", "members": "Medlemmer", "councils": "Regionråd", "valid_from": "Fra år",
    "valid_to": "Til år", "rolled_up_from": "Rullet opp fra",
    # the corrections table (pipeline.corrections)
    "file": "Fil", "table": "Tabell", "column": "Kolonne", "extracted": "Uttrukket verdi",
    "corrected": "Rettet verdi", "message": "Melding",
}


def safe_text(value: Any) -> Any:
    """A cell value that no spreadsheet will run: formula-like text gets a leading apostrophe.

    >>> print(safe_text('=HYPERLINK("http://x")'), safe_text("-1 stemme"), safe_text(3), safe_text("Vedtak"))
    '=HYPERLINK("http://x") '-1 stemme 3 Vedtak
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _csv_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return safe_text(value)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def publish(tmp: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
    """Give a finished temporary file the permissions of a new file and move it into place."""
    os.chmod(tmp, 0o666 & ~_umask())
    os.replace(tmp, target)


@contextmanager
def atomic_path(target: str | os.PathLike[str], mode: str = "w", **kwargs: Any) -> Iterator[Any]:
    """Open a temporary file beside ``target``; on success move it into place, readable as any new
    file of the user would be (``mkstemp`` makes it private). Paths as strings inside: a file per
    document is written this way, and each ``Path`` interns its parts (CPython 3.11)."""
    folder, name = os.path.split(os.fspath(target))
    if folder:
        os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=folder or os.curdir)
    os.close(fd)
    try:
        with open(tmp, mode, **kwargs) as handle:
            yield handle
        publish(tmp, target)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def table_rows(results: Sequence[DocumentResult], table: str) -> list[tuple[Any, ...]]:
    if table == "documents":
        return [as_tuple(r.document) for r in results]
    return [as_tuple(row) for r in results for row in getattr(r, table)]


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    with atomic_path(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([_csv_value(v) for v in row])


def write_text(out: Path, result: DocumentResult) -> None:
    """``text/<doc_id>.txt`` of a document that was read (rewritten only when it changed); a failed
    document has none."""
    if result.document.status != "ok":
        return
    target = os.path.join(out, "text", f"{result.document.doc_id}.txt")
    try:
        with open(target, encoding="utf-8", newline="") as f:
            if f.read() == result.text:
                return
    except (FileNotFoundError, UnicodeDecodeError):
        pass
    with atomic_path(target, "w", encoding="utf-8", newline="\n") as f:
        f.write(result.text)


#: Temporary files of :func:`atomic_path` (".decisions.csv.k6zb_sru") and of the workbook writer.
_TEMPORARY_RE = re.compile(r"^\.[^/]+\.(?:csv|parquet|json|txt|xlsx)\.[\w-]{8}(?:\.tmp\.xlsx)?$")


def remove_stale_temporaries(out: Path) -> None:
    """Temporary files a killed export left behind (a run holds the lock, so none is in use)."""
    for folder in (out, out / "tables", out / "text"):
        if folder.is_dir():
            for path in folder.iterdir():
                if _TEMPORARY_RE.match(path.name) and path.is_file():
                    path.unlink()


def remove_stale_texts(out: Path, keep: set[str]) -> None:
    """Texts of documents that are no longer among the inputs go."""
    folder = out / "text"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.txt"):
        if old.name not in keep:
            old.unlink()


@dataclass(frozen=True)
class Exported:
    """What an export wrote, for the run's summary."""

    documents: int
    ok: int
    failed: int
    decisions: int
    participants: int
    corrections: str = ""  # hand corrections by outcome ("2 applied, 1 invalid"), empty without any


FORMATS = ("csv", "parquet", "xlsx")
_DOC_ID, _STATUS = (columns(DocumentRow).index(c) for c in ("doc_id", "status"))


def export(out: Path, results: Iterable[DocumentResult],
           run_row: dict[str, Any] | Callable[[Exported], dict[str, Any]], rollup: bool = False,
           formats: Iterable[str] = FORMATS, lang: str = "nb", per_region: bool = False,
           sources: Mapping[str, str | Path | SourceFile] | None = None,
           corrections: Path | None = None) -> Exported:
    """Every table as CSV (always: it is the contract), Parquet and the workbook as asked, the
    texts, and ``datapackage.json``, in one pass over the results (which may stream from the state
    store). CSV rows, Parquet row groups and the workbook's table sheets are written as they come;
    for the workbook's overview the rows also go to spools on disk (:mod:`pipeline.spool`) and are
    read back from there, so memory does not grow with the archive. ``run_row`` is the row of the ``runs``
    table, or a function that makes it from the counts once the results are all read (a run exports
    while its workers are still busy). With ``rollup`` municipalities are reported under their
    regional council in the regions and topics tables. Every file is written to a temporary name and
    moved into place only when it is complete. ``corrections``: a folder of hand corrections
    (:mod:`pipeline.corrections`), applied to the rows of every format; their outcomes are the
    ``corrections`` table."""
    remove_stale_temporaries(out)
    # corrections (issue 20): read and checked, then applied to each result as it streams
    fixes = read_corrections(corrections, sources, out) if corrections is not None else None
    if fixes is not None:
        results = fixes.stream(results)
    wanted = set(formats) | {"csv"}
    spooled = set(TABLES) if "xlsx" in wanted else {"documents", "regions"}  # the rest: CSV and Parquet only
    classes: dict[str, type | None] = {**TABLES, "meetings": MeetingRow, "region_reference": crossdoc.ReferenceRow,
                                       "runs": None, "corrections": CorrectionRow}
    counts = {"documents": 0, "failed": 0, "decisions": 0, "participants": 0}
    with ExitStack() as stack:
        spools = {table: stack.enter_context(RowSpool(folder=str(out))) for table in TABLES if table in spooled}
        book = None
        if "xlsx" in wanted:  # xlsxwriter only when a workbook is asked for
            from pipeline.workbook import Workbook

            book = stack.enter_context(Workbook(out / "minutes.xlsx", {t: columns(c) for t, c in TABLES.items()},
                                                lang=lang, per_region=per_region, sources=sources,
                                                corrected=fixes.notes if fixes is not None else None))
        with ExitStack() as files:  # the CSV and Parquet files are complete when the results are: moved into place
            parquet = {table: files.enter_context(ParquetStream(out / "tables" / f"{table}.parquet", columns(row_class),
                                                                column_types(row_class, columns(row_class))))
                       for table, row_class in TABLES.items()} if "parquet" in wanted else {}
            writers = {}
            for table, row_class in TABLES.items():
                handle = files.enter_context(atomic_path(out / "tables" / f"{table}.csv", "w", encoding="utf-8",
                                                         newline=""))
                writers[table] = csv.writer(handle, lineterminator="\n")
                writers[table].writerow(columns(row_class))
            for result in results:
                write_text(out, result)
                if rollup:
                    result = crossdoc.rollup(result)
                for table in TABLES:
                    rows = table_rows([result], table)
                    writers[table].writerows([_csv_value(v) for v in row] for row in rows)
                    if table in spooled:
                        spools[table].extend(rows)
                    if parquet:
                        parquet[table].extend(rows)
                    if book is not None:
                        book.add(table, rows)
                counts["documents"] += 1
                counts["failed"] += result.document.status != "ok"
                counts["decisions"] += len(result.decisions)
                counts["participants"] += len(result.participants)
        done = Exported(counts["documents"], counts["documents"] - counts["failed"], counts["failed"],
                        counts["decisions"], counts["participants"], fixes.summary() if fixes is not None else "")
        run = run_row(done) if callable(run_row) else run_row
        kept: dict[str, Sequence[tuple[Any, ...]]] = {table: spool.rows() for table, spool in spools.items()}
        documents = (DocumentRow(*row) for row in kept["documents"])
        regions = (RegionRow(*row) for row in kept["regions"])
        meetings = stack.enter_context(RowSpool(folder=str(out)))  # a row per meeting: not held either
        meetings.extend(as_tuple(m) for m in crossdoc.meetings(documents))
        derived: dict[str, tuple[list[str], Sequence[tuple[Any, ...]]]] = {
            "meetings": (columns(MeetingRow), meetings.rows()),
            "region_reference": (columns(crossdoc.ReferenceRow),
                                 [as_tuple(r) for r in crossdoc.region_reference(regions)]),
            "runs": (list(run), [tuple(run.values())])}
        if fixes is not None:  # corrections (issue 20): their outcomes, and the corrected rows as extracted
            derived["corrections"] = (columns(CorrectionRow), fixes.report())
            fixes.save(out)
        else:
            drop_corrections_tables(out)
        for table, (header, body) in derived.items():
            write_csv(out / "tables" / f"{table}.csv", header, body)
        remove_stale_texts(out, {f"{row[_DOC_ID]}.txt" for row in kept["documents"] if row[_STATUS] == "ok"})
        tables: dict[str, tuple[list[str], Sequence[tuple[Any, ...]]]] = {
            **{t: (columns(c), kept.get(t, ())) for t, c in TABLES.items()}, **derived}
        types = {t: column_types(classes[t], header, rows[0] if rows else ()) for t, (header, rows) in tables.items()}
        if "parquet" in wanted:  # the streamed tables are written: these are the derived ones
            for table, (header, body) in derived.items():
                write_parquet(out / "tables" / f"{table}.parquet", header, body, types[table])
        write_datapackage(out, {t: (header, types[t]) for t, (header, _) in tables.items()}, wanted)
        if book is not None:
            book.close(tables, run)
    return done
