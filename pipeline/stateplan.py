"""What a run of the state store plans by (:mod:`pipeline.state`): the stamp of an input file (its
content hash and ``stat``), and the plan, an item per input with its status.
"""
from __future__ import annotations

import hashlib
import os
import stat as stat_module
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from pipeline.models import SourceFile
from pipeline.readers import MAX_FILE_BYTES

#: A file whose change time is this close to the moment it was hashed may have been written again
#: within the same clock tick; its stored hash is not trusted without reading it again.
RACY_NS = 3_000_000_000

NEW, CHANGED, OUTDATED, UNCHANGED = "new", "changed", "outdated", "unchanged"


@dataclass(frozen=True, slots=True)
class FileStamp:
    """What identifies one version of an input file: its content hash and its ``stat`` at hashing
    time. ``content_hash`` is ``""`` when the file could not be read (then it is always redone)."""

    content_hash: str
    size: int = 0
    mtime_ns: int = 0
    ctime_ns: int = 0
    inode: int = 0
    hashed_ns: int = 0

    def same_file(self, st: os.stat_result) -> bool:
        """True when ``st`` shows this very version of the file, so that its hash can be reused:
        same size, inode, modification and change time (writing a file always moves its change
        time, which no tool can set back), and not changed in the clock tick it was hashed in."""
        return (bool(self.content_hash) and self.size == st.st_size and self.inode == st.st_ino
                and self.mtime_ns == st.st_mtime_ns and self.ctime_ns == st.st_ctime_ns
                and self.ctime_ns + RACY_NS < self.hashed_ns)


def stamp(path: str | os.PathLike[str]) -> FileStamp:
    """Hash a file (streaming) together with its ``stat`` taken before reading it. What is not a
    regular file (a FIFO would block the run) or is too large to read gets no hash: it is always
    processed again, and the reader says what is wrong with it."""
    try:
        st = os.stat(path)
        if not stat_module.S_ISREG(st.st_mode) or st.st_size > MAX_FILE_BYTES:
            return FileStamp("")
        with open(path, "rb") as f:
            content_hash = hashlib.file_digest(f, "sha256").hexdigest()
    except OSError:
        return FileStamp("")
    return FileStamp(content_hash, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, time.time_ns())


@dataclass(frozen=True, slots=True)
class PlanItem:
    source: SourceFile
    status: str  # new, changed (other bytes or path), outdated (other pipeline), unchanged
    stamp: FileStamp
    todo: bool  # processed in this run
    previous_status: str = ""  # "ok" or "error" of the cached result, "" when new


@dataclass(frozen=True)
class Plan:
    """What a run has to do: one item per input, in input order, and the stored doc ids that are no
    longer among the inputs."""

    items: tuple[PlanItem, ...]
    removed: tuple[str, ...]

    @property
    def todo(self) -> tuple[PlanItem, ...]:
        return tuple(item for item in self.items if item.todo)

    def counts(self) -> dict[str, int]:
        """Inputs per status, and the removed ones.

        >>> Plan((), ("a",)).counts()
        {'new': 0, 'changed': 0, 'outdated': 0, 'unchanged': 0, 'removed': 1}
        """
        return plan_counts(Counter(item.status for item in self.items), len(self.removed))


def plan_counts(statuses: Mapping[str, int], removed: int) -> dict[str, int]:
    """Inputs per status (every status, in order) and the number removed."""
    return {**dict.fromkeys((NEW, CHANGED, OUTDATED, UNCHANGED), 0), **statuses, "removed": removed}

