"""Writing a run's results, fed only typed rows (the per-document results and the summary of
:mod:`pipeline.summary`): ``tables/*.csv`` (:mod:`.tables`), ``tables/*.parquet``
(:mod:`.parquet`), ``datapackage.json`` (:mod:`.datapackage`), ``text/<doc_id>.txt`` and the atomic
writes of every file (:mod:`.files`), ``minutes.xlsx`` (:mod:`.xlsx`, with its labels per language
in :mod:`.labels`); the hand corrections applied to the rows as they stream, with the
``corrections`` table of their outcomes (:mod:`.corrections`, files read by
:mod:`.correction_files`); :func:`export` (:mod:`.run`) writes them all in one pass.

It imports nothing of the extraction (readers, text, extractors): see ``.importlinter``.
"""
from __future__ import annotations

from pipeline.export.run import FORMATS, Exported, export

__all__ = ["FORMATS", "Exported", "export"]
