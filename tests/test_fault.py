"""Fault test: a run is killed (SIGKILL) at random moments many times over a sample archive and
restarted; the state store, the tables and the texts must survive every kill, no committed
document may be lost, and the finished run must give the tables of an uninterrupted run.

Each run is started in its own session (process group) so that a kill reaches the pool workers
too, as a container stop would. Two more tests: a kill of the main process only (``kill -9 PID``,
the OOM killer) must not lock out the next run, and the temporary files of a killed export must be
gone after the next complete run.
"""
from __future__ import annotations

import csv
import io
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from pipeline.state import STATE_DIR, decode_result
from tests.helpers import group_members

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "tests" / "fixtures" / "docs"
RAW = REPO / "data" / "raw"
CYCLES = 20
SEED = 7
RUN_TIMEOUT = 300  # seconds for a run that is left to finish
WAIT_TIMEOUT = 30  # seconds for a killed run to be reaped

MEETING_TEXT = [
    "Lunner kommune",
    "Møteprotokoll",
    "Formannskapet",
    "Møtedato: 14.03.2024",
    "Møtested: Kommunehuset",
    "Til stede: Åse Bråten (Sp), Øystein Lie (H), Kari Ødegård (Ap)",
    "PS 12/24 Godkjenning av protokoll",
    "Vedtak:",
    "Protokollen fra møtet 15.02.2024 godkjennes.",
    "Vedtaket var enstemmig.",
]


def _command(archive: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "pipeline", "run", str(archive), "--out", str(out), "--workers", "2", "--quiet",
            *extra]


def _make_archive(folder: Path) -> None:
    folder.mkdir()
    for source in [*sorted(DOCS.glob("*.txt")), *sorted(RAW.glob("*.txt"))]:
        (folder / source.name).write_bytes(source.read_bytes())  # copied bytes, not the read-only modes
    try:
        from fpdf import FPDF

        pdf = FPDF()
        pdf.add_page()
        pdf.set_font("Helvetica", size=11)
        for line in MEETING_TEXT:
            pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
        (folder / "lunner_formannskap_2024.pdf").write_bytes(bytes(pdf.output()))
    except ImportError:
        pass
    try:
        import docx

        document = docx.Document()
        for line in MEETING_TEXT:
            document.add_paragraph(line.replace("Lunner", "Gran").replace("Formannskapet", "Kommunestyret"))
        document.save(str(folder / "gran_kommunestyre_2024.docx"))
    except ImportError:
        pass


def _run_to_end(archive: Path, out: Path) -> subprocess.CompletedProcess[str]:
    proc = subprocess.Popen(_command(archive, out), cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    try:
        stdout, stderr = proc.communicate(timeout=RUN_TIMEOUT)
    finally:
        _kill_group(proc)
    return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)


