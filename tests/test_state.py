"""The state store: exact round trips, planning, the fingerprint, the run lock and crash safety."""
from __future__ import annotations

import dataclasses
import os
import re
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pipeline import state
from pipeline.models import (
    AgendaItemRow,
    DecisionRow,
    DocumentResult,
    DocumentRow,
    ParticipantRow,
    RegionRow,
    RepairRow,
    SourceFile,
    TopicRow,
    VoteRow,
)
from pipeline.state import FileStamp, StateError, StateStore

REPO = Path(__file__).resolve().parents[1]
FP = "f" * 64


def full_result(doc_id: str = "d1", source_path: str = "mappe/møte.pdf") -> DocumentResult:
    """A result with every table filled, and None, True, False, floats and odd text in the fields."""
    return DocumentResult(
        document=DocumentRow(doc_id, source_path, "protocol", "Møteprotokoll – Formannskapet", "2023-06-14",
                             "Formannskapet", "Lunner kommune", "ok", "", "Lunner kommune", "Rådhuset", "pdf", 3,
                             "text+ocr",
                             "utf-8", "nb", 1234),
        text="Linje 1\n=HYPERLINK(\"x\")\t\x0b\u00a0æøå ÆØÅ \U0001f600\n",
        decisions=(
            DecisionRow(doc_id, "PS 41/23", "vedtak", "adopted", "Saken godkjennes.", True, "Vedtak:",
                        "adopted as recommended", True, 7, 0, None, 2, 14),
            DecisionRow(doc_id, "PS 42/23", "innstilling", "proposed", "Forslag", False, "", "",
                        None, None, None, None, 0, 0),
            DecisionRow(doc_id, "PS 43/23", "vedtak", "adopted", "Mot", False, "", "rejected",
                        False, 3, 4, 1, 3, 1),
        ),
        participants=(ParticipantRow(doc_id, "Hanne Bekkelund", "ordfører", "Lunner kommune", "present", "Ap",
                                     1, 5),),
        agenda_items=(AgendaItemRow(doc_id, "41/23", "Godkjenning av innkalling", 1, 30),),
        regions=(RegionRow(doc_id, "Hadelandsregionen IPR", "Hadeland", "ipr", "hadeland-ipr", 3, "", 2, 8),),
        topics=(TopicRow(doc_id, "", "samferdsel", "fylkesvei 34", 2, 9, "Lunner"),),
        repairs=(RepairRow(doc_id, 1, 3, "fix_ocr_oslash", "mgte", "møte", 0.875),),
        votes=(VoteRow(doc_id, "PS 43/23", "innstillingen", "Live Skaret", "SV", "against", 3, 2),),
        seconds=0.125,
    )


def test_every_field_of_the_full_result_is_filled() -> None:
    """Keeps the round-trip test honest when a table is added to DocumentResult."""
    result = full_result()
    for f in dataclasses.fields(DocumentResult):
        assert getattr(result, f.name), f"fill {f.name} in full_result()"


