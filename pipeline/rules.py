"""Vocabulary files under ``pipeline/resources``: one JSON object a line with ``id`` (the kind of
rule), ``pattern`` (a phrase, or a regular expression when ``regex`` is true) and an optional
``note``. Phrases match case-insensitively with any whitespace between their words."""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import cache
from importlib import resources


@cache
def entries(filename: str) -> tuple[dict, ...]:
    """The rules of a file as written."""
    text = resources.files("pipeline.resources").joinpath(filename).read_text(encoding="utf-8")
    return tuple(json.loads(raw) for raw in text.splitlines() if raw.strip())


@cache
def patterns(filename: str, kind: str) -> tuple[str, ...]:
    """The regular expressions of one kind of rule in a file, longest first.

    >>> "la\\\\s+fram" in patterns("decisions.jsonl", "narrative")
    True
    """
    found = [e["pattern"] if e.get("regex") else re.escape(e["pattern"]).replace(r"\ ", r"\s+")
             for e in entries(filename) if e["id"] == kind]
    return tuple(sorted(found, key=len, reverse=True))


@cache
def words_re(filename: str, kind: str) -> re.Pattern[str]:
    """One pattern matching any rule of the kind as whole words."""
    return re.compile(r"\b(?:" + "|".join(patterns(filename, kind)) + r")\b", re.IGNORECASE)


def shortest_words(words: Iterable[str]) -> tuple[str, ...]:
    """The words that hold none of the others, sorted: a text holds one of ``words`` exactly when it
    holds one of these (the quick "may it match?" test before a pattern need look for these only).

    >>> shortest_words(["hotell", "hotel", "kro", "VEDTAKET", "VEDTAK"])
    ('VEDTAK', 'hotel', 'kro')
    """
    found = set(words)
    return tuple(sorted(w for w in found if not any(other != w and other in w for other in found)))
