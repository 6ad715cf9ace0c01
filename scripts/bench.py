"""``make bench``: the figures of issues 5 and 6, measured side by side in one run.

    python scripts/bench.py [--docs 1000] [--out data/bench] [--growth 1000,5000] [--skip excel,...]

On a synthetic archive (``scripts/bench_corpus.py``) it runs ``python -m pipeline run`` in child
processes and measures:

- the full run: documents/s, pages/s, peak RSS (the main process, the largest single process of the
  run, and the whole process tree);
- with the state store wired (``minutes run --full``): the no-change rerun and the rerun after
  one file changed, with the number of documents reprocessed (read from ``.state/state.sqlite``);
- 1 worker against 2 (or all cores): throughput ratio (the best of three runs each, alternating), and
  whether the tables are identical; and for reference the archive split by hand: dealt out to N
  one-worker runs at once, nothing shared;
- 1 worker against 2 (or all cores) on a small archive of 600 short text documents (``--small-docs``):
  the pool must never lose to one worker (it starts workers only for work that pays for them), the
  best of two runs each (1, N, N, 1);
- the pipeline on the text PDFs alone against pdfplumber's bare ``page.extract_text()`` over the
  same files (``--baseline-pages``, 1000 by default), both in one process (pages/s per core), the
  best of two runs each (pipeline, pdfplumber, pdfplumber, pipeline), as whole runs and past
  start-up (each also run on the first file alone);
- 100,000 decision rows written by ``pipeline.export.xlsx.write_workbook`` against xlsxwriter's
  ``constant_memory`` mode, each in its own process (time and peak memory);
- ``--growth 1000,5000`` (the default): peak RSS of a full run on each archive size, and its growth.

A table goes to stdout and every figure to ``OUT/bench-results.json``.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import bench_corpus  # noqa: E402

STEPS = ("rerun", "workers", "small", "baseline", "excel", "ocr")


# --------------------------------------------------------------------------- measuring a child


@dataclass
class Measured:
    seconds: float
    peak_rss_mb: float  # the child itself, sampled every 50 ms (its ru_maxrss counts every descendant it waited
    # for: since the worker pool reaps its workers, that is the largest worker, not the main process)
    peak_tree_mb: float  # the child and all its descendants together, sampled every 50 ms (0: no psutil)
    returncode: int
    stdout: str
    stderr: str
    peak_process_mb: float = 0.0  # the largest single process of the tree, sampled (0: no psutil)


#: CPU seconds of descendants that their parent never waits for (on Linux, a run's forkserver and the
#: workers it forks): ``getrusage(RUSAGE_CHILDREN)`` misses them, so the bench counts them itself.
UNREAPED_CPU = [0.0]


def _sample_tree(pid: int, stop: threading.Event, peak: list[float]) -> None:
    """``peak[0]``: the most the tree held at once; ``peak[1]``: the most one process of it held;
    ``peak[2]``: the most the child itself held.
    The CPU time last seen of every process below the child goes to :data:`UNREAPED_CPU`."""
    try:
        import psutil
    except ImportError:
        return
    try:
        root = psutil.Process(pid)
    except psutil.Error:
        return
    procs, listed, cpu = [root], 0.0, {}
    try:
        while not stop.is_set():
            _sample(root, procs, peak, cpu)
            if time.monotonic() - listed > 0.5:  # listing children scans /proc (~2 ms): not at every sample
                try:
                    procs, listed = [root, *root.children(recursive=True)], time.monotonic()
                except psutil.Error:
                    return
            stop.wait(0.05)
    finally:
        UNREAPED_CPU[0] += sum(cpu.values())


def _sample(root: Any, procs: list[Any], peak: list[float], cpu: dict[int, float]) -> None:
    import psutil

    total = 0
    for p in procs:
        try:
            rss = p.memory_info().rss
            if p.pid != root.pid:
                cpu[p.pid] = sum(p.cpu_times()[:2])
        except psutil.Error:
            continue
        total += rss
        peak[1] = max(peak[1], rss / 2**20)
        if p.pid == root.pid:
            peak[2] = max(peak[2], rss / 2**20)
    peak[0] = max(peak[0], total / 2**20)


def measure(cmd: list[str], log: Path) -> Measured:
    """Run ``cmd`` to the end; its wall time, peak memory and output."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log.with_suffix(".out"), "w+") as out, open(log.with_suffix(".err"), "w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        stop, peak = threading.Event(), [0.0, 0.0, 0.0]
        sampler = threading.Thread(target=_sample_tree, args=(proc.pid, stop, peak), daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        stop.set()
        sampler.join()
        out.seek(0)
        err.seek(0)
        reaped = usage.ru_maxrss / 1024  # the child or the largest descendant it waited for
        return Measured(seconds, peak[2] or reaped, peak[0], proc.returncode, out.read(), err.read(),
                        max(peak[1], reaped if peak[1] else 0.0))


def minutes_run(inputs: list[Path], out: Path, workers: int, log: Path, *extra: str) -> Measured:
    cmd = [sys.executable, "-m", "pipeline", "run", *map(str, inputs), "--out", str(out),
           "--workers", str(workers), "--quiet", *extra]
    result = measure(cmd, log)
    if result.returncode != 0:
        raise SystemExit(f"bench: {' '.join(cmd)} failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return result


def state_wired() -> bool:
    help_text = subprocess.run([sys.executable, "-m", "pipeline", "run", "--help"], cwd=ROOT,
                               capture_output=True, text=True).stdout
    return "--full" in help_text


def processed_since(out: Path, start_ns: int) -> int | None:
    """How many documents the run that started at ``start_ns`` (re)processed, from the state store."""
    path = out / ".state" / "state.sqlite"
    if not path.exists():
        return None
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = db.execute("SELECT count(*) FROM documents WHERE updated_ns >= ?", (start_ns,)).fetchone()
        return int(row[0])
    except sqlite3.Error:
        return None
    finally:
        db.close()


def documents_and_pages(out: Path) -> tuple[int, int]:
    with open(out / "tables" / "documents.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return len(rows), sum(int(r.get("pages") or 0) for r in rows)


def same_tables(a: Path, b: Path) -> bool:
    names = sorted(p.name for p in (a / "tables").glob("*.csv") if p.name != "runs.csv")
    return names == sorted(p.name for p in (b / "tables").glob("*.csv") if p.name != "runs.csv") and all(
        (a / "tables" / n).read_bytes() == (b / "tables" / n).read_bytes() for n in names)


#: Where :func:`fresh` moves the output of an earlier run, deleted when the bench ends: deleting
#: a run's thousand files right before the next run slowed that run's making of its own (0.5-1 s
#: on a 2-core machine, the filesystem's inode bookkeeping), a cost of the bench, not of the run.
_TRASH: set[Path] = set()


def fresh(path: Path) -> Path:
    """``path``, empty: what an earlier run left there is moved aside (deleted at the end)."""
    if path.exists() or path.is_symlink():
        trash = path.parent / ".old"
        trash.mkdir(parents=True, exist_ok=True)
        path.rename(trash / f"{path.name}-{time.time_ns()}")
        _TRASH.add(trash)
    return path


def empty_trash() -> None:
    for trash in _TRASH:
        shutil.rmtree(trash, ignore_errors=True)
    _TRASH.clear()


# --------------------------------------------------------------------------- children: baseline and Excel


BASELINE = """
import sys, time
import pdfplumber
pages = 0
for name in sys.argv[1:]:
    with pdfplumber.open(name) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.close()
            pages += 1
print(pages)
"""


def pdfplumber_run(pdfs: list[Path], log: Path) -> Measured:
    m = measure([sys.executable, "-c", BASELINE, *map(str, pdfs)], log)
    if m.returncode != 0:
        raise SystemExit(f"bench: pdfplumber baseline failed:\n{m.stderr[-2000:]}")
    return m


def pdf_pages(path: Path) -> int:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def baseline_pdfs(args: argparse.Namespace, manifest: dict[str, Any], docs: Path) -> tuple[list[Path], int]:
    """Text PDFs of the archive (OCR-damaged ones too: their text layer is what it is), about
    ``--baseline-pages`` pages; from a larger archive of the same generator when this one has too few."""
    size = args.docs
    while sum(f["pages"] for f in manifest["files"] if f["format"] == "pdf") < args.baseline_pages and size < 64 * args.docs:
        size *= 2
        docs = args.out / f"corpus-{size}-s{args.seed}"
        log_step(f"archive of {size} documents for {args.baseline_pages} PDF pages, in {docs}")
        manifest = bench_corpus.generate(size, docs, args.seed)
        docs = docs / "docs"
    pdfs, pages = [], 0
    for f in manifest["files"]:
        if f["format"] == "pdf" and pages < args.baseline_pages:
            pdfs.append(docs / f["path"])
            pages += f["pages"]
    return pdfs, pages


def split_runs(docs: Path, parts: int, out: Path, log: Path) -> float:
    """The archive dealt out in ``parts`` (every ``parts``-th file), each part run at the same time by
    its own one-worker process, nothing shared: the seconds until the last ends. What splitting the
    archive by hand gets from this machine's cores (their clock, caches and memory shared, each part
    paying its own start-up and export): the reference the pool's ratio is held against."""
    files = sorted(str(f) for f in docs.rglob("*") if f.is_file())
    log.parent.mkdir(parents=True, exist_ok=True)
    with ExitStack() as logs:
        procs = []
        start = time.perf_counter()
        for k in range(parts):
            err = logs.enter_context(open(log.with_suffix(f".{k}.err"), "w"))
            cmd = [sys.executable, "-m", "pipeline", "run", *files[k::parts], "--out",
                   str(fresh(out / f"part-{k}")), "--workers", "1", "--quiet"]
            procs.append(subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err,
                                          stdin=subprocess.DEVNULL))
        codes = [proc.wait() for proc in procs]
        seconds = time.perf_counter() - start
    if any(codes):
        raise SystemExit(f"bench: a part of the split archive failed ({codes}): see {log.parent}")
    return seconds


def decision_rows(n: int) -> tuple[list[str], list[tuple[Any, ...]]]:
    """``n`` realistic decision rows (the same ones in every process)."""
    from pipeline.models import DecisionRow, columns

    rng = random.Random(5)
    filler = bench_corpus.Filler(bench_corpus.load_pools(), rng)
    texts = [filler.fill(rng.choice(bench_corpus.DECISIONS)) for _ in range(400)]
    texts += [" ".join(filler.fill(s) for s in rng.sample(bench_corpus.BACKGROUND, 4)) for _ in range(100)]
    outcomes = ["adopted as recommended", "adopted amended", "adopted after vote", "noted", "postponed", ""]
    rows = []
    for i in range(n):
        status = "adopted" if i % 3 else "proposed"
        votes = (rng.randrange(10, 30), rng.randrange(0, 10), 0) if i % 5 == 0 else (None, None, None)
        rows.append((f"doc-{i // 12:05d}", f"PS {i % 120:03d}/{i // 1000 % 100:02d}",
                     "vedtak" if status == "adopted" else "innstilling", status, texts[i % len(texts)],
                     i % 7 == 0, "Vedtak:" if status == "adopted" else "Innstilling:", rng.choice(outcomes),
                     True if votes[0] is None else None, *votes, 1 + i % 9, 1 + i % 60,
                     f"Region {i // 12 % 20} IPR", f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}", "Regionrådet",
                     f"Protokoll fra møte {i // 12}", rng.choice(["samferdsel", "helse", "naering energi", ""]),
                     f"d-{i:012x}"))
    assert len(rows[0]) == len(columns(DecisionRow))
    return columns(DecisionRow), rows


def excel_child(writer: str, n: int, path: Path) -> None:
    """Runs in its own process: build the rows, then time writing them; prints JSON."""
    header, rows = decision_rows(n)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    if writer == "minutes":
        from pipeline.export.xlsx import write_workbook

        run = {"started": "", "finished": "", "version": "bench", "inputs": "", "documents": 0, "ok": 0,
               "failed": 0, "seconds": 0, "workers": 1}
        write_workbook(path, {"decisions": (header, rows)}, run)
    else:
        write_xlsxwriter(path, header, rows)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_rss_mb": after, "writing_mb": after - before,
                      "bytes": path.stat().st_size}))


