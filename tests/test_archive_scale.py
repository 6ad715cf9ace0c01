"""What keeps a run over a large archive fast and its memory flat: rows spooled to disk, the
export reading results in input order while workers finish them in any order, the workbook
written as rows come, Parquet by row groups, rows as tuples without deep copies."""
from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
import sys
import zipfile
from itertools import groupby
from pathlib import Path

import openpyxl
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline import models, run
from pipeline.export import parquet as analyst
from pipeline.export.xlsx import links, package, workbook
from pipeline.export.xlsx import sheets as sheet_module
from pipeline.models import TABLES, DocumentResult, DocumentRow, SourceFile
from pipeline.spool import RowSpool
from pipeline.workers import Pool
from tests.test_workbook import RUN, make_tables

# --------------------------------------------------------------------------- the spool


@given(st.lists(st.tuples(st.integers(), st.text(max_size=5)), max_size=60), st.integers(1, 7),
       st.integers(-70, 70), st.integers(-70, 70), st.sampled_from([None, 1, 2, 3, -1]))
def test_spooled_rows_behave_as_the_list_they_hold(rows, chunk, start, stop, step):
    with RowSpool(chunk_rows=chunk) as spool:
        spool.extend(rows)
        back = spool.rows()
        assert len(back) == len(rows) and list(back) == rows
        view = back[start:stop:step]
        assert list(view) == rows[start:stop:step] and len(view) == len(rows[start:stop:step])
        assert list(view[1:]) == rows[start:stop:step][1:]
        if rows:
            assert back[-1] == rows[-1] and back[len(rows) // 2] == rows[len(rows) // 2]
        with pytest.raises(IndexError):
            back[len(rows)]


# --------------------------------------------------------------------------- results in input order


class _Store:
    """The part of StateStore that ``in_order`` uses."""

    def __init__(self, old: dict[str, DocumentResult]) -> None:
        self.saved: dict[str, DocumentResult] = dict(old)
        self.puts: list[str] = []

    def put(self, result: DocumentResult) -> None:
        self.puts.append(result.document.doc_id)
        self.saved[result.document.doc_id] = result

    def result(self, doc_id: str) -> DocumentResult:
        return self.saved[doc_id]


def _result(doc_id: str) -> DocumentResult:
    return DocumentResult(document=DocumentRow(doc_id, f"{doc_id}.txt"))


@pytest.mark.parametrize("hold", [64, 1])
def test_results_come_out_in_input_order_whatever_order_the_workers_finish(monkeypatch, hold):
    sources = [SourceFile(Path(f"{k}.txt"), f"{k}.txt", f"d{k}") for k in range(8)]
    todo = {s.doc_id for s in sources if s.doc_id != "d3"}
    finished = [s for s in reversed(sources) if s.doc_id in todo]  # the last one is done first
    monkeypatch.setattr(run, "results", lambda todo_sources, options: (_result(s.doc_id) for s in finished))
    monkeypatch.setattr(run, "HOLD", hold)  # 1: results that wait are read back from the store
    store = _Store({"d3": _result("d3")})
    progress = run.Progress(len(todo), enabled=False)
    options = run.RunOptions(inputs=(), out=Path("."))
    out = [r.document.doc_id for r in run.in_order(sources, todo, store, options, progress)]
    assert out == [s.doc_id for s in sources]
    assert store.puts == [s.doc_id for s in finished]  # each new result committed as it came
    assert progress.done == len(finished)
    assert todo == set()  # each doc id let go once its result was committed


# --------------------------------------------------------------------------- the workbook as rows come


def _cells(path: Path) -> dict[str, list[tuple]]:
    wb = openpyxl.load_workbook(path)
    return {name: [tuple(c.value for c in row) for row in wb[name].iter_rows()] for name in wb.sheetnames}


def test_a_streamed_workbook_holds_what_a_whole_one_holds(tmp_path, monkeypatch, sources):
    monkeypatch.setattr(sheet_module, "STREAM_SAMPLE", 3)  # widths from the first 3 rows, then straight on
    monkeypatch.setattr(sheet_module, "_FORGET_EVERY", 2)
    tables = make_tables()
    workbook.write_workbook(tmp_path / "whole.xlsx", tables, RUN, sources=sources)
    streamed = {t: tables[t][0] for t in TABLES if t in tables}
    with workbook.Workbook(tmp_path / "streamed.xlsx", streamed, sources=sources) as book:
        book.add("documents", tables["documents"][1])
        for table in streamed:  # in runs of rows of one document, as an export gets them
            if table != "documents":
                for _, rows in groupby(tables[table][1], key=lambda row: row[0]):
                    book.add(table, list(rows))
        book.close(tables, RUN)
    whole, stream = _cells(tmp_path / "whole.xlsx"), _cells(tmp_path / "streamed.xlsx")
    assert list(stream) == list(whole)
    for sheet in whole:
        assert stream[sheet] == whole[sheet], sheet
    wb = openpyxl.load_workbook(tmp_path / "streamed.xlsx")
    decisions = wb["Vedtak"]
    long_rows = [r for r in range(2, decisions.max_row + 1) if len(str(decisions.cell(r, 5).value or "")) > 1000]
    assert long_rows and all(decisions.row_dimensions[r].height for r in long_rows)  # heights kept
    assert not list(tmp_path.glob(".*.tmp.xlsx"))


def test_a_streamed_table_continues_on_another_sheet(tmp_path, monkeypatch, sources):
    monkeypatch.setattr(sheet_module, "MAX_ROWS", 4)
    monkeypatch.setattr(sheet_module, "STREAM_SAMPLE", 2)
    tables = make_tables()
    header, rows = tables["decisions"]
    with workbook.Workbook(tmp_path / "m.xlsx", {"documents": tables["documents"][0], "decisions": header},
                           sources=sources) as book:
        book.add("documents", tables["documents"][1])
        for row in rows:
            book.add("decisions", [row])
        book.close(tables, RUN)
    wb = openpyxl.load_workbook(tmp_path / "m.xlsx")
    sheets = [s for s in wb.sheetnames if s.startswith("Vedtak")]
    assert sheets == ["Vedtak", "Vedtak (2)", "Vedtak (3)", "Vedtak (4)"]
    assert sum(wb[s].max_row - 1 for s in sheets) == len(rows)
    assert all(len(wb[s].tables) == 1 for s in sheets)


def test_hyperlinks_stop_at_excels_limit(tmp_path, monkeypatch, sources):
    monkeypatch.setattr(links, "MAX_LINKS", 1)
    workbook.write_workbook(tmp_path / "m.xlsx", make_tables(), RUN, sources=sources)
    with zipfile.ZipFile(tmp_path / "m.xlsx") as z:
        counts = {sheet: z.read(part).decode().count("<hyperlink ") for sheet, part in package.sheet_parts(z).items()}
    assert counts["Vedtak"] == 1 and max(counts.values()) == 1  # two runs of rows in Vedtak without the limit


def test_an_unclosed_workbook_leaves_nothing(tmp_path):
    with workbook.Workbook(tmp_path / "m.xlsx", {"documents": models.columns(DocumentRow)}) as book:
        book.add("documents", [models.as_tuple(DocumentRow("a", "a.txt"))])
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- Parquet and rows


def test_parquet_is_written_a_row_group_at_a_time(tmp_path, monkeypatch):
    monkeypatch.setattr(analyst, "ROW_GROUP", 3)
    header, rows = make_tables()["decisions"]
    types = analyst.column_types(TABLES["decisions"], header)
    analyst.write_parquet(tmp_path / "d.parquet", header, iter(rows), types)
    file = pq.ParquetFile(tmp_path / "d.parquet")
    assert file.num_row_groups == -(-len(rows) // 3)
    assert file.read().column("text").to_pylist() == [row[header.index("text")] for row in rows]
    analyst.write_parquet(tmp_path / "e.parquet", header, [], types)
    assert pq.read_table(tmp_path / "e.parquet").num_rows == 0


def test_a_parquet_stream_fed_in_pieces_is_the_file_written_at_once(tmp_path, monkeypatch):
    monkeypatch.setattr(analyst, "ROW_GROUP", 4)
    header, rows = make_tables()["decisions"]
    types = analyst.column_types(TABLES["decisions"], header)
    analyst.write_parquet(tmp_path / "whole.parquet", header, rows, types)
    with analyst.ParquetStream(tmp_path / "pieces.parquet", header, types) as stream:
        for row in rows:  # one document's rows at a time, as an export gets them
            stream.extend([row])
    assert (tmp_path / "pieces.parquet").read_bytes() == (tmp_path / "whole.parquet").read_bytes()


_KIND_VALUES = {
    "string": st.text(max_size=8),
    "integer": st.one_of(st.none(), st.integers(-2**63, 2**63 - 1)),
    "number": st.one_of(st.none(), st.floats(allow_nan=False)),
    "boolean": st.one_of(st.none(), st.booleans()),
    "date": st.one_of(st.none(), st.dates()),
}


@given(st.sampled_from(sorted(_KIND_VALUES)).flatmap(lambda kind: st.tuples(st.just(kind),
                                                                           st.lists(_KIND_VALUES[kind], max_size=40))))
def test_arrays_built_from_buffers_are_what_pyarrow_makes_of_the_values(case):
    kind, values = case
    import pyarrow as pa

    built = analyst._array(kind, values)
    assert built.equals(pa.array(values, type=analyst._ARROW[kind]))
    assert built.to_pylist() == values


def test_writing_parquet_does_not_import_pandas(tmp_path):
    """pyarrow's ``pa.array`` imports pandas on its first call; the run's export does without it."""
    code = ("import sys; from pathlib import Path; from pipeline.export import parquet as analyst; "
            f"analyst.write_parquet(Path({str(tmp_path / 'd.parquet')!r}), ['s', 'i', 'date', 'b', 'f'], "
            "[('a', 1, '2026-01-02', True, 1.5), ('', None, '', None, None)], "
            "['string', 'integer', 'date', 'boolean', 'number']); print('pandas' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).resolve().parents[1])
    assert done.stdout.strip() == "False"
    assert pq.read_table(tmp_path / "d.parquet").to_pylist()[0] == {
        "s": "a", "i": 1, "date": dt.date(2026, 1, 2), "b": True, "f": 1.5}


def test_a_parquet_stream_that_fails_leaves_no_file(tmp_path):
    header, rows = make_tables()["decisions"]
    types = analyst.column_types(TABLES["decisions"], header)
    with pytest.raises(RuntimeError), analyst.ParquetStream(tmp_path / "d.parquet", header, types) as stream:
        stream.extend(rows)
        raise RuntimeError("the export stopped")
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- the pool


def test_the_pool_gets_a_few_documents_ahead_of_the_export_not_the_whole_archive(tmp_path):
    """Each worker holds one document at a time: the tasks are taken from the archive's listing as
    workers come free, so results waiting for the export cannot pile up in memory."""
    sources = []
    for k in range(12):
        path = tmp_path / f"{k}.txt"
        path.write_text(f"Referat {k}\n\nVedtak:\nGodkjent.\n", encoding="utf-8")
        sources.append(SourceFile(path, path.name, f"d{k}"))
    taken = 0

    def tasks():
        nonlocal taken
        for source in sources:
            taken += 1
            yield source, False, 0

    done, most = [], 0
    with Pool(2, run.pool_context(1)) as pool:  # forked from this (warm) process: quick to start
        for result in pool.run(tasks()):
            most = max(most, taken - len(done))
            done.append(result.document.doc_id)
    assert sorted(done) == sorted(s.doc_id for s in sources)
    assert most <= 2


def test_the_main_process_of_a_run_does_not_load_spacy():
    """Only the workers analyse text: the process that plans, stores and exports starts quickly."""
    code = ("import sys, pipeline.cli, pipeline.run, pipeline.export, pipeline.export.xlsx, pipeline.summary; "
            "print('spacy' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_the_forkserver_preload_leaves_workers_nothing_to_build():
    """Workers fork from a process that imported :mod:`pipeline.preload`: the spaCy pipeline, the
    lexicon and the readers are there before the first document."""
    code = ("import sys, pipeline.preload; from pipeline.lexicon import load_lexicon; "
            "from extractors.nlp import nlp; "
            "print(load_lexicon.cache_info().currsize, nlp.cache_info().currsize, 'pdfplumber' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["1", "1", "True"]


def test_rows_as_tuples_and_dicts_are_what_dataclasses_make():
    tables = make_tables()
    for table, row_class in TABLES.items():
        for values in tables.get(table, ((), []))[1]:
            row = row_class(*values[:len(models.columns(row_class))])  # documents: a region column added by hand
            assert models.as_tuple(row) == dataclasses.astuple(row)
            assert models.as_dict(row) == dataclasses.asdict(row)


def test_the_search_for_copies_holds_nothing_per_document():
    """Given the contents that repeat (none here), the search for copies remembers no hash or id per
    document: an archive of 20,000 documents costs it what one costs (some 5 MB before)."""
    import hashlib
    import tracemalloc

    from pipeline.summary import mark_duplicates

    def held(repeated: set[str] | None) -> int:
        docs = (DocumentResult(DocumentRow(f"doc-{k:06d}", f"{k}.txt"), "") for k in range(20_000))
        tracemalloc.start()
        try:
            for _ in mark_duplicates(docs, lambda doc_id: hashlib.sha256(doc_id.encode()).hexdigest(), repeated):
                pass
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    assert held(set()) < 500_000 < 2_000_000 < held(None)  # without what repeats, every hash is kept
