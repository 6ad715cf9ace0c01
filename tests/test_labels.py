"""The workbook's labels (``pipeline/export/labels/<lang>.json``): one file per language, the same
keys in each, a header for every column of every table and a sheet name for every table."""
from __future__ import annotations

import json

import pytest

from pipeline.export.corrections import CorrectionRow
from pipeline.export.labels import FOLDER, LANGUAGES, labels
from pipeline.models import TABLES, MeetingRow, columns
from pipeline.summary import ReferenceRow

#: The columns of the ``runs`` table (the run row of :func:`pipeline.run.run`).
RUN_COLUMNS = ("started", "finished", "version", "inputs", "documents", "ok", "failed", "seconds", "workers")
ALL_TABLES = {**TABLES, "meetings": MeetingRow, "region_reference": ReferenceRow, "corrections": CorrectionRow}


def _keys(value: object, prefix: str = "") -> set[str]:
    if isinstance(value, dict):
        return {k for key, v in value.items() for k in _keys(v, f"{prefix}{key}.")} | {prefix.rstrip(".")} - {""}
    return {prefix.rstrip(".")}


def test_every_language_has_the_same_keys() -> None:
    files = {lang: json.loads((FOLDER / f"{lang}.json").read_text(encoding="utf-8")) for lang in LANGUAGES}
    assert sorted(p.stem for p in FOLDER.glob("*.json")) == sorted(LANGUAGES)
    first = _keys(files[LANGUAGES[0]])
    for lang, data in files.items():
        assert _keys(data) == first, f"{lang}.json differs: {sorted(_keys(data) ^ first)}"
        leaves = [v for group in data.values() for v in group.values()]
        leaves = [x for v in leaves for x in (v.values() if isinstance(v, dict) else [v])]  # values: by group
        assert all(isinstance(v, str) and v.strip() for v in leaves), lang


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_table_and_column_has_a_label(lang: str) -> None:
    names = labels(lang)
    for table, row_class in ALL_TABLES.items():
        assert table in names.sheets, f"{lang}: no sheet name for {table}"
        missing = [c for c in columns(row_class) if c not in names.headers]
        assert not missing, f"{lang}: no header for {table}.{missing}"
    assert "runs" in names.sheets and all(c in names.headers for c in RUN_COLUMNS)


def test_the_theme_labels_cover_the_themes() -> None:
    from pipeline.reference import themes

    ids = {row["id"] for row in themes()}
    for lang in LANGUAGES:
        assert ids <= labels(lang).themes.keys(), f"{lang}: {sorted(ids - labels(lang).themes.keys())}"


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown language"):
        labels("se")


def _outcomes() -> set[str]:
    """Every outcome the extractor writes: its phrase outcomes and those it assigns in code."""
    import re

    import extractors.outcomes as outcomes

    source = open(outcomes.__file__, encoding="utf-8").read()
    return {name for name, _ in outcomes.PHRASES} | set(re.findall(r'outcome = "([^"]+)"', source))


def _ids() -> dict[str, set[str]]:
    """Each group of coded values -> every id the pipeline writes in it."""
    from extractors.votes import SIDES
    from pipeline.export.corrections import OUTCOMES
    from pipeline.models import ATTENDANCE, DECISION_KINDS, DECISION_STATUSES, DOC_TYPES
    from pipeline.reference import regions

    return {"doc_type": set(DOC_TYPES), "status": {"ok", "error", *DECISION_STATUSES}, "kind": set(DECISION_KINDS),
            "outcome": _outcomes(), "attendance": set(ATTENDANCE), "vote": set(SIDES.values()),
            "region_kind": {r.kind for r in regions().values()}, "text_source": {"text", "ocr", "text+ocr"},
            "language": {"nb", "nn"}, "correction": set(OUTCOMES)}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_id_has_a_label_in_each_language(lang: str) -> None:
    """Issue 17 item 3: every doc type, status, kind, outcome, attendance, vote, region kind, theme
    and check id has a label in each language's file, and no label is left over."""
    from extractors.checks import CHECKS
    from pipeline.reference import themes

    names = labels(lang)
    assert len(_outcomes()) >= 8
    for group, ids in _ids().items():
        assert set(names.values[group]) == ids, f"{lang}: {group}"
    assert set(names.themes) == {row["id"] for row in themes()}
    assert set(names.checks) == set(CHECKS)


def test_the_languages_differ_where_the_words_do() -> None:
    """A label that reads the same in both languages is a word of both ("for", "blank"), never a
    Norwegian one left in the English file or the reverse."""
    nb, en = labels("nb"), labels("en")
    same = {(g, k) for g in nb.values for k in nb.values[g] if nb.values[g][k] == en.values[g][k]}
    assert same <= {("vote", "for")}, same
    assert not {k for k in nb.checks if nb.checks[k] == en.checks[k]}
    assert nb.text["no_region"] != en.text["no_region"] and (nb.text["yes"], en.text["yes"]) == ("Ja", "Yes")


@pytest.mark.parametrize("kind", ["errors", "corrections"])
def test_every_message_pattern_has_a_message_in_each_language(kind: str) -> None:
    """The readers' messages (errors.jsonl) and the hand corrections' (corrections.jsonl)."""
    import re
    import string

    from pipeline.export.labels import correction_patterns, error_patterns

    patterns = error_patterns() if kind == "errors" else correction_patterns()
    for lang in LANGUAGES:
        templates = getattr(labels(lang), kind)
        assert {key for key, _ in patterns} == set(templates), lang
        for key, pattern in patterns:
            fields = {f for _, f, _, _ in string.Formatter().parse(templates[key]) if f}
            assert fields <= set(pattern.groupindex), (lang, key)
            assert not re.search(r"\{|\}", templates[key].format(**{f: "x" for f in pattern.groupindex}))


def test_the_readers_messages_read_in_norwegian(tmp_path) -> None:
    """Each message the readers give for the broken inputs of tests/fixtures/bad (and the ones
    made here) has a Norwegian form; the English workbook shows it as the reader wrote it."""
    from pipeline.errors import DocumentError
    from pipeline.readers import read_document
    from tests.conftest import REPO

    made = {"x.doc": b"\xd0\xcf\x11\xe0", "x.odt": b"PK", "noext": b"x"}
    for name, data in made.items():
        (tmp_path / name).write_bytes(data)
    paths = sorted((REPO / "tests" / "fixtures" / "bad").iterdir()) + [tmp_path / n for n in made]
    messages = []
    for path in paths:
        try:
            read_document(path)
        except DocumentError as exc:
            messages.append(str(exc))
    assert len(messages) >= 10
    for message in messages:
        assert labels("nb").error(message) != message, message
        assert labels("en").error(message) == message, message


def test_the_runs_own_messages_read_in_norwegian(tmp_path) -> None:
    """A crashed or overrunning reader and a link out of the inputs: their rows' messages too."""
    import signal

    from pipeline.discover import LINK_OUTSIDE
    from pipeline.models import SourceFile
    from pipeline.workers import crashed, overran

    task = (SourceFile(str(tmp_path / "a.pdf"), "a.pdf", "a"), False, 5.0)
    messages = [crashed(task, -signal.SIGKILL).document.error, crashed(task, -signal.SIGTERM).document.error,
                crashed(task, 3).document.error, overran(task, 5.0).document.error, LINK_OUTSIDE]
    for message in messages:
        assert labels("nb").error(message) != message, message
        assert labels("en").error(message) == message, message
