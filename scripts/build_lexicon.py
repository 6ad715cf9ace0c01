"""Build the compact Bokmål lexicon that OCR repair reads (``pipeline/resources/lexicon/nb_words.tsv.gz``)
and its list of verb infinitives (``nb_infinitives.txt.gz``: a lone "4" or "a" before one is the
infinitive marker "å").

Run by a developer; the output is committed, so neither package below is needed at run time::

    pip install wordfreq spacy-lookups-data
    python scripts/build_lexicon.py

Sources:

* Norsk Ordbank's full forms of nouns, verbs, adjectives and adverbs, as shipped in
  spacy-lookups-data (``nb_lemma_exc``; Språkbanken / Nasjonalbiblioteket, CC BY 4.0);
* wordfreq's Bokmål frequencies (``nb``, the "best" list; data CC BY-SA 4.0): every Ordbank form
  gets its Zipf frequency, and words Ordbank lacks (pronouns, prepositions, names, new words) are
  added when they are alphabetic and at least ``--min-zipf`` frequent.

One line per word: ``word<TAB>zipf*10`` (an integer, 0 when wordfreq does not know the word).
Words are lower-case except forms Ordbank knows only with a capital (proper nouns), which keep it.
Loading the plain Ordbank JSON costs seconds and ~190 MB; this file loads in a fraction of that.
"""
from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import math
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "pipeline" / "resources" / "lexicon" / "nb_words.tsv.gz"
INFINITIVES = OUT.parent / "nb_infinitives.txt.gz"
WORD = re.compile(r"[^\W\d_]+")


def ordbank_table() -> dict[str, dict[str, list[str]]]:
    """Norsk Ordbank's full forms by part of speech: ``{"verb": {"gjorde": ["gjøre"], ...}, ...}``."""
    spec = importlib.util.find_spec("spacy_lookups_data")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("spacy-lookups-data is not installed: pip install spacy-lookups-data")
    path = Path(list(spec.submodule_search_locations)[0]) / "data" / "nb_lemma_exc.json.gz"
    table: dict[str, dict[str, list[str]]] = json.loads(gzip.open(path, "rt", encoding="utf-8").read())
    return table


def infinitives() -> list[str]:
    """The verbs' infinitives (their lemmas), lower-case words only."""
    verbs = ordbank_table()["verb"]
    return sorted({lemma for lemmas in verbs.values() for lemma in lemmas if WORD.fullmatch(lemma) and lemma.islower()})


def ordbank_forms() -> set[str]:
    table = ordbank_table()
    forms: set[str] = set()
    for by_form in table.values():
        for form, lemmas in by_form.items():
            forms.add(form)
            forms.update(lemmas)
    return {f for f in forms if WORD.fullmatch(f)}


def build(min_zipf: float) -> dict[str, int]:
    from wordfreq import get_frequency_dict  # build-time only

    freq = get_frequency_dict("nb", wordlist="best")
    forms = ordbank_forms()
    lower = {f for f in forms if f == f.lower()}
    out: dict[str, int] = {}
    for form in forms:
        key = form.lower()
        if form != key and key in lower:
            continue  # the lower-case form is the word; the capitalised one is only sentence-initial
        f = freq.get(key, 0.0)
        out[form if form != key else key] = round(10 * (math.log10(f) + 9)) if f else 0
    known = {w.lower() for w in out}
    for word, f in freq.items():
        zipf = math.log10(f) + 9
        if zipf >= min_zipf and word not in known and WORD.fullmatch(word):
            out[word] = round(10 * zipf)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--min-zipf", type=float, default=2.0, help="wordfreq-only words at least this frequent")
    ap.add_argument("--out", type=Path, default=OUT)
    a = ap.parse_args(argv)
    words = build(a.min_zipf)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    body = "".join(f"{w}\t{z}\n" for w, z in sorted(words.items()))
    with gzip.GzipFile(a.out, "wb", mtime=0) as f:  # mtime=0: the same input gives the same bytes
        f.write(body.encode("utf-8"))
    print(f"{a.out.relative_to(ROOT)}: {len(words):,} words, {a.out.stat().st_size:,} bytes")
    verbs = infinitives()
    with gzip.GzipFile(a.out.parent / INFINITIVES.name, "wb", mtime=0) as f:
        f.write("".join(f"{v}\n" for v in verbs).encode("utf-8"))
    print(f"{INFINITIVES.name}: {len(verbs):,} infinitives")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
