"""Imported once by the forkserver of a run with several workers, before it forks them.

The forkserver loads the readers and warms the pipeline (:func:`pipeline.process.warm`); every
worker forked from it starts ready, sharing those pages, instead of each paying the start-up (the
imports, spaCy, the lexicons) on its own. Nothing here may fail the forkserver: a warm-up that
breaks only means each worker builds what it needs when its first document asks. On Linux the
forkserver is killed when the run's process dies, however it dies.
"""
from __future__ import annotations

from pipeline.workers import die_with_parent

die_with_parent()  # the forkserver (and with it its workers) must not outlive the run, even after kill -9

try:
    import docx  # noqa: F401 - imported here once for every worker
    import pdfplumber  # noqa: F401
    import pypdfium2  # noqa: F401

    from pipeline.process import warm

    warm()
except Exception:  # noqa: BLE001, S110 - see the docstring: the workers warm themselves instead
    pass
