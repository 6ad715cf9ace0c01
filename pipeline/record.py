"""What a decision is not: the vocabulary (``resources/decisions.jsonl``) of what ends a
decision's text (a paragraph in the past tense that records the meeting, the first words of what
follows a decision: "Møtet hevet", "Rett utskrift", "Vedlegg").
"""
from __future__ import annotations

import re
from functools import cache

from pipeline import rules


def _patterns(kind: str) -> tuple[str, ...]:
    return rules.patterns("decisions.jsonl", kind)


@cache
def _narrative_re() -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(_patterns("narrative")) + r")\b", re.IGNORECASE)


@cache
def _after_re() -> re.Pattern[str]:
    return re.compile(r"^\W*?(?:" + "|".join(_patterns("after_decision")) + r")(?:\b|$)", re.IGNORECASE)


def is_narrative(text: str) -> bool:
    """The paragraph's first sentence records what happened in the meeting.

    >>> is_narrative("Det ble ikke tid til gjennomgang av styresaker."), is_narrative("Kommunen ber om en ny vurdering.")
    (True, False)
    """
    first = re.split(r"(?<=[.!?])\s", text.strip(), maxsplit=1)[0]
    return bool(_narrative_re().search(first))


def follows_decision(text: str) -> bool:
    """The line is what follows a decision ("Møtet hevet kl. 22:40.", "Rett utskrift bekreftes").

    >>> follows_decision("Møtet hevet kl. 22:40."), follows_decision("Protokoll fra møtet godkjennes.")
    (True, False)
    """
    return bool(_after_re().match(text))


_ELECTION_RE = re.compile(r"\b(?:valgt|vald|valt|velges|veljast|vert vald)\b", re.IGNORECASE)


_SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+(?=[«\"A-ZÆØÅ0-9])")


@cache
def _record_start_re() -> re.Pattern[str]:
    """A sentence of the record that starts without a full stop before it: one to three capitalised
    words and a verb of the record ("... 2021 Kommunene orienterte kort ...", "Ola Vik viste til")."""
    return re.compile(r"(?<=\s)(?:[A-ZÆØÅ][\wæøå-]+\s+){1,3}(?:" + "|".join(_patterns("narrative")) + r")\b")


def records_meeting(sentence: str) -> bool:
    """A sentence that tells what happened rather than what was decided: a verb of the record among
    its first words ("Kommunene orienterte kort ...", "Rådmannen si tilråding blei samrøystes vedteke.");
    an election ("Som leiar vart vald ...") is a decision.

    >>> records_meeting("Kommunene orienterte kort om budsjettet."), records_meeting("Som leiar vart vald Kari Dahl.")
    (True, False)
    >>> records_meeting("Handlingsplanen vedtas slik den ble lagt fram, med endringer fra møtet.")
    False
    >>> records_meeting("Geir Arne Tvedt viste til møtet i september.")
    True
    """
    head = " ".join(sentence.split()[:4])
    named = re.match(r"(?:[A-ZÆØÅ][\wæøå.-]*\s+){1,4}(?=\S)", sentence)  # "Geir Arne Tvedt viste til ..."
    after_name = bool(named) and bool(_narrative_re().match(sentence[named.end():])) if named else False
    return (bool(_narrative_re().search(head)) or after_name) and not _ELECTION_RE.search(sentence)


def sentences(text: str) -> list[str]:
    """The text's sentences, for trimming what follows a decision in run-in text.

    >>> sentences("Rådet godkjenner referatet den 5. november 2021 Kommunene orienterte kort. Ok.")
    ['Rådet godkjenner referatet den 5. november 2021', 'Kommunene orienterte kort.', 'Ok.']
    >>> sentences("Protokollen vart godkjent. Ola Vik viste til møtet.")
    ['Protokollen vart godkjent.', 'Ola Vik viste til møtet.']
    """
    cuts = {m.end() for m in _SENTENCE_END_RE.finditer(text)} | {m.start() for m in _record_start_re().finditer(text)}
    bounds = [0, *sorted(c for c in cuts if 0 < c < len(text)), len(text)]
    return [part.strip() for a, b in zip(bounds, bounds[1:]) if (part := text[a:b]).strip()]


@cache
def _decision_sentence_re() -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(_patterns("decision_sentence")) + r")\b", re.IGNORECASE)


def decision_sentence(sentence: str) -> bool:
    """A sentence that states a body's decision wherever it stands in a paragraph of minutes.

    >>> decision_sentence("Regionrådet ga sin tilslutning til avtalen."), decision_sentence("Planen ble drøftet.")
    (True, False)
    """
    return bool(_decision_sentence_re().search(sentence))


def title_end(title: str) -> int | None:
    """Where an agenda item's title ends when a transcript runs the record of its treatment into
    the same line: before the verb of the record ("orienterte", "vart godkjent"), at the nearest word
    that starts its sentence (a capitalised word, with the names before it, or words repeating the
    title), at most five words back.

    >>> t = "Godkjenning, møteinnkalling og saksliste Møteinnkalling og saksliste vart godkjent utan merknadar."
    >>> t[:title_end(t)]
    'Godkjenning, møteinnkalling og saksliste '
    >>> t = "Godkjenning av innkalling og dagsorden innkalling og dagsorden ble godkjent."
    >>> t[:title_end(t)]
    'Godkjenning av innkalling og dagsorden '
    >>> t = "Budsjett for Nordland fylke Fylkesrådet la fram forslaget."
    >>> t[:title_end(t)]
    'Budsjett for Nordland fylke '
    >>> title_end("Orientering om SKREI, ved Lars-Erik Fossum") is None
    True
    """
    spans = [(m.start(), m.group()) for m in re.finditer(r"\S+", title)]
    words = [w.casefold() for _, w in spans]
    verb = next((k for k in range(3, len(spans)) if _narrative_re().match(" ".join(w for _, w in spans[k:k + 3]))
                 and not _ELECTION_RE.search(" ".join(w for _, w in spans[k:k + 4]))), None)
    if verb is None:
        return None
    window = range(verb - 1, max(1, verb - 6), -1)
    start = next((k for k in window if spans[k][1][:1].isupper() and not spans[k - 1][1].endswith((":", "-", "–"))), None)
    if start is not None:
        while start > 2 and spans[start - 1][1][:1].isupper() and not spans[start - 2][1].endswith((",", ":", "-", "–")) \
                and verb - start < 3:
            start -= 1  # "Ola Vik viste til": the name is one subject
        return spans[start][0]
    start = min((k for k in window if k + 1 < verb and (words[k], words[k + 1]) in
                 {(words[j], words[j + 1]) for j in range(k - 1)}), default=None)  # the title's words again
    return spans[start][0] if start is not None else None
