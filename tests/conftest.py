"""Shared test set-up: ``pytest --update-golden`` rewrites golden outputs (review them as a diff)."""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
REPO = TESTS.parent
SHARED = REPO.parent / "shared"


def pytest_configure(config: pytest.Config) -> None:
    """The start-up cache (pipeline.cache) of a test session is its own, not the user's."""
    if "MINUTES_CACHE_DIR" not in os.environ:
        os.environ["MINUTES_CACHE_DIR"] = config._minutes_cache = tempfile.mkdtemp(prefix="minutes-cache-")  # type: ignore[attr-defined]


def pytest_unconfigure(config: pytest.Config) -> None:
    folder = getattr(config, "_minutes_cache", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        del os.environ["MINUTES_CACHE_DIR"]


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
