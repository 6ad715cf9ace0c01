"""The early out before the quote and proposal searches of the decisions extractor
(:mod:`extractors.line_end`): a line it turns away never matches the patterns."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from extractors import decisions
from extractors.line_end import line_end, line_end_fits
from pipeline.normalise import normalise_pages
from pipeline.readers import read_document
from pipeline.sections import segment
from tests.conftest import SHARED

RULES = [(decisions._QUOTE_INTROS, decisions._QUOTE_RE), (decisions._PROPOSAL_INTROS, decisions._PROPOSAL_RE)]


def test_the_rules_have_an_end_to_test() -> None:
    """Both rules end at the line's end today: without that the early out would do nothing."""
    assert line_end(decisions._QUOTE_INTROS) == ("vedtak", False)
    assert line_end(decisions._PROPOSAL_INTROS) == ("", True)


def test_a_pattern_not_surely_one_alternative_gives_no_end() -> None:
    assert line_end((r"(?:x|y)\s*$|vedtak\s*:?\s*$",)) is None  # "x" would match a line ending "x"
    assert line_end((r"slikt vedtak\s*:?\s*$|vedtak\s*:?\s*$",)) is None  # two alternatives: not read, so none
    assert line_end((r"[(|]vedtak\s*$",)) is None  # a bar in a class: the top level is not read surely


ENDINGS = st.sampled_from(["vedtak", "VEDTAK", "vedta\u212a", "vedtaK", "forslag", "framlegg", ":", " :", ": ", "\n", "\t:", ""])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["med slikt", "følgende", "fremmet", "la fram", "forslag", " ", ":", "x", "vedtak",
                                 "endringsforslag", "\u00a0", "Olav Hansen (Sp)"]), max_size=8), ENDINGS, ENDINGS)
def test_what_the_early_out_turns_away_never_matches(parts: list[str], end1: str, end2: str) -> None:
    text = " ".join(parts) + end1 + end2
    for patterns, regex in RULES:
        if not line_end_fits(text, line_end(patterns)):
            assert regex.search(text) is None, (text, regex.pattern)


def test_no_line_of_the_real_corpus_is_turned_away_wrongly() -> None:
    lines = 0
    for path in sorted((SHARED / "corpus" / "real" / "raw").iterdir())[:15]:
        try:
            pages = read_document(path).pages
        except Exception:  # noqa: BLE001 - a file the reader refuses has no lines to test
            continue
        for b in segment(normalise_pages(pages)):
            for patterns, regex in RULES:
                if regex.search(b.raw.strip()):
                    lines += 1
                    assert line_end_fits(b.raw.strip(), line_end(patterns)), b.raw
    assert lines > 0  # the corpus holds quoted decisions and proposals
