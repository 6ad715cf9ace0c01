"""Worker processes that run the documents: one document at a time each, so that a worker's death
costs only the document it held.

A document can kill the process that reads it (a PDF that makes PDFium abort or use up memory, a
crash inside a library): it runs in a worker, never in the process that plans, stores and
exports. A worker that dies becomes an error row for its document ("the reader crashed ..."), a
new worker takes its place, and the run goes on. A worker that overruns the time limit without
stopping (stuck in a library, where the limit's signal is not seen) is killed the same way.

Workers end when the run does: on a normal end they are told to stop; when the process of the
run is gone (``kill -9``), each sees its end of the task pipe close and exits (a thread watches
for this while a document is being read), and on Linux the kernel kills a worker whose parent
died (``PR_SET_PDEATHSIG``).
"""
from __future__ import annotations

import contextlib
import os
import select
import signal
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from pipeline.errors import CRASHED, Stopped
from pipeline.models import DocumentResult, SourceFile

Task = tuple[SourceFile, bool, float]

#: Signals that stop a whole run (sent to its process group): a worker ended by one of them did not
#: crash on its document.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
#: Seconds a worker may run past the time limit before it is killed (the limit's own signal ends a
#: document in Python code; this catches one stuck in a library).
GRACE = 10.0


def die_with_parent() -> None:
    """Ask Linux to kill this process when its parent dies (nothing elsewhere)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _watch(life: Connection) -> None:
    """The run holds the other end of ``life`` and never writes to it: when it turns readable, the
    run is gone (even ``kill -9``), and this worker must not outlive it."""
    with contextlib.suppress(OSError, ValueError):
        select.select([life.fileno()], [], [])
    os._exit(1)


def serve(conn: Connection, life: Connection, parent: int, inherited: Iterable[Connection] = ()) -> None:
    """A worker's life: read tasks from ``conn`` and send back results, until told to stop (None)
    or the run is gone (see :func:`_watch`). ``parent`` is the run's process id when this worker was
    forked from it; ``inherited`` are the copies of the run's ends of the pipes that a forked
    worker must close."""
    for other in inherited:
        other.close()
    die_with_parent()
    if parent and os.getppid() != parent:
        os._exit(1)  # the run died before the line above took effect
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the run, which stops its workers
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    threading.Thread(target=_watch, args=(life,), daemon=True).start()
    from pipeline.process import process, warm

    warm()  # nothing to do in a worker forked from a warm process
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        result = process(*task)
        try:
            conn.send(result)
        except OSError:
            return


@dataclass
class Worker:
    process: Any  # multiprocessing.Process of some context
    conn: Connection
    task: Task | None = None
    started: float = 0.0


def crashed(task: Task, exitcode: int | None) -> DocumentResult:
    """The error row of a document whose worker died."""
    from pipeline.process import failed

    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        how = f"killed by {name}" + (", probably out of memory" if -exitcode in (signal.SIGKILL, signal.SIGABRT,
                                                                                   signal.SIGSEGV) else "")
    else:
        how = f"it exited with status {exitcode}"
    return failed(task[0], f"{CRASHED} ({how}); it is not read again until the file changes or --full")


def overran(task: Task, limit: float) -> DocumentResult:
    from pipeline.process import failed

    return failed(task[0], f"took longer than the time limit of {limit:g} s (--timeout) and did not stop: "
                           "its reader was killed")


class Pool:
    """``size`` worker processes from ``context``, each holding at most one document."""

    def __init__(self, size: int, context: Any, timeout: float = 0) -> None:
        self.size, self.context, self.timeout = max(1, size), context, timeout
        self.workers: list[Worker] = []
        self.life, self._alive = context.Pipe(duplex=False)  # see _watch: the run keeps _alive, writes nothing

    def _start(self) -> Worker:
        ours, theirs = self.context.Pipe(duplex=True)
        forked = self.context.get_start_method() == "fork"
        inherited = [w.conn for w in self.workers] + [ours, self._alive] if forked else []
        process = self.context.Process(target=serve, args=(theirs, self.life, os.getpid() if forked else 0,
                                                           inherited), daemon=True, name="minutes-worker")
        process.start()
        theirs.close()
        worker = Worker(process, ours)
        self.workers.append(worker)
        return worker

    def _retire(self, worker: Worker) -> None:
        self.workers.remove(worker)
        worker.conn.close()
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(5)

    def run(self, tasks: Iterable[Task]) -> Iterator[DocumentResult]:
        """Each task's result as soon as it is done (in any order)."""
        queue = iter(tasks)
        busy: list[Worker] = []

        def give(worker: Worker | None, task: Task | None = None) -> bool:
            """Hand ``task`` (else the next one) to ``worker`` (else a new worker)."""
            task = task or next(queue, None)
            if task is None:
                return False
            worker = worker or self._start()
            worker.task, worker.started = task, time.monotonic()
            with contextlib.suppress(OSError):  # a worker that just died: its sentinel tells
                worker.conn.send(task)
            busy.append(worker)
            return True

        for _ in range(self.size):
            if not give(None):
                break
        while busy:
            ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=1.0))
            for worker in list(busy):
                task = worker.task
                assert task is not None
                if worker.conn in ready or worker.process.sentinel in ready:
                    result: DocumentResult | None = None
                    if worker.conn in ready:
                        with contextlib.suppress(EOFError, OSError):
                            result = worker.conn.recv()
                    busy.remove(worker)
                    if result is not None:
                        worker.task = None
                        yield result
                        give(worker)
                        continue
                    worker.process.join(5)  # it died holding this document
                    code = worker.process.exitcode
                    self._retire(worker)
                    if code is not None and -code in STOP_SIGNALS:  # stopped with the run, not by the document
                        raise KeyboardInterrupt if -code == signal.SIGINT else Stopped(-code)
                    yield crashed(task, code)
                    give(None)
                elif self.timeout > 0 and time.monotonic() - worker.started > self.timeout + GRACE:
                    busy.remove(worker)
                    self._retire(worker)
                    yield overran(task, self.timeout)
                    give(None)

    def close(self) -> None:
        """Tell every idle worker to stop, kill those still holding a document (a run that stops
        early: an error, Ctrl-C, SIGTERM), and make sure all have ended."""
        for worker in self.workers:
            if worker.task is not None:
                worker.process.kill()
                continue
            with contextlib.suppress(OSError):
                worker.conn.send(None)
        deadline = time.monotonic() + 5
        for worker in list(self.workers):
            worker.process.join(max(0.0, deadline - time.monotonic()))
            self._retire(worker)
        self.life.close()
        self._alive.close()

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
