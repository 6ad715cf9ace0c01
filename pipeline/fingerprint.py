"""The fingerprint of the pipeline: what decides a document's result (a stored result made with
another fingerprint is outdated and processed again), and, apart, the fingerprint of the export (a
changed exporter writes the tables again from the stored results, processing nothing).
"""
from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pipeline import __version__

ROOT = Path(__file__).resolve().parents[1]

#: Code that only writes or drives what the extraction decided: changing it never reprocesses a
#: document (the export has its own fingerprint, :func:`export_fingerprint`). Paths relative to the
#: project root; a folder stands for everything in it. Anything else under ``pipeline/`` and
#: ``extractors/`` (readers, normalise, repair, lexicon, sections, process, models, the extractors,
#: the rule, lexicon and reference files) decides rows, and so does a module added later.
WRITES_ONLY = ("pipeline/export", "pipeline/summary", "pipeline/api.py", "pipeline/cli.py", "pipeline/run.py",
               "pipeline/fingerprint.py",
               "pipeline/state.py", "pipeline/stateplan.py", "pipeline/statecodec.py", "pipeline/statefaults.py",
               "pipeline/spool.py", "pipeline/evaluate.py", "pipeline/preload.py",
               "pipeline/__main__.py")
#: The code of the export, whose fingerprint says when the tables must be written again.
EXPORT_CODE = ("pipeline/export", "pipeline/summary", "pipeline/spool.py")
#: Libraries whose version changes what is read from a file or found in it.
TEXT_LIBRARIES = ("pypdfium2", "pdfplumber", "pdfminer.six", "python-docx", "spacy", "rapidfuzz")


def fingerprint(options: Mapping[str, Any] | None = None, *, root: Path = ROOT) -> str:
    """A hash of everything that decides a document's result: the pipeline version, the versions of
    :data:`TEXT_LIBRARIES`, the code and the rule, lexicon and reference files under ``pipeline/``
    and ``extractors/`` except what only writes the results (:data:`WRITES_ONLY`), and ``options``
    (those that change results). Computed once per process for each set of options.

    >>> fingerprint({"rollup": False}) == fingerprint({"rollup": False}) != fingerprint({"rollup": True})
    True
    """
    return _fingerprint(json.dumps(dict(options or {}), sort_keys=True, default=str), root)


def _library_versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name in TEXT_LIBRARIES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = ""
    return json.dumps(found, sort_keys=True)


def _inside(rel: str, parts: tuple[str, ...]) -> bool:
    return any(rel == p or rel.startswith(p + "/") for p in parts)


def _hash_files(digest: Any, root: Path, files: Iterable[Path]) -> None:
    for path in sorted(set(files), key=lambda p: p.relative_to(root).as_posix()):
        data = path.read_bytes()
        digest.update(f"{path.relative_to(root).as_posix()}\0{len(data)}\0".encode())
        digest.update(data)


def _project_files(root: Path) -> list[Path]:
    """The code and data files of the project (no caches, no compiled files)."""
    return [p for package in ("pipeline", "extractors") for p in (root / package).rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"]


@functools.lru_cache(maxsize=16)
def _fingerprint(options_json: str, root: Path) -> str:
    digest = hashlib.sha256()

    def add(label: str, data: bytes) -> None:
        digest.update(f"{label}\0{len(data)}\0".encode())
        digest.update(data)

    add("version", __version__.encode())
    add("libraries", _library_versions().encode())
    add("options", options_json.encode())
    _hash_files(digest, root, (p for p in _project_files(root)
                               if not _inside(p.relative_to(root).as_posix(), WRITES_ONLY)))
    return digest.hexdigest()


@functools.lru_cache(maxsize=4)
def export_fingerprint(root: Path = ROOT) -> str:
    """A hash of the export's code and data (:data:`EXPORT_CODE`): a changed exporter writes the
    tables again from the stored results, without processing a document again."""
    digest = hashlib.sha256()
    _hash_files(digest, root, (p for p in _project_files(root) if _inside(p.relative_to(root).as_posix(), EXPORT_CODE)))
    return digest.hexdigest()


def corrections_fingerprint(folder: Path | None) -> str:
    """A hash of the files of a folder of hand corrections (names and contents; empty without one):
    part of the export key, so that a changed correction file makes a rerun export again."""
    if folder is None:
        return ""
    h = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        if path.is_file():
            h.update(path.name.encode("utf-8", "surrogateescape") + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def clear_fingerprint_cache() -> None:
    """Forget the fingerprints computed so far (for tests that change a resource file)."""
    _fingerprint.cache_clear()
    export_fingerprint.cache_clear()
