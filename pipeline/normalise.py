"""Normalisation: make extracted text clean without changing what it says.

Two kinds of small pure functions, each named for what it does and each with a
flag in :class:`NormaliseConfig`:

* character fixers, ``str -> str``, applied to each page's text (``CHAR_FIXERS``);
* line fixers, ``list[Line] -> list[Line]``, which see line structure and keep each
  line's page and original line number for provenance (``LINE_FIXERS``).

:func:`normalise_pages` runs both registries in order; :func:`explain` replays
them and reports what each one changed. OCR repair proper lives in ``repair.py``.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields

from pipeline.furniture import across_pages, line_shape
from pipeline.models import Change, Line, Page

# --------------------------------------------------------------------------- characters

LIGATURES = {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st", "Ĳ": "IJ", "ĳ": "ij"}
_LIGATURE_RE = re.compile("|".join(LIGATURES))
# Space-like characters that are not a plain space: NBSP, narrow NBSP, figure space, the U+2000 block,
# ideographic space, and the zero-width ones (removed rather than turned into a space).
_ODD_SPACES = "\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_ZERO_WIDTHS = "\u200b\u200c\u200d\u2060\ufeff"
_ODD_SPACE_RE = re.compile(f"[{_ODD_SPACES}]")
_ZERO_WIDTH_RE = re.compile(f"[{_ZERO_WIDTHS}]")
# Private-use glyphs that Word/LibreOffice PDFs use for list bullets (Symbol and Wingdings fonts).
PRIVATE_BULLETS = "\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf0a8\uf06e\uf0e0\uf02d\uf0be"
_PRIVATE_BULLET_RE = re.compile(f"[{PRIVATE_BULLETS}]")
# Control characters except tab and newline (and form feed, which separates pages in text files).
_CONTROLS = "\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffe\uffff"
_CONTROL_RE = re.compile(f"[{_CONTROLS}]")


def normalise_newlines(text: str) -> str:
    r"""Windows and old Mac line ends become ``\n``; a vertical tab or line separator too.

    >>> normalise_newlines("a\r\nb\rc\u2028d")
    'a\nb\nc\nd'
    """
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")


def unicode_nfc(text: str) -> str:
    """Compose decomposed letters (o + combining stroke is rare, a + ring is common in PDFs).

    >>> unicode_nfc("a\u030a") == "å"
    True
    """
    return unicodedata.normalize("NFC", text)


def fix_ligatures(text: str) -> str:
    """Typographic ligatures become their letters.

    >>> fix_ligatures("ﬁnansiering og ﬂyplass")
    'finansiering og flyplass'
    """
    return _LIGATURE_RE.sub(lambda m: LIGATURES[m.group()], text)


def remove_soft_hyphens(text: str) -> str:
    """Soft hyphens (U+00AD) are invisible break hints; a soft hyphen at a line end joins the word.

    >>> remove_soft_hyphens("kommune\u00adstyret og fylkes\u00ad\\nkommunen")
    'kommunestyret og fylkeskommunen'
    """
    text = re.sub("\u00ad[ \t]*\n[ \t]*", "", text)
    return text.replace("\u00ad", "")


def fix_spaces(text: str) -> str:
    """Non-breaking and other odd spaces become plain spaces; zero-width characters go.

    >>> fix_spaces("19.\u00a0november\u2009kl.\u200b 12")
    '19. november kl. 12'
    """
    return _ZERO_WIDTH_RE.sub("", _ODD_SPACE_RE.sub(" ", text))


def fix_private_bullets(text: str) -> str:
    """List bullets drawn from the Symbol/Wingdings private-use area become a real bullet.

    >>> fix_private_bullets("\uf0b7 Kraft og nett")
    '• Kraft og nett'
    """
    return _PRIVATE_BULLET_RE.sub("•", text)


def remove_control_chars(text: str) -> str:
    r"""Control characters (other than tab, newline and form feed) are removed.

    >>> remove_control_chars("Vedtak\x00:\x0b ok\x1f")
    'Vedtak: ok'
    """
    return _CONTROL_RE.sub("", text)


def strip_trailing_spaces(text: str) -> str:
    """Spaces at line ends carry nothing.

    >>> strip_trailing_spaces("Vedtak:  \\nGodkjent. ")
    'Vedtak:\\nGodkjent.'
    """
    return "\n".join(line.rstrip(" \t") for line in text.split("\n"))  # as re.sub(r"[ \t]+(?=\n|$)", "", text)


# --------------------------------------------------------------------------- lines

_EXPLICIT_PAGE_RE = re.compile(r"^\s*(?:side|sida|page)\s+\d{1,4}(?:\s*(?:av|/|of)\s*\d{1,4})?\s*$", re.IGNORECASE)
_BULLET_RE = re.compile(r"^\s*(?:[•●▪■◦‣➢➤►▶∙·*–-]|o(?=\s))\s+")
_NUMBERED_RE = re.compile(r"^\s*(?:\d{1,2}|[a-zæøå])[.)]\s+")
_CONJUNCTIONS = frozenset({"og", "eller", "samt", "enn", "som", "til", "i", "med", "både"})
#: A line that ends in one of these words stops mid-sentence, whatever the next line starts with.
_OPEN_ENDINGS = frozenset({"og", "eller", "samt", "i", "for", "med", "til", "av", "på", "om", "fra", "frå", "ved", "mellom",
                           "at", "som", "den", "det", "de", "en", "et", "ei"})
_TERMINAL = ".:;!?»\"”)"


def is_list_item(text: str) -> bool:
    """A bulleted or numbered list line.

    >>> is_list_item("• Kraft"), is_list_item("2. Fylkesrådet gir"), is_list_item("o er underlagt"), is_list_item("om")
    (True, True, True, False)
    """
    return bool(_BULLET_RE.match(text) or _NUMBERED_RE.match(text))


def _to_lines(text: str, page: int = 1) -> list[Line]:
    return [Line(page, i, t) for i, t in enumerate(text.split("\n"), start=1)]


def _text(lines: Iterable[Line]) -> str:
    return "\n".join(line.text for line in lines)


def remove_page_furniture(lines: list[Line]) -> list[Line]:
    """Remove page numbers and running headers/footers.

    Across PDF pages: a line among the first or last three of a page that repeats (digits
    ignored) on most pages that have text, or that is a bare page number there. Within one text: explicit
    page markers ("Side 2 av 4") anywhere, bare numbers only when they run in sequence
    (a single lone "2" may be a list number and stays), and a line that repeats three or
    more times right beside such a marker.

    Repeated until nothing more goes (so a second call changes nothing): removing a header
    brings the next line to the page edge, removing a number can put two others in sequence.

    >>> _text(remove_page_furniture(_to_lines("Tekst\\nSide 2 av 3\\nMer tekst\\n2\\nmer")))
    'Tekst\\nMer tekst\\n2\\nmer'
    >>> _text(remove_page_furniture(_to_lines("1\\n\\n7\\n\\n8\\n\\n2")))
    '\\n\\n'
    """
    while True:
        kept = _remove_furniture_once(lines)
        if len(kept) == len(lines):
            return kept
        lines = kept


def _remove_furniture_once(lines: list[Line]) -> list[Line]:
    stripped = [line.text.strip() for line in lines]
    on_page: dict[int, list[int]] = {}  # page -> its lines with text (a blank page has no header)
    for i, line in enumerate(lines):
        if stripped[i]:
            on_page.setdefault(line.page, []).append(i)
    drop: set[int] = set()
    if len(on_page) >= 2:
        drop |= across_pages(lines, on_page)
    drop |= _furniture_within_text(lines, stripped)
    return [line for i, line in enumerate(lines) if i not in drop] if drop else lines


_HYPHEN_END_RE = re.compile(r"[a-zæøå]-$")


def _furniture_within_text(lines: list[Line], stripped: list[str]) -> set[int]:  # stripped: each line's text stripped
    # the marker's first letter (in any case: ſ is an s) before the pattern; on stripped text it matches alike
    drop = {i for i, text in enumerate(stripped) if text[:1] in "sSpPſ" and _EXPLICIT_PAGE_RE.match(text)}
    # a lone number has at most three characters once stripped: the length alone rules out most lines
    numbers = {i: n for i, text in enumerate(stripped) if len(text) <= 3 and (n := _lone_number(text)) is not None
               and _stands_alone(lines, i)}
    lone, values = list(numbers), list(numbers.values())
    for k, i in enumerate(lone):
        before = k > 0 and values[k - 1] == values[k] - 1
        after = k + 1 < len(lone) and values[k + 1] == values[k] + 1
        if before or after:
            drop.add(i)
    if drop:
        counts = Counter(line_shape(line.text) for line in lines if line.text.strip())
        for i in sorted(drop):
            for j in range(max(0, i - 2), min(len(lines), i + 3)):
                text = lines[j].text.strip()
                if j not in drop and text and counts[line_shape(text)] >= 3 and not is_list_item(text):
                    drop.add(j)
    return drop


def _lone_number(text: str) -> int | None:
    r"""The number a line holds alone (``\s`` also matches controls such as ``\x1f``, which int() refuses).

    >>> _lone_number(" 12 "), _lone_number("0\x1f"), _lone_number("12a")
    (12, 0, None)
    """
    digits = text.strip()  # as a full match of \s*(\d{1,3})\s*: strip() and \s, isdecimal() and \d take the same characters
    return int(digits) if 0 < len(digits) <= 3 and digits.isdecimal() else None


def _stands_alone(lines: list[Line], i: int) -> bool:
    prev_blank = i == 0 or not lines[i - 1].text.strip()
    next_blank = i + 1 >= len(lines) or not lines[i + 1].text.strip()
    return prev_blank and next_blank


def join_hyphenated_lines(lines: list[Line]) -> list[Line]:
    """Join a word hyphenated across a line end ("kommune-" + "styret"), but keep a hyphen before
    a conjunction ("samfunns-" + "og arealplan") or a capital ("Nord-" + "Trøndelag"), and after
    a conjunction ("og-" is no word part; joining it would hide the conjunction from a second pass).

    >>> _text(join_hyphenated_lines(_to_lines("vedtatt i kommune-\\nstyret i dag\\nsamfunns-\\nog areal")))
    'vedtatt i kommunestyret i dag\\nsamfunns-\\nog areal'
    >>> _text(join_hyphenated_lines(_to_lines("Nord-\\nTrøndelag")))
    'Nord-\\nTrøndelag'
    >>> _text(join_hyphenated_lines(_to_lines("kommune-\\nog-\\nvedtatt")))
    'kommune-\\nog-\\nvedtatt'
    """
    out: list[Line] = []
    for line in lines:
        prev = out[-1] if out else None
        if prev is not None and _HYPHEN_END_RE.search(prev.text) and not is_list_item(line.text) \
                and not _ends_in_conjunction(prev.text):
            m = re.match(r"([a-zæøå]+)(.*)$", line.text.lstrip())
            if m and m.group(1) not in _CONJUNCTIONS:
                out[-1] = Line(prev.page, prev.number, prev.text[:-1] + m.group(1) + m.group(2))
                continue
        out.append(line)
    return out if len(out) < len(lines) else lines  # each join drops a line; none: the lines as they came


def _ends_in_conjunction(text: str) -> bool:
    m = re.search(r"(?<!\w)(\w+)-$", text)
    return m is not None and m.group(1) in _CONJUNCTIONS


def reflow_broken_lines(lines: list[Line]) -> list[Line]:
    """Join a line that stops mid-sentence with its continuation, even across one or two blank
    lines (PDF extraction breaks numbered points like this). The continuation must start with a
    lower-case letter and not be a list item; the broken line must not end in punctuation.

    >>> _text(reflow_broken_lines(_to_lines("1. Fylkesrådet godkjenner det som fremkommer i\\n\\nvedlegget.\\n2. Neste")))
    '1. Fylkesrådet godkjenner det som fremkommer i vedlegget.\\n2. Neste'
    >>> _text(reflow_broken_lines(_to_lines("Vedtak:\\nsaken utsettes")))
    'Vedtak:\\nsaken utsettes'
    """
    out: list[Line] = []
    blanks: list[Line] = []
    for line in lines:
        text = line.text.strip()
        if not text:
            blanks.append(line)
            continue
        prev = out[-1] if out else None
        if prev is not None and len(blanks) <= 2 and _continues(prev.text, text):
            out[-1] = Line(prev.page, prev.number, prev.text.rstrip() + " " + text)
            blanks = []
            continue
        out.extend(blanks)
        blanks = []
        out.append(line)
    out.extend(blanks)
    return out if len(out) < len(lines) else lines  # each join drops a line; none: the lines as they came


def _continues(prev: str, nxt: str) -> bool:
    prev = prev.rstrip()
    # the last condition first: the cheapest, and false for most lines (all conditions must hold)
    if not (nxt[0].islower() or prev.rsplit(" ", 1)[-1] in _OPEN_ENDINGS):
        return False
    if not prev or prev[-1] in _TERMINAL or prev.endswith("**") or "\t" in prev or "\t" in nxt:
        return False
    return not (is_list_item(nxt) or len(prev) < 25 and not is_list_item(prev))


#: The longest line passed on: text exported without line breaks (a whole document on one line)
#: is cut into pieces of at most this many characters, at a sentence end where there is one, else
#: between words. Real lines are far shorter (the longest in the test corpora: some 600).
LONG_LINE = 10_000
#: A line with no sentence end to cut at (a list of names or a table flattened to one line) is cut
#: only past this length (spaCy analyses up to 1,000,000 characters): cutting it would split its
#: entries from the heading that says what they are.
LIST_LINE = 400_000
#: A sentence ends with a word (not a number: "2. Kari", "kl. 10") and the next begins with a capital.
_SENTENCE_END_RE = re.compile(r"(?<=[a-zæøåéü%)»”])[.!?](?=\s+[A-ZÆØÅ«\"])")


def split_long_lines(lines: list[Line]) -> list[Line]:
    """Cut a line longer than :data:`LONG_LINE` into pieces (each keeps the line's page and number)
    after the last sentence end that leaves a piece within the limit. A line with no sentence end
    in reach is kept whole up to :data:`LIST_LINE`, and past it cut after the last list separator
    (a comma or semicolon: a name of a long attendance list stays whole), else at the last space,
    else (no space at all) at the limit.

    >>> [len(x.text) for x in split_long_lines(_to_lines("Et vedtak. " * 1500))]
    [9998, 6501]
    >>> [len(x.text) for x in split_long_lines(_to_lines("ord " * 3000 + "x" * 12000))]
    [24000]
    >>> [len(x.text) for x in split_long_lines(_to_lines("ord " * 150_000))][:2]
    [399999, 200000]
    >>> [x.text[-12:] for x in split_long_lines(_to_lines("Kari Nordmann, " * 30_000))][:1]
    ['ri Nordmann,']
    """
    if all(len(line.text) <= LONG_LINE for line in lines):
        return lines
    out: list[Line] = []
    for line in lines:
        text = line.text
        while len(text) > LONG_LINE:
            window = text[:LONG_LINE + 1]
            ends = [m.end() for m in _SENTENCE_END_RE.finditer(window, LONG_LINE // 2)]
            if ends:
                cut = ends[-1]
            elif len(text) > LIST_LINE:
                window = text[:LIST_LINE + 1]
                separator = max(window.rfind(", ", LIST_LINE // 2), window.rfind("; ", LIST_LINE // 2))
                space = window.rfind(" ")
                cut = separator + 1 if separator > 0 else space if space > 0 else LIST_LINE
            else:
                break
            piece, text = text[:cut].rstrip(), text[cut:].lstrip()
            out.append(Line(line.page, line.number, piece))
        out.append(Line(line.page, line.number, text) if text is not line.text else line)
    return out


# --------------------------------------------------------------------------- registry


@dataclass(frozen=True)
class NormaliseConfig:
    """One flag per fixer, all on by default (``NormaliseConfig(reflow_broken_lines=False)``)."""

    normalise_newlines: bool = True
    fix_ligatures: bool = True
    remove_soft_hyphens: bool = True
    fix_spaces: bool = True
    fix_private_bullets: bool = True
    remove_control_chars: bool = True
    unicode_nfc: bool = True
    strip_trailing_spaces: bool = True
    remove_page_furniture: bool = True
    join_hyphenated_lines: bool = True
    reflow_broken_lines: bool = True
    split_long_lines: bool = True


# unicode_nfc runs after the fixers that remove characters: a letter and its combining mark that
# a control, zero-width or soft-hyphen character kept apart ("A\x1f\u0300") meet only then.
CHAR_FIXERS: tuple[Callable[[str], str], ...] = (
    normalise_newlines,
    fix_ligatures,
    remove_soft_hyphens,
    fix_spaces,
    fix_private_bullets,
    remove_control_chars,
    unicode_nfc,
    strip_trailing_spaces,
)
LINE_FIXERS: tuple[Callable[[list[Line]], list[Line]], ...] = (
    remove_page_furniture,
    join_hyphenated_lines,
    reflow_broken_lines,
    split_long_lines,
)
assert {f.__name__ for f in CHAR_FIXERS + LINE_FIXERS} == {f.name for f in fields(NormaliseConfig)}
#: Fixers that change only text holding one of the characters of _THEIR_CHARS_RE: a page without any
#: (most pages) passes them unchanged, so one scan for the characters stands in for their six.
_ON_THEIR_CHARS = frozenset({normalise_newlines, fix_ligatures, remove_soft_hyphens, fix_spaces, fix_private_bullets,
                             remove_control_chars})
_THEIR_CHARS_RE = re.compile(f"[\r\u2028\u2029{''.join(LIGATURES)}\u00ad{_ODD_SPACES}{_ZERO_WIDTHS}{PRIVATE_BULLETS}"
                             f"{_CONTROLS}]")


def normalise_text(text: str, config: NormaliseConfig = NormaliseConfig()) -> str:
    """All character fixers, in order, on one string.

    >>> normalise_text("Til\u00a0stede:\\r\\n\uf0b7 Kari")
    'Til stede:\\n• Kari'

    >>> normalise_text("A\\x1f\\u0300") == "\\u00c0"  # NFC after the control character is gone
    True
    """
    plain = not _THEIR_CHARS_RE.search(text)
    for fixer in CHAR_FIXERS:
        if getattr(config, fixer.__name__) and not (plain and fixer in _ON_THEIR_CHARS):
            text = fixer(text)
    return text


def normalise_pages(pages: Iterable[Page], config: NormaliseConfig = NormaliseConfig()) -> list[Line]:
    """The whole document: character fixers per page, then line fixers over all lines.

    Form feeds inside a page's text start a new page. Runs of blank lines are cut to one before
    and after each line fixer, so that each sees the blank lines the result will have, and the
    line fixers run again while they still change something (every change removes a line, so
    this ends): a joined line can bring a page number to a page edge. The result is a fixed point:
    normalising it again changes nothing.
    """
    lines: list[Line] = []
    for page in pages:
        for k, chunk in enumerate(page.text.split("\f")):
            lines.extend(_to_lines(normalise_text(chunk, config), page.number + k))
    lines = _trim_blank_runs(lines)
    while True:
        before = len(lines)
        for fixer in LINE_FIXERS:
            if getattr(config, fixer.__name__):
                fixed = fixer(lines)
                lines = lines if fixed is lines else _trim_blank_runs(fixed)  # the same list: trimmed already
        if len(lines) == before:
            return lines


def _trim_blank_runs(lines: list[Line]) -> list[Line]:
    """At most one blank line in a row, none at the start or end."""
    out: list[Line] = []
    blank = True  # the last line kept is blank, or none is kept
    for line in lines:
        text = line.text.strip()
        if text or not blank:
            out.append(line)
            blank = not text
    if out and blank:
        out.pop()
    return out


def explain(pages: Iterable[Page], config: NormaliseConfig = NormaliseConfig()) -> list[Change]:
    """Replay the fixers one at a time and report each changed line (slow; for ``minutes explain``)."""
    pages = list(pages)
    changes: list[Change] = []
    current = [Line(p.number, i, t) for p in pages for i, t in enumerate(p.text.split("\n"), 1)]
    for fixer in CHAR_FIXERS:
        if not getattr(config, fixer.__name__):
            continue
        after = [Line(line.page, line.number, fixer(line.text)) for line in current]
        changes += [Change(fixer.__name__, a.text, b.text, a.page, a.number) for a, b in zip(current, after) if a != b]
        current = after
    for line_fixer in LINE_FIXERS:
        if not getattr(config, line_fixer.__name__):
            continue
        after = line_fixer(current)
        changes += _line_diff(line_fixer.__name__, current, after)
        current = after
    return changes


def _line_diff(rule: str, before: list[Line], after: list[Line]) -> list[Change]:
    a, b = [line.text for line in before], [line.text for line in after]
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal":
            where = before[i1] if i1 < len(before) else before[-1]
            out.append(Change(rule, "\n".join(a[i1:i2]), "\n".join(b[j1:j2]), where.page, where.number))
    return out
