"""A whole run: discover the inputs, process each document (in a process pool when there are
several workers), export the tables, and summarise."""
from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from pipeline import __version__
from pipeline.discover import discover
from pipeline.errors import RunError
from pipeline.models import DocumentResult, SourceFile
from pipeline.state import StateStore, fingerprint


@dataclass(frozen=True)
class RunOptions:
    inputs: tuple[Path, ...]
    out: Path
    workers: int = 1
    debug: bool = False
    progress: bool = True
    rollup: bool = False
    full: bool = False


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

    def line(self, out: Path) -> str:
        """The closing summary printed on the terminal."""
        counts = self.counts or {}
        how = ", ".join(f"{counts[k]} {k}" for k in ("new", "changed", "outdated", "unchanged", "removed")
                        if counts.get(k))
        made = (f"{self.decisions} decisions, {self.participants} participants" if self.decisions is not None
                else "nothing changed, tables kept")
        return (f"{self.documents} documents ({how or 'none'}; {self.processed} processed): {self.ok} ok, "
                f"{self.failed} failed; {made}; "
                f"{self.seconds:.1f} s -> {out}")


def _warm(debug: bool) -> None:
    """Build the spaCy pipeline once per worker process, before the first document."""
    from extractors.nlp import nlp

    nlp()


def _process_one(args: tuple[SourceFile, bool]) -> DocumentResult:
    from pipeline.process import process

    return process(*args)


def results(sources: Sequence[SourceFile], workers: int, debug: bool) -> Iterator[DocumentResult]:
    """Results in input order, whatever the number of workers."""
    if not sources:
        return
    if workers <= 1 or len(sources) <= 1:
        _warm(debug)
        for source in sources:
            yield _process_one((source, debug))
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_warm, initargs=(debug,)) as pool:
        futures = [pool.submit(_process_one, (s, debug)) for s in sources]
        for future in as_completed(futures):  # committed as they come: kill -9 loses only those in flight
            yield future.result()


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


def run(options: RunOptions) -> Summary:
    started = dt.datetime.now(dt.timezone.utc)
    t0 = time.perf_counter()
    sources = discover(options.inputs)
    if not sources:
        raise RunError("no input files found in " + ", ".join(str(p) for p in options.inputs))
    try:
        options.out.mkdir(parents=True, exist_ok=True)
        probe = options.out / ".write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        raise RunError(f"cannot write to output folder {options.out}: {exc.strerror}") from exc
    with StateStore(options.out, fingerprint({"debug": options.debug})) as store:
        plan = store.plan(sources, full=options.full)
        todo = {item.source.doc_id: item for item in plan.todo}
        progress = Progress(len(todo), enabled=options.progress)
        for result in results([item.source for item in todo.values()], min(options.workers, os.cpu_count() or 1),
                              options.debug):
            store.put(result, todo[result.document.doc_id].stamp)
            progress.step(result.document.source_path)
        progress.close()
        store.remove(plan.removed)
        ids = [s.doc_id for s in sources]
        statuses = store.statuses()
        failed = sum(1 for i in ids if statuses[i] != "ok")
        export_key = json.dumps({"rollup": options.rollup, "version": __version__})
        if not plan.todo and not plan.removed and store.is_exported(export_key) \
                and (options.out / "minutes.xlsx").exists():
            return Summary(len(ids), len(ids) - failed, failed, None, None, time.perf_counter() - t0, plan.counts(), 0)
        run_row = {
            "started": started.isoformat(timespec="seconds"),
            "finished": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "version": __version__, "inputs": " ".join(str(p) for p in options.inputs),
            "documents": len(ids), "ok": len(ids) - failed, "failed": failed,
            "seconds": round(time.perf_counter() - t0, 2), "workers": options.workers,
        }
        from pipeline.export import export

        done = export(options.out, store.results(ids), run_row, rollup=options.rollup)
        store.mark_exported(export_key)
    return Summary(done.documents, done.ok, done.failed, done.decisions, done.participants,
                   time.perf_counter() - t0, plan.counts(), len(todo))
