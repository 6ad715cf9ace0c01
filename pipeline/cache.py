"""Start-up data kept between runs: what a process builds from the resource files (the lexicon and
its index of shapes) is saved once in the user's cache folder and read back in a fraction of the
time it takes to build.

A cached value is a pure function of its source files and of the code that builds it: the file
name holds a hash of both (and of the Python version, whose ``marshal`` format it is), so a change
to either builds it afresh, and a cache that cannot be read or written is simply rebuilt. The
folder is ``$MINUTES_CACHE_DIR``, else ``$XDG_CACHE_HOME/minutes``, else ``~/.cache/minutes``;
``MINUTES_CACHE_DIR=off`` keeps nothing.
"""
from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def cache_dir() -> Path | None:
    """Where cached values live, or None when caching is switched off."""
    configured = os.environ.get("MINUTES_CACHE_DIR", "")
    if configured == "off":
        return None
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "minutes"


def key(sources: Iterable[Path]) -> str:
    """A hash of the sources' content, the Python version and the marshal format."""
    digest = hashlib.sha256(f"{sys.version_info[:2]} {marshal.version}".encode())
    for path in sources:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:20]


def cached(name: str, sources: Iterable[Path], build: Callable[[], T]) -> T:
    """``build()``, or what it returned last time for the same sources.

    The value must be made of what ``marshal`` keeps (dicts, tuples, frozensets, str, int...).
    Older values of the same name are removed when a new one is saved.
    """
    folder = cache_dir()
    if folder is None:
        return build()
    path = folder / f"{name}-{key(sources)}.marshal"
    try:
        value: T = marshal.loads(path.read_bytes())
        return value
    except (OSError, EOFError, ValueError, TypeError):
        pass  # not there yet, or unreadable: build it
    value = build()
    try:
        _save(folder, path, marshal.dumps(value))  # type: ignore[arg-type]
    except (OSError, ValueError):
        pass  # a read-only or full disk: the next process builds it again
    return value


def _save(folder: Path, path: Path, data: bytes) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.stem}-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)  # whole or not at all, also with several processes at once
    finally:
        Path(tmp).unlink(missing_ok=True)
    name = path.stem.rsplit("-", 1)[0]
    for old in folder.glob(f"{name}-*.marshal"):
        if old != path:
            old.unlink(missing_ok=True)
