"""Properties of every normaliser (issue 7), checked by hypothesis on at least 500 examples each:

* it never raises, whatever Unicode string (or lines) it is given;
* it is idempotent: ``f(f(x)) == f(x)``;
* it leaves correct Norwegian text alone.

Character fixers are tried on any text and on text made of the characters they act on; line
fixers and :func:`normalise_pages` on lines and pages made of such text and of lines that look
like page furniture, hyphenated words and broken sentences.
"""
from __future__ import annotations

from dataclasses import fields
from itertools import groupby

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.models import Line, Page
from pipeline.normalise import CHAR_FIXERS, LINE_FIXERS, NormaliseConfig, normalise_pages, normalise_text

PROPERTY = settings(max_examples=500, deadline=None)

#: Characters the fixers act on, and the letters, digits and punctuation around them.
TRICKY = (
    "\r\n\f\t\v\x00\x07\x1b\x1c\x1f\x7f\x85\x9f\u00ad\u00a0\u2009\u202f\u3000\u200b\u200d\u2060\ufeff\u2028\u2029"
    "\ufffe\uffff\ufb00\ufb01\ufb02\ufb03\ufb04\ufb05\u0132\u0133\uf0b7\uf0a7\u030a\u0301\u0308\u0338"
    "aeoåøæÅØÆ AZ az09-–—.:;!?»\"”)(•*o"
)
tricky_text = st.text(alphabet=TRICKY, max_size=80)
any_text = st.one_of(st.text(), tricky_text)

WORDS = (
    "møte", "møtet", "regionrådet", "kommunestyret", "fylkeskommunen", "ordfører", "særlig", "økonomi",
    "næringsutvikling", "vedtak", "saken", "tas", "til", "orientering", "og", "i", "på", "for", "med", "å",
    "være", "også", "følge", "opp", "planen", "år", "ønsker", "søknad", "tilskudd", "høring", "utvalget",
    "Hallingdal", "Ålesund", "Tromsø", "Bodø", "Sør-Trøndelag", "Øyer", "Ærlig", "fjord", "bygd", "skole",
    "2024", "19.", "november", "kl.", "12", "NOK", "3,5", "mill.", "kroner", "ble", "enstemmig", "vedtatt",
)
PUNCTUATION = (".", "!", "?", ".", ":")


#: Some words also with a comma after them (one draw per word keeps the strategy fast).
WORD_CHOICES = WORDS + tuple(w + "," for w in WORDS[:20])


@st.composite
def sentences(draw: st.DrawFn) -> str:
    """A sentence: ordinary words (some with a comma), the first capitalised, a full stop."""
    text = " ".join(draw(st.lists(st.sampled_from(WORD_CHOICES), min_size=3, max_size=12))).rstrip(",")
    return text[0].upper() + text[1:] + draw(st.sampled_from(PUNCTUATION))


@st.composite
def norwegian_text(draw: st.DrawFn) -> str:
    """Paragraphs of one to three sentences, each sentence on its own line, one blank line between."""
    paragraphs = draw(st.lists(st.lists(sentences(), min_size=1, max_size=3), min_size=1, max_size=4))
    return "\n\n".join("\n".join(p) for p in paragraphs)


#: Lines that look like what the line fixers act on.
LINE_POOL = (
    "", "", "1", "2", "3", "4", "12", "Side 2 av 4", "side 3", "- 5 -",
    "Møteprotokoll Formannskapet 12.02.2026", "Møteprotokoll Formannskapet 13.02.2026",
    "vedtatt i kommune-", "styret i dag", "samfunns-", "og arealplan",
    "Nord-", "Trøndelag", "1. Fylkesrådet godkjenner det som fremkommer i", "vedlegget.", "2. Neste punkt",
    "• Kraft og nett", "Vedtak:", "saken utsettes", "Regionrådet ber administrasjonen om å følge opp og",
    "legge saken fram på nytt.", "o er underlagt", "Sak 12/24 Budsjett", "a-", "og-", "b", "Til stede:\tKari",
)
line_text = st.one_of(st.sampled_from(LINE_POOL), st.text(alphabet=TRICKY.replace("\n", ""), max_size=40))
page_texts = st.lists(st.lists(line_text, max_size=12).map("\n".join), min_size=1, max_size=4)


