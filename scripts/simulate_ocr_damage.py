"""Damage clean Norwegian text the way an OCR engine without Norwegian letters does, to test repair.

    python scripts/simulate_ocr_damage.py CLEAN.txt... [--seed 1] [--out DIR] [--report]

Every æ, ø and å is misread (Tesseract's English model gets none of them right), by the rates in
``DAMAGE`` below (chosen independently of the repair's own confusion table, which it must not just
mirror); an initial capital I becomes ``|`` now and then; and other characters are misread at a
quarter of that rate (rn/m, l/1, e/c ...), so that about 80 % of the errors fall on æ/ø/å, as in
real Tesseract-English output of Norwegian (2-3 % of characters wrong). With ``--report``, each
text is also repaired and the character error rate before and after is printed (the measure of
``shared/tools/score.py``).

:func:`damage_real` damages the way real scans do, by profile (:data:`REAL_LETTERS`): an engine
without Norwegian letters misreads every æ/ø/å (ø mostly as o, the lone å often as 4), a
Norwegian engine on a poor scan some of them, a transcript loses the diacritics of whole lines;
few other misreadings (rn/m, l/I/1). ``scripts/ocr_eval.py`` measures repair with it.
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


# --------------------------------------------------------------------------- damage like real scans

#: How real OCR output of Norwegian documents goes wrong, by kind of scan ("profile"). Each document
#: gets one profile (chosen by its seed): an engine without Norwegian letters misreads every æ/ø/å;
#: a Norwegian engine on a poor scan misreads some of them, mostly into the plain letter; a
#: transcript or re-typed PDF loses the diacritics of whole lines. The infinitive marker and other
#: lone "å" is read as "4" more often than å inside words (its ring and the letter fuse).
REAL_LETTERS = {
    "latin": {
        "ø": [("o", 0.55), ("g", 0.12), ("0", 0.08), ("@", 0.07), ("a", 0.06), ("e", 0.06), ("ö", 0.06)],
        "å": [("a", 0.72), ("4", 0.12), ("d", 0.06), ("&", 0.04), ("ä", 0.06)],
        "æ": [("e", 0.45), ("ae", 0.35), ("ee", 0.10), ("ze", 0.10)],
        "Ø": [("O", 0.70), ("0", 0.20), ("@", 0.10)],
        "Å": [("A", 0.85), ("4", 0.15)],
        "Æ": [("E", 0.45), ("AE", 0.55)],
    },
    "partial": {
        "ø": [("o", 0.80), ("0", 0.10), ("g", 0.10)],
        "å": [("a", 0.85), ("4", 0.15)],
        "æ": [("e", 0.50), ("ae", 0.50)],
        "Ø": [("O", 0.80), ("0", 0.20)],
        "Å": [("A", 0.90), ("4", 0.10)],
        "Æ": [("E", 0.50), ("AE", 0.50)],
    },
    "lines": {
        "ø": [("o", 1.0)], "å": [("a", 1.0)], "æ": [("ae", 0.6), ("e", 0.4)],
        "Ø": [("O", 1.0)], "Å": [("A", 1.0)], "Æ": [("AE", 0.6), ("E", 0.4)],
    },
}
#: The lone word "å" (infinitive marker, the river): read as 4, a or & (seen in real transcripts).
LONE_ARING = [("4", 0.45), ("a", 0.45), ("&", 0.10)]
#: Share of æ/ø/å misread in the "partial" profile, and of lines stripped in the "lines" profile.
PARTIAL_SHARE = (0.2, 0.6)
LINE_SHARE = (0.2, 0.6)
#: Misreadings repair does not touch (l/I/1, rn/m, cl/d ...): per character, low, as in real output.
REAL_OTHER = [("rn", "m"), ("m", "rn"), ("l", "I"), ("I", "l"), ("l", "1"), ("i", "í"), ("cl", "d"),
              ("ll", "II"), ("e", "c"), (",", "."), ("fi", "ﬁ")]
REAL_OTHER_RATE = 0.0015
PROFILES = ("latin", "partial", "lines")


def damage_real(text: str, seed: int = 1, profile: str | None = None) -> tuple[str, str]:
    """(the damaged text, the text with only the misreadings repair does not handle) for a profile
    of real OCR output (:data:`REAL_LETTERS`); without ``profile`` one is chosen by the seed. The
    second text tells the best repair can do.

    >>> bad, rest = damage_real("Vi har møtt for å drøfte saken på møtet.", seed=2, profile="latin")
    >>> "ø" in bad or "å" in bad, rest.count("ø"), len(bad) >= len(rest)
    (False, 3, True)
    """
    rng = random.Random(seed)
    profile = profile or PROFILES[seed % len(PROFILES)]
    table = REAL_LETTERS[profile]
    share = rng.uniform(*PARTIAL_SHARE) if profile == "partial" else 1.0
    strip_share = rng.uniform(*LINE_SHARE)
    out: list[str] = []
    rest: list[str] = []
    for line in text.split("\n"):
        stripped = profile != "lines" or rng.random() < strip_share
        i = 0
        while i < len(line):
            ch = line[i]
            if ch in table and stripped and rng.random() < share:
                lone = ch == "å" and (i == 0 or not line[i - 1].isalnum()) and not line[i + 1:i + 2].isalnum()
                out.append(pick(rng, LONE_ARING if lone and profile != "lines" else table[ch]))
                rest.append(ch)
                i += 1
                continue
            if ch == "I" and (i == 0 or not line[i - 1].isalnum()) and rng.random() < PIPE_FOR_I * 0.2:
                out.append("|")
                rest.append("I")
                i += 1
                continue
            if rng.random() < REAL_OTHER_RATE:
                for true, seen in rng.sample(REAL_OTHER, len(REAL_OTHER)):
                    if line.startswith(true, i):
                        out.append(seen)
                        rest.append(seen)
                        i += len(true)
                        break
                else:
                    out.append(ch)
                    rest.append(ch)
                    i += 1
                continue
            out.append(ch)
            rest.append(ch)
            i += 1
        out.append("\n")
        rest.append("\n")
    return "".join(out)[:-1], "".join(rest)[:-1]


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
