"""OCR repair: the cases in tests/cases/repair.json, clean texts left alone, the dev figure."""
from __future__ import annotations

import importlib.util
import json
import re
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import ocr_context
from pipeline.lexicon import confusions, load_lexicon
from pipeline.models import Line, Page
from pipeline.normalise import normalise_pages
from pipeline.repair import DAMAGED, damage_score, repair_lines, repair_text
from tests.conftest import REPO, SHARED, cases

CASES = cases("repair")
FIXTURE_DOCS = sorted((REPO / "tests" / "fixtures" / "docs").glob("*.txt"))
DEV = SHARED / "corpus" / "dev"
DAMAGED_DEV = "000_a74ef76036f4bf92"
CLEAN_DEV = sorted(p for p in (DEV / "raw").glob("*.txt") if not p.name.startswith("000_"))  # [] if absent


def _lines(text: str) -> list[Line]:
    return normalise_pages([Page(1, text)])


def _words_changed_per_1000(before: list[Line], after: list[Line]) -> float:
    a = [w for line in before for w in re.findall(r"\w+", line.text)]
    b = [w for line in after for w in re.findall(r"\w+", line.text)]
    assert len(a) == len(b)
    return 1000 * sum(x != y for x, y in zip(a, b, strict=True)) / max(1, len(a))


@pytest.mark.parametrize("case", CASES, ids=[c["label"] for c in CASES])
def test_case(case: dict) -> None:
    assert repair_text(case["original"]) == case["expected"]


def test_cases_cover_every_kind_of_confusion() -> None:
    labels = " ".join(c["label"] for c in CASES)
    kinds = ["oslash read as " + s for s in ("g", "o", "a", "e", "@")]
    kinds += ["aring read as " + s for s in ("a", "4", "d", "&")]
    kinds += ["aelig read as " + s for s in ("e", "ee", "ae", "ze")]
    kinds += ["capital I read as |", "real word repaired", "real word kept", "Nynorsk", "names",
              "clean text untouched", "aring read as 4 alone", "lone 4 as a number kept", "real word context",
              "partly damaged", "møter never måter"]
    for kind in kinds:
        assert kind in labels, kind


def test_confusion_table_is_well_formed() -> None:
    table = confusions()
    assert len({c.id for c in table}) == len(table)
    assert all(c.true and c.seen and 0 < c.weight <= 1 for c in table)
    assert {c.true for c in table} >= {"ø", "å", "æ", "I"}


def test_context_rules_are_well_formed() -> None:
    rows = [json.loads(line) for line in (REPO / "pipeline" / "resources" / "ocr_context.jsonl")
            .read_text(encoding="utf-8").splitlines() if line.strip()]
    assert rows and all({"word", "bonus", "note"} <= set(r) and ("prev" in r or "next" in r) for r in rows)
    assert all(isinstance(r.get("prev", r.get("next")), list) or r.get("prev", r.get("next")) in
               ("@infinitive", "!@infinitive") for r in rows)
    assert ocr_context.rules() and all(-5 <= r.bonus <= 5 for r in ocr_context.rules())


def test_lone_four_is_aring_only_between_a_word_and_an_infinitive() -> None:
    damaged = "Det ble papekt pa mgtet at kommunen vil bidra. "
    for text, fixed in (("for 4 bidra", "for å bidra"), ("sak 4 behandles", "sak 4 behandles"),
                        ("punkt 4 vurdere", "punkt 4 vurdere"), ("3 og 4 vurdere", "3 og 4 vurdere"),
                        ("med 4 mot 3", "med 4 mot 3"), ("for 4. gang", "for 4. gang"),
                        ("ansvar for 4 sgrge for", "ansvar for å sørge for")):
        assert repair_text(damaged + text) == damaged.replace("papekt pa mgtet", "påpekt på møtet") + fixed


def test_a_document_misreading_all_its_letters_one_way_weighs_that_way() -> None:
    from pipeline.ocr_damage import channel_gain

    gain = channel_gain(Counter({"ocr_oslash_o": 40, "ocr_oslash_g": 1}))
    assert gain["ocr_oslash_o"] > 0 > gain["ocr_oslash_g"] and "ocr_aring_a" not in gain
    assert channel_gain(Counter()) == {}


def test_changes_say_what_where_and_why() -> None:
    lines = [Line(3, 7, "Saken ble drgftet i mgtet."), Line(3, 9, "Det ble papekt at vi na gar videre.")]
    fixed, changes = repair_lines(lines)
    assert [(c.before, c.after, c.page, c.line) for c in changes] == [
        ("drgftet", "drøftet", 3, 7), ("mgtet", "møtet", 3, 7),
        ("papekt", "påpekt", 3, 9), ("na", "nå", 3, 9), ("gar", "går", 3, 9)]
    assert {c.rule for c in changes} == {"ocr_oslash_g", "ocr_aring_a"}
    assert all(0.5 <= c.confidence <= 1 for c in changes)
    assert [(line.page, line.number) for line in fixed] == [(3, 7), (3, 9)]