def _types(value: object) -> object:
    """The value with the type of every leaf, so that True and 1, 1.0 and 1 are told apart."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _types(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple):
        return tuple(_types(v) for v in value)
    return (type(value).__name__, value)


def test_round_trip_is_exact(tmp_path: Path) -> None:
    result = full_result()
    assert _types(state.decode_result(state.encode_result(result))) == _types(result)
    with StateStore(tmp_path, FP) as store:
        store.put(result, FileStamp("abc", 10))
    with StateStore(tmp_path, FP) as store:
        back = store.get("d1")
    assert back == result and back is not None and back.seconds == result.seconds
    assert _types(back) == _types(result)


def test_unknown_codec_is_refused() -> None:
    import json
    import zlib

    blob = zlib.compress(json.dumps({"codec": "json-zlib/99", "document": {}}).encode())
    with pytest.raises(StateError, match="--full"):
        state.decode_result(blob)


def _source(folder: Path, name: str, text: str) -> SourceFile:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return SourceFile(path, name, Path(name).stem)


def _put(store: StateStore, source: SourceFile) -> None:
    store.put(full_result(source.doc_id, source.source_path), state.stamp(source.path))


def test_plan_new_changed_outdated_unchanged_removed(tmp_path: Path) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    a, b, c = (_source(inputs, f"{n}.txt", f"tekst {n}") for n in "abc")
    with StateStore(out, FP) as store:
        plan = store.plan([a, b, c])
        assert [i.status for i in plan.items] == ["new"] * 3 and len(plan.todo) == 3
        for s in (a, b, c):
            _put(store, s)
    b.path.write_text("tekst B, endret", encoding="utf-8")
    d = _source(inputs, "d.txt", "ny")
    with StateStore(out, FP) as store:
        plan = store.plan([a, b, d])
        assert [(i.source.doc_id, i.status, i.todo) for i in plan.items] == [
            ("a", "unchanged", False), ("b", "changed", True), ("d", "new", True)]
        assert plan.removed == ("c",)
        assert plan.counts() == {"new": 1, "changed": 1, "outdated": 0, "unchanged": 1, "removed": 1}
        assert all(i.todo for i in store.plan([a, b, d], full=True).items)
        assert store.remove(plan.removed) == 1 and store.get("c") is None
    with StateStore(out, "0" * 64) as store:  # other rules: everything is outdated
        assert {i.status for i in store.plan([a]).items} == {"outdated"}


def test_plan_moved_file_and_unreadable_file_are_changed(tmp_path: Path) -> None:
    a = _source(tmp_path, "a.txt", "tekst")
    with StateStore(tmp_path / "out", FP) as store:
        _put(store, a)
        moved = SourceFile(a.path, "mappe/a.txt", "a")
        assert store.plan([moved]).items[0].status == "changed"
        a.path.unlink()
        item = store.plan([a]).items[0]
        assert item.status == "changed" and item.stamp.content_hash == ""


def test_plan_retry_failed(tmp_path: Path) -> None:
    a = _source(tmp_path, "a.txt", "tekst")
    with StateStore(tmp_path / "out", FP) as store:
        failed = DocumentResult(DocumentRow("a", "a.txt", status="error", error="tidsavbrudd"))
        store.put(failed, state.stamp(a.path))
        assert not store.plan([a]).items[0].todo
        item = store.plan([a], retry_failed=True).items[0]
        assert item.todo and item.previous_status == "error"


def test_quick_plan_reuses_hash_only_for_the_same_file(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    a = _source(tmp_path, "a.txt", "tekst en")
    st = a.path.stat()
    old = state.stamp(a.path)
    settled = dataclasses.replace(old, hashed_ns=st.st_ctime_ns + 2 * state.RACY_NS)
    calls: list[Path] = []
    real_stamp = state.stamp
    def counting_stamp(path: Path) -> FileStamp:
        calls.append(path)
        return real_stamp(path)

    monkeypatch.setattr(state, "stamp", counting_stamp)
    with StateStore(tmp_path / "out", FP) as store:
        store.put(full_result("a", "a.txt"), settled)
        assert store.plan([a]).items[0].status == "unchanged" and calls == []
        assert store.plan([a], quick=False).items[0].status == "unchanged" and len(calls) == 1
        store.put(full_result("a", "a.txt"), old)  # hashed in the tick it was written: racy
        store.plan([a])
        assert len(calls) == 2
        store.put(full_result("a", "a.txt"), settled)
        a.path.write_text("tekst to", encoding="utf-8")  # same size, and the old mtime put back
        os.utime(a.path, ns=(st.st_atime_ns, st.st_mtime_ns))
        assert store.plan([a]).items[0].status == "changed" and len(calls) == 3


def test_results_stream_in_the_given_order(tmp_path: Path) -> None:
    with StateStore(tmp_path, FP) as store:
        for doc_id in ("b", "a", "c"):
            store.put(full_result(doc_id), FileStamp("h"))
        assert [r.document.doc_id for r in store.results(["c", "a", "b"])] == ["c", "a", "b"]
        assert store.doc_ids() == ["a", "b", "c"] and len(store) == 3
        assert store.statuses() == {"a": "ok", "b": "ok", "c": "ok"}
        with pytest.raises(StateError, match="no stored result for 'x'"):
            list(store.results(["a", "x"]))


def test_export_is_current_until_a_result_changes(tmp_path: Path) -> None:
    with StateStore(tmp_path, FP) as store:
        store.put(full_result("a"), FileStamp("h"))
        assert not store.is_exported("xlsx")
        store.mark_exported("xlsx")
        assert store.is_exported("xlsx") and not store.is_exported("csv")
        store.remove([])
        assert store.is_exported("xlsx")
        store.put(full_result("b"), FileStamp("h"))
        assert not store.is_exported("xlsx")


def test_second_run_on_the_same_folder_is_refused(tmp_path: Path) -> None:
    with StateStore(tmp_path, FP):
        message = f"another minutes run is writing to {re.escape(str(tmp_path))}.*process {os.getpid()}"
        with pytest.raises(StateError, match=message):
            StateStore(tmp_path, FP).open()
    with StateStore(tmp_path, FP):  # released on exit
        pass


def test_unreadable_state_says_what_to_do(tmp_path: Path) -> None:
    (tmp_path / ".state").mkdir()
    (tmp_path / ".state" / "state.sqlite").write_bytes(b"not a database at all" * 100)
    with pytest.raises(StateError, match="delete .*start afresh"):
        StateStore(tmp_path, FP).open()
    with pytest.raises(StateError, match="delete"):  # and the lock was let go
        StateStore(tmp_path, FP).open()


def test_newer_state_format_is_refused(tmp_path: Path) -> None:
    with StateStore(tmp_path, FP):
        pass
    with sqlite3.connect(tmp_path / ".state" / "state.sqlite") as db:
        db.execute("UPDATE meta SET value='99' WHERE key='schema'")
    with pytest.raises(StateError, match="state format 99"):
        StateStore(tmp_path, FP).open()


def test_kill_9_loses_no_committed_result(tmp_path: Path) -> None:
    script = textwrap.dedent(f"""
        import os, signal
        from pathlib import Path
        from pipeline.state import FileStamp, StateStore
        from tests.test_state import full_result
        store = StateStore(Path({str(tmp_path)!r}), {FP!r})
        store.open()
        for n in range(3):
            store.put(full_result(f"d{{n}}"), FileStamp(f"h{{n}}", n))
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run([sys.executable, "-c", script], cwd=REPO, env=env, capture_output=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()
    with StateStore(tmp_path, FP) as store:  # the dead run's lock went with it
        assert [r.document.doc_id for r in store.results(["d0", "d1", "d2"])] == ["d0", "d1", "d2"]
        assert store.get("d2") == full_result("d2")


def test_prepare_keeps_the_stamps_for_put_and_counts_like_plan(tmp_path: Path) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    a, b, c = (_source(inputs, f"{n}.txt", f"tekst {n}") for n in "abc")
    with StateStore(out, FP) as store:
        _put(store, a)
        _put(store, c)
    (inputs / "c.txt").unlink()
    with StateStore(out, FP) as store:
        counts, todo, removed = store.prepare([a, b])
        assert counts == store.plan([a, b]).counts() == {"new": 1, "changed": 0, "outdated": 0, "unchanged": 1,
                                                          "removed": 1}
        assert todo == {"b"} and removed == ("c",)
        store.put(full_result("b", "b.txt"))  # no stamp given: the one prepare() took of b.txt
        with pytest.raises(state.StateError, match="no file stamp"):
            store.put(full_result("b", "b.txt"))  # taken once
        store.remove(removed)
    with StateStore(out, FP) as store:  # b's stamp was stored with its result: nothing left to do
        assert store.prepare([a, b]) == ({"new": 0, "changed": 0, "outdated": 0, "unchanged": 2, "removed": 0},
                                         set(), ())
