"""The same document under two names: the second copy (and any later one, in input order) keeps its
row in ``documents``, with ``duplicate_of`` naming the first, but none of its rows in the other
tables, so that a decision, a person or a topic is counted once however many copies of its document
were given (an analyst summing decisions per region gets each decision once).
"""
from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import replace

from pipeline.models import DocumentResult


def mark_duplicates(results: Iterable[DocumentResult], content_hash: Callable[[str], str],
                    repeated: Container[str] | None = None) -> Iterator[DocumentResult]:
    """``results`` (in input order) with each copy of an earlier document's content marked and
    emptied. ``content_hash(doc_id)`` gives the hash of a document's bytes ("" when it could not be
    read: such a document is never taken for a copy). ``repeated``: the hashes that more than one
    document has (:meth:`pipeline.state.StateStore.repeated_hashes`), if known: only those are
    remembered, so memory does not grow with the archive; without it every hash is.

    >>> from pipeline.models import DecisionRow, DocumentRow
    >>> decision = DecisionRow("a", "1", "vedtak", "adopted", "Godkjent.")
    >>> docs = [DocumentResult(DocumentRow(d, f"{d}.txt"), "Godkjent.", decisions=(replace(decision, doc_id=d),))
    ...         for d in ("a", "b", "c")]
    >>> out = list(mark_duplicates(docs, {"a": "h1", "b": "h1", "c": "h2"}.get))
    >>> [(r.document.doc_id, r.document.duplicate_of, len(r.decisions)) for r in out]
    [('a', '', 1), ('b', 'a', 0), ('c', '', 1)]
    >>> out = list(mark_duplicates(docs, {"a": "h1", "b": "h1", "c": "h2"}.get, repeated={"h1"}))
    >>> [(r.document.doc_id, r.document.duplicate_of, len(r.decisions)) for r in out]
    [('a', '', 1), ('b', 'a', 0), ('c', '', 1)]
    """
    first: dict[str, str] = {}  # content hash -> doc_id of its first document
    for result in results:
        doc_id = result.document.doc_id
        digest = content_hash(doc_id) or ""
        if repeated is not None and digest not in repeated:
            digest = ""  # no other document has this content: nothing to remember
        original = first.setdefault(digest, doc_id) if digest else doc_id
        if original == doc_id:
            yield result
        else:
            yield replace(result, document=replace(result.document, duplicate_of=original), decisions=(),
                          participants=(), agenda_items=(), regions=(), topics=(), repairs=(), votes=())
