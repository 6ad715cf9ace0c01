"""A whole run: discover the inputs, process each document (in a process pool when there are
several workers), export the tables, and summarise."""
from __future__ import annotations

import datetime as dt
import errno
import json
import logging
import multiprocessing
import os
import sys
import tempfile
import time
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from pipeline import __version__
from pipeline.discover import check_output, discover
from pipeline.errors import RunError
from pipeline.fingerprint import corrections_fingerprint, export_fingerprint, fingerprint
from pipeline.models import DocumentResult, SourceFile
from pipeline.state import DamagedResult, StateStore, stamp
from pipeline.workers import Pool

if TYPE_CHECKING:
    from pipeline.export import Exported

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunOptions:
    inputs: tuple[Path, ...]
    out: Path
    workers: int = 1
    debug: bool = False
    progress: bool = True
    rollup: bool = False
    full: bool = False
    timeout: float = 120.0  # seconds per document; 0 for no limit
    formats: tuple[str, ...] = ("csv", "parquet", "xlsx")
    lang: str = "nb"
    per_region: bool = False
    scheduler: str = ""  # a Dask scheduler address (tcp://host:port): run the documents there
    corrections: Path | None = None  # a folder of hand corrections (pipeline.export.corrections)
    follow_links: bool = False  # read symbolic links in input folders that lead out of them


@dataclass(frozen=True)
class Summary:
    documents: int
    ok: int
    failed: int
    decisions: int | None  # None when nothing changed and the tables were kept as they were
    participants: int | None
    seconds: float
    counts: dict[str, int] | None = None  # new, changed, outdated, unchanged, removed
    processed: int = 0
    corrections: str = ""  # hand corrections by outcome
    duplicates: int = 0  # documents with the content of an earlier one: their rows are left out
    removed_outputs: tuple[str, ...] = ()  # files of an earlier run in a format not asked for, removed

    def line(self, out: Path) -> str:
        """The closing summary printed on the terminal."""
        counts = self.counts or {}
        how = ", ".join(f"{counts[k]} {k}" for k in ("new", "changed", "outdated", "unchanged", "removed")
                        if counts.get(k))
        made = (f"{self.decisions} decisions, {self.participants} participants" if self.decisions is not None
                else "nothing changed, tables kept")
        fixed = f"; corrections: {self.corrections}" if self.corrections else ""
        twice = f", {self.duplicates} duplicate{'s' * (self.duplicates != 1)} counted once" if self.duplicates else ""
        gone = f"; removed {_files(self.removed_outputs)} (not asked for)" if self.removed_outputs else ""
        return (f"{self.documents} documents ({how or 'none'}; {self.processed} processed): {self.ok} ok, "
                f"{self.failed} failed{twice}; {made}{fixed}{gone}; "
                f"{self.seconds:.1f} s -> {out}")


def _files(names: Sequence[str]) -> str:
    """Output files named briefly: those of one kind counted when there are more than two.

    >>> _files(["minutes.xlsx", "tables/a.parquet", "tables/b.parquet", "tables/c.parquet"])
    'minutes.xlsx, 3 Parquet files (tables/*.parquet)'
    """
    kinds: dict[str, list[str]] = {}
    for name in names:
        kinds.setdefault(Path(name).suffix, []).append(name)
    return ", ".join(", ".join(group) if len(group) <= 2 else
                     f"{len(group)} {suffix[1:].capitalize()} files ({Path(group[0]).parent.as_posix()}/*{suffix})"
                     for suffix, group in kinds.items())


def _process_one(args: tuple[SourceFile, bool, float]) -> DocumentResult:
    from pipeline.process import process, warm

    warm()  # once per process, before its first document (a worker forked from the warm forkserver is warm)
    return process(*args)


def pool_context(workers: int = 2) -> multiprocessing.context.BaseContext:
    """The start method of the worker processes. Several: a forkserver that has imported and warmed
    the pipeline once (:mod:`pipeline.preload`), so each worker forks from it ready, and this
    process never loads spaCy. One: forked from this process once it is warm (no second copy of
    the pipeline, no server to start). Where there is no fork (not POSIX): spawn."""
    methods = multiprocessing.get_all_start_methods()
    if workers <= 1 and "fork" in methods and sys.platform.startswith("linux"):  # fork is unsafe on macOS
        return multiprocessing.get_context("fork")
    if "forkserver" not in methods:
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["pipeline.preload"])
    return context


#: When a pool of workers pays (issue 18). On two cores the workers share the machine with this
#: process, which stores and exports every document (some 10-15 ms each): a second worker wins only
#: when a document's own work is larger than that, and when there is enough of it to pay for
#: starting and warming the pool (a second or two). Measured on the bench archives: short texts
#: (15 ms each) run faster with one worker; the mixed archive (PDF, DOCX, text; 26 ms) with two.
POOL_MIN_WORK = 10.0  # seconds of work in all
POOL_MIN_PER_DOCUMENT = 0.02  # seconds of work per document, on average
#: Estimated seconds of a worker per byte of a file, by format, and per document (fitted to the
#: per-document seconds in the state store of bench runs: text PDFs 20 ms for 4 KB, DOCX 45 ms
#: for 38 KB, texts 15-18 ms for 5 KB).
_SECONDS_PER_BYTE = {".pdf": 4e-6, ".docx": 1.1e-6, ".txt": 3e-6, ".md": 3e-6, ".text": 3e-6}
_SECONDS_PER_DOCUMENT = 0.003


