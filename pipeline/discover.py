"""Discovering input files: folders are walked recursively, each file gets a stable, unique doc id."""
from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from pipeline.errors import RunError
from pipeline.models import SourceFile

_UNSAFE_RE = re.compile(r"[^\w.-]+")
_MAX_ID = 80


def safe_id(stem: str) -> str:
    """A file-name-safe id from a file stem: letters, digits, ``_``, ``-`` and ``.`` only.

    >>> safe_id("Møte 12. mars/../../etc"), safe_id("..")
    ('Møte_12._mars_.._.._etc', 'doc')
    """
    text = unicodedata.normalize("NFC", stem)
    text = _UNSAFE_RE.sub("_", text).strip("._") or "doc"
    return text[:_MAX_ID]


def _walk(folder: Path) -> Iterable[Path]:
    """Files under ``folder``, sorted, not following symlinked folders (a loop would never end)."""
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root) / name


def discover(inputs: Iterable[Path]) -> list[SourceFile]:
    """Every file named or found under a named folder, in a stable order, with unique doc ids."""
    found: list[tuple[Path, str]] = []
    for item in inputs:
        if item.is_dir():
            found += [(p, p.relative_to(item).as_posix()) for p in _walk(item)]
        elif item.exists() or item.is_symlink():
            found.append((item, item.name))
        else:
            raise RunError(f"input not found: {item}")
    found.sort(key=lambda pair: pair[1])
    seen: set[str] = set()
    out = []
    for path, rel in found:
        doc_id = safe_id(Path(rel).stem)
        if doc_id in seen:
            doc_id = f"{doc_id}-{hashlib.sha1(rel.encode()).hexdigest()[:8]}"
        seen.add(doc_id)
        out.append(SourceFile(path=path.absolute(), source_path=rel, doc_id=doc_id))
    return out
