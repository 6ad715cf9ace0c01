"""How the work is run: a per-document time limit, and a Dask cluster giving the same tables as a
local run."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline import process as process_module
from pipeline.cli import main
from pipeline.models import SourceFile

DOCS = Path(__file__).parent / "fixtures" / "docs"
TABLES = ("documents", "decisions", "participants", "agenda_items", "regions", "topics", "votes")


WARM_TWICE = """
import gc
from extractors.nlp import nlp
from pipeline.process import warm
before = gc.get_freeze_count()
warm()
frozen = gc.get_freeze_count()
warm()
print(before, frozen, gc.get_freeze_count(), nlp.cache_info().currsize)
"""


def test_warm_up_builds_the_pipeline_once_and_freezes_it() -> None:
    """In a process of its own (freezing is for good): what the warm-up built leaves the garbage
    collector's generations, and a second call does nothing."""
    out = subprocess.run([sys.executable, "-c", WARM_TWICE], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).parent.parent)
    before, frozen, again, pipelines = map(int, out.stdout.split())
    assert before == 0 and frozen > 10_000  # spaCy, the lexicon's containers, the patterns
    assert again == frozen and pipelines == 1


def test_a_document_that_hangs_becomes_an_error_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = tmp_path / "treg.txt"
    doc.write_text("Referat\n\nVedtak:\nGodkjent.\n", encoding="utf-8")

    def slow(*args: object) -> None:
        time.sleep(5)

    monkeypatch.setattr(process_module, "analyse", slow)
    started = time.perf_counter()
    result = process_module.process(SourceFile(doc, doc.name, "treg"), timeout=0.5)
    assert time.perf_counter() - started < 3
    assert result.document.status == "error" and "time limit" in result.document.error


def test_dask_cluster_gives_the_same_tables(tmp_path: Path) -> None:
    distributed = pytest.importorskip("dask.distributed")
    inputs = tmp_path / "in"
    inputs.mkdir()
    for doc in sorted(DOCS.glob("*.txt"))[:6]:
        (inputs / doc.name).write_bytes(doc.read_bytes())
    assert main(["run", str(inputs), "--out", str(tmp_path / "local"), "--workers", "1", "--quiet"]) == 0
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        assert main(["run", str(inputs), "--out", str(tmp_path / "dask"), "--quiet",
                     "--scheduler", cluster.scheduler_address]) == 0
    for table in TABLES:
        local = (tmp_path / "local" / "tables" / f"{table}.csv").read_bytes()
        assert (tmp_path / "dask" / "tables" / f"{table}.csv").read_bytes() == local, table


def test_unreachable_scheduler_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dask = pytest.importorskip("dask")
    pytest.importorskip("dask.distributed")
    doc = tmp_path / "in" / "a.txt"
    doc.parent.mkdir()
    doc.write_text("Referat\n", encoding="utf-8")
    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}):
        assert main(["run", str(doc.parent), "--out", str(tmp_path / "out"), "--quiet",
                     "--scheduler", "tcp://127.0.0.1:9"]) == 2
    assert "cannot reach the Dask scheduler" in capsys.readouterr().err