def to_lines(pages: list[str]) -> list[Line]:
    """Pages of text as the lines a line fixer sees (1-based page and line numbers)."""
    return [Line(page, number, text)
            for page, page_text in enumerate(pages, start=1)
            for number, text in enumerate(page_text.split("\n"), start=1)]


def as_pages(lines: list[Line]) -> list[Page]:
    """Normalised lines back to pages, in their order, to normalise them again (a form feed inside
    a page gives numbers that the next page also has, so lines are grouped, not sorted, by page)."""
    groups = groupby(lines, key=lambda line: line.page)
    return [Page(number, "\n".join(line.text for line in group)) for number, group in groups]


def texts(lines: list[Line]) -> list[str]:
    return [line.text for line in lines]


CHAR_NAMES = [f.__name__ for f in CHAR_FIXERS]
LINE_NAMES = [f.__name__ for f in LINE_FIXERS]

# Each example is checked against every fixer (the assertion names the fixer): 500 examples per
# property and fixer, one generation of examples per property.


# --------------------------------------------------------------------------- character fixers


@PROPERTY
@given(text=any_text)
def test_char_fixers_never_raise_and_are_idempotent(text: str) -> None:
    for fixer in CHAR_FIXERS:
        once = fixer(text)
        assert isinstance(once, str), fixer.__name__
        assert fixer(once) == once, fixer.__name__


@PROPERTY
@given(text=norwegian_text())
def test_char_fixers_leave_norwegian_text_alone(text: str) -> None:
    for fixer in CHAR_FIXERS:
        assert fixer(text) == text, fixer.__name__


@PROPERTY
@given(text=any_text)
def test_all_char_fixers_together_are_idempotent(text: str) -> None:
    once = normalise_text(text)
    assert normalise_text(once) == once


# --------------------------------------------------------------------------- line fixers


@PROPERTY
@given(pages=page_texts)
def test_line_fixers_never_raise_and_are_idempotent(pages: list[str]) -> None:
    for fixer in LINE_FIXERS:
        once = fixer(to_lines(pages))
        assert all(isinstance(line, Line) for line in once), fixer.__name__
        assert fixer(once) == once, fixer.__name__


@PROPERTY
@given(pages=st.lists(any_text, min_size=1, max_size=3))
def test_line_fixers_never_raise_on_any_text(pages: list[str]) -> None:
    for fixer in LINE_FIXERS:
        fixer(to_lines(pages))


@PROPERTY
@given(text=norwegian_text())
def test_line_fixers_leave_norwegian_text_alone(text: str) -> None:
    lines = to_lines([text])
    for fixer in LINE_FIXERS:
        assert fixer(lines) == lines, fixer.__name__


def test_the_properties_cover_every_fixer() -> None:
    assert set(CHAR_NAMES + LINE_NAMES) == {f.name for f in fields(NormaliseConfig)}


# --------------------------------------------------------------------------- the whole pass


@PROPERTY
@given(pages=st.one_of(st.lists(any_text, min_size=1, max_size=3), page_texts))
def test_normalise_pages_never_raises_and_is_idempotent(pages: list[str]) -> None:
    once = normalise_pages([Page(n, t) for n, t in enumerate(pages, start=1)])
    assert texts(normalise_pages(as_pages(once))) == texts(once)


@PROPERTY
@given(text=norwegian_text())
def test_normalise_pages_leaves_norwegian_text_alone(text: str) -> None:
    assert "\n".join(texts(normalise_pages([Page(1, text)]))) == text
