"""What a line must end with to match a rule's patterns, read from the patterns themselves: a
cheap test before a search that every line of a document would otherwise pay for.

A pattern anchored at the line's end (``…\\s+vedtak\\s*:?\\s*$``, ``…forslag\\b[^:]{0,80}:\\s*$``)
matches only a line that ends with its last word (case-insensitively), then maybe a colon (or
surely, when the colon is not optional), then whitespace. When every pattern of a rule ends so, a
line that does not matches none of them; otherwise nothing is assumed.
"""
from __future__ import annotations

import re
from functools import cache

#: The end of a pattern's text: a plain word (not after a backslash or inside a class), maybe
#: ``\s*``, maybe ``:`` or ``:?``, then ``\s*$``.
_ENDING = re.compile(r"(?<![\\\[])(?P<word>[a-zæøå]*)(?:\\s\*)?(?P<colon>:\??)?\\s\*\$$")
#: What would make reading a pattern's top level by its brackets unsure: escaped brackets or bars,
#: brackets or bars in a character class.
_UNSURE = re.compile(r"\\[()|]|\[[^\]]*[()|]")
_GROUP = re.compile(r"\([^()]*\)")

LineEnd = tuple[str, bool]  # (the last word, "" for none; the colon must be there)


def _top_level(pattern: str) -> str:
    """The pattern without its (nested) groups."""
    while (shorter := _GROUP.sub("", pattern)) != pattern:
        pattern = shorter
    return pattern


def _end_of(pattern: str) -> LineEnd | None:
    m = _ENDING.search(pattern)
    if m is None or _UNSURE.search(pattern) or "|" in _top_level(pattern):
        return None  # not one alternative ending at the line's end, or not surely so
    return m.group("word"), m.group("colon") == ":"


def line_end(patterns: tuple[str, ...]) -> LineEnd | None:
    """The end every one of ``patterns`` requires, None when they do not share one.

    >>> line_end((r"\\b(?:slikt|dette)\\s+vedtak\\s*:?\\s*$",)), line_end((r"\\b(?:fremmet|la fram)\\b[^:]{0,60}:\\s*$",))
    (('vedtak', False), ('', True))
    >>> line_end((r"vedtak\\s*$", r"forslag:\\s*$")), line_end((r"a|vedtak\\s*$",)), line_end((r"vedtak",))
    (None, None, None)
    """
    ends = {_end_of(p) for p in patterns}
    return ends.pop() if len(ends) == 1 and None not in ends else None


def line_end_fits(text: str, end: LineEnd | None) -> bool:
    """``text`` ends as ``end`` requires (always, for None). ``str.rstrip`` strips what ``\\s`` matches.

    >>> [line_end_fits(t, ("vedtak", False)) for t in ("med slikt VEDTAK: ", "med slikt vedtak", "vedtaket:")]
    [True, True, False]
    >>> [line_end_fits(t, ("", True)) for t in ("fremmet forslag:", "fremmet forslag")]
    [True, False]
    """
    if end is None:
        return True
    word, colon = end
    text = text.rstrip()
    if text.endswith(":"):
        text = text[:-1].rstrip()
    elif colon:
        return False
    # the word as the pattern matches it (re's case-insensitive letters, "K" for "k" too)
    return not word or len(text) >= len(word) and bool(_word_re(word).fullmatch(text[-len(word):]))


@cache
def _word_re(word: str) -> re.Pattern[str]:
    return re.compile(word, re.IGNORECASE)
