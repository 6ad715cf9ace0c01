"""The errors of the state store (:mod:`pipeline.state`), and SQLite's errors in plain words: one
line that says what is wrong and what to do (read-only, disk full, in use, damaged)."""
from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pipeline.errors import RunError


class StateError(RunError):
    """The state store cannot be used (locked by another run, unreadable, from a newer version)."""


class DamagedResult(StateError):
    """One stored result cannot be read back (it does not decompress or decode): its document is
    processed again."""


def plain_error(exc: sqlite3.Error, folder: Path) -> StateError:
    """A one-line message, with what to do, for an SQLite error on the state store in ``folder``."""
    text = str(exc)
    code = getattr(exc, "sqlite_errorcode", None)
    if "readonly" in text or "read-only" in text or code == 8:  # SQLITE_READONLY
        return StateError(f"cannot write the state in {folder}: it is read-only ({text}); make the folder and "
                          f"its files writable (chmod -R u+w {folder}) and run again")
    if "disk is full" in text or code == 13:  # SQLITE_FULL
        return StateError(f"no space left on the disk of {folder} ({text}): free some space and run again "
                          "(the tables of the previous run are kept)")
    if "locked" in text or "busy" in text:
        return StateError(f"the state in {folder} is in use by another program ({text}): wait and run again")
    return StateError(f"the state in {folder} is damaged ({text}): delete {folder} to start afresh "
                      "(every document is then processed again)")


def plain(method: Callable[..., Any]) -> Callable[..., Any]:
    """Make a ``StateStore`` method (``self.folder``: the store's folder) raise a plain
    :class:`StateError` for SQLite's errors."""

    @functools.wraps(method)
    def guarded(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            raise plain_error(exc, self.folder) from exc

    return guarded


def plain_iter(method: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
    """:func:`plain` for a generator method."""

    @functools.wraps(method)
    def guarded(self: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        try:
            yield from method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            raise plain_error(exc, self.folder) from exc

    return guarded
