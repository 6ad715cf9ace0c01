"""The Nynorsk full forms (pipeline/lexicon_nn.py): known in Nynorsk text, offered as repairs."""
from __future__ import annotations

import gzip

from pipeline.lexicon import base_model, load_lexicon
from pipeline.lexicon_data import WORDS_FILE
from pipeline.lexicon_nn import NN_WORDS_FILE, SortedLines, nn_forms
from pipeline.ocr_damage import misread_some
from pipeline.repair import repair_text

#: Clean Nynorsk: utgjer, høyrde, utsetjast are ordinary forms the hand list of common forms lacks.
CLEAN = ("Kommunestyret høyrde orienteringa frå rådmannen. Kostnaden utgjer om lag to millionar kroner, "
         "og dette utgjer ein stor del av budsjettet. Saka vart sendt på høyring i fjor, og ingen av partia "
         "kravde at saka skulle utsetjast. Ordføraren høyrde ikkje noko om dette før møtet.")


def test_clean_nynorsk_passes_the_quick_check_and_is_left_alone() -> None:
    assert not misread_some(CLEAN, load_lexicon())  # utgjer was read as a misread utgjør
    assert repair_text(CLEAN) == CLEAN


def test_a_damaged_nynorsk_form_is_repaired_to_it() -> None:
    damaged = ("Kommunestyret h0yrde orienteringa fra radmannen. Det er ikkje klart kva kostnaden blir, "
               "men ho h0yrde at det er ein stor del av budsjettet, og ho var ikkje einig i det.")
    assert "høyrde" not in load_lexicon().nynorsk and "høyrde" not in load_lexicon()
    assert repair_text(damaged).count("høyrde") == 2


def test_a_plain_confusion_does_not_make_a_nynorsk_double_form() -> None:
    # gard and gård are both Nynorsk: gardssal (unknown) is not a misread gårdssal (a full form)
    damaged = ("Kommunestyret h0yrde orienteringa fra radmannen om gardssal i bygda. Det er ikkje klart kva "
               "kostnaden blir, men ho h0yrde at det er ein stor del av budsjettet.")
    repaired = repair_text(damaged)
    assert "høyrde" in repaired and "gardssal" in repaired


def test_full_forms_count_only_in_nynorsk_text_and_not_as_compound_parts() -> None:
    assert base_model(True).zipf("utgjer") > 0 and base_model(False).zipf("utgjer") == 0
    assert base_model(True).zipf("forar", part=True) == 0  # ord-forar would hide the damage of ordforar


def test_the_forms_file_is_sorted_lower_case_and_adds_to_bokmal() -> None:
    words = gzip.decompress(NN_WORDS_FILE.read_bytes()).decode("utf-8").split("\n")[:-1]
    assert words == sorted(words) and len(words) > 400_000
    assert all(w.isalpha() and w.islower() for w in words)
    with gzip.open(WORDS_FILE, "rt", encoding="utf-8") as f:
        bokmal = {line.partition("\t")[0].lower() for line in f}
    assert not bokmal.intersection(words)
    forms = nn_forms()
    assert all(w in forms for w in words[::997]) and "utgjør" not in forms and "x" not in forms


def test_sorted_lines_find_lines_and_prefixes() -> None:
    table = SortedLines(b"a\tb\na\tc\nab\tx\nb\n")
    assert len(table) == 4 and b"b" in table and b"a" not in table
    assert table.with_prefix(b"a\t") == [b"a\tb", b"a\tc"] and table.with_prefix(b"c") == []
