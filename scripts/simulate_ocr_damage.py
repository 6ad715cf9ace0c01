"""Damage clean Norwegian text the way an OCR engine without Norwegian letters does, to test repair.

    python scripts/simulate_ocr_damage.py CLEAN.txt... [--seed 1] [--out DIR] [--report]

Every æ, ø and å is misread (Tesseract's English model gets none of them right), by the rates in
``DAMAGE`` below (chosen independently of the repair's own confusion table, which it must not just
mirror); an initial capital I becomes ``|`` now and then; and other characters are misread at a
quarter of that rate (rn/m, l/1, e/c ...), so that about 80 % of the errors fall on æ/ø/å, as in
real Tesseract-English output of Norwegian (2-3 % of characters wrong). With ``--report``, each
text is also repaired and the character error rate before and after is printed (the measure of
``shared/tools/score.py``).
"""
from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

DAMAGE = {
    "ø": [("o", 0.35), ("g", 0.25), ("a", 0.15), ("e", 0.10), ("@", 0.10), ("0", 0.05)],
    "å": [("a", 0.75), ("d", 0.10), ("4", 0.10), ("&", 0.05)],
    "æ": [("e", 0.50), ("ae", 0.25), ("ee", 0.15), ("ze", 0.10)],
    "Ø": [("O", 0.50), ("@", 0.30), ("0", 0.20)],
    "Å": [("A", 0.90), ("4", 0.10)],
    "Æ": [("E", 0.50), ("AE", 0.50)],
}
OTHER = [("rn", "m"), ("m", "rn"), ("l", "1"), ("i", "l"), ("e", "c"), ("c", "e"), ("h", "b"), ("t", "f"),
         ("n", "ri"), ("u", "n"), (",", "."), (".", ","), ("S", "5"), ("O", "0")]
OTHER_SHARE = 0.25  # other errors per æ/ø/å error: 80 % of the errors are on æ/ø/å
PIPE_FOR_I = 0.3


def pick(rng: random.Random, options: list[tuple[str, float]]) -> str:
    x, acc = rng.random(), 0.0
    for seen, weight in options:
        acc += weight
        if x < acc:
            return seen
    return options[-1][0]


def damage(text: str, seed: int = 1) -> str:
    """The damaged text; the same seed gives the same damage.

    >>> damage("Møtet på rådhuset", seed=3) != "Møtet på rådhuset"
    True
    """
    rng = random.Random(seed)
    n_letters = sum(text.count(ch) for ch in DAMAGE)
    other_rate = OTHER_SHARE * n_letters / max(1, len(text))
    out = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in DAMAGE:
            out.append(pick(rng, DAMAGE[ch]))
            i += 1
            continue
        if ch == "I" and (i == 0 or not text[i - 1].isalnum()) and rng.random() < PIPE_FOR_I:
            out.append("|")
            i += 1
            continue
        if rng.random() < other_rate:
            for true, seen in rng.sample(OTHER, len(OTHER)):
                if text.startswith(true, i):
                    out.append(seen)
                    i += len(true)
                    break
            else:
                out.append(ch)
                i += 1
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, help="write the damaged texts here")
    ap.add_argument("--report", action="store_true", help="repair and print CER before/after")
    a = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from rapidfuzz.distance import Levenshtein

    from pipeline.models import Page
    from pipeline.normalise import normalise_pages
    from pipeline.repair import repair_lines

    def cer(text: str, truth: str) -> float:
        a, b = " ".join(text.split()), " ".join(truth.split())
        return Levenshtein.distance(a, b) / max(1, len(b))

    totals = [0.0, 0.0, 0]
    for k, path in enumerate(a.files):
        clean = "\n".join(line.text for line in normalise_pages([Page(1, path.read_text(encoding="utf-8"))]))
        bad = damage(clean, a.seed + k)
        if a.out:
            a.out.mkdir(parents=True, exist_ok=True)
            (a.out / path.name).write_text(bad, encoding="utf-8")
        if a.report:
            lines = normalise_pages([Page(1, bad)])
            fixed = "\n".join(line.text for line in repair_lines(lines)[0])
            before, after = cer(bad, clean), cer(fixed, clean)
            n = len(" ".join(clean.split()))
            totals[0] += before * n
            totals[1] += after * n
            totals[2] += n
            print(f"{path.name[:50]:50s} CER {before:.4f} -> {after:.4f}  reduction {1 - after / before:.1%}")
    if a.report and totals[2]:
        before, after = totals[0] / totals[2], totals[1] / totals[2]
        print(f"{'all':50s} CER {before:.4f} -> {after:.4f}  reduction {1 - after / before:.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
