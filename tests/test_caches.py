"""What is computed once per text and reused (the speed of the bench): the result is the same as
computing it anew, also for a text seen in an earlier document, and each cache stays bounded.

* the spaCy docs of block texts (extractors.context.parse)
* the block a line's text is (pipeline.sections.classify), and a line split where labels run in
* the theme keywords of a text (extractors.nlp.theme_hits), and the names in a line that give no
  theme (extractors.topics: its patterns only run on lines that can hold such a name)
"""
from __future__ import annotations

import gc

from extractors import context
from extractors.nlp import nlp, theme_hits
from pipeline import sections
from pipeline.cases import case_series
from pipeline.models import Line
from tests.helpers import analyse_text


def _reading(doc: object) -> tuple[object, ...]:
    return ([t.text for t in doc], [(e.start, e.end, e.ent_id_) for e in doc.ents],  # type: ignore[attr-defined]
            [(s.start, s.end) for s in doc.spans.get("persons", [])])  # type: ignore[attr-defined]


def test_a_repeated_text_reads_as_a_fresh_parse() -> None:
    texts = ["Til stede: Kari Nordmann, Asker kommune", "Vedtak:", "Til stede: Kari Nordmann, Asker kommune"]
    first = context.parse(texts)
    again = context.parse(["Vedtak:", texts[0]])  # both seen before
    assert [_reading(d) for d in first] == [_reading(nlp()(t)) for t in texts]
    assert [_reading(d) for d in again] == [_reading(nlp()(t)) for t in ("Vedtak:", texts[0])]
    assert _reading(first[0])[2] == [(3, 5)]  # "Kari Nordmann" after "Til stede:": the name was found


def test_the_cache_keeps_the_newest_texts_only() -> None:
    texts = [f"Sak {n}/25 Budsjett for regionen" for n in range(context.PARSED_MAX + 50)]
    docs = context.parse(texts)
    assert [d.user_data["text"] for d in docs] == texts  # a document longer than the cache still gets every doc
    assert len(context._PARSED) == context.PARSED_MAX
    assert texts[-1] in context._PARSED and texts[0] not in context._PARSED


def test_a_repeated_line_is_the_same_block_at_its_own_place() -> None:
    sections._classified.cache_clear()
    first = sections.classify(Line(1, 4, "Vedtak: Saken tas til orientering."))
    again = sections.classify(Line(3, 17, "Vedtak: Saken tas til orientering."))
    assert (first.kind, first.page, first.line, first.rest) == ("label", 1, 4, "Saken tas til orientering.")
    assert (again.page, again.line) == (3, 17)
    assert again == sections.Block(**{**first.__dict__, "page": 3, "line": 17})
    assert sections._classified.cache_info().hits == 1


def test_a_repeated_run_in_line_splits_the_same_at_its_own_place() -> None:
    text = "Saksliste 12/25 Godkjenning av møtebok 13/25 Budsjett 2026 14/25 Eventuelt"
    series = case_series([text])
    first = sections.split_run_in(Line(1, 2, text), series)
    again = sections.split_run_in(Line(2, 9, text), series)
    assert [x.text for x in again] == [x.text for x in first] == ["Saksliste", "12/25 Godkjenning av møtebok",
                                                                  "13/25 Budsjett 2026", "14/25 Eventuelt"]
    assert {(x.page, x.number) for x in again} == {(2, 9)}
    assert sections.split_run_in(Line(2, 9, text)) == [Line(2, 9, text)]  # no series: no case numbers to cut at


def test_theme_hits_of_a_repeated_text_are_a_list_of_its_own() -> None:
    text = "Kommuneøkonomi og kraft til Rv4"
    first = theme_hits(text)
    first.clear()  # a caller may change what it got: the next caller still gets every hit
    assert [(t, w) for t, w, _ in theme_hits(text)] == [("kommuneokonomi", "Kommuneøkonomi"), ("energi", "kraft"),
                                                         ("samferdsel", "Rv4")]


def test_a_label_in_capitals_without_a_colon_still_splits_a_line() -> None:
    """The pattern of run-in labels only looks at lines with a colon or a decision label in capitals."""
    forms = sorted({p.upper() for p, e in sections.labels().items() if e.category == "decision" and len(p) > 3})
    for form in forms:
        text = f"Saken ble drøftet i møtet i dag. {form} Møteboka godkjennes."
        assert ":" not in text and sections._may_run_in(text)
        assert any(m.start() > 0 for m in sections._run_in_re().finditer(text)), form
        assert len(sections.split_run_in(Line(1, 1, text))) >= 2, form
    assert not sections._may_run_in("Saken ble drøftet, og vedtaket ble som innstillingen i saken.")


def test_a_web_address_without_a_scheme_or_at_sign_gives_no_theme() -> None:
    themes = [{t.theme for t in analyse_text(f"Notat\n\nSe {where} for mer.\n").topics}
              for where in ("www.kraftverk.example.no", "kraftverk")]
    assert themes == [set(), {"energi"}]


def test_theme_hits_are_in_text_order_with_or_without_a_phrase() -> None:
    """Word hits need no sorting (text order, a word's themes sorted); phrase hits are merged in."""
    words_only, with_phrase = "Næringstransport og kraft", "Kraft langs Rv4 og næringstransport"
    for text in (words_only, with_phrase):
        hits = theme_hits(text)
        assert hits == sorted(set(hits), key=lambda h: (h[2], h[0]))
    assert [(t, w) for t, w, _ in theme_hits(words_only)] == [
        ("naering", "Næringstransport"), ("samferdsel", "Næringstransport"), ("energi", "kraft")]
    assert [t for t, _, _ in theme_hits(with_phrase)] == ["energi", "samferdsel", "naering", "samferdsel"]


def test_documents_parsed_in_threads_at_once_share_the_cache_safely(monkeypatch) -> None:
    """A Dask worker runs documents in threads of one process: each takes its texts out of the cache
    and puts them back, and evicts the oldest, at the same time as the others (a small cache and
    rapid thread switches make the interleavings frequent)."""
    import sys
    import threading

    monkeypatch.setattr(context, "PARSED_MAX", 3)
    monkeypatch.setattr(context, "_PARSED", {})
    texts = [f"Sak {n}/25" for n in range(6)]
    errors: list[BaseException] = []

    def work(k: int) -> None:
        try:
            for i in range(400):
                got = context.parse([texts[(k + i) % 6], texts[(k + i + 1) % 6], texts[(k + 2 * i) % 6]])
                assert [d.user_data["text"] for d in got] == [texts[(k + i) % 6], texts[(k + i + 1) % 6],
                                                               texts[(k + 2 * i) % 6]]
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=work, args=(k,)) for k in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
    assert not errors, errors[:3]
    assert len(context._PARSED) <= 3


def test_the_line_cache_leaves_the_garbage_collectors_watch() -> None:
    """A worker keeps thousands of classified lines: as plain tuples of strings (not Blocks) the
    collector stops walking them once it has seen them, instead of at every collection."""
    sections._classified.cache_clear()
    texts = ["Saken ble drøftet i møtet.", "Sak 12/25 Budsjett for regionen", "Navn\tParti\tKommune"]
    for text in texts:
        sections.classify(Line(1, 1, text))
    gc.collect()
    gc.collect()  # a tuple leaves once the tuples inside it (a row's cells) have
    assert [gc.is_tracked(sections._classified(text, "")) for text in texts] == [False, False, False]
