"""The lexicons every process may need without spaCy: the regions, the gazetteer, the name lists.

They live apart from :mod:`extractors.nlp` so the main process of a run (which exports tables and
resolves regions across documents) never pays for importing spaCy; only the workers do.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any


def read_jsonl(package: str, name: str) -> list[dict[str, Any]]:
    text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@dataclass(frozen=True)
class Region:
    id: str
    name: str
    kind: str
    code: str
    members: tuple[str, ...] = ()
    member_codes: tuple[str, ...] = ()
    county_codes: tuple[str, ...] = ()
    valid_from: str | None = None
    valid_to: str | None = None


@cache
def regions() -> dict[str, Region]:
    out = {}
    for row in read_jsonl("extractors.resources", "regions.jsonl"):
        out[row["id"]] = Region(
            id=row["id"], name=row["name"], kind=row["kind"], code=str(row.get("code", "")),
            members=tuple(row.get("members") or ()), member_codes=tuple(row.get("member_codes") or ()),
            county_codes=tuple(row.get("county_codes") or ()),
            valid_from=row.get("valid_from"), valid_to=row.get("valid_to"),
        )
    return out


@cache
def gazetteer() -> list[dict[str, Any]]:
    return read_jsonl("extractors.resources", "gazetteer.jsonl")


def _read_tsv(name: str) -> dict[str, int]:
    text = resources.files("pipeline.resources").joinpath("names", name).read_text(encoding="utf-8")
    out = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0] and parts[1].isdigit():
            out[parts[0]] = int(parts[1])
    return out


@cache
def first_names() -> frozenset[str]:
    return frozenset(_read_tsv("first_names.tsv"))


@cache
def surnames() -> frozenset[str]:
    return frozenset(_read_tsv("surnames.tsv"))
