"""Political parties: their names and list codes (``resources/parties.jsonl``).

A list code stands alone ("AP", "KrF", "H"), with a two-letter municipality prefix ("NAAP",
"FLSP": the Namsos or Flatanger list of a party), with a municipality suffix ("AP-V") or joined
with another list ("SL/TVP"). A party is who a person represents, never their organisation.

>>> is_party("KrF"), is_party("FLSP"), is_party("AP-V"), is_party("SL/TVP"), is_party("(Sp)")
(True, True, True, True, True)
>>> is_party("NAV"), is_party("Frøya"), is_party("IKS"), is_party("Høyre"), is_party("ROR")
(False, False, False, True, False)
"""
from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Any

from extractors.lexicons import gazetteer, read_jsonl


@cache
def _data() -> tuple[frozenset[str], frozenset[str], dict[str, Any]]:
    rows = read_jsonl("extractors.resources", "parties.jsonl")
    rule = next(r for r in rows if r["id"] == "_combine")
    codes = frozenset(c.upper() for r in rows if r["id"] != "_combine" for c in r["codes"])
    names = frozenset(n.casefold() for r in rows if r["id"] != "_combine" for n in r["names"])
    return codes, names, rule


@cache
def _rule_parts() -> tuple[re.Pattern[str], frozenset[str]]:
    """The municipality suffix as a pattern, and the words that are no party, in capitals."""
    rule = _data()[2]
    return re.compile(rf"{rule['municipality_suffix']}$"), frozenset(n.upper() for n in rule["not_parties"])


def _is_code(part: str) -> bool:
    codes, _names, rule = _data()
    suffix, not_parties = _rule_parts()
    part = suffix.sub("", part) if len(part) > 2 else part
    up = part.upper()
    if up in not_parties:
        return False
    if up in codes:
        return part.isupper() or len(part) > 1 and part[0].isupper()  # "Sp", "KrF", not "sv" in prose
    prefix = rule["municipality_prefix_letters"]
    return part.isupper() and len(part) > prefix and up[prefix:] in codes


@lru_cache(maxsize=1 << 16)
def is_party(text: str) -> bool:
    """A party name or list code, alone or in brackets (asked for every word of a list: remembered)."""
    text = text.strip(" ()[],.")
    if not text:
        return False
    _codes, names, rule = _data()
    if text.casefold() in names:
        return True
    parts = text.split(rule["joint_list_separator"])
    return all(p and " " not in p and _is_code(p) for p in parts) and text not in _region_short_names()


@cache
def _region_short_names() -> frozenset[str]:
    """Short names of regions written in capitals ("ROR", "SNR"): a council, not a list code."""
    return frozenset(g["pattern"] for g in gazetteer() if g["pattern"].isupper())
