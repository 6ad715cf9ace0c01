"""Reference data that extraction and the cross-document summary both read: the regions and the
national gazetteer, the theme keywords, and Statistics Norway's name lists. The files live in
``pipeline/reference/resources/`` and are read only through the functions here (each once per
process), so no module reads another package's files by path.

This package is at the bottom of the layers (see ``.importlinter``): it imports nothing of the
project, so readers, repair, extractors, summary and export can all use it.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

#: The folder of the reference files (package data).
RESOURCES = Path(__file__).parent / "resources"
GAZETTEER = RESOURCES / "gazetteer.jsonl"
REGIONS = RESOURCES / "regions.jsonl"
THEMES = RESOURCES / "themes.jsonl"
ROLES = RESOURCES / "roles.jsonl"
NAMES_DIR = RESOURCES / "names"


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The objects of a JSON Lines file, one a line (blank lines skipped)."""
    text = path.read_text(encoding="utf-8")
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
    """Region id -> the region (councils, counties, municipalities), from ``regions.jsonl``.

    >>> regions()["municipality-0301"].name
    'Oslo kommune'
    """
    out = {}
    for row in read_jsonl(REGIONS):
        out[row["id"]] = Region(
            id=row["id"], name=row["name"], kind=row["kind"], code=str(row.get("code", "")),
            members=tuple(row.get("members") or ()), member_codes=tuple(row.get("member_codes") or ()),
            county_codes=tuple(row.get("county_codes") or ()),
            valid_from=row.get("valid_from"), valid_to=row.get("valid_to"),
        )
    return out


@cache
def gazetteer() -> list[dict[str, Any]]:
    """The surface forms of the regions (``gazetteer.jsonl``: id, pattern, form, flags)."""
    return read_jsonl(GAZETTEER)


@cache
def themes() -> list[dict[str, Any]]:
    """The theme keywords (``themes.jsonl``), one rule a row."""
    return read_jsonl(THEMES)


@cache
def roles() -> list[dict[str, Any]]:
    """Titles and roles (``resources/roles.jsonl``): read by the participant extractors and by the
    OCR repair (a title after a name is repaired like the name's neighbour)."""
    return read_jsonl(ROLES)


def read_tsv(name: str) -> dict[str, int]:
    """A name list of ``names/`` as name -> count (the header line and malformed lines skipped)."""
    text = (NAMES_DIR / name).read_text(encoding="utf-8")
    out = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0] and parts[1].isdigit():
            out[parts[0]] = int(parts[1])
    return out


@cache
def first_names() -> frozenset[str]:
    return frozenset(read_tsv("first_names.tsv"))


@cache
def surnames() -> frozenset[str]:
    return frozenset(read_tsv("surnames.tsv"))


def names() -> list[str]:
    """Every name of the name lists (first names, then surnames; the header lines skipped)."""
    return [row.split("\t", 1)[0] for file in ("first_names.tsv", "surnames.tsv")
            for row in (NAMES_DIR / file).read_text(encoding="utf-8").splitlines()[1:]]


def name_files() -> list[Path]:
    """The name lists (``names/*.tsv``), sorted."""
    return sorted(NAMES_DIR.glob("*.tsv"))