def write_xlsxwriter(path: Path, header: list[str], rows: list[tuple[Any, ...]]) -> None:
    """The same sheet as ``write_workbook`` makes, in xlsxwriter's constant-memory mode: bold frozen
    header, filter, widths, wrapped text, dates, adopted/proposed fills."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                         "strings_to_urls": False, "strings_to_numbers": False})
    ws = wb.add_worksheet("Vedtak")
    bold = wb.add_format({"bold": True})
    fills = {"adopted": "#E2EFDA", "proposed": "#FFF2CC"}
    wrap: dict[str | None, Any] = {None: wb.add_format({"text_wrap": True, "valign": "top"})}
    plain: dict[str | None, Any] = {None: None}
    for status, colour in fills.items():
        wrap[status] = wb.add_format({"text_wrap": True, "valign": "top", "bg_color": colour})
        plain[status] = wb.add_format({"bg_color": colour})
    wrapped = {header.index(c) for c in ("text", "label") if c in header}
    status_col = header.index("status")
    ws.freeze_panes(1, 0)
    for k, h in enumerate(header):
        ws.set_column(k, k, min(60, max(len(h) + 4, *(len(str(r[k])) + 2 for r in rows[:500]))))
        ws.write_string(0, k, h, bold)
    for r, row in enumerate(rows, start=1):
        status = row[status_col]
        for c, value in enumerate(row):
            fmt = (wrap if c in wrapped else plain).get(status)
            if value is None:
                ws.write_blank(r, c, None, fmt)
            else:
                ws.write(r, c, value, fmt)
    ws.autofilter(0, 0, len(rows), len(header) - 1)
    wb.close()


def excel_compare(rows: int, folder: Path) -> dict[str, Any]:
    figures: dict[str, Any] = {"rows": rows}
    for writer in ("minutes", "xlsxwriter"):
        cmd = [sys.executable, str(Path(__file__).resolve()), "--excel-child", writer,
               "--excel-rows", str(rows), "--out", str(folder / f"{writer}.xlsx")]
        m = measure(cmd, folder / f"excel-{writer}")
        if m.returncode != 0:
            figures[writer] = {"error": m.stderr.strip().splitlines()[-1] if m.stderr.strip() else "failed"}
            continue
        figures[writer] = json.loads(m.stdout.strip().splitlines()[-1])
    if "seconds" in figures["minutes"] and "seconds" in figures["xlsxwriter"]:
        figures["ratio"] = figures["minutes"]["seconds"] / figures["xlsxwriter"]["seconds"]
    return figures


def ocr_child() -> None:
    """Runs in its own process: the OCR repair's costs; prints JSON. Lexicon load (time, memory),
    the damage check on clean text, and the repair of damaged text (made by
    scripts/simulate_ocr_damage.py from the project's clean documents), first with every word new
    to the process, then again on other damaged text once the process has seen the vocabulary."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from simulate_ocr_damage import damage

    from pipeline.lexicon import load_lexicon
    from pipeline.models import Line
    from pipeline.repair import damage_score, repair_lines

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    load_lexicon()
    load_s = time.perf_counter() - start
    load_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - before
    clean = "\n".join(p.read_text(encoding="utf-8") for folder in ("docs", "holdout")
                      for p in sorted((ROOT / "tests" / "fixtures" / folder).glob("*.txt")))
    big = (clean + "\n") * max(1, 5_000_000 // len(clean))
    start = time.perf_counter()
    damage_score(big)
    check_mb_s = len(big.encode()) / 1e6 / (time.perf_counter() - start)

    def repair_speed(text: str) -> float:
        lines = [Line(1, i, t) for i, t in enumerate(text.split("\n"), 1)]
        started = time.perf_counter()
        repair_lines(lines)
        return len(text.encode()) / 1e6 / (time.perf_counter() - started)

    sample = "\n".join([clean] * max(1, 1_000_000 // len(clean)))  # about 1 MB of damaged text
    cold = repair_speed(damage(sample, seed=11))  # the first document pays for the candidate index
    warm = repair_speed(damage(sample, seed=12))
    print(json.dumps({"lexicon_load_s": load_s, "lexicon_load_mb": load_mb, "check_mb_s": check_mb_s,
                      "repair_cold_mb_s": cold, "repair_warm_mb_s": warm, "damaged_mb": len(sample.encode()) / 1e6}))


# --------------------------------------------------------------------------- the bench


def small_archive(folder: Path, docs: int, workers: int, runs: Path, seed: int = 1) -> dict[str, Any]:
    """1 worker against ``workers`` on ``docs`` short text documents, in the order 1, N, N, 1 (the
    best of two each): the ratio must not be below 1."""
    texts = bench_corpus.generate_texts(docs, folder, seed)
    seconds: dict[str, list[float]] = {"1": [], str(workers): []}
    outs = {}
    for step in ("1", str(workers), str(workers), "1"):
        outs[step] = fresh(runs / f"small-w{step}")
        m = minutes_run([folder], outs[step], int(step), runs / "logs" / f"small-w{step}-{len(seconds[step])}")
        seconds[step].append(m.seconds)
    return {"docs": len(texts), "seconds": seconds, "ratio": min(seconds["1"]) / min(seconds[str(workers)]),
            "identical": same_tables(outs["1"], outs[str(workers)])}


def log_step(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def full_figures(m: Measured, docs: int, pages: int) -> dict[str, Any]:
    return {"seconds": m.seconds, "documents": docs, "pages": pages, "docs_per_s": docs / m.seconds,
            "pages_per_s": pages / m.seconds, "peak_rss_mb": m.peak_rss_mb, "peak_tree_mb": m.peak_tree_mb,
            "peak_process_mb": m.peak_process_mb}


_RUN_NAMES = {"1": "1 worker", "split": "split"}


def bench(args: argparse.Namespace) -> dict[str, Any]:
    cores = os.cpu_count() or 1
    workers = args.workers or cores
    results: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "cores": cores, "workers": workers,
        "python": platform.python_version(), "docs": args.docs, "seed": args.seed, "commit": git_commit()}
    from pipeline import __version__

    results["version"] = __version__
    corpus = args.out / f"corpus-{args.docs}-s{args.seed}"
    log_step(f"archive of {args.docs} documents in {corpus}")
    t = time.perf_counter()
    manifest = bench_corpus.generate(args.docs, corpus, args.seed)
    results["generate_seconds"] = time.perf_counter() - t
    docs = corpus / "docs"
    runs = args.out / "runs"
    wired = state_wired()
    results["state_wired"] = wired

    log_step(f"full run, {workers} workers")
    main = fresh(runs / f"full-w{workers}")
    start_ns = time.time_ns()
    m = minutes_run([docs], main, workers, runs / "logs" / "full")
    n_docs, n_pages = documents_and_pages(main)
    results["full"] = full_figures(m, n_docs, n_pages)
    results["full"]["processed"] = processed_since(main, start_ns)

    if "workers" not in args.skip and workers > 1:
        # N workers, 1 worker, and the archive split in N one-worker runs at once (by hand), in rounds
        # (N, 1, split), (N, 1, split), (1, N): a machine that drifts slower or faster favours none, and
        # the best run of each counts (one run can be off by 15 % or more on a shared machine)
        log_step(f"1 worker, the archive split in {workers} runs at once; {workers} workers, 1, split; 1, {workers}")
        one = fresh(runs / "full-w1")
        m1 = minutes_run([docs], one, 1, runs / "logs" / "full-w1")
        results["workers_1"] = full_figures(m1, *documents_and_pages(one))
        results["workers_identical"] = same_tables(main, one)
        seconds: dict[str, list[float]] = {"1": [m1.seconds], str(workers): [m.seconds], "split": []}
        for step in ("split", str(workers), "1", "split", "1", str(workers)):
            k = len(seconds[step])
            if step == "split":
                seconds[step].append(split_runs(docs, workers, runs / "split", runs / "logs" / f"split-{k}"))
            else:
                seconds[step].append(minutes_run([docs], fresh(runs / f"full-w{step}-again"), int(step),
                                                 runs / "logs" / f"full-w{step}-{k}").seconds)
        results["workers_seconds"] = seconds
        results["workers_ratio"] = min(seconds["1"]) / min(seconds[str(workers)])
        results["split_ratio"] = min(seconds["1"]) / min(seconds["split"])

    if "small" not in args.skip and workers > 1 and args.small_docs:
        log_step(f"small archive of {args.small_docs} short text documents: 1 worker, {workers}, {workers}, 1")
        results["small"] = small_archive(args.out / f"texts-{args.small_docs}-s{args.seed}", args.small_docs,
                                         workers, runs, args.seed)

    if "rerun" not in args.skip and wired:
        log_step("rerun, nothing changed")
        start_ns = time.time_ns()
        m = minutes_run([docs], main, workers, runs / "logs" / "rerun-nochange")
        results["rerun_nochange"] = {"seconds": m.seconds, "ratio": m.seconds / results["full"]["seconds"],
                                     "processed": processed_since(main, start_ns)}
        changed = next(docs / f["path"] for f in manifest["files"] if f["format"] == "txt")
        original = changed.read_bytes()
        try:
            changed.write_bytes(original + "\nTilleggsopplysning: endret for målingen.\n".encode())
            log_step(f"rerun, one file changed ({changed.name})")
            start_ns = time.time_ns()
            m = minutes_run([docs], main, workers, runs / "logs" / "rerun-onechange")
        finally:
            changed.write_bytes(original)
        results["rerun_onechange"] = {"seconds": m.seconds, "ratio": m.seconds / results["full"]["seconds"],
                                      "processed": processed_since(main, start_ns), "file": changed.name}

    if "baseline" not in args.skip:
        pdfs, pages = baseline_pdfs(args, manifest, docs)
        if pdfs:
            log_step(f"text PDFs: pipeline (1 worker) and pdfplumber extract_text over {len(pdfs)} files, "
                     f"{pages} pages, twice each (pipeline, pdfplumber, pdfplumber, pipeline: the best of two); "
                     "then each on the first file alone (start-up)")
            pipe_runs = [minutes_run(pdfs, fresh(runs / "pdf-w1"), 1, runs / "logs" / "pdf-w1")]
            base_runs = [pdfplumber_run(pdfs, runs / "logs" / "pdfplumber")]
            base_runs.append(pdfplumber_run(pdfs, runs / "logs" / "pdfplumber-again"))
            pipe_runs.append(minutes_run(pdfs, fresh(runs / "pdf-w1"), 1, runs / "logs" / "pdf-w1-again"))
            m_pipe = min(pipe_runs, key=lambda m: m.seconds)
            m_base = min(base_runs, key=lambda m: m.seconds)
            one_pages = pdf_pages(pdfs[0])
            m_pipe1 = minutes_run(pdfs[:1], fresh(runs / "pdf-one"), 1, runs / "logs" / "pdf-one")
            m_base1 = pdfplumber_run(pdfs[:1], runs / "logs" / "pdfplumber-one")
            pipe_rate = (pages - one_pages) / max(1e-9, m_pipe.seconds - m_pipe1.seconds)
            base_rate = (pages - one_pages) / max(1e-9, m_base.seconds - m_base1.seconds)
            results["pdf"] = {"files": len(pdfs), "pages": pages, "pipeline_seconds": m_pipe.seconds,
                              "pipeline_pages_per_s": pages / m_pipe.seconds,
                              "pdfplumber_seconds": m_base.seconds,
                              "pdfplumber_pages_per_s": pages / m_base.seconds,
                              "ratio": m_base.seconds / m_pipe.seconds,
                              "pipeline_one_file_seconds": m_pipe1.seconds, "pdfplumber_one_file_seconds": m_base1.seconds,
                              "pipeline_marginal_pages_per_s": pipe_rate, "pdfplumber_marginal_pages_per_s": base_rate,
                              "marginal_ratio": pipe_rate / base_rate,
                              "runs": {"pipeline": [m.seconds for m in pipe_runs],
                                       "pdfplumber": [m.seconds for m in base_runs]}}

    if "excel" not in args.skip:
        log_step(f"Excel: {args.excel_rows:,} decision rows, write_workbook and xlsxwriter constant_memory")
        results["excel"] = excel_compare(args.excel_rows, fresh(runs / "excel"))

    if "ocr" not in args.skip:
        log_step("OCR repair: lexicon load, damage check, repair speed")
        m = measure([sys.executable, str(Path(__file__).resolve()), "--ocr-child"], fresh(runs / "ocr"))
        if m.returncode == 0:
            results["ocr"] = json.loads(m.stdout.strip().splitlines()[-1])

    if args.growth:
        results["growth"] = {}
        for n in args.growth:
            if n == args.docs:  # the full run above
                results["growth"][str(n)] = results["full"]
                continue
            c = args.out / f"corpus-{n}-s{args.seed}"
            log_step(f"RSS growth: archive of {n} documents")
            bench_corpus.generate(n, c, args.seed)
            m = minutes_run([c / "docs"], fresh(runs / f"growth-{n}"), workers, runs / "logs" / f"growth-{n}")
            results["growth"][str(n)] = full_figures(m, *documents_and_pages(runs / f"growth-{n}"))
        sizes = [str(n) for n in args.growth]
        if len(sizes) >= 2:
            first, last = results["growth"][sizes[0]], results["growth"][sizes[-1]]
            results["growth_main"] = last["peak_rss_mb"] / first["peak_rss_mb"] - 1
            if first["peak_tree_mb"]:
                results["growth_tree"] = last["peak_tree_mb"] / first["peak_tree_mb"] - 1
                results["growth_process"] = last["peak_process_mb"] / first["peak_process_mb"] - 1
    return results


def cpu_seconds() -> tuple[float, float] | None:
    """CPU seconds used so far by the whole machine and by this bench with its children: the
    difference tells how busy other processes kept the machine."""
    try:
        import psutil
    except ImportError:
        return None
    t = psutil.cpu_times()
    machine = t.user + t.nice + t.system + sum(getattr(t, f, 0) for f in ("irq", "softirq", "steal"))
    own = sum(getattr(resource.getrusage(who), f) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
              for f in ("ru_utime", "ru_stime")) + UNREAPED_CPU[0]
    return machine, own


def git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


# --------------------------------------------------------------------------- the report


def mark(ok: bool | None) -> str:
    return "" if ok is None else ("ok" if ok else "MISSED")


def report(r: dict[str, Any]) -> str:
    lines: list[tuple[str, str, str, str]] = []

    def add(name: str, value: str, target: str = "", ok: bool | None = None) -> None:
        lines.append((name, value, target, mark(ok)))

    f = r["full"]
    add("archive", f"{f['documents']} documents, {f['pages']} pages")
    add(f"full run ({r['workers']} workers)", f"{f['seconds']:.1f} s")
    add("  documents/s", f"{f['docs_per_s']:.1f}")
    add("  pages/s", f"{f['pages_per_s']:.1f}")
    add("  peak RSS (main process)", f"{f['peak_rss_mb']:.0f} MB")
    if f["peak_tree_mb"]:
        add("  peak RSS (largest process)", f"{f['peak_process_mb']:.0f} MB")
        add("  peak RSS (all processes)", f"{f['peak_tree_mb']:.0f} MB")
    if "rerun_nochange" in r:
        nc, oc = r["rerun_nochange"], r["rerun_onechange"]
        add("no-change rerun",
            f"{nc['seconds']:.2f} s = {nc['ratio']:.1%} of full, {nc['processed']} processed",
            "<= 2%, 0 processed", nc["ratio"] <= 0.02 and nc["processed"] == 0)
        add("one-changed-file rerun", f"{oc['seconds']:.2f} s = {oc['ratio']:.1%} of full, "
            f"{oc['processed']} processed", "1 processed", oc["processed"] == 1)
    elif "rerun" not in r.get("skipped", []):
        add("no-change rerun", "not wired yet (no `minutes run --full`)")
        add("one-changed-file rerun", "not wired yet")
    if "workers_ratio" in r:
        add("1 worker", f"{r['workers_1']['seconds']:.1f} s, {r['workers_1']['docs_per_s']:.1f} documents/s")
        if "workers_seconds" in r:
            add("  runs", ", ".join(f"{_RUN_NAMES.get(w, f'{w} workers')}: " + " and ".join(f"{t:.1f} s" for t in ts)
                                    for w, ts in r["workers_seconds"].items()))
        add(f"{r['workers']} workers / 1 worker (best runs)", f"{r['workers_ratio']:.2f}x",
            ">= 1.7x" if r["workers"] == 2 else "", r["workers_ratio"] >= 1.7 if r["workers"] == 2 else None)
        add("  tables identical", "yes" if r["workers_identical"] else "NO", "yes", r["workers_identical"])
    if "small" in r:
        sm = r["small"]
        add(f"small archive ({sm['docs']} short texts): {r['workers']} workers / 1", f"{sm['ratio']:.2f}x",
            ">= 1.0x", sm["ratio"] >= 1.0)
        add("  runs", ", ".join(f"{w} worker{'s' if w != '1' else ''}: " + " and ".join(f"{t:.1f} s" for t in ts)
                                for w, ts in sm["seconds"].items()))
        add("  tables identical", "yes" if sm["identical"] else "NO", "yes", sm["identical"])
    if "split_ratio" in r:
        add(f"  split by hand: {r['workers']} one-worker runs at once / 1 worker", f"{r['split_ratio']:.2f}x",
            f"(the pool: {r['workers_ratio'] / r['split_ratio']:.2f} times that)")
    if "pdf" in r:
        p = r["pdf"]
        add(f"text PDFs ({p['files']} files, {p['pages']} pages), 1 core", "")
        runs = p.get("runs", {})
        for name, label in (("pipeline", "pipeline"), ("pdfplumber", "pdfplumber extract_text")):
            both = f" (best of {' and '.join(f'{t:.1f}' for t in runs[name])} s)" if name in runs else ""
            add(f"  {label}", f"{p[f'{name}_seconds']:.1f} s, {p[f'{name}_pages_per_s']:.1f} pages/s{both}")
        add("  pipeline / pdfplumber, whole runs", f"{p['ratio']:.2f}x", ">= 5x", p["ratio"] >= 5)
        if "marginal_ratio" in p:
            add("  start-up (one file)", f"pipeline {p['pipeline_one_file_seconds']:.1f} s, "
                f"pdfplumber {p['pdfplumber_one_file_seconds']:.1f} s")
            add("  throughput past start-up", f"pipeline {p['pipeline_marginal_pages_per_s']:.0f} pages/s, "
                f"pdfplumber {p['pdfplumber_marginal_pages_per_s']:.1f} pages/s")
            add("  pipeline / pdfplumber, past start-up", f"{p['marginal_ratio']:.2f}x", ">= 5x",
                p["marginal_ratio"] >= 5)
    if "excel" in r:
        e = r["excel"]
        add(f"Excel, {e['rows']:,} decision rows", "")
        for writer, label in (("minutes", "write_workbook"), ("xlsxwriter", "xlsxwriter constant_memory")):
            w = e[writer]
            add(f"  {label}", f"error: {w['error']}" if "error" in w else
                f"{w['seconds']:.1f} s, peak {w['peak_rss_mb']:.0f} MB (+{w['writing_mb']:.0f} MB writing)")
        if "ratio" in e:
            add("  write_workbook / xlsxwriter", f"{e['ratio']:.2f}x", "<= 1.5x", e["ratio"] <= 1.5)
    if "ocr" in r:
        o = r["ocr"]
        add("OCR lexicon load", f"{o['lexicon_load_s']:.2f} s, +{o['lexicon_load_mb']:.0f} MB", "< 2 s, < 150 MB",
            o["lexicon_load_s"] < 2 and o["lexicon_load_mb"] < 150)
        add("  damage check on clean text", f"{o['check_mb_s']:.1f} MB/s", ">= 5 MB/s", o["check_mb_s"] >= 5)
        add(f"  repair of damaged text ({o['damaged_mb']:.2f} MB)", f"{o['repair_cold_mb_s']:.2f} MB/s first, "
            f"{o['repair_warm_mb_s']:.2f} MB/s after", ">= 0.5 MB/s", o["repair_cold_mb_s"] >= 0.5)
    if "growth" in r:
        for n, g in r["growth"].items():
            add(f"peak RSS, {n} documents", f"{g['peak_rss_mb']:.0f} MB main, {g.get('peak_process_mb', 0):.0f} MB "
                f"largest, {g['peak_tree_mb']:.0f} MB all ({g['docs_per_s']:.1f} documents/s)")
        if "growth_tree" in r:
            add("  RSS growth (all processes)", f"{r['growth_tree']:+.1%}", "< 10%", r["growth_tree"] < 0.10)
            add("  RSS growth (largest process)", f"{r['growth_process']:+.1%}", "< 10%", r["growth_process"] < 0.10)
        if "growth_main" in r:  # the listing of the archive and the export's bookkeeping live here
            add("  RSS growth (main process)", f"{r['growth_main']:+.1%}", "< 10%", r["growth_main"] < 0.10)
    widths = [max(len(row[k]) for row in lines + [("figure", "measured", "target", "")]) for k in range(4)]
    out = [f"minutes {r['version']} ({r['commit'] or 'no commit'}), {r['cores']} cores, "
           f"Python {r['python']}", ""]
    for row in [("figure", "measured", "target", ""), *lines]:
        out.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    others = r.get("other_processes_cores") or 0.0
    if others > 0.2:
        out += ["", f"note: other processes kept {others:.1f} of {r['cores']} cores busy during the bench; "
                "its times are slower and its ratios less sure than on an idle machine"]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=1000, help="documents in the archive (default 1000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "bench",
                        help="folder for the archive, the runs and bench-results.json (default data/bench)")
    parser.add_argument("--workers", type=int, default=0, help="workers of the full run (default: the cores)")
    parser.add_argument("--growth", type=lambda s: [int(x) for x in s.split(",") if x], default=[1000, 5000],
                        help="archive sizes for the RSS-growth figure (default 1000,5000; '' for none); the "
                             "first run of an archive size makes the archive, which takes a while")
    parser.add_argument("--skip", type=lambda s: set(s.split(",")), default=set(),
                        help=f"leave out some of: {','.join(STEPS)}")
    parser.add_argument("--baseline-pages", type=int, default=1000,
                        help="PDF pages for the pdfplumber comparison (default 1000; a larger archive is "
                             "made for them when --docs has too few)")
    parser.add_argument("--excel-rows", type=int, default=100_000)
    parser.add_argument("--small-docs", type=int, default=600,
                        help="short text documents of the small archive (1 worker against N; 0 to skip)")
    parser.add_argument("--excel-child", choices=("minutes", "xlsxwriter"), help=argparse.SUPPRESS)
    parser.add_argument("--ocr-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.ocr_child:
        ocr_child()
        return 0
    if args.excel_child:
        excel_child(args.excel_child, args.excel_rows, args.out)
        return 0
    if unknown := args.skip - set(STEPS):
        parser.error(f"--skip: unknown {', '.join(sorted(unknown))}; choose from {', '.join(STEPS)}")
    args.out = args.out.resolve()
    started, cpu = time.perf_counter(), cpu_seconds()
    try:
        results = bench(args)
    finally:
        empty_trash()
    results["skipped"] = sorted(args.skip)
    results["bench_seconds"] = time.perf_counter() - started
    if cpu is not None and (end := cpu_seconds()) is not None:
        others = max(0.0, (end[0] - cpu[0]) - (end[1] - cpu[1]))
        results["other_processes_cores"] = others / results["bench_seconds"]
    text = report(results)
    print(text)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench-results.json").write_text(json.dumps(results, indent=1, default=asdict) + "\n",
                                                  encoding="utf-8")
    print(f"\n{results['bench_seconds']:.0f} s in all; figures in {args.out / 'bench-results.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
