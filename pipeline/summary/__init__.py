"""The cross-document summary: what is computed over all documents of a run, after extraction and
before the export, as typed rows the export only writes.

* :mod:`~pipeline.summary.meetings`: the ``meetings`` table (documents of one body and date);
* :mod:`~pipeline.summary.regions`: the region reference (``region_reference``) and ``rollup``;
* :mod:`~pipeline.summary.stats`: per region its documents, decisions, persons and themes (the
  workbook's overview);
* :mod:`~pipeline.summary.duplicates`: a document whose content an earlier one has is marked
  (``duplicate_of``) and its rows are left out, so they are counted once.

It reads the per-document results and the reference data (:mod:`pipeline.reference`), never the
extractors.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from pipeline.models import DocumentRow, MeetingRow, RegionRow, as_tuple, columns
from pipeline.spool import RowSpool
from pipeline.summary.duplicates import mark_duplicates
from pipeline.summary.meetings import meetings
from pipeline.summary.regions import ReferenceRow, councils_of, region_reference, rollup
from pipeline.summary.stats import NO_REGION, RegionStats, owners, region_stats

__all__ = ["NO_REGION", "TABLES", "ReferenceRow", "RegionStats", "councils_of", "mark_duplicates", "meetings",
           "owners", "region_reference", "region_stats", "rollup", "tables"]

#: The tables of the summary and their row classes.
TABLES: dict[str, type] = {"meetings": MeetingRow, "region_reference": ReferenceRow}


def tables(documents: Iterable[DocumentRow], regions: Iterable[RegionRow],
           spool: RowSpool) -> dict[str, tuple[list[str], Sequence[tuple[Any, ...]]]]:
    """The summary's tables as (header, rows): ``meetings`` (its rows kept in ``spool``, on disk)
    and ``region_reference``, from the run's documents and region mentions."""
    spool.extend(as_tuple(m) for m in meetings(documents))
    return {"meetings": (columns(MeetingRow), spool.rows()),
            "region_reference": (columns(ReferenceRow), [as_tuple(r) for r in region_reference(regions)])}
