"""The export: every table of a run as CSV, Parquet and the workbook, the texts, and
``datapackage.json``, written in one pass over the results (which may stream from the state store).
It is fed typed rows only: the per-document results, and the cross-document summary
(:mod:`pipeline.summary`: meetings, the region reference, region statistics, the rollup) made from
them; it decides nothing about what a row says, except where the user's hand corrections
(:mod:`pipeline.export.corrections`) say otherwise.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pipeline import summary
from pipeline.export.corrections import CorrectionRow
from pipeline.export.corrections import drop_tables as drop_corrections_tables
from pipeline.export.corrections import read as read_corrections
from pipeline.export.datapackage import write_datapackage
from pipeline.export.files import (
    atomic_path,
    foreign_texts,
    read_written,
    remove_outdated,
    remove_stale_temporaries,
    remove_stale_texts,
    stamps,
    write_manifest,
    write_text,
)
from pipeline.export.parquet import ParquetStream, column_types, write_parquet
from pipeline.export.tables import CsvStream, table_rows, write_csv
from pipeline.models import TABLES, DocumentResult, DocumentRow, RegionRow, SourceFile, columns
from pipeline.spool import RowSpool


@dataclass(frozen=True)
class Exported:
    """What an export wrote, for the run's summary."""

    documents: int
    ok: int
    failed: int
    decisions: int
    participants: int
    corrections: str = ""  # hand corrections by outcome ("2 applied, 1 invalid"), empty without any
    duplicates: int = 0  # documents whose content an earlier one has (documents.duplicate_of)
    removed: tuple[str, ...] = ()  # outputs of an earlier export that this one does not write, removed
    left: tuple[str, ...] = ()  # such files left in place: not known to be the project's


log = logging.getLogger(__name__)

FORMATS = ("csv", "parquet", "xlsx")
_DOC_ID, _STATUS = (columns(DocumentRow).index(c) for c in ("doc_id", "status"))


