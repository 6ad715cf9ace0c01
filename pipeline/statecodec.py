"""How the state store writes a result: zlib-compressed JSON of :func:`dataclasses.asdict` (codec
``json-zlib/1``), never pickle, so that the store can be read by any tool and cannot run code when
loaded (:mod:`pipeline.state`).
"""
from __future__ import annotations

import dataclasses
import json
import zlib
from typing import Any

from pipeline.models import TABLES, DocumentResult, DocumentRow, as_dict
from pipeline.statefaults import StateError

CODEC = "json-zlib/1"


def encode_result(result: DocumentResult) -> bytes:
    """A result as compressed JSON; :func:`decode_result` gives back an equal result."""
    data: dict[str, Any] = {"codec": CODEC}
    for f in dataclasses.fields(result):  # dataclasses.asdict(result), without its deep copies
        value = getattr(result, f.name)
        data[f.name] = (as_dict(value) if f.name == "document" else
                        [as_dict(row) for row in value] if f.name in TABLES else value)
    return zlib.compress(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode(), 1)


def decode_result(blob: bytes) -> DocumentResult:
    data = json.loads(zlib.decompress(blob))
    codec = data.pop("codec", None)
    if codec != CODEC:
        raise StateError(f"cached result in an unknown format {codec!r}: rerun with --full")
    kwargs: dict[str, Any] = {}
    for name, value in data.items():
        if name == "document":
            kwargs[name] = DocumentRow(**value)
        elif name in TABLES:
            kwargs[name] = tuple(TABLES[name](**row) for row in value)
        else:
            kwargs[name] = value
    return DocumentResult(**kwargs)
