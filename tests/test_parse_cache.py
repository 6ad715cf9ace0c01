"""The spaCy docs of block texts are parsed once per text (extractors.context.parse): the same as
parsing each text anew, also for a text seen in an earlier document, and the cache stays bounded."""
from __future__ import annotations

from extractors import context
from extractors.nlp import nlp


def _reading(doc: object) -> tuple[object, ...]:
    return ([t.text for t in doc], [(e.start, e.end, e.ent_id_) for e in doc.ents],  # type: ignore[attr-defined]
            [(s.start, s.end) for s in doc.spans.get("persons", [])])  # type: ignore[attr-defined]


def test_a_repeated_text_reads_as_a_fresh_parse() -> None:
    texts = ["Til stede: Kari Nordmann, Asker kommune", "Vedtak:", "Til stede: Kari Nordmann, Asker kommune"]
    first = context.parse(texts)
    again = context.parse(["Vedtak:", texts[0]])  # both seen before
    assert [_reading(d) for d in first] == [_reading(nlp()(t)) for t in texts]
    assert [_reading(d) for d in again] == [_reading(nlp()(t)) for t in ("Vedtak:", texts[0])]
    assert _reading(first[0])[2] == [(3, 5)]  # "Kari Nordmann" after "Til stede:": the name was found


def test_the_cache_keeps_the_newest_texts_only() -> None:
    texts = [f"Sak {n}/25 Budsjett for regionen" for n in range(context.PARSED_MAX + 50)]
    docs = context.parse(texts)
    assert [d.user_data["text"] for d in docs] == texts  # a document longer than the cache still gets every doc
    assert len(context._PARSED) == context.PARSED_MAX
    assert texts[-1] in context._PARSED and texts[0] not in context._PARSED
