"""A small exception family. Each message says what is wrong in plain words and, where
there is one, what to do next; the run catches them once per document (see ``run.py``)."""
from __future__ import annotations


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