def work(sources: Sequence[SourceFile]) -> float:
    """A rough estimate of the seconds one worker needs for ``sources``, from their sizes."""
    total = 0.0
    for source in sources:
        try:
            size = os.stat(source.location).st_size
        except OSError:
            size = 0
        suffix = os.path.splitext(source.location)[1].lower()
        total += _SECONDS_PER_DOCUMENT + size * _SECONDS_PER_BYTE.get(suffix, 0.0)
    return total


def pool_size(options: RunOptions, sources: Sequence[SourceFile]) -> int:
    """Worker processes for ``sources``: as many as asked for and there are cores and documents,
    but one when the work is too small, or too finely cut, to pay for more (see POOL_MIN_WORK)."""
    size = min(options.workers, os.cpu_count() or 1, len(sources))
    if size <= 1:
        return size
    estimate = work(sources)
    return size if estimate >= POOL_MIN_WORK and estimate >= POOL_MIN_PER_DOCUMENT * len(sources) else 1


def start_workers(options: RunOptions, sources: Sequence[SourceFile]) -> None:
    """Start the forkserver (and its warm-up) now, in the background, when the run will need a pool:
    it warms while this process plans and opens the export, instead of after."""
    if sources and pool_size(options, sources) > 1 and not options.scheduler:
        from multiprocessing import forkserver

        if pool_context().get_start_method() == "forkserver":
            forkserver.ensure_running()


def results(sources: Sequence[SourceFile], options: RunOptions) -> Generator[DocumentResult, None, None]:
    """Each document's result as soon as it is done (in any order: the state store keeps them, the
    export reads them back in input order). The documents run in worker processes, never in this
    one, so that one that kills its process costs only itself (:mod:`pipeline.workers`); one
    worker is forked from this process once it is warm, several from a warm forkserver.
    ``options.scheduler`` sends the work to a Dask cluster."""
    if not sources:
        return
    tasks = ((s, options.debug, options.timeout) for s in sources)  # made as they are handed out
    if options.scheduler:
        yield from _dask_results(list(tasks), options.scheduler)
        return
    workers = pool_size(options, sources)
    context = pool_context(workers)
    if context.get_start_method() == "fork":
        from pipeline.process import warm

        warm()  # here, once: the worker forked from this process starts warm
    with Pool(workers, context, options.timeout) as pool:
        yield from pool.run(tasks)


def _dask_results(tasks: list[tuple[SourceFile, bool, float]], address: str) -> Iterator[DocumentResult]:
    """The same per-document work on a Dask distributed cluster (``pip install minutes[dask]``). The
    workers must see the input files at the same paths (shared storage) and have minutes installed."""
    try:
        from dask.distributed import Client
        from dask.distributed import as_completed as dask_completed
    except ImportError as exc:
        raise RunError("--scheduler needs Dask: pip install 'minutes[dask]'") from exc
    try:
        client = Client(address)  # connect timeout: dask config distributed.comm.timeouts.connect
    except OSError as exc:
        raise RunError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc
    try:
        completed = dask_completed(client.map(_process_one, tasks, pure=False))
        for future in completed:
            yield future.result()
            future.release()
    finally:
        client.close()


class Progress:
    """A one-line progress bar on a terminal; silent when the output is not a terminal."""

    def __init__(self, total: int, stream: TextIO | None = None, enabled: bool = True) -> None:
        self.total, self.stream, self.done = total, stream or sys.stderr, 0
        self.enabled = enabled and self.stream.isatty()
        self.start = time.perf_counter()

    def step(self, name: str) -> None:
        self.done += 1
        if not self.enabled:
            return
        width = 30
        filled = int(width * self.done / max(1, self.total))
        rate = self.done / max(1e-9, time.perf_counter() - self.start)
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} "
                          f"{rate:.1f} doc/s  {name[:40]:<40}")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")


#: New results held in memory while the export waits for an earlier document; the rest are read
#: back from the state store when their turn comes.
HOLD = 64


def in_order(sources: Sequence[SourceFile], todo: set[str], store: StateStore, options: RunOptions,
             progress: Progress) -> Iterator[DocumentResult]:
    """Every source's result in input order (the order of the tables): a stored result as it is, a
    new one as soon as it is done. New results are committed to the store as they come, in any
    order, so the export runs alongside the workers and a killed run loses only what was in flight.
    ``todo`` (the documents to process) empties as they are done."""
    fresh = results([s for s in sources if s.doc_id in todo], options)
    held: dict[str, DocumentResult | None] = {}
    try:
        for source in sources:
            doc_id = source.doc_id
            while doc_id in todo:
                new = next(fresh)
                store.put(new)  # with the stamp prepare() took of its file
                todo.discard(new.document.doc_id)
                progress.step(new.document.source_path)
                held[new.document.doc_id] = new if len(held) < HOLD else None
            yield held.pop(doc_id, None) or _stored(source, store, options)
    finally:
        fresh.close()  # the workers stop now, not when the generator is collected


def _stored(source: SourceFile, store: StateStore, options: RunOptions) -> DocumentResult:
    """The stored result of ``source``; when it cannot be read back (a damaged store), the document
    is processed again and stored anew."""
    try:
        return store.result(source.doc_id)
    except DamagedResult as exc:
        message = str(exc)  # not the exception: its frames would keep the workers of the run alive
    log.warning("%s: processing %s again", message, source.source_path)
    again = results([source], replace(options, workers=1))
    try:
        result = next(again)
    finally:
        again.close()
    store.put(result, stamp(source.location))
    return result


def usable_output(out: Path) -> None:
    """Make the output folder if needed, and refuse in plain words one that cannot be written."""
    if out.is_symlink() and not out.exists():
        raise RunError(f"the output folder {out} is a symbolic link to {os.readlink(out)}, which does not exist: "
                       "create that folder or give another --out")
    if out.exists() and not out.is_dir():
        raise RunError(f"the output folder {out} is a file: give --out a folder (it is made if missing)")
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".minutes-write-test.", dir=out)  # never a file of the user's
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise RunError(write_error(exc, out)) from None


def write_error(exc: OSError, out: Path) -> str:
    """One line, with what to do, for a failure to write the outputs (disk full, read-only)."""
    where = exc.filename or out
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return (f"no space left on the disk of {out} (writing {where}): free some space and run again; "
                "the tables of the previous run are kept")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"cannot write {where}: {exc.strerror}; make {out} and the folders in it writable and run again"
    return f"cannot write {where}: {exc.strerror or exc}"


def run(options: RunOptions) -> Summary:
    started = dt.datetime.now(dt.UTC)
    t0 = time.perf_counter()
    check_output(options.inputs, options.out)
    sources = discover(options.inputs, options.out, options.follow_links)
    if not sources:
        raise RunError("no input files found in " + ", ".join(str(p) for p in options.inputs))
    usable_output(options.out)
    if options.corrections is not None and not options.corrections.is_dir():
        raise RunError(f"no corrections folder {options.corrections}")
    with StateStore(options.out, fingerprint({"debug": options.debug})) as store:
        counts, todo, removed = store.prepare(sources, full=options.full)  # todo empties as they are done
        store.remove(removed)
        export_key = json.dumps({"rollup": options.rollup, "version": __version__, "formats": sorted(options.formats),
                                 "lang": options.lang, "per_region": options.per_region, "code": export_fingerprint(),
                                 # a changed correction file: export again
                                 "corrections": corrections_fingerprint(options.corrections)})
        if not todo and not removed and store.is_exported(export_key) \
                and (options.out / "tables" / "documents.csv").exists():
            statuses = store.statuses()
            failed = sum(1 for s in sources if statuses.get(s.doc_id) != "ok")
            return Summary(len(sources), len(sources) - failed, failed, None, None, time.perf_counter() - t0,
                           counts, 0)

        made: list[dict[str, Any]] = []  # the run's row, once made: recorded in the runs history

        def run_row(done: Exported) -> dict[str, Any]:
            made.append({
                "started": started.isoformat(timespec="seconds"),
                "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "version": __version__, "inputs": " ".join(str(p) for p in options.inputs),
                "documents": done.documents, "ok": done.ok, "failed": done.failed,
                "seconds": round(time.perf_counter() - t0, 2), "workers": options.workers,
            })
            return made[-1]

        processed = len(todo)
        start_workers(options, [s for s in sources if s.doc_id in todo])
        from pipeline.export import export
        from pipeline.summary import mark_duplicates

        progress = Progress(processed, enabled=options.progress)
        try:
            ordered = mark_duplicates(in_order(sources, todo, store, options, progress), store.content_hash,
                                      store.repeated_hashes())  # known now: nothing held per document
            done = export(options.out, ordered, run_row, history=store.runs(),
                          rollup=options.rollup, formats=options.formats, lang=options.lang,
                          per_region=options.per_region, sources={s.doc_id: s for s in sources},
                          manifest=store.folder / "texts.json", corrections=options.corrections)
        except OSError as exc:  # the previous tables stay as they were: each is replaced only when complete
            raise RunError(write_error(exc, options.out)) from None
        finally:
            progress.close()
        store.add_run(made[-1])
        store.mark_exported(export_key)
    return Summary(done.documents, done.ok, done.failed, done.decisions, done.participants,
                   time.perf_counter() - t0, counts, processed, done.corrections, done.duplicates, done.removed)
