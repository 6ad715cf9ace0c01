"""Document metadata on the real corpus (../shared/corpus/real: real documents of councils,
counties and municipalities, none written by this project): document type, meeting date, regions,
topics per region and the owner region (``documents.region``), run once per module and held at
floors. Skipped where the shared corpus is not present.

The scorer does not score ``documents.region``; the owner is checked here against the region the
gold attributes the document's topics to (``topics[].region``), where the gold gives one."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.evaluate import evaluate, region_similarity
from tests.conftest import SHARED

REAL = SHARED / "corpus" / "real"
pytestmark = pytest.mark.skipif(not (REAL / "raw").is_dir(), reason="../shared/corpus/real is not present")


@pytest.fixture(scope="module")
def real_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("real-out")
    assert main(["run", str(REAL / "raw"), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    return out


@pytest.fixture(scope="module")
def figures(real_out: Path) -> dict:
    return evaluate(real_out, REAL / "gold").figures()


def owner_accuracy(out: Path, gold: Path) -> tuple[int, int]:
    """(right, documents): documents whose gold topics name a region, and how many of them have
    that region (or one of them) as ``documents.region``."""
    with (out / "tables" / "documents.csv").open(encoding="utf-8-sig", newline="") as f:
        owners = {Path(r["source_path"]).stem: r["region"] for r in csv.DictReader(f)}
    right = total = 0
    for path in sorted(gold.glob("*.json")):
        g = json.loads(path.read_text(encoding="utf-8"))
        named = {e["region"] for e in g["topics"] if e["region"]}
        if not named:
            continue
        total += 1
        got = owners.get(g["doc"], "")
        right += bool(got) and any(region_similarity({"region": n}, {"region": got}) for n in named)
    return right, total


def test_document_type_and_meeting_date(figures: dict) -> None:
    assert figures["documents"]["missing"] == 0 and figures["documents"]["errors"] == 0
    assert figures["documents"]["doc_type_accuracy"] >= 0.95
    assert figures["documents"]["meeting_date_accuracy"] >= 0.92


def test_regions_and_topics_per_region(figures: dict) -> None:
    assert figures["regions"]["f1"] >= 0.93 and figures["regions"]["precision"] >= 0.95
    assert figures["topics_region"]["f1"] >= 0.72
    assert figures["topics_document"]["f1"] >= 0.75


def test_owner_region_of_documents_that_name_their_body(real_out: Path) -> None:
    right, total = owner_accuracy(real_out, REAL / "gold")
    assert total >= 30 and right / total >= 0.9


def test_owner_region_is_one_of_the_documents_regions(real_out: Path) -> None:
    """The owner is an actor of its own document: it has a regions row."""
    tables = real_out / "tables"
    with (tables / "documents.csv").open(encoding="utf-8-sig", newline="") as f:
        owners = {r["doc_id"]: r["region"] for r in csv.DictReader(f) if r["region"]}
    with (tables / "regions.csv").open(encoding="utf-8-sig", newline="") as f:
        named = {(r["doc_id"], r["region"]) for r in csv.DictReader(f)}
    assert owners and all((doc, owner) in named for doc, owner in owners.items())