def test_line_structure_and_spacing_are_kept() -> None:
    text = "  Mgtet   ble\tholdt  pa\nradhuset.  \n\n| mgtet deltok  alle."
    fixed = repair_text(text)
    assert fixed == "  Møtet   ble\tholdt  på\nrådhuset.  \n\nI møtet deltok  alle."
    assert re.sub(r"\S", "", fixed) == re.sub(r"\S", "", text)


def test_only_damaged_pages_are_repaired() -> None:
    clean = "Møtet ble holdt på rådhuset, og for Kari var det greit å møtes. Saken ble drøftet."
    damaged = "Mgtet ble holdt pa radhuset, og det ble papekt at vi na gar videre."
    lines = [Line(1, 1, clean), Line(2, 1, damaged), Line(3, 1, clean.replace("Kari", "Ola"))]
    fixed, changes = repair_lines(lines)
    assert fixed[0] == lines[0] and fixed[2] == lines[2]
    assert {c.page for c in changes} == {2}


def test_damage_score_separates_clean_from_damaged() -> None:
    assert damage_score("Møtet ble holdt på rådhuset, og saken ble drøftet i går.") == 0.0
    assert damage_score("Mgtet ble holdt pa radhuset, og saken ble drgftet i gar.") >= DAMAGED
    assert damage_score("The meeting was held in Oslo on Monday, and the board agreed.") < DAMAGED


def test_lexicon_knows_forms_compounds_need_and_names() -> None:
    lexicon = load_lexicon()
    for word in ("møte", "møtet", "på", "nødvendig", "områdene", "direktør", "utvalget"):
        assert word in lexicon, word
    assert lexicon.is_name("Bjørn") and lexicon.is_name("Østfold")


@pytest.mark.parametrize("path", FIXTURE_DOCS, ids=[p.stem for p in FIXTURE_DOCS])
def test_clean_fixture_documents_are_unchanged(path: Path) -> None:
    lines = _lines(path.read_text(encoding="utf-8"))
    fixed, changes = repair_lines(lines)
    assert changes == [] and fixed == lines


@pytest.mark.skipif(not CLEAN_DEV, reason="shared/corpus/dev not available")
@pytest.mark.parametrize("path", CLEAN_DEV, ids=[p.stem for p in CLEAN_DEV])
def test_clean_dev_documents_are_unchanged(path: Path) -> None:
    lines = _lines(path.read_text(encoding="utf-8"))
    fixed, _ = repair_lines(lines)
    assert _words_changed_per_1000(lines, fixed) == 0


@settings(max_examples=40, deadline=None)
@given(doc=st.sampled_from(FIXTURE_DOCS), start=st.integers(0, 60), size=st.integers(1, 25))
def test_any_stretch_of_clean_text_is_unchanged(doc: Path, start: int, size: int) -> None:
    """A window of a clean document (a page of a few lines, with few or no æ/ø/å) is not repaired."""
    lines = _lines(doc.read_text(encoding="utf-8"))[start:start + size]
    assert repair_lines(lines)[0] == lines


@pytest.mark.skipif(not (DEV / "clean" / f"{DAMAGED_DEV}.txt").exists(), reason="shared/corpus/dev missing")
def test_damaged_dev_document_error_reduction() -> None:
    sys.path.insert(0, str(SHARED / "tools"))
    from score import cer  # the scorer's own measure

    raw = (DEV / "raw" / f"{DAMAGED_DEV}.txt").read_text(encoding="utf-8")
    clean = (DEV / "clean" / f"{DAMAGED_DEV}.txt").read_text(encoding="utf-8")
    fixed = "\n".join(line.text for line in repair_lines(_lines(raw))[0]) + "\n"
    assert 1 - cer(fixed, clean) / cer(raw, clean) >= 0.99


def _simulator():  # scripts/ is not a package: load the generator by path
    path = REPO / "scripts" / "simulate_ocr_damage.py"
    spec = importlib.util.spec_from_file_location("simulate_ocr_damage", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", ["001_lunner_formannskap_protokoll_2023",
                                  "016_troms_fk_saksframlegg_regionrad_2012",
                                  "020_hallingdal_regionrad_protokoll_nynorsk_2021"])
def test_simulated_ocr_damage_is_mostly_repaired(name: str) -> None:
    """Clean text damaged like Tesseract-English output (every æ/ø/å misread, a quarter as many
    other errors that repair does not touch) loses at least half its character errors."""
    from rapidfuzz.distance import Levenshtein

    source = (REPO / "tests" / "fixtures" / "docs" / f"{name}.txt").read_text(encoding="utf-8")
    clean = "\n".join(line.text for line in _lines(source))
    damaged = _simulator().damage(clean, seed=7)
    fixed = "\n".join(line.text for line in repair_lines(_lines(damaged))[0])
    before, after = Levenshtein.distance(damaged, clean), Levenshtein.distance(fixed, clean)
    assert before > 0 and after <= 0.5 * before


def test_damaged_sample_round_trip_data() -> None:
    """The cases file is JSON with the fields every case needs."""
    data = json.loads((REPO / "tests" / "cases" / "repair.json").read_text(encoding="utf-8"))
    assert all(set(c) == {"label", "original", "expected"} for c in data)
