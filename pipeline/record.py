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
    """
    head = " ".join(sentence.split()[:4])
    return bool(_narrative_re().search(head)) and not _ELECTION_RE.search(sentence)


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
    the same line: at a word that starts a sentence (capitalised, or repeating words of the title)
    whose first words are a verb of the record.

    >>> t = "Godkjenning, møteinnkalling og saksliste Møteinnkalling og saksliste vart godkjent utan merknadar."
    >>> t[:title_end(t)]
    'Godkjenning, møteinnkalling og saksliste '
    >>> t = "Godkjenning av innkalling og dagsorden innkalling og dagsorden ble godkjent."
    >>> t[:title_end(t)]
    'Godkjenning av innkalling og dagsorden '
    >>> title_end("Orientering om SKREI, ved Jens-Henrik Andersen") is None
    True
    """
    spans = [(m.start(), m.group()) for m in re.finditer(r"\S+", title)]
    words = [w.casefold() for _, w in spans]
    bigrams = set()
    for k in range(len(spans)):
        if k >= 2:
            start, word = spans[k]
            repeats = k + 1 < len(words) and (words[k], words[k + 1]) in bigrams
            capital = word[:1].isupper() and not spans[k - 1][1].endswith((":", "-", "–", ","))
            head = " ".join(w for _, w in spans[k:k + 6])
            if (capital or repeats) and _narrative_re().search(head) and not _ELECTION_RE.search(head):
                return start
        if k >= 1:
            bigrams.add((words[k - 1], words[k]))
    return None
