"""Files of an export: every file is written to a temporary name beside its target and moved into
place (:func:`atomic_path`), so an interrupted run never leaves a half-written file where a reader
expects a whole one; the texts of the documents; the clean-up of what a killed export left behind,
and of the outputs an earlier export wrote that this one does not (a format not asked for): only
files the manifest records as the project's and unchanged since.
Cells that a spreadsheet would take for a formula are written as text (OWASP CSV injection).
"""
from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from pipeline.models import DocumentResult

#: In the name of every temporary file of an export (:data:`_TEMPORARY_RE`).
TEMPORARY_MARK = "minutes-tmp"

#: What a spreadsheet takes for the start of a formula (OWASP CSV injection advice).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: Any) -> Any:
    """A cell value that no spreadsheet will run: formula-like text gets a leading apostrophe.

    >>> print(safe_text('=HYPERLINK("http://x")'), safe_text("-1 stemme"), safe_text(3), safe_text("Vedtak"))
    '=HYPERLINK("http://x") '-1 stemme 3 Vedtak
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def publish(tmp: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
    """Give a finished temporary file the permissions of a new file and move it into place."""
    os.chmod(tmp, 0o666 & ~_umask())
    os.replace(tmp, target)


@contextmanager
def atomic_path(target: str | os.PathLike[str], mode: str = "w", **kwargs: Any) -> Iterator[Any]:
    """Open a temporary file beside ``target``; on success move it into place, readable as any new
    file of the user would be (``mkstemp`` makes it private). Paths as strings inside: a file per
    document is written this way, and each ``Path`` interns its parts (CPython 3.11)."""
    folder, name = os.path.split(os.fspath(target))
    if folder:
        os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.{TEMPORARY_MARK}.", dir=folder or os.curdir)
    os.close(fd)
    try:
        with open(tmp, mode, **kwargs) as handle:
            yield handle
        publish(tmp, target)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_text(out: Path, result: DocumentResult, foreign: Collection[str] = ()) -> bool:
    """``text/<doc_id>.txt`` of a document that was read (rewritten only when it changed); a failed
    document has none. A name in ``foreign`` is a file of the user's (there before minutes wrote
    texts, :func:`foreign_texts`): it is never overwritten, and False says the text was not written."""
    if result.document.status != "ok":
        return True
    if f"{result.document.doc_id}.txt" in foreign:
        return False
    target = os.path.join(out, "text", f"{result.document.doc_id}.txt")
    try:
        with open(target, encoding="utf-8", newline="") as f:
            if f.read() == result.text:
                return True
    except (FileNotFoundError, UnicodeDecodeError):
        pass
    with atomic_path(target, "w", encoding="utf-8", newline="\n") as f:
        f.write(result.text)
    return True


def foreign_texts(out: Path, manifest: Path | None, doc_ids: Iterable[str]) -> tuple[set[str], set[str]]:
    """(the files in ``text/`` that are the user's: there, and not recorded in the manifest as
    written by an earlier export; the texts the manifest now records as ours). Before any text is
    written, the texts this export may write (``doc_ids``) and that do not exist yet are claimed in
    the manifest, so that a run killed after writing them does not take them for the user's next
    time. Without a manifest nothing is protected (and nothing is removed, :func:`remove_stale_texts`)."""
    if manifest is None:
        return set(), set()
    folder = out / "text"
    existing = {entry.name for entry in os.scandir(folder)} if folder.is_dir() else set()
    written = read_manifest(manifest)
    claimed = written | ({f"{doc_id}.txt" for doc_id in doc_ids} - existing)
    if claimed != written:
        write_manifest(manifest, claimed, read_written(manifest))
    return existing - written, claimed


#: Temporary files of :func:`atomic_path` (".decisions.csv.minutes-tmp.k6zb_sru") and of the workbook
#: writer: the mark keeps a file of the user's with a name of that shape (".budsjett.xlsx.backup01")
#: from being taken for one and removed.
_TEMPORARY_RE = re.compile(r"^\.[^/]+\.(?:csv|parquet|json|txt|xlsx)\.minutes-tmp\.[a-z0-9_]{8}(?:\.tmp\.xlsx)?$")


def remove_stale_temporaries(out: Path, *more: Path) -> None:
    """Temporary files a killed export left behind in ``out``, its ``tables`` and ``text`` and the
    folders ``more`` (a run holds the lock, so none is in use)."""
    for folder in (out, out / "tables", out / "text", *more):
        if folder.is_dir():
            for path in folder.iterdir():
                if _TEMPORARY_RE.match(path.name) and path.is_file():
                    path.unlink()


def read_manifest(path: Path | None) -> set[str]:
    """The names of the texts an earlier export wrote in ``text/`` (none when there is no manifest,
    or it cannot be read: then nothing is taken for the project's own)."""
    if path is None:
        return set()
    try:
        names = json.loads(path.read_text(encoding="utf-8")).get("texts", [])
    except (OSError, ValueError, AttributeError):
        return set()
    return {name for name in names if isinstance(name, str) and "/" not in name and name not in ("", ".", "..")}


def write_manifest(path: Path, names: Iterable[str], files: Mapping[str, Sequence[int]] | None = None) -> None:
    """Record the names of the texts this export left in ``text/`` (all of them its own) and the
    other files it wrote (``files``: path relative to the output folder -> size and modification
    time, :func:`stamps`)."""
    data: dict[str, Any] = {"texts": sorted(names)}
    if files is not None:
        data["files"] = {name: list(files[name]) for name in sorted(files)}
    with atomic_path(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(data, ensure_ascii=False, indent=0) + "\n")


def read_written(path: Path | None) -> dict[str, tuple[int, int]]:
    """The files (other than texts) an earlier export recorded in its manifest: relative path ->
    (size, modification time in ns); none when there is no manifest or it cannot be read."""
    if path is None:
        return {}
    try:
        files = json.loads(path.read_text(encoding="utf-8")).get("files", {})
        return {name: (int(size), int(mtime)) for name, (size, mtime) in files.items()
                if isinstance(name, str) and ".." not in Path(name).parts and not Path(name).is_absolute()}
    except (OSError, ValueError, AttributeError, TypeError):
        return {}


def stamps(out: Path, names: Iterable[str]) -> dict[str, tuple[int, int]]:
    """Size and modification time of the files ``names`` (relative to ``out``) that exist."""
    found = {}
    for name in names:
        with suppress(FileNotFoundError):
            st = os.stat(out / name)
            found[name] = (st.st_size, st.st_mtime_ns)
    return found


def remove_outdated(out: Path, candidates: Iterable[str], written: Mapping[str, tuple[int, int]]) -> tuple[list[str], list[str]]:
    """Remove the files ``candidates`` (relative to ``out``: outputs of a format not asked for this
    time, or no longer made) that an earlier export wrote and nobody changed since (``written``, from
    its manifest: same size and modification time). Returns the removed ones and those left in place
    because they are not known to be the project's (a file of the user's is never touched)."""
    removed, left = [], []
    for name in sorted(set(candidates)):
        try:
            st = os.stat(out / name)
        except FileNotFoundError:
            continue
        if written.get(name) == (st.st_size, st.st_mtime_ns):
            (out / name).unlink()
            removed.append(name)
        else:
            left.append(name)
    return removed, left


def remove_stale_texts(out: Path, keep: set[str], written: set[str]) -> None:
    """Texts an earlier export wrote (``written``, from its manifest) for documents that are no longer
    among the inputs go; any other file in ``text/`` is the user's and stays."""
    folder = out / "text"
    folder.mkdir(parents=True, exist_ok=True)
    for name in sorted(written - keep):
        with suppress(FileNotFoundError):
            (folder / name).unlink()
