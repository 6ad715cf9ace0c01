"""The cross-document summary: what is computed over all documents of a run, after extraction and
before the export, as typed rows the export only writes.

* :mod:`~pipeline.summary.meetings`: the ``meetings`` table (documents of one body and date);
* :mod:`~pipeline.summary.regions`: the region reference (``region_reference``) and ``rollup``;
* :mod:`~pipeline.summary.stats`: per region its documents, decisions, persons and themes (the
  workbook's overview).

It reads the per-document results and the reference data (:mod:`pipeline.reference`), never the
extractors.
"""
from __future__ import annotations

from pipeline.summary.meetings import meetings
from pipeline.summary.regions import ReferenceRow, councils_of, region_reference, rollup
from pipeline.summary.stats import NO_REGION, RegionStats, region_stats

__all__ = ["NO_REGION", "ReferenceRow", "RegionStats", "councils_of", "meetings", "region_reference", "region_stats",
           "rollup"]
