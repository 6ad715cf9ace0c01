"""Build the Nynorsk full-form list that OCR repair reads in Nynorsk text
(``pipeline/resources/lexicon/nn_words.txt.gz``).

Run by a developer; the output is committed, so hunspell is not needed at run time::

    apt-get install hunspell-no hunspell-tools     # nn_NO.dic/.aff and unmunch
    python scripts/build_nn_lexicon.py

Source: the Nynorsk hunspell dictionary of the spell-norwegian project (Debian ``hunspell-no``,
``/usr/share/hunspell/nn_NO.dic``, GPL-2), expanded to its ~711,000 full forms by ``unmunch``.

Kept: lower-case alphabetic forms of at least three letters that the Bokmål lexicon
(``nb_words.tsv.gz``, built first by ``scripts/build_lexicon.py``) lacks, sorted, one a line:
about 440,000 forms (utgjer, høyrde, høyring), ~1.3 MB compressed. Forms both languages share
are already known through the Bokmål file, with its frequencies.
"""
from __future__ import annotations

import argparse
import gzip
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LEXICON = ROOT / "pipeline" / "resources" / "lexicon"
OUT = LEXICON / "nn_words.txt.gz"
MIN_LENGTH = 3


def hunspell_forms(dic: Path, aff: Path) -> list[str]:
    """Every full form of a hunspell dictionary (``unmunch``; the files are ISO-8859-1)."""
    raw = subprocess.run(["unmunch", str(dic), str(aff)], capture_output=True, check=True).stdout
    return [line.split("/")[0].strip() for line in raw.decode("iso-8859-1").splitlines()]


def bokmal_words() -> set[str]:
    with gzip.open(LEXICON / "nb_words.tsv.gz", "rt", encoding="utf-8") as f:
        return {line.partition("\t")[0].lower() for line in f}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dic", type=Path, default=Path("/usr/share/hunspell/nn_NO.dic"))
    ap.add_argument("--aff", type=Path, default=Path("/usr/share/hunspell/nn_NO.aff"))
    args = ap.parse_args()
    known = bokmal_words()
    forms = sorted({w for w in hunspell_forms(args.dic, args.aff)
                    if w.islower() and w.isalpha() and len(w) >= MIN_LENGTH and w not in known})
    data = "".join(w + "\n" for w in forms).encode("utf-8")
    OUT.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    print(f"{OUT}: {len(forms)} Nynorsk forms the Bokmål lexicon lacks")


if __name__ == "__main__":
    main()
