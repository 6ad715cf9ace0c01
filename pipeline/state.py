"""The incremental state of an output folder: ``<out>/.state/state.sqlite``.

Per document the store keeps where it came from, the SHA-256 of its bytes, its size and times,
the fingerprint of the pipeline that processed it, and the cached :class:`DocumentResult`. A run

1. opens the store (taking ``<out>/.state/lock``: a second run on the same folder is refused),
2. asks :meth:`StateStore.plan` which inputs are new, changed or outdated (same bytes, other
   pipeline fingerprint) and which stored documents are gone,
3. processes those, storing each result with :meth:`StateStore.put` in its own transaction (WAL
   mode: ``kill -9`` loses at most the documents in flight),
4. forgets the gone ones (:meth:`StateStore.remove`) and exports from :meth:`StateStore.results`,
   which streams the cached results in input order, and records the run (:meth:`StateStore.add_run`:
   the ``runs`` table is the history of the runs).

Results are stored as zlib-compressed JSON of :func:`dataclasses.asdict` (codec ``json-zlib/1``),
never pickle: the store can be read by any tool and cannot run code when loaded
(:mod:`pipeline.statecodec`). The file stamps and the plan's types are in :mod:`pipeline.stateplan`,
the store's errors in :mod:`pipeline.statefaults`; their names are importable from here.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import stat as stat_module
import time
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import astuple
from pathlib import Path
from types import TracebackType
from typing import Any

from pipeline.errors import CRASHED
from pipeline.models import DocumentResult, SourceFile
from pipeline.statecodec import CODEC, decode_result, encode_result
from pipeline.statefaults import DamagedResult, StateError, plain, plain_error, plain_iter
from pipeline.stateplan import (
    CHANGED,
    NEW,
    OUTDATED,
    RACY_NS,
    UNCHANGED,
    FileStamp,
    Plan,
    PlanItem,
    plan_counts,
    stamp,
)

__all__ = ["CHANGED", "CODEC", "CRASHED_STATUS", "NEW", "OUTDATED", "RACY_NS", "STATE_DIR", "UNCHANGED",
           "DamagedResult", "FileStamp", "Plan", "PlanItem", "StateError", "StateStore", "decode_result",
           "encode_result", "plain_error", "stamp"]

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: runs are not locked
    fcntl = None  # type: ignore[assignment]

STATE_DIR = ".state"
SCHEMA_VERSION = 1
#: The stored status of a document whose reader killed its process: an error that is not retried
#: when only the pipeline changed (it would most likely crash again), only when the file changes
#: or with --full.
CRASHED_STATUS = "crashed"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    doc_id       TEXT PRIMARY KEY,
    source_path  TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    size         INTEGER NOT NULL,
    mtime_ns     INTEGER NOT NULL,
    ctime_ns     INTEGER NOT NULL,
    inode        INTEGER NOT NULL,
    hashed_ns    INTEGER NOT NULL,
    fingerprint  TEXT NOT NULL,
    status       TEXT NOT NULL,
    codec        TEXT NOT NULL,
    result       BLOB NOT NULL,
    seconds      REAL NOT NULL,
    updated_ns   INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (number INTEGER PRIMARY KEY AUTOINCREMENT, row TEXT NOT NULL);
"""


#: The stamps of the files a run is to process, until their results are stored (one connection's).
_PENDING = """
CREATE TEMP TABLE IF NOT EXISTS pending (
    doc_id TEXT PRIMARY KEY, content_hash TEXT NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    ctime_ns INTEGER NOT NULL, inode INTEGER NOT NULL, hashed_ns INTEGER NOT NULL
)
"""


# --------------------------------------------------------------------------- the store