def export(out: Path, results: Iterable[DocumentResult],
           run_row: dict[str, Any] | Callable[[Exported], dict[str, Any]], rollup: bool = False,
           formats: Iterable[str] = FORMATS, lang: str = "nb", per_region: bool = False,
           sources: Mapping[str, str | Path | SourceFile] | None = None, manifest: Path | None = None,
           corrections: Path | None = None, history: Sequence[Mapping[str, Any]] = ()) -> Exported:
    """Every table as CSV (always: it is the contract), Parquet and the workbook as asked, the
    texts, and ``datapackage.json``, in one pass over the results (which may stream from the state
    store). CSV rows, Parquet row groups and the workbook's table sheets are written as they come;
    for the workbook's overview the rows also go to spools on disk (:mod:`pipeline.spool`) and are
    read back from there, so memory does not grow with the archive. ``run_row`` is the row of the ``runs``
    table, or a function that makes it from the counts once the results are all read (a run exports
    while its workers are still busy). With ``rollup`` municipalities are reported under their
    regional council in the regions and topics tables. Every file is written to a temporary name and
    moved into place only when it is complete.

    ``manifest``: the file that records the texts the export wrote in ``text/`` (the run keeps it in
    its state folder); the texts of documents no longer among the results are removed only when an
    earlier export recorded them there, so a file of the user's in ``text/`` is never touched.
    Without it, no text is removed. The manifest also records the other files the export wrote; those
    of an earlier export that this one does not write (``minutes.xlsx`` and the Parquet files when
    they are not asked for) are removed when the manifest shows them unchanged since, and left with
    a warning otherwise, so that the folder holds only outputs of this run.

    ``history``: the rows of the earlier runs, written before ``run_row`` in the ``runs`` table.

    ``corrections``: a folder of hand corrections (:mod:`pipeline.export.corrections`), applied to
    the rows of every format; their outcomes are the ``corrections`` table."""
    remove_stale_temporaries(out, *([manifest.parent] if manifest is not None else []))
    foreign, written = foreign_texts(out, manifest, sources or ())  # foreign: files of the user's, never overwritten
    shadowed: list[str] = []  # documents whose text is not written: a file of the user's has its name
    # corrections (issue 20): read and checked, then applied to each result as it streams
    fixes = read_corrections(corrections, sources, out) if corrections is not None else None
    if fixes is not None:
        results = fixes.stream(results)
    wanted = set(formats) | {"csv"}
    spooled = set(TABLES) if "xlsx" in wanted else {"documents", "regions"}  # the rest: CSV and Parquet only
    classes: dict[str, type | None] = {**TABLES, **summary.TABLES, "runs": None, "corrections": CorrectionRow}
    counts = {"documents": 0, "failed": 0, "decisions": 0, "participants": 0, "duplicates": 0}
    with ExitStack() as stack:
        spools = {table: stack.enter_context(RowSpool(folder=str(out))) for table in TABLES if table in spooled}
        book = None
        if "xlsx" in wanted:  # xlsxwriter only when a workbook is asked for
            from pipeline.export.xlsx import Workbook

            book = stack.enter_context(Workbook(out / "minutes.xlsx", {t: columns(c) for t, c in TABLES.items()},
                                                lang=lang, per_region=per_region, sources=sources,
                                                corrected=fixes.notes if fixes is not None else None))
        with ExitStack() as files:  # the CSV and Parquet files are complete when the results are: moved into place
            parquet = {table: files.enter_context(ParquetStream(out / "tables" / f"{table}.parquet", columns(row_class),
                                                                column_types(row_class, columns(row_class))))
                       for table, row_class in TABLES.items()} if "parquet" in wanted else {}
            writers = {table: CsvStream(files.enter_context(atomic_path(out / "tables" / f"{table}.csv", "w",
                                                                        encoding="utf-8", newline="")), columns(row_class))
                       for table, row_class in TABLES.items()}
            for result in results:
                if not write_text(out, result, foreign):
                    shadowed.append(f"text/{result.document.doc_id}.txt")
                if rollup:
                    result = summary.rollup(result)
                for table in TABLES:
                    rows = table_rows([result], table)
                    writers[table].extend(rows)
                    if table in spooled:
                        spools[table].extend(rows)
                    if parquet:
                        parquet[table].extend(rows)
                    if book is not None:
                        book.add(table, rows)
                counts["documents"] += 1
                counts["failed"] += result.document.status != "ok"
                counts["duplicates"] += bool(result.document.duplicate_of)
                counts["decisions"] += len(result.decisions)
                counts["participants"] += len(result.participants)
        done = Exported(counts["documents"], counts["documents"] - counts["failed"], counts["failed"],
                        counts["decisions"], counts["participants"], fixes.summary() if fixes is not None else "",
                        counts["duplicates"])
        run = run_row(done) if callable(run_row) else run_row
        kept: dict[str, Sequence[tuple[Any, ...]]] = {table: spool.rows() for table, spool in spools.items()}
        documents = (DocumentRow(*row) for row in kept["documents"])
        regions = (RegionRow(*row) for row in kept["regions"])
        meetings = stack.enter_context(RowSpool(folder=str(out)))  # a row per meeting: not held either
        derived: dict[str, tuple[list[str], Sequence[tuple[Any, ...]]]] = {
            **summary.tables(documents, regions, meetings),
            "runs": runs_table([*history, run])}
        if fixes is not None:  # corrections (issue 20): their outcomes, and the corrected rows as extracted
            derived["corrections"] = (columns(CorrectionRow), fixes.report())
            fixes.save(out)
        else:
            drop_corrections_tables(out)
        for table, (header, body) in derived.items():
            write_csv(out / "tables" / f"{table}.csv", header, body)
        tables: dict[str, tuple[list[str], Sequence[tuple[Any, ...]]]] = {
            **{t: (columns(c), kept.get(t, ())) for t, c in TABLES.items()}, **derived}
        types = {t: column_types(classes[t], header, rows[-1] if rows and classes[t] is None else ())
                 for t, (header, rows) in tables.items()}
        if "parquet" in wanted:  # the streamed tables are written: these are the derived ones
            for table, (header, body) in derived.items():
                write_parquet(out / "tables" / f"{table}.parquet", header, body, types[table])
        write_datapackage(out, {t: (header, types[t]) for t, (header, _) in tables.items()}, wanted)
        if book is not None:
            book.close(tables, run, summary.region_stats(tables))
        # the names of the texts (one per document): made once the workbook, the largest step, is written
        texts = {f"{row[_DOC_ID]}.txt" for row in kept["documents"] if row[_STATUS] == "ok"} - foreign
        if shadowed:
            log.warning("not written, as a file of the user's has the name: %s; move those files away to get the "
                        "texts", ", ".join(shadowed))
        remove_stale_texts(out, texts, written)
    removed, left = leave_only(out, list(tables), wanted, manifest, texts)
    return replace(done, removed=tuple(removed), left=tuple(left))


def leave_only(out: Path, tables: Sequence[str], formats: set[str], manifest: Path | None,
               texts: set[str]) -> tuple[list[str], list[str]]:
    """After an export of ``tables`` in ``formats``: remove the outputs of an earlier export that
    this one did not write (the manifest shows them the project's and unchanged), warn about such
    files that are not known to be ours, and record what this export wrote. Returns the removed
    and the left files (relative to ``out``)."""
    def files(fmts: Iterable[str]) -> list[str]:
        return [f"tables/{t}.{fmt}" for t in tables for fmt in ("csv", "parquet") if fmt in fmts] + [
            "datapackage.json"] + (["minutes.xlsx"] if "xlsx" in fmts else [])

    outputs, before = files(formats), read_written(manifest)
    removed, left = remove_outdated(out, (set(before) | set(files(FORMATS))) - set(outputs), before)
    if left:
        log.warning("left in %s as they are, not known to be written by minutes: %s; they do not describe this run "
                    "(delete them, or ask for their format with --format)", out, ", ".join(left))
    if manifest is not None:
        write_manifest(manifest, texts, stamps(out, outputs))
    return removed, left


def runs_table(rows: Sequence[Mapping[str, Any]]) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The ``runs`` table: a row per run, oldest first; the columns of the latest run, then any that
    only earlier ones had (a newer version may add or drop one).

    >>> runs_table([{"started": "a", "workers": 2}, {"started": "b", "seconds": 1.5}])
    (['started', 'seconds', 'workers'], [('a', None, 2), ('b', 1.5, None)])
    """
    header = list(dict.fromkeys([*(rows[-1] if rows else ()), *(k for row in rows for k in row)]))
    return header, [tuple(row.get(k) for k in header) for row in rows]