def _kill_group(proc: subprocess.Popen[str] | subprocess.Popen[bytes]) -> None:
    """SIGKILL to the run and every process of its group (pool workers, orphans included)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(timeout=WAIT_TIMEOUT)
    except subprocess.TimeoutExpired:  # pragma: no cover - a process that survives SIGKILL
        pass


@dataclass
class Snapshot:
    """What a killed run left behind in ``out``, read without touching ``out``."""

    committed: dict[str, str] = field(default_factory=dict)  # doc_id -> status
    generation: int = 0
    exported_generation: int | None = None


def _read_state(out: Path, scratch: Path) -> Snapshot:
    """Copy the state database (with its WAL) aside and read the copy: the check must not
    checkpoint or repair the original, which the next run has to cope with as it is."""
    state = out / STATE_DIR / "state.sqlite"
    if not state.exists():
        return Snapshot()
    if scratch.exists():
        shutil.rmtree(scratch)
    scratch.mkdir(parents=True)
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{state}{suffix}")
        if source.exists():
            shutil.copyfile(source, scratch / f"state.sqlite{suffix}")
    db = sqlite3.connect(scratch / "state.sqlite")
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "documents" not in tables:  # killed while the schema was being made
            return Snapshot()
        snap = Snapshot()
        for doc_id, status, blob in db.execute("SELECT doc_id, status, result FROM documents"):
            assert decode_result(blob).document.doc_id == doc_id, f"stored result of {doc_id} is another document's"
            snap.committed[doc_id] = status
        meta = dict(db.execute("SELECT key, value FROM meta"))
        snap.generation = int(meta.get("generation", 0))
        if "exported" in meta:
            snap.exported_generation = json.loads(meta["exported"])[0]
        return snap
    finally:
        db.close()


def _csv_tables(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((out / "tables").glob("*.csv")) if p.name != "runs.csv"}


def _texts(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((out / "text").glob("*.txt"))}


@dataclass(frozen=True)
class Reference:
    """The sample archive, an uninterrupted run over it, and when that run committed its first and
    its last document and ended (seconds from its start): the windows the kills are aimed at."""

    archive: Path
    out: Path
    first_commit: float
    last_commit: float
    seconds: float


def _progress(state: Path) -> tuple[int, int]:
    """(documents stored, generation) of a live state database; (0, 0) when it cannot be read yet."""
    if not state.exists():
        return 0, 0
    try:
        db = sqlite3.connect(f"file:{state}?mode=ro", uri=True, timeout=1)
        try:
            count = db.execute("SELECT count(*) FROM documents").fetchone()[0]
            generation = db.execute("SELECT value FROM meta WHERE key='generation'").fetchone()
            return int(count), int(generation[0]) if generation else 0
        finally:
            db.close()
    except sqlite3.Error:
        return 0, 0


def _count(state: Path) -> int:
    return _progress(state)[0]


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Reference:
    base = tmp_path_factory.mktemp("fault")
    archive, ref = base / "archive", base / "ref"
    _make_archive(archive)
    total = sum(1 for _ in archive.iterdir())
    state = ref / STATE_DIR / "state.sqlite"
    proc = subprocess.Popen(_command(archive, ref), cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    started = time.perf_counter()
    first = last = None
    try:
        while proc.poll() is None and time.perf_counter() - started < RUN_TIMEOUT:
            count = _count(state)
            now = time.perf_counter() - started
            if count and first is None:
                first = now
            if count >= total and last is None:
                last = now
            time.sleep(0.02)
        _, stderr = proc.communicate(timeout=WAIT_TIMEOUT)
    finally:
        _kill_group(proc)
    seconds = time.perf_counter() - started
    assert proc.returncode == 0, f"reference run failed: {stderr}"
    assert (ref / "tables" / "decisions.csv").exists() and _texts(ref)
    first = first if first is not None else 0.2 * seconds
    last = last if last is not None else 0.8 * seconds
    return Reference(archive, ref, first, max(last, first), seconds)


def _kill_when(proc: subprocess.Popen[bytes], aim: str, rng: random.Random, ref: Reference, state: Path,
               base_generation: int, todo: int) -> float:
    """Wait for the moment ``aim`` of a running run, then SIGKILL its process group. The moments:

    - ``anywhere``: uniform(0.2, 1.0) x the duration of the uninterrupted run;
    - ``start-up``: before the first document can be committed (as timed in the reference run);
    - ``processing``: right after a random number of this run's documents were committed;
    - ``export``: a random time into the export, once all of this run's documents are committed.

    Returns the seconds from start to kill (or to the run's own end)."""
    started = time.perf_counter()
    deadline = started + RUN_TIMEOUT

    def wait(seconds: float) -> None:
        try:
            proc.wait(timeout=max(0.0, seconds))
        except subprocess.TimeoutExpired:
            pass

    def wait_for_commits(n: int) -> None:
        while proc.poll() is None and time.perf_counter() < deadline \
                and _progress(state)[1] - base_generation < n:
            time.sleep(0.02)

    if aim == "anywhere":
        wait(rng.uniform(0.2, 1.0) * ref.seconds)
    elif aim == "start-up":
        wait(rng.uniform(0.1, 0.9) * ref.first_commit)
    elif aim == "processing" and todo > 1:
        wait_for_commits(rng.randint(1, todo - 1))
    else:  # export (or processing with nothing left to process)
        offset = rng.uniform(0.0, 1.0) * (ref.seconds - ref.last_commit)
        wait_for_commits(todo)
        wait(offset)
    seconds = time.perf_counter() - started
    _kill_group(proc)
    return seconds


def test_random_kills_and_restarts_end_with_the_tables_of_an_uninterrupted_run(
        reference: Reference, tmp_path: Path) -> None:
    archive, ref = reference.archive, reference.out
    ref_tables, ref_texts = _csv_tables(ref), _texts(ref)
    ref_ids = set(_read_state(ref, tmp_path / "scratch").committed)
    assert len(ref_ids) == sum(1 for _ in archive.iterdir())
    out = tmp_path / "out"
    rng = random.Random(SEED)
    previous = Snapshot()
    tables_seen: set[str] = set()
    log: list[str] = []
    interrupted = 0
    for cycle in range(1, CYCLES + 1):
        # When every document is committed and exported a restart has nothing to do; --full then
        # gives it all the work again (same results, rewritten), so that the kill still lands in
        # processing or in an export that replaces tables already in place.
        settled = len(previous.committed) == len(ref_ids) and previous.exported_generation == previous.generation
        extra = ("--full",) if settled else ()
        aim = rng.choice(("anywhere", "start-up", "processing", "export"))
        todo = len(ref_ids) if extra else len(ref_ids) - len(previous.committed)
        stderr_path = tmp_path / f"stderr-{cycle}.txt"
        with open(stderr_path, "wb") as stderr:
            proc = subprocess.Popen(_command(archive, out, *extra), cwd=REPO, stdout=subprocess.DEVNULL,
                                    stderr=stderr, start_new_session=True)
            try:
                killed_at = _kill_when(proc, aim, rng, reference, out / STATE_DIR / "state.sqlite",
                                       previous.generation, todo)
                running = proc.returncode == -signal.SIGKILL
            finally:
                _kill_group(proc)
        where = f"cycle {cycle} ({' '.join(extra) or 'resume'}, kill aimed at {aim}, at {killed_at:.2f} s)"
        err = stderr_path.read_text(errors="replace")
        assert proc.returncode is not None, f"{where}: the run did not die"
        if running:
            interrupted += 1
        else:  # finished before the kill: it must have succeeded (not been locked out, not crashed)
            assert proc.returncode == 0, f"{where}: run exited {proc.returncode} before the kill: {err}"
        assert "Traceback" not in err, f"{where}: {err}"

        # the state database opens, is intact, holds only documents of the archive, lost none
        try:
            snap = _read_state(out, tmp_path / "scratch")
        except (sqlite3.DatabaseError, AssertionError) as exc:
            pytest.fail(f"{where}: state database broken after the kill: {exc}")
        assert set(snap.committed) <= ref_ids, f"{where}: unknown documents {set(snap.committed) - ref_ids}"
        lost = set(previous.committed) - set(snap.committed)
        assert not lost, f"{where}: committed documents lost: {sorted(lost)}"
        assert len(snap.committed) >= len(previous.committed), f"{where}: committed count went down"
        assert snap.generation >= previous.generation, f"{where}: state generation went back"

        # every table and text in place is whole: the very file an uninterrupted run writes
        tables = _csv_tables(out)
        decisions = out / "tables" / "decisions.csv"
        if decisions.exists():
            rows = list(csv.reader(io.StringIO(decisions.read_text(encoding="utf-8"))))
            ref_header = next(csv.reader(io.StringIO(ref_tables["decisions.csv"].decode("utf-8"))))
            assert rows and rows[0] == ref_header, f"{where}: tables/decisions.csv has no header"
        for name, data in tables.items():
            assert data == ref_tables.get(name), f"{where}: tables/{name} is not a whole table"
        missing = tables_seen - set(tables)
        assert not missing, f"{where}: tables that were in place are gone: {sorted(missing)}"
        tables_seen |= set(tables)
        for name, data in _texts(out).items():
            assert data == ref_texts.get(name), f"{where}: text/{name} is not whole"
        workbook = out / "minutes.xlsx"
        if workbook.exists():
            with zipfile.ZipFile(workbook) as z:
                assert z.testzip() is None, f"{where}: minutes.xlsx is broken"

        done = snap.generation - previous.generation  # documents committed by this run
        phase = ("finished before the kill" if not running else
                 "killed before its first commit" if done == 0 and todo else
                 f"killed processing ({done}/{todo} committed)" if done < todo else
                 "killed before its export was done" if snap.exported_generation != snap.generation else
                 "killed after its export")
        log.append(f"{where}: {phase}; {len(snap.committed)} committed, {len(tables)} tables in place")
        previous = snap

    litter = sorted(p.name for p in [*(out / "tables").glob(".*"), *out.glob(".minutes.xlsx.*"),
                                     *(out / "text").glob(".*")])
    log.append(f"temporary files left by the kills: {litter or 'none'}")
    print("\n" + "\n".join(log))
    assert interrupted >= CYCLES // 2, "most kills should land in a running run:\n" + "\n".join(log)

    final_run = _run_to_end(archive, out)
    assert final_run.returncode == 0, f"final run after {CYCLES} kills failed: {final_run.stderr}"
    final = _read_state(out, tmp_path / "scratch")
    assert set(final.committed) == ref_ids
    assert _csv_tables(out).keys() == ref_tables.keys()
    for name, data in _csv_tables(out).items():
        assert data == ref_tables[name], f"tables/{name} differs from the uninterrupted run"
    assert (out / "tables" / "runs.csv").exists()
    assert _texts(out) == ref_texts, "text/ differs from the uninterrupted run"


def test_killing_only_the_main_process_does_not_lock_out_the_next_run(
        reference: Reference, tmp_path: Path) -> None:
    """``kill -9 PID`` (or the OOM killer) hits the main process only. Its pool workers must not
    outlive it holding the run lock: the next run has to start and finish."""
    archive, ref = reference.archive, reference.out
    out = tmp_path / "out"
    proc = subprocess.Popen(_command(archive, out), cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        state = out / STATE_DIR / "state.sqlite"
        deadline = time.monotonic() + RUN_TIMEOUT
        while proc.poll() is None and time.monotonic() < deadline and not _count(state):
            time.sleep(0.02)
        if proc.poll() is not None:
            pytest.skip("the run finished before its workers could be caught at work")
        assert _count(state), "no document committed before the deadline"
        proc.kill()  # the main process only, while its pool workers are at work
        proc.wait(timeout=WAIT_TIMEOUT)
        time.sleep(1.0)
        survivors = group_members(proc.pid)
        after = subprocess.run(_command(archive, out), cwd=REPO, capture_output=True, text=True,
                               timeout=RUN_TIMEOUT)
        assert after.returncode == 0, (
            f"the run after `kill -9 {proc.pid}` (main process only) exited {after.returncode}: "
            f"{after.stderr.strip()} (processes of the killed run still alive: {survivors})")
        for name, data in _csv_tables(out).items():
            assert data == _csv_tables(ref)[name], f"tables/{name} differs from the uninterrupted run"
    finally:
        _kill_group(proc)  # orphaned workers keep the process group of the killed run


def test_a_killed_export_leaves_no_temporary_files_behind(reference: Reference, tmp_path: Path) -> None:
    """Tables are written to hidden temporary files beside their targets; a run killed while
    writing them leaves those behind, and the next complete run must not keep them for ever."""
    archive, ref = reference.archive, reference.out
    out = tmp_path / "out"
    proc = subprocess.Popen(_command(archive, out), cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + RUN_TIMEOUT
        while proc.poll() is None and time.monotonic() < deadline and not list((out / "tables").glob(".*.csv.*")):
            time.sleep(0.005)
        if proc.poll() is not None:
            pytest.skip("the export ended before it could be caught writing")
    finally:
        _kill_group(proc)
    assert list((out / "tables").glob(".*.csv.*")), "the kill did not land in the export"
    done = _run_to_end(archive, out)
    assert done.returncode == 0, done.stderr
    assert _csv_tables(out) == _csv_tables(ref)
    litter = sorted(p.relative_to(out).as_posix() for folder in (out, out / "tables", out / "text")
                    for p in folder.glob(".*") if p.is_file())
    assert not litter, f"half-written temporary files of the killed export are still there after a complete run: {litter}"
