"""Measure OCR repair on real text: error reduction on simulated real-OCR damage, harm on clean text.

    python scripts/ocr_eval.py [--seeds 3] [--details] [--json FILE]

The clean texts are the real documents (``../shared/corpus/real/raw``), the dev texts
(``../shared/corpus/dev``: the hand-repaired text of the damaged document and the clean ones) and
the project's fixture documents (``tests/fixtures/docs``). Each is damaged by
``scripts/simulate_ocr_damage.py``'s :func:`damage_real` under every profile of real OCR output
(an engine without Norwegian letters, a Norwegian engine on a poor scan, lines that lost their
diacritics), ``--seeds`` times each, and repaired; the figures are those of
``shared/tools/score.py``'s ``ocr_figures``:

* **error reduction**: 1 - CER(repaired) / CER(damaged), summed over the texts (character errors
  after / before), with the **ceiling**: the share of the errors that are misread æ/ø/å or I (the
  rest, rn/m, l/1 ..., repair does not touch);
* **harm**: words changed by repair in the undamaged texts, per 1,000 words (word-level Levenshtein
  distance, as the scorer counts it), per source and language;
* **broken**: words of the damaged texts that OCR left right and repair made wrong, per 1,000 such
  words (texts whose damage keeps the number of words).

Simulated damage is not the hidden set: it is the closest this project can make of it.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from rapidfuzz.distance import Levenshtein  # noqa: E402

from pipeline.lexicon import detect_nynorsk, load_lexicon  # noqa: E402
from pipeline.models import Line, Page  # noqa: E402
from pipeline.normalise import normalise_pages  # noqa: E402
from pipeline.repair import repair_lines  # noqa: E402


def _simulator():  # scripts/ is not a package
    spec = importlib.util.spec_from_file_location("simulate_ocr_damage", ROOT / "scripts" / "simulate_ocr_damage.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def norm_text(s: str) -> str:
    """The scorer's whitespace-insensitive form (``shared/tools/score.py``)."""
    s = unicodedata.normalize("NFC", s)
    s = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", s)
    return re.sub(r"\s+", " ", s).strip()


def sources() -> dict[str, list[Path]]:
    """The clean texts by source."""
    dev = SHARED / "corpus" / "dev"
    return {
        "real": sorted((SHARED / "corpus" / "real" / "raw").glob("*.txt")),
        "dev": sorted((dev / "clean").glob("*.txt")) + sorted(p for p in (dev / "raw").glob("*.txt")
                                                              if not (dev / "clean" / p.name).exists()),
        "fixtures": sorted((ROOT / "tests" / "fixtures" / "docs").glob("*.txt")),
    }


def clean_text(path: Path) -> str:
    """The text as the pipeline's repair stage sees it: normalised lines."""
    return "\n".join(line.text for line in normalise_pages([Page(1, path.read_text(encoding="utf-8"))]))


def repaired(text: str, normalise: bool = False) -> str:
    """``text`` repaired; ``normalise``: normalised first, as the pipeline does with what it reads."""
    if normalise:
        lines = normalise_pages([Page(1, text)])
    else:
        lines = [Line(1, i, t) for i, t in enumerate(text.split("\n"), 1)]
    return "\n".join(line.text for line in repair_lines(lines)[0])


@dataclass
class Tally:
    before: int = 0  # character errors of the damaged texts
    after: int = 0  # ... of the repaired texts
    floor: int = 0  # ... that repair cannot touch
    chars: int = 0
    words: int = 0
    harmed: int = 0  # words changed in clean text
    kept: int = 0  # words of the damaged texts that OCR left right ...
    broken: int = 0  # ... and repair made wrong (møter -> måter)
    changed: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        self.before += other.before
        self.after += other.after
        self.floor += other.floor
        self.chars += other.chars
        self.words += other.words
        self.harmed += other.harmed
        self.kept += other.kept
        self.broken += other.broken
        self.changed += other.changed

    def figures(self) -> dict[str, float]:
        out: dict[str, float] = {}
        if self.before:
            out["cer_before"] = round(self.before / self.chars, 4)
            out["cer_after"] = round(self.after / self.chars, 4)
            out["error_reduction"] = round(1 - self.after / self.before, 3)
            out["ceiling"] = round(1 - self.floor / self.before, 3)
        if self.kept:
            out["broken_per_1000"] = round(1000 * self.broken / self.kept, 2)
        if self.words:
            out["harm_per_1000"] = round(1000 * self.harmed / self.words, 2)
            out["words"] = self.words
        return out


