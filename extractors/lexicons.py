"""The lexicons every process may need without spaCy: the regions, the gazetteer, the name lists,
the theme keywords, the roles. They are reference data shared with the summary (:mod:`pipeline.reference`);
this module gives the extractors their readers, and :func:`read_jsonl` for the extractors' own
rule files (``extractors/resources``).

They live apart from :mod:`extractors.nlp` so a process that needs only them never pays for
importing spaCy.
"""
from __future__ import annotations

import json
from importlib import resources
from typing import Any

from pipeline.reference import Region, first_names, gazetteer, regions, roles, surnames, themes

__all__ = ["Region", "first_names", "gazetteer", "read_jsonl", "regions", "roles", "surnames", "themes"]


def read_jsonl(package: str, name: str) -> list[dict[str, Any]]:
    text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]
