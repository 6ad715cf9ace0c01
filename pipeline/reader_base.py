"""What every reader shares (:mod:`pipeline.readers`, :mod:`pipeline.docx_reader`): the size limits,
the refusal of what is not a regular file or is too big, and the wrapper that turns every problem
into a :class:`DocumentError` with a short plain message, never a library error.
"""
from __future__ import annotations

import functools
import re
import stat
from collections.abc import Callable
from pathlib import Path

from pipeline.errors import DocumentError, UnreadableDocument
from pipeline.models import RawDocument

Reader = Callable[[Path], RawDocument]

#: The largest file read at all (bytes on disk). Bigger files become an error row without being opened.
MAX_FILE_BYTES = 200 * 1024 * 1024
#: The most text one document may hold (characters after reading; about 4,000 dense pages). The
#: analysis takes some 15 s per million characters, so more is an archive accident, not a document.
MAX_TEXT_CHARS = 10_000_000


def short_message(exc: BaseException) -> str:
    """The first line of an exception message, cut to a readable length."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "..."


def _require_plain_file(path: Path) -> None:
    """Refuse, before opening, what is not a regular file or is too big: opening a FIFO or a device
    would block the run forever (a directory fails on open with its own message)."""
    info = path.stat()
    if not stat.S_ISREG(info.st_mode) and not stat.S_ISDIR(info.st_mode):
        raise UnreadableDocument("cannot open file: not a regular file (a pipe, socket or device)")
    if info.st_size > MAX_FILE_BYTES:
        raise UnreadableDocument(f"file too large: {info.st_size / 2**20:.0f} MB "
                                 f"(minutes reads files up to {MAX_FILE_BYTES // 2**20} MB)")


def _require_sane_size(doc: RawDocument) -> RawDocument:
    """Refuse a document with more text than :data:`MAX_TEXT_CHARS` (it would take hours to analyse)."""
    characters = sum(len(page.text) for page in doc.pages)
    if characters > MAX_TEXT_CHARS:
        raise UnreadableDocument(f"file too large: {characters:,} characters of text "
                                 f"(minutes reads up to {MAX_TEXT_CHARS:,} per document)")
    return doc


def plain_errors(what: str) -> Callable[[Reader], Reader]:
    """Make a reader raise only DocumentError: OSError and library errors become UnreadableDocument.
    Non-regular files, oversized files and oversized texts are refused here, for every format."""

    def wrap(reader: Reader) -> Reader:
        @functools.wraps(reader)
        def guarded(path: Path) -> RawDocument:
            try:
                _require_plain_file(Path(path))
                return _require_sane_size(reader(Path(path)))
            except DocumentError:
                raise
            except OSError as exc:
                raise UnreadableDocument(f"cannot open file: {exc.strerror or short_message(exc)}") from exc
            except Exception as exc:  # noqa: BLE001 - a library's error must not escape a reader
                raise UnreadableDocument(f"cannot read this {what}: {short_message(exc)}") from exc

        return guarded

    return wrap


def require_content(path: Path) -> None:
    """Open the file (so a directory or a permission problem shows as OSError) and refuse 0 bytes."""
    with path.open("rb") as fh:
        if not fh.read(1):
            raise UnreadableDocument("empty file (0 bytes)")


def clean_cell(cell: str | None) -> str:
    """A table cell's text on one line (PDF and Word tables alike); ``None`` (no cell) is empty."""
    return "" if cell is None else re.sub(r"\s*\n\s*", " ", str(cell)).strip()

