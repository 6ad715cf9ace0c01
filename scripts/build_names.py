"""Build the first-name and surname lists from SSB name statistics (via the norwegian-fake-data package).

Run by a developer; the outputs are committed::

    python scripts/build_names.py [NAMES_JSON_GZ]

The default input is ``norwegian_fake_data/data/names.json.gz`` of the installed package
(``pip install norwegian-fake-data``). Writes ``pipeline/reference/resources/names/first_names.tsv``
(name, weight summed over years, sex ``f``/``m``/``fm``), ``surnames.tsv`` (name, highest count over
years) and ``README.md`` with the SSB attribution (CC BY 4.0). Rows are sorted by name.
"""
from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "pipeline" / "reference" / "resources" / "names"

README = """\
# Name lists

Lists of Norwegian first names and surnames, used to recognise person names in meeting documents.

| File | Rows | Columns (tab-separated, one header line) |
| --- | --- | --- |
| `first_names.tsv` | {n_first} | `name`, `weight` (SSB's share of persons given the name, in \
thousandths of a percent, summed over all years and both sexes), \
`sex` (`f`, `m` or `fm` when listed for both) |
| `surnames.tsv` | {n_sur} | `name`, `count` (persons with the surname, the highest count of any year) |

Rows are sorted by name (Unicode code point order). Compound first names are kept as SSB lists
them (`Anne-Marie`). The weights only rank names; they are not population counts.

## Source and licence

Contains data from Statistics Norway (SSB), licensed under Creative Commons Attribution 4.0
International (CC BY 4.0), https://creativecommons.org/licenses/by/4.0/
(SSB licensing: https://www.ssb.no/en/diverse/lisens):

- Table 10467, first names (persons by first name and year of birth/naming):
  https://www.ssb.no/statbank/table/10467 (updated {updated_10467})
- Table 12891, surnames (persons by surname and year): https://www.ssb.no/statbank/table/12891
  (updated {updated_12891})

Retrieved {retrieved} through the `norwegian-fake-data` package's snapshot (`names.json.gz`),
which keeps names with at least 200 bearers and scales first-name percentages by 1,000.
Adapted: aggregated over years (first-name weights summed over years 1880-2025 and sexes;
surname counts are the maximum over years 2018-2025).

## Rebuild

    pip install norwegian-fake-data
    python scripts/build_names.py            # or: python scripts/build_names.py path/to/names.json.gz
"""


def default_source() -> Path:
    spec = importlib.util.find_spec("norwegian_fake_data")
    if spec is None or spec.origin is None:
        raise SystemExit("norwegian-fake-data is not installed; pass the path to names.json.gz")
    return Path(spec.origin).parent / "data" / "names.json.gz"


def first_names(data: dict[str, list[list[Any]]]) -> list[tuple[str, int, str]]:
    weight: dict[str, int] = defaultdict(int)
    sexes: dict[str, set[str]] = defaultdict(set)
    for key, rows in data.items():
        sex = {"female": "f", "male": "m"}[key.split(":")[1]]
        for name, w in rows:
            name = name.strip()
            if name:
                weight[name] += int(w)
                sexes[name].add(sex)
    return [(n, weight[n], "".join(sorted(sexes[n]))) for n in sorted(weight)]


def surnames(data: dict[str, list[list[Any]]]) -> list[tuple[str, int]]:
    count: dict[str, int] = {}
    for rows in data.values():
        for name, c in rows:
            name = name.strip()
            if name:
                count[name] = max(count.get(name, 0), int(c))
    return sorted(count.items())


def write_tsv(path: Path, header: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    lines = ["\t".join(header)] + ["\t".join(map(str, row)) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("source", nargs="?", type=Path, default=None)
    args = parser.parse_args()
    with gzip.open(args.source or default_source(), "rt", encoding="utf-8") as fh:
        data = json.load(fh)
    first, sur = first_names(data["first_names"]), surnames(data["surnames"])
    OUT.mkdir(parents=True, exist_ok=True)
    write_tsv(OUT / "first_names.tsv", ("name", "weight", "sex"), first)
    write_tsv(OUT / "surnames.tsv", ("name", "count"), sur)
    sources = data.get("sources", {})
    (OUT / "README.md").write_text(
        README.format(n_first=len(first), n_sur=len(sur), retrieved=data.get("retrieved_on", "unknown"),
                      updated_10467=sources.get("10467", {}).get("updated", "unknown")[:10],
                      updated_12891=sources.get("12891", {}).get("updated", "unknown")[:10]),
        encoding="utf-8",
    )
    print(f"first_names.tsv: {len(first)} names, surnames.tsv: {len(sur)} names")


if __name__ == "__main__":
    main()
