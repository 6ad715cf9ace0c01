"""A small exception family. Each message says what is wrong in plain words and, where
there is one, what to do next; the run catches them once per document (see ``run.py``)."""
from __future__ import annotations

#: How the error of a document whose worker process died begins (the state store knows such a
#: document by it and does not read it again until the file changes, or with --full).
CRASHED = "the reader crashed"


class MinutesError(Exception):
    """Base class for problems the pipeline reports to the user."""


class DocumentError(MinutesError):
    """This one document cannot be processed; it becomes a ``documents`` row with status=error."""


class UnsupportedFormat(DocumentError):
    """The file type is not one the pipeline reads."""


class UnreadableDocument(DocumentError):
    """The file has a supported type but its content cannot be read (corrupt, encrypted, empty...)."""


class RunError(MinutesError):
    """The run as a whole cannot proceed (no inputs, unwritable output); the CLI exits non-zero."""


class DocumentTimeout(BaseException):
    """A document took longer than the per-document time limit (``--timeout``). Not an
    :class:`Exception`: a library's (or a reader's) broad ``except Exception`` must not swallow the
    limit and carry on with the document; only :func:`pipeline.process.process` catches it."""


class Stopped(BaseException):
    """The run was told to stop (SIGTERM, SIGHUP): raised in the main thread like Ctrl-C's
    KeyboardInterrupt, so that the workers are stopped and the state store closed on the way out."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum
