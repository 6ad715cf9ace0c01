"""The registry: read top to bottom, it says what is extracted and in which order.

Each extractor is a plain function ``(ctx: DocContext) -> output``. Later extractors may read
what earlier ones found through ``ctx.found[name]`` (decisions need the agenda items and the
document type; topics need the regions).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from extractors import agenda, checks, decisions, metadata, participants, regions, topics, votes
from extractors.context import DocContext, build_context

#: name -> extractor, in the order they run.
EXTRACTORS: dict[str, Callable[[DocContext], Any]] = {
    "metadata": metadata.extract,
    "agenda_items": agenda.extract,
    "decisions": decisions.extract,
    "votes": votes.extract,
    "participants": participants.extract,
    "regions": regions.extract,
    "topics": topics.extract,
    "checks": checks.extract,  # what looks wrong in what the others found (documents.checks)
}


#: name -> the earlier outputs it reads. ``metadata`` (type, title, date, body and the owner region,
#: :mod:`extractors.owner`) reads only the gazetteer mentions of the context
#: (:func:`extractors.regions.mentions`), so every later extractor may use the owner region.
NEEDS: dict[str, tuple[str, ...]] = {
    "metadata": (),
    "agenda_items": ("metadata",),
    "decisions": ("metadata", "agenda_items"),
    "votes": ("decisions",),
    "participants": ("metadata",),
    "regions": ("metadata", "participants"),
    "topics": ("metadata", "participants", "regions"),
    "checks": ("metadata", "agenda_items", "decisions", "votes", "participants"),
}


def check_order(order: list[str], needs: dict[str, tuple[str, ...]]) -> list[str]:
    """What runs before what it needs (empty when the order is right).

    >>> check_order(["metadata", "topics", "regions"], {"topics": ("regions",)})
    ['topics needs regions']
    """
    return [f"{name} needs {need}" for k, name in enumerate(order) for need in needs.get(name, ())
            if need not in order[:k]]


def run_extractors(ctx: DocContext) -> dict[str, Any]:
    """Run every extractor in order; returns ``ctx.found`` (name -> output)."""
    for name, extractor in EXTRACTORS.items():
        ctx.found[name] = extractor(ctx)
    return ctx.found


__all__ = ["EXTRACTORS", "DocContext", "build_context", "run_extractors"]
