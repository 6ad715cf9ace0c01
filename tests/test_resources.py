"""Checks on the shipped resource files (not on the scripts that generate them)."""
from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXTRACTOR_RES = ROOT / "extractors" / "resources"
REFERENCE = ROOT / "pipeline" / "reference" / "resources"
NAMES = REFERENCE / "names"
FORMS = {"name", "genitive", "variant", "district", "county", "county_bare",
         "municipality", "municipality_bare"}


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture(scope="module")
def regions() -> dict[str, dict[str, Any]]:
    rows = read_jsonl(REFERENCE / "regions.jsonl")
    by_id = {r["id"]: r for r in rows}
    assert len(by_id) == len(rows), "duplicate region ids"
    return by_id


@pytest.fixture(scope="module")
def gazetteer() -> list[dict[str, Any]]:
    return read_jsonl(REFERENCE / "gazetteer.jsonl")


def lookup(gazetteer: list[dict[str, Any]], regions: dict[str, Any], text: str) -> list[dict[str, Any]]:
    ids = {p["id"] for p in gazetteer if p["pattern"] == text}
    return [regions[i] for i in sorted(ids)]


def test_regions_fields(regions: dict[str, dict[str, Any]]) -> None:
    kinds: dict[str, int] = defaultdict(int)
    for r in regions.values():
        assert r["name"].strip() and r["code"].strip(), r
        assert r["kind"] in {"ipr", "regionråd", "samarbeidsråd", "other", "county", "municipality"}, r
        assert isinstance(r["members"], list) and isinstance(r["member_codes"], list)
        assert len(r["members"]) == len(r["member_codes"]), r["id"]
        kinds[r["kind"]] += 1
    current = [r for r in regions.values() if r["kind"] == "municipality" and not r.get("merged_into")]
    assert len(current) == 357 and kinds["county"] == 33
    assert all(not r["members"] for r in regions.values() if r["kind"] == "county")


def test_former_municipalities_are_merged_into_one_of_today(regions: dict[str, dict[str, Any]]) -> None:
    """Older documents name municipalities merged away (Lindås, Klæbu): each has its year and successor."""
    today = {r["code"] for r in regions.values() if r["kind"] == "municipality" and not r.get("merged_into")}
    former = [r for r in regions.values() if r.get("merged_into")]
    assert len(former) >= 80
    for r in former:
        assert r["merged_into"] in today and r["valid_to"] and r["name"] not in {regions[f"municipality-{c}"]["name"]
                                                                                  for c in today}, r


def test_member_codes_are_municipalities(regions: dict[str, dict[str, Any]]) -> None:
    municipality_codes = {r["code"] for r in regions.values() if r["kind"] == "municipality"}
    for r in regions.values():
        assert set(r["member_codes"]) <= municipality_codes, r["id"]


def test_gazetteer_lines_parse_and_resolve(gazetteer: list[dict[str, Any]], regions: dict[str, Any]) -> None:
    assert gazetteer
    for p in gazetteer:
        assert p["id"] in regions, p
        assert p["form"] in FORMS, p
        assert p["pattern"] and p["pattern"] == " ".join(p["pattern"].split()), p


def test_gazetteer_unique_and_sorted(gazetteer: list[dict[str, Any]]) -> None:
    keys = [(p["id"], p["pattern"]) for p in gazetteer]
    assert len(keys) == len(set(keys))
    assert keys == sorted(keys)


def test_every_region_has_its_name(gazetteer: list[dict[str, Any]], regions: dict[str, Any]) -> None:
    patterns = {(p["id"], p["pattern"]) for p in gazetteer}
    missing = [r["id"] for r in regions.values() if (r["id"], r["name"]) not in patterns]
    assert not missing


def test_viken(gazetteer: list[dict[str, Any]], regions: dict[str, Any]) -> None:
    [viken] = lookup(gazetteer, regions, "Viken fylkeskommune")
    assert viken["kind"] == "county" and viken["valid_to"] == "2023"


def test_lillestrom(gazetteer: list[dict[str, Any]], regions: dict[str, Any]) -> None:
    [lillestrom] = lookup(gazetteer, regions, "Lillestrøm kommune")
    assert lillestrom["kind"] == "municipality" and lillestrom["code"] == "3205"


def test_council_names(gazetteer: list[dict[str, Any]], regions: dict[str, Any]) -> None:
    assert [r["id"] for r in lookup(gazetteer, regions, "Mosseregionen IPR")] == ["mosseregionen-ipr"]
    assert regions["mosseregionen-ipr"]["name"] == "Mosseregionen IPR"
    soipr = {r["id"] for r in lookup(gazetteer, regions, "SØIPR")}
    assert soipr == {"sondre-ostfold-regionrad", "sor-osterdal-ipr"}
    assert "Vestby" in regions["mosseregionen-ipr"]["members"]


def test_abbreviations_case_sensitive(gazetteer: list[dict[str, Any]]) -> None:
    flags = {p["pattern"]: p.get("case_sensitive", False) for p in gazetteer}
    for abbreviation in ("SNR", "GRIP", "ØFR", "ORKidé", "SiS"):
        assert flags[abbreviation] is True, abbreviation
    for ordinary in ("Mosseregionen", "Aust-Agder", "Nord-Odal kommune", "Samarbeidsrådet for Nedre Romerike",
                     "Indre Østfold regionråd"):
        assert flags[ordinary] is False, ordinary


def test_forms(gazetteer: list[dict[str, Any]]) -> None:
    forms = {(p["pattern"], p["form"]) for p in gazetteer}
    assert ("Mosseregionens", "genitive") in forms
    assert ("Midt-Buskerud", "district") in forms
    assert ("Viken", "county_bare") in forms
    assert ("Oslo", "municipality_bare") in forms
    assert not any(p.endswith("Romerikes") for p, _ in forms)


def test_first_names() -> None:
    rows = read_tsv(NAMES / "first_names.tsv")
    names = {r["name"] for r in rows}
    assert {"Kari", "Ola", "Per", "Anne-Marie"} <= names
    assert len(names) == len(rows) > 1000
    for r in rows:
        assert r["name"].strip() == r["name"] != "", r
        assert int(r["weight"]) > 0 and r["sex"] in {"f", "m", "fm"}, r
    assert [r["name"] for r in rows] == sorted(names)


def test_surnames() -> None:
    rows = read_tsv(NAMES / "surnames.tsv")
    names = {r["name"] for r in rows}
    assert {"Hansen", "Johansen"} <= names
    assert len(names) == len(rows) > 1000
    for r in rows:
        assert r["name"].strip() == r["name"] != "" and int(r["count"]) > 0, r


def test_attribution_shipped() -> None:
    assert (REFERENCE / "LICENSE-norway-geodata").is_file()
    assert "norway-geodata" in (REFERENCE / "README.md").read_text(encoding="utf-8")
    readme = (NAMES / "README.md").read_text(encoding="utf-8")
    assert "https://creativecommons.org/licenses/by/4.0/" in readme
    assert "12891" in readme and "10467" in readme
