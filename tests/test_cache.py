"""Start-up data kept between runs (pipeline.cache): built once, read back, rebuilt when its sources
change or the cache is damaged, and never in the way when it cannot be kept."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import cache, lexicon


class Builder:
    def __init__(self, source: Path) -> None:
        self.source, self.calls = source, 0

    def __call__(self) -> dict[str, tuple[str, ...]]:
        self.calls += 1
        words = tuple(self.source.read_text(encoding="utf-8").split())
        return {"words": words, "first": words[:1]}


@pytest.fixture
def source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MINUTES_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "words.txt"
    path.write_text("møte vedtak sak", encoding="utf-8")
    return path


def test_a_value_is_built_once_and_read_back_the_same(source: Path, tmp_path: Path) -> None:
    build = Builder(source)
    first = cache.cached("words", [source], build)
    again = cache.cached("words", [source], build)
    assert again == first == {"words": ("møte", "vedtak", "sak"), "first": ("møte",)}
    assert build.calls == 1
    assert len(list((tmp_path / "cache").glob("words-*.marshal"))) == 1


def test_a_changed_source_builds_afresh_and_the_old_value_goes(source: Path, tmp_path: Path) -> None:
    build = Builder(source)
    cache.cached("words", [source], build)
    source.write_text("protokoll referat", encoding="utf-8")
    assert cache.cached("words", [source], build)["words"] == ("protokoll", "referat")
    assert build.calls == 2
    assert len(list((tmp_path / "cache").glob("words-*.marshal"))) == 1


def test_a_damaged_cache_file_is_rebuilt(source: Path, tmp_path: Path) -> None:
    build = Builder(source)
    cache.cached("words", [source], build)
    [kept] = (tmp_path / "cache").glob("words-*.marshal")
    kept.write_bytes(kept.read_bytes()[:10])  # cut short, as by a full disk
    assert cache.cached("words", [source], build)["words"] == ("møte", "vedtak", "sak")
    assert build.calls == 2


def test_switched_off_or_unwritable_it_only_builds(source: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    build = Builder(source)
    monkeypatch.setenv("MINUTES_CACHE_DIR", "off")
    assert cache.cached("words", [source], build)["first"] == ("møte",)
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    monkeypatch.setenv("MINUTES_CACHE_DIR", str(blocked / "cache"))  # a folder cannot be made there
    assert cache.cached("words", [source], build)["first"] == ("møte",)
    assert build.calls == 2
    assert not (tmp_path / "cache").exists()


def test_the_lexicon_from_the_cache_is_the_lexicon_built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MINUTES_CACHE_DIR", str(tmp_path))
    lexicon.load_lexicon.cache_clear()
    try:
        built = lexicon.load_lexicon()  # builds and keeps it
        lexicon.load_lexicon.cache_clear()
        read = lexicon.load_lexicon()  # reads it back
    finally:
        lexicon.load_lexicon.cache_clear()
    assert read is not built
    assert read.zipf == built.zipf and read.proper == built.proper and read.names == built.names
    assert read.by_shape == built.by_shape and read.by_shape
    assert lexicon.shape("møtet") in read.by_shape