def damage_tally(clean: str, seed: int, profile: str) -> tuple[Tally, list[str]]:
    bad, rest = _simulator().damage_real(clean, seed=seed, profile=profile)
    fixed = repaired(bad, normalise=True)
    c, b, r, f = norm_text(clean), norm_text(bad), norm_text(rest), norm_text(fixed)
    t = Tally(Levenshtein.distance(b, c), Levenshtein.distance(f, c), Levenshtein.distance(r, c), len(c))
    misses = []
    cw, bw, fw = c.split(" "), b.split(" "), f.split(" ")
    if len(cw) == len(fw):
        misses = [f"{x} -> {y}" for x, y in zip(cw, fw, strict=True) if x != y]
    if len(cw) == len(bw) == len(fw):
        right = [(x, y) for x, z, y in zip(cw, bw, fw, strict=True) if x == z]
        t.kept, t.broken = len(right), sum(x != y for x, y in right)
    return t, misses


def harm_tally(clean: str) -> Tally:
    fixed = repaired(clean)
    cw, fw = re.findall(r"\w+", norm_text(clean)), re.findall(r"\w+", norm_text(fixed))
    t = Tally(words=len(cw), harmed=Levenshtein.distance(cw, fw))
    if t.harmed and len(cw) == len(fw):
        t.changed = [f"{x} -> {y}" for x, y in zip(cw, fw, strict=True) if x != y]
    return t


def evaluate(paths: dict[str, list[Path]], seeds: int = 3, profiles: tuple[str, ...] | None = None) -> dict:
    """Figures per source, language and profile, and over all (``"all"``)."""
    profiles = profiles or _simulator().PROFILES
    lexicon = load_lexicon()
    groups: dict[str, Tally] = defaultdict(Tally)
    misses: dict[str, int] = defaultdict(int)
    for source, files in paths.items():
        for k, path in enumerate(files):
            clean = clean_text(path)
            lang = "nn" if detect_nynorsk(re.findall(r"\w+", clean), lexicon) else "nb"
            harm = harm_tally(clean)
            for key in ("all", f"clean {source}", f"clean {source} {lang}", f"clean {lang}"):
                groups[key].add(harm)
            for profile in profiles:
                for s in range(seeds):
                    t, missed = damage_tally(clean, seed=1000 * s + k, profile=profile)
                    for key in ("all", f"damaged {source}", f"damaged {lang}", f"damaged {profile}"):
                        groups[key].add(t)
                    for m in missed:
                        misses[m] += 1
    return {"figures": {k: v.figures() for k, v in sorted(groups.items())},
            "harm": sorted(groups["all"].changed),
            "misses": dict(sorted(misses.items(), key=lambda kv: -kv[1]))}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=int, default=3, help="damaged copies of each text per profile")
    ap.add_argument("--details", type=int, default=0, metavar="N", help="show the N commonest words left wrong")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    a = ap.parse_args(argv)
    res = evaluate(sources(), a.seeds)
    for key, figs in res["figures"].items():
        print(f"{key:28s} " + "  ".join(f"{k} {v}" for k, v in figs.items()))
    print("harm:", "; ".join(res["harm"]) or "none")
    if a.details:
        for m, n in list(res["misses"].items())[: a.details]:
            print(f"{n:5d}  {m}")
    if a.json:
        a.json.write_text(json.dumps(res, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
