"""Discovering input files: folders are walked recursively, each file gets a stable, unique doc id."""
from __future__ import annotations

import hashlib
import os
import posixpath
import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

from pipeline.errors import RunError
from pipeline.models import SourceFile

_UNSAFE_RE = re.compile(r"[^\w.-]+")
_MAX_ID = 80
#: At most this many bytes of UTF-8 in an id: with a hash added (``_unique``: up to 48 more), ``.txt``
#: and the export's temporary prefix and suffix, a text's file name stays under the 255 bytes a
#: file system allows (80 letters of three or four bytes each did not).
_MAX_ID_BYTES = 150


def safe_id(stem: str) -> str:
    r"""A file-name-safe id from a file stem: letters, digits, ``_``, ``-`` and ``.`` only, never
    starting with ``-`` (an option to a shell command, a formula to a spreadsheet) or ``.``.

    >>> safe_id("Møte 12. mars/../../etc"), safe_id(".."), safe_id("-=cmd"), safe_id("linje\nskift")
    ('Møte_12._mars_.._.._etc', 'doc', 'cmd', 'linje_skift')
    """
    text = unicodedata.normalize("NFC", stem)
    text = _UNSAFE_RE.sub("_", text).strip("._-") or "doc"
    text = text[:_MAX_ID]
    while len(text.encode("utf-8", "surrogatepass")) > _MAX_ID_BYTES:
        text = text[:-1]
    return text


def display_path(rel: str) -> str:
    r"""A relative path as text that can be written anywhere: bytes of a name that are not UTF-8
    (an old archive's ``m\xf8te.txt``) are shown as ``\xf8`` instead of breaking the UTF-8 tables.

    >>> display_path("m\udcf8te.txt"), display_path("møte.txt")
    ('m\\xf8te.txt', 'møte.txt')
    """
    try:
        rel.encode("utf-8")
        return rel  # the common case: the same string, not a copy of it
    except UnicodeEncodeError:
        return os.fsencode(rel).decode("utf-8", "backslashreplace")


def check_output(inputs: Iterable[Path], out: Path) -> None:
    """Refuse an output folder that is an input folder or holds an input: the run would write its
    texts and tables among the inputs (over a file of the same name) and read them back as new
    documents on the next run. An output folder inside an input folder is fine: it is skipped."""
    target = os.path.realpath(out)
    for item in inputs:
        where = os.path.realpath(item)
        if where == target or where.startswith(target.rstrip(os.sep) + os.sep):
            raise RunError(f"the output folder {out} {'is' if where == target else 'holds'} the input {item}: "
                           f"minutes would write among the inputs and read its own tables back; "
                           f"give --out a folder outside the inputs")


def _walk(folder: Path, skip: str = "") -> Iterable[tuple[str, str]]:
    """Files under ``folder`` (absolute path, and path relative to ``folder`` with POSIX separators), sorted,
    not following symlinked folders (a loop would never end), without the folder ``skip`` (a real
    path: the output folder). Strings, not Paths: an archive of many files is listed without a
    Path object per file."""
    top = str(folder.absolute())
    for root, dirs, files in os.walk(top, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                         and not (skip and os.path.realpath(os.path.join(root, d)) == skip))
        rel_root = os.path.relpath(root, top)
        prefix = "" if rel_root == os.curdir else rel_root.replace(os.sep, "/") + "/"
        for name in sorted(files):
            if not name.startswith("."):
                yield os.path.join(root, name), prefix + name


def _unique(doc_id: str, rel: str, seen: set[str]) -> str:
    """``doc_id``, or when it is taken (case-folded) the id with a hash of the path added, longer
    until it is free: a file may itself be named like another's id with its hash ("a-1f2e3d4c.txt").

    >>> _unique("a", "a.txt", set()), _unique("a", "a.txt", {"a"}), _unique("a", "a.txt", {"a", "a-cfc7b488"})
    ('a', 'a-cfc7b488', 'a-cfc7b4885384')
    """
    if doc_id.casefold() not in seen:
        return doc_id
    digest = hashlib.sha1(rel.encode()).hexdigest()
    for width in (8, 12, 16, 24, 40):
        candidate = f"{doc_id}-{digest[:width]}"
        if candidate.casefold() not in seen:
            return candidate
    number = 2
    while f"{doc_id}-{digest}-{number}".casefold() in seen:
        number += 1
    return f"{doc_id}-{digest}-{number}"


#: The error of a symbolic link in an input folder that leads out of the input folders.
LINK_OUTSIDE = ("a symbolic link to a file outside the input folders: not read "
                "(minutes run --follow-links reads such files)")


def _outside(path: str, roots: Sequence[str]) -> bool:
    """True when ``path`` is a symbolic link whose target lies outside every folder of ``roots``."""
    if not os.path.islink(path):
        return False
    target = os.path.realpath(path)
    return not any(target == root or target.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def discover(inputs: Iterable[Path], out: Path | None = None, follow_links: bool = False) -> list[SourceFile]:
    """Every file named or found under a named folder, in a stable order, with unique doc ids;
    nothing under the output folder ``out`` (its texts, tables and state are never inputs). A
    symbolic link in a folder that leads out of the input folders is listed with
    :data:`LINK_OUTSIDE` as the reason it is not read, unless ``follow_links``."""
    inputs = list(inputs)
    found: list[tuple[str, str, str]] = []  # path, relative path, why it is not read
    skip = os.path.realpath(out) if out is not None else ""
    roots = [os.path.realpath(item) for item in inputs if item.is_dir()]
    for item in inputs:
        if item.is_dir():
            found += ((path, rel, "" if follow_links or not _outside(path, roots) else LINK_OUTSIDE)
                      for path, rel in _walk(item, skip))
        elif item.exists() or item.is_symlink():
            found.append((str(item.absolute()), item.name, ""))  # named on the command line: trusted
        else:
            raise RunError(f"input not found: {item}")
    found.sort(key=lambda pair: pair[1])
    seen: set[str] = set()  # case-folded: "Sak" and "sak" would be one text file on macOS or Windows
    listing = []
    for path, rel, refused in found:
        rel = display_path(rel)
        doc_id = safe_id(posixpath.splitext(posixpath.basename(rel))[0])  # the stem: no Path per file
        doc_id = _unique(doc_id, rel, seen)
        seen.add(doc_id.casefold())
        listing.append(SourceFile(location=path, source_path=rel, doc_id=doc_id, refused=refused))
    return listing
