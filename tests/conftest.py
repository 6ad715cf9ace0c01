"""Shared test set-up: ``pytest --update-golden`` rewrites golden outputs (review them as a diff)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
REPO = TESTS.parent
SHARED = REPO.parent / "shared"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/ from the current output")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def cases(name: str) -> list[dict]:
    """Test cases kept as data in tests/cases/<name>.json."""
    return json.loads((TESTS / "cases" / f"{name}.json").read_text(encoding="utf-8"))


@pytest.fixture
def sources(tmp_path: Path) -> dict[str, Path]:
    """Source files of the documents of ``tests.test_workbook.make_tables`` (doc_id -> path)."""
    raw = tmp_path / "raw"
    (raw / "2021").mkdir(parents=True)
    files = {"mote": raw / "2021" / "møte 1.pdf", "notat": raw / "notat.txt", "odelagt": raw / "ødelagt.docx"}
    for path in files.values():
        path.write_bytes(b"x")
    return files