class StateStore:
    """The state of one output folder. Use as a context manager::

        with StateStore(out, fingerprint(options)) as store:
            plan = store.plan(sources, full=args.full)
            ...
    """

    def __init__(self, out: Path, fingerprint: str) -> None:
        self.folder = out / STATE_DIR
        self.path = self.folder / "state.sqlite"
        self.fingerprint = fingerprint
        self._lock_fd: int | None = None
        self._db: sqlite3.Connection | None = None

    # -- opening and closing

    def __enter__(self) -> StateStore:
        self.open()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def open(self) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StateError(f"cannot create {self.folder}: {e.strerror}") from e
        self._lock()
        self._writable_journal()
        db: sqlite3.Connection | None = None
        try:
            db = sqlite3.connect(self.path, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: a killed process loses no commit
            db.executescript(_SCHEMA)
            db.execute(_PENDING)
            found = db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
            if found is None:
                db.execute("INSERT INTO meta VALUES ('schema', ?), ('generation', '0')",
                           (str(SCHEMA_VERSION),))
            elif int(found[0]) != SCHEMA_VERSION:
                raise StateError(f"{self.path} has state format {found[0]}, this minutes uses "
                                 f"{SCHEMA_VERSION}: delete {self.folder} to start afresh")
        except BaseException as e:
            if db is not None:
                db.close()
            self._unlock()
            if isinstance(e, sqlite3.Error):
                raise plain_error(e, self.folder) from e
            raise
        self._db = db

    def _writable_journal(self) -> None:
        """SQLite makes its ``-wal`` and ``-shm`` files with the database's permissions: once the
        database was read-only, they stay read-only after the user made it writable again, and every
        run fails. With the lock held no one else has them open: give them the database's mode."""
        try:
            mode = stat_module.S_IMODE(os.stat(self.path).st_mode)
        except OSError:
            return
        if not os.access(self.path, os.W_OK):
            return  # the database itself is read-only: the plain message comes when it is written
        for suffix in ("-wal", "-shm"):
            journal = Path(f"{self.path}{suffix}")
            if journal.exists() and not os.access(journal, os.W_OK):
                with contextlib.suppress(OSError):
                    os.chmod(journal, mode)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
        self._unlock()

    def _lock(self) -> None:
        try:
            fd = os.open(self.folder / "lock", os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as e:
            raise StateError(f"cannot create the lock file in {self.folder}: {e.strerror}") from e
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                holder = os.read(fd, 100).decode(errors="replace").strip()
                os.close(fd)
                raise StateError(
                    f"another minutes run is writing to {self.folder.parent}"
                    + (f" (process {holder})" if holder else "")
                    + ": wait for it to finish, or give this run another --out") from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._lock_fd = fd

    def _unlock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing releases the flock; the OS does it if we die
            self._lock_fd = None

    @property
    def db(self) -> sqlite3.Connection:
        if self._db is None:
            raise StateError("the state store is not open")
        return self._db

    # -- planning

    @plain
    def plan(self, sources: Sequence[SourceFile], full: bool = False, retry_failed: bool = False,
             quick: bool = True) -> Plan:
        """Which sources to process. ``full`` processes every one; ``retry_failed`` also those
        whose cached result is an error; ``quick`` reuses a stored hash when the file's ``stat``
        shows it was not written since (see :meth:`FileStamp.same_file`); otherwise every file
        is read and hashed."""
        return Plan(tuple(self._plan_items(sources, full, retry_failed, quick)), self._removed(sources))

    @plain
    def prepare(self, sources: Sequence[SourceFile], full: bool = False,
                retry_failed: bool = False) -> tuple[dict[str, int], set[str], tuple[str, ...]]:
        """:meth:`plan` for a run, without holding an item per input: the stamps of the documents
        to process wait in a temporary table until :meth:`put` stores their results. Returns the
        counts (:meth:`Plan.counts`), the doc ids to process and the removed doc ids."""
        statuses: Counter[str] = Counter()
        todo: set[str] = set()
        with self._transaction(changes_results=False) as db:
            db.execute("DELETE FROM pending")
            for item in self._plan_items(sources, full, retry_failed):
                statuses[item.status] += 1
                if item.todo:
                    todo.add(item.source.doc_id)
                    db.execute("INSERT OR REPLACE INTO pending VALUES (?,?,?,?,?,?,?)",
                               (item.source.doc_id, *astuple(item.stamp)))
        removed = self._removed(sources)
        return plan_counts(statuses, len(removed)), todo, removed

    @plain_iter
    def _plan_items(self, sources: Iterable[SourceFile], full: bool, retry_failed: bool,
                    quick: bool = True) -> Iterator[PlanItem]:
        """A plan item per source, one at a time (see :meth:`plan`)."""
        query = ("SELECT source_path, content_hash, size, mtime_ns, ctime_ns, inode, hashed_ns, fingerprint, status "
                 "FROM documents WHERE doc_id=?")
        for source in sources:
            old = self.db.execute(query, (source.doc_id,)).fetchone()
            previous = FileStamp(*old[1:7]) if old else None
            new_stamp = None
            if quick and not full and previous is not None and not source.refused:
                try:
                    if previous.same_file(os.stat(source.location)):
                        new_stamp = previous
                except OSError:
                    pass
            if source.refused:  # not read, so not hashed: the reason stands for its content
                new_stamp = FileStamp("refused:" + hashlib.sha256(source.refused.encode()).hexdigest(),
                                      hashed_ns=time.time_ns())
            new_stamp = new_stamp or stamp(source.location)
            if old is None or previous is None:
                status = NEW
            elif (old[0] != source.source_path or not new_stamp.content_hash
                  or new_stamp.content_hash != previous.content_hash):
                status = CHANGED
            elif old[7] != self.fingerprint and old[8] != CRASHED_STATUS:  # a crash is not retried blindly
                status = OUTDATED
            else:
                status = UNCHANGED
            previous_status = ("error" if old[8] == CRASHED_STATUS else old[8]) if old else ""
            todo = full or status != UNCHANGED or (retry_failed and previous_status != "ok")
            yield PlanItem(source, status, new_stamp, todo, previous_status)

    def _removed(self, sources: Iterable[SourceFile]) -> tuple[str, ...]:
        """Stored doc ids that are not among ``sources``, sorted."""
        present = {source.doc_id for source in sources}
        return tuple(sorted(doc_id for (doc_id,) in self.db.execute("SELECT doc_id FROM documents")
                            if doc_id not in present))

    # -- writing

    @plain
    def put(self, result: DocumentResult, file: FileStamp | None = None) -> None:
        """Store one document's result, committed at once, with the stamp of the file it was made
        from: ``file``, or the one :meth:`prepare` put aside for it."""
        doc = result.document
        with self._transaction() as db:
            if file is None:
                row = db.execute("SELECT content_hash, size, mtime_ns, ctime_ns, inode, hashed_ns FROM pending "
                                 "WHERE doc_id=?", (doc.doc_id,)).fetchone()
                if row is None:
                    raise StateError(f"no file stamp for {doc.doc_id!r}: prepare() the run first")
                file = FileStamp(*row)
                db.execute("DELETE FROM pending WHERE doc_id=?", (doc.doc_id,))
            db.execute(
                "INSERT OR REPLACE INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (doc.doc_id, doc.source_path, file.content_hash, file.size, file.mtime_ns, file.ctime_ns,
                 file.inode, file.hashed_ns, self.fingerprint,
                 CRASHED_STATUS if doc.status == "error" and doc.error.startswith(CRASHED) else doc.status,
                 CODEC, encode_result(result),
                 result.seconds, time.time_ns()))

    @plain
    def remove(self, doc_ids: Iterable[str]) -> int:
        """Forget documents (inputs that are gone); returns how many were stored."""
        ids = list(doc_ids)
        if not ids:
            return 0
        with self._transaction() as db:
            return sum(db.execute("DELETE FROM documents WHERE doc_id=?", (d,)).rowcount for d in ids)

    def _transaction(self, changes_results: bool = True) -> _Transaction:
        return _Transaction(self.db, changes_results)

    # -- reading

    @plain
    def get(self, doc_id: str) -> DocumentResult | None:
        """The stored result of ``doc_id``; None when there is none, or when it cannot be read back
        (a damaged store: :class:`DamagedResult`)."""
        row = self.db.execute("SELECT result FROM documents WHERE doc_id=?", (doc_id,)).fetchone()
        if row is None:
            return None
        try:
            return decode_result(row[0])
        except (zlib.error, ValueError, TypeError, KeyError) as exc:  # ValueError: bad JSON or UTF-8
            raise DamagedResult(f"the stored result of {doc_id!r} cannot be read ({exc})") from exc

    def result(self, doc_id: str) -> DocumentResult:
        """The cached result of ``doc_id``, which must be there."""
        result = self.get(doc_id)
        if result is None:
            raise StateError(f"no stored result for {doc_id!r}: rerun with --full")
        return result

    def results(self, doc_ids: Iterable[str]) -> Iterator[DocumentResult]:
        """The cached results of ``doc_ids`` in that order, read one at a time."""
        for doc_id in doc_ids:
            yield self.result(doc_id)

    @plain
    def statuses(self) -> dict[str, str]:
        """doc_id -> "ok" or "error" for every stored document, without reading the results."""
        return {doc_id: "error" if status == CRASHED_STATUS else status
                for doc_id, status in self.db.execute("SELECT doc_id, status FROM documents")}

    @plain
    def doc_ids(self) -> list[str]:
        return [row[0] for row in self.db.execute("SELECT doc_id FROM documents ORDER BY doc_id")]

    @plain
    def __len__(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM documents").fetchone()[0])

    def content_hash(self, doc_id: str) -> str:
        """The SHA-256 of the stored document's bytes ("" when it is not stored or could not be read)."""
        row = self.db.execute("SELECT content_hash FROM documents WHERE doc_id=?", (doc_id,)).fetchone()
        return str(row[0]) if row else ""

    @plain
    def repeated_hashes(self) -> set[str]:
        """The content hashes that more than one document has, stored or about to be processed
        (:meth:`prepare`'s stamps): the only ones a run needs to remember while it looks for copies,
        so that it holds nothing per document (on most archives this is empty)."""
        return {str(row[0]) for row in self.db.execute(
            "SELECT content_hash FROM (SELECT doc_id, content_hash FROM documents WHERE doc_id NOT IN "
            "(SELECT doc_id FROM pending) UNION ALL SELECT doc_id, content_hash FROM pending) "
            "WHERE content_hash != '' GROUP BY content_hash HAVING count(*) > 1")}

    # -- the history of the runs that exported to this folder (the ``runs`` table)

    def runs(self) -> list[dict[str, Any]]:
        """The rows of the earlier runs, oldest first."""
        return [json.loads(row) for (row,) in self.db.execute("SELECT row FROM runs ORDER BY number")]

    def add_run(self, row: dict[str, Any]) -> None:
        """Record a run's row of the ``runs`` table."""
        with self._transaction(changes_results=False) as db:
            db.execute("INSERT INTO runs (row) VALUES (?)", (json.dumps(row, ensure_ascii=False),))

    # -- export bookkeeping: skip the export when nothing changed since the last one

    @plain
    def generation(self) -> int:
        """A counter that every :meth:`put` and :meth:`remove` moves on."""
        return int(self.db.execute("SELECT value FROM meta WHERE key='generation'").fetchone()[0])

    @plain
    def mark_exported(self, key: str) -> None:
        """Record that the outputs (made with export options ``key``) show the current results."""
        with self._transaction(changes_results=False) as db:
            db.execute("INSERT OR REPLACE INTO meta VALUES ('exported', ?)",
                       (json.dumps([self.generation(), key]),))

    @plain
    def is_exported(self, key: str) -> bool:
        """True when the last export had the same options and no result changed since."""
        row = self.db.execute("SELECT value FROM meta WHERE key='exported'").fetchone()
        return row is not None and json.loads(row[0]) == [self.generation(), key]


class _Transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT`` (``ROLLBACK`` on error); a transaction that changes results
    moves the generation on."""

    def __init__(self, db: sqlite3.Connection, changes_results: bool) -> None:
        self.db, self.changes_results = db, changes_results

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if exc_type is not None:
            self.db.execute("ROLLBACK")
            return
        if self.changes_results:
            self.db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key='generation'")
        self.db.execute("COMMIT")
