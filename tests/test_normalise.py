"""Each normaliser on its cases (tests/cases/normalise.json), plus the whole pass on pages."""
from __future__ import annotations

import pytest

from pipeline import normalise
from pipeline.models import Line, Page
from tests.conftest import cases

CASES = cases("normalise")


@pytest.mark.parametrize("case", CASES, ids=[c["label"] for c in CASES])
def test_fixer(case: dict) -> None:
    fixer = getattr(normalise, case["fixer"])
    if fixer in normalise.LINE_FIXERS:
        lines = [Line(1, i, t) for i, t in enumerate(case["original"].split("\n"), 1)]
        got = "\n".join(line.text for line in fixer(lines))
    else:
        got = fixer(case["original"])
    assert got == case["expected"]


def test_every_fixer_has_a_case() -> None:
    covered = {c["fixer"] for c in CASES}
    for fixer in normalise.CHAR_FIXERS + normalise.LINE_FIXERS:
        assert fixer.__name__ in covered, fixer.__name__


def test_page_numbers_and_running_headers_across_pdf_pages() -> None:
    body = ["Saken gjelder budsjett.", "Formannskapet drøftet saken.", "Vedtaket var enstemmig."]
    pages = [Page(n, f"Møteprotokoll Formannskapet 12.02.2026\n{body[n - 1]}\n{n}") for n in (1, 2, 3)]
    text = [line.text for line in normalise.normalise_pages(pages)]
    assert text == body


def test_lines_keep_their_page_and_original_line_number() -> None:
    lines = normalise.normalise_pages([Page(1, "a"), Page(2, "\n\nVedtak:\nGodkjent.")])
    assert [(line.page, line.number, line.text) for line in lines if line.text] == [
        (1, 1, "a"), (2, 3, "Vedtak:"), (2, 4, "Godkjent.")]


def test_form_feed_starts_a_new_page() -> None:
    lines = normalise.normalise_pages([Page(1, "første\fandre")])
    assert [(line.page, line.text) for line in lines] == [(1, "første"), (2, "andre")]


def test_config_turns_a_fixer_off() -> None:
    config = normalise.NormaliseConfig(fix_spaces=False)
    assert normalise.normalise_text("a\u00a0b", config) == "a\u00a0b"


def test_explain_names_the_rule_and_place() -> None:
    changes = normalise.explain([Page(1, "Til\u00a0stede\nvedtatt i kommune-\nstyret")])
    rules = {(c.rule, c.line) for c in changes}
    assert ("fix_spaces", 1) in rules
    assert any(c.rule == "join_hyphenated_lines" and "kommunestyret" in c.after for c in changes)


def _each_fixer(text: str) -> str:
    for fixer in normalise.CHAR_FIXERS:
        text = fixer(text)
    return text


def test_plain_pages_skip_only_fixers_that_would_change_nothing() -> None:
    """normalise_text skips six fixers on a page without the characters they act on: each such
    character, alone or in words, gives what the fixers one by one give."""
    chars = "\r\u2028\u2029\u00ad\u00a0\u2003\u202f\u200b\ufeff\uf0b7\x00\x0b\x1f\x85\ufffe" + "".join(normalise.LIGATURES)
    for ch in chars:
        for text in (ch, f"Vedtak{ch} fattet \n{ch}ﬁnans  \n", f"a\u030a og {ch}\n"):
            assert normalise.normalise_text(text) == _each_fixer(text), repr(ch)
    for fixer in normalise.CHAR_FIXERS:
        if fixer in normalise._ON_THEIR_CHARS:
            assert fixer("Møtet ble holdt.  \nSak 1/25 a\u030a\t") == "Møtet ble holdt.  \nSak 1/25 a\u030a\t"


@pytest.mark.parametrize("marker", ["Side 2 av 3", "ſide 2 av 3", "PAGE 3 of 4", "  sida 1  ", "Page\u00a02"])
def test_explicit_page_markers_in_any_case_go(marker: str) -> None:
    """The marker's first letter is looked at before the pattern: every case the pattern takes (ſ is an s)."""
    lines = normalise._to_lines(f"Tekst\n{marker}\nMer tekst")
    assert normalise._text(normalise.remove_page_furniture(lines)) == "Tekst\nMer tekst"
