"""Attendance lists run into one line: a PDF transcribed without its line structure, where a
whole page of a protocol is one paragraph ("Følgende medlemmer møtte: Navn Funksjon Repr Kari
Lund Medlem AP Nils Berg Ordfører H Følgende medlemmer møtte ikke: ...").

The line is cut at its headings: an attendance heading (a label of
``pipeline/resources/labels.jsonl`` before a colon, in capitals such as "DISSE MØTTE" or
"FORFALL", or a phrase such as "Dessuten møtte"), an organisation before a colon ("Alta
kommune:", "Fra Nordland fylkeskommune:") or any other short heading before a colon, which ends
the list. Between two names stand the columns of the flattened table: a party or list code
(``extractors.parties``), a role (``resources/roles.jsonl``) and an organisation; whether they
belong to the name before or after is read from what stands before the first name.
"""
from __future__ import annotations

import re
from functools import cache

from extractors import attendance_words as words
from extractors.context import DocContext
from extractors.nlp import nlp, text_of
from extractors.parties import is_party
from extractors.people import (
    ABSENT_RE,
    ROLE_LABELS,
    STOOD_IN_FOR,
    Found,
    Taken,
    org_after,
    role_re,
    surname_first,
    surname_first_with_party,
)
from pipeline.sections import Block, labels, match_label

#: Column headings of a flattened table, dropped before the names are read.
HEADER_RE = words.pattern("flattened_column_headings")
#: Words of an organisation heading ("Alta kommune:", "Sør-Trøndelag fylkeskommune:").
ORG_WORDS = words.pattern("organisation_heading")
#: Where a list certainly ends: the first agenda item ("01/2015 Godkjenning", "PS 37/15").
AGENDA_RE = re.compile(r"(?:\b(?:Sak|PS|RS)\s+)?\b\d{1,3}\s?/\s?\d{2,4}\s+[A-ZÆØÅ]")
#: What makes the person before it absent ("... møtte ikke", "(meldt forfall)").
NOT_THERE_RE = words.pattern("not_there_after_name")
_UPPER_RUN = re.compile(r"(?<![\w-])[A-ZÆØÅ]{4,}(?:\s+[A-ZÆØÅ]{4,})*(?![\w-])")
_WORD = re.compile(r"\S+")


@cache
def _phrase_re() -> re.Pattern[str]:
    """Capitalised attendance phrases of two or more words that need no colon ("Dessuten møtte")."""
    phrases = sorted((p for p, lab in labels().items() if lab.category == "attendance" and " " in p
                      and p.endswith("møtte")), key=len, reverse=True)
    alt = "|".join(re.escape(p[0].upper()) + re.escape(p[1:]).replace(r"\ ", r"\s+") for p in phrases)
    return re.compile(rf"(?<!\w)(?:{alt})(?!\w)(?!\s*:)(?!\s+(?:ikke|ikkje)\b)")


def cues(text: str) -> list[tuple[int, int, str, str, str]]:
    """(start, end, kind, attendance, organisation or role, role) of each heading in the line; kind
    is "attendance", "org", "role" (a group of people with one title: "Ordførarar:"), "group" (a
    short heading of another group: "Andre:") or "stop"."""
    found: list[tuple[int, int, str, str, str]] = []
    for m in re.finditer(r":", text):
        window = re.split(r"[.:;!?]\s", text[max(0, m.start() - 90):m.start()])[-1]
        words = list(_WORD.finditer(window))
        base = m.start() - len(window)
        for w in reversed(words[-10:]):
            if not w.group()[0].isupper():
                continue
            phrase = window[w.start():].strip()
            found.append((base + w.start(), m.end(), *_classify(phrase)))
            break
    for m in _UPPER_RUN.finditer(text):
        if all(is_party(w) for w in m.group().split()):
            continue
        label = match_label(m.group().capitalize() + ":")
        if label and label[0].category == "attendance":
            found.append((m.start(), m.end(), "attendance", label[0].attendance, _role(label[0].pattern)))
        elif label:
            found.append((m.start(), m.end(), "stop", "", ""))
    for m in _phrase_re().finditer(text):
        label = match_label(m.group() + ":")
        if label:
            found.append((m.start(), m.end(), "attendance", label[0].attendance, ""))
    found = sorted((f for f in found if f[2] != "ignore"), key=lambda f: (f[0], -f[1]))
    out: list[tuple[int, int, str, str, str]] = []
    for cue in found:
        if out and cue[0] < out[-1][1]:
            continue
        out.append(cue)
    return out


def _role(pattern: str) -> str:
    return pattern if pattern in ROLE_LABELS else ""


def _classify(phrase: str) -> tuple[str, str, str]:
    label = match_label(phrase + ":")
    if label and label[0].category == "attendance" and not label[2]:
        return "attendance", label[0].attendance, _role(label[0].pattern)
    words = phrase.split()
    if role_re().fullmatch(phrase):
        return "role", phrase, ""
    if len(words) <= 5 and (ORG_WORDS.search(phrase) or re.match(r"(?:Fra|Frå)\s", phrase)
                            or len(words) == 1 and sum(c.isupper() for c in phrase) >= 2):
        return "org", re.sub(r"^(?:Fra|Frå)\s+", "", phrase), ""
    if label:
        return "stop", "", ""
    return ("group", "", "") if len(words) <= 2 else ("ignore", "", "")


def inline_lists(ctx: DocContext, found: Found) -> set[int]:
    """Blocks holding an attendance list run into one line; returns the blocks read."""
    done: set[int] = set()
    open_list, last = "", -1  # the attendance of a list still open at the end of the block ``last``
    for i, b in enumerate(ctx.blocks):
        doc = ctx.docs[i]
        if doc is None or b.kind == "row" or len(b.text) < 40:
            continue
        if len(doc.spans.get("persons", [])) < 2 and len(surname_first_with_party(b.text)) < 2:
            continue
        heads = cues(b.text)
        # a list that runs on at the top of the next page ("2 Sissel Bakkevik Randi Lyngstad SV ...")
        carried = open_list if last in (i - 1, i - 2) and b.kind == "para" and CONTINUES_RE.match(b.text) else ""
        if not carried and (not any(c[2] in ("attendance", "role") for c in heads) or len(heads) < 2 and b.kind == "label"):
            continue  # a plain "Til stede: ..." line is read as a list by extractors.participants
        read, open_list = read_run(b.text, heads, carried, "", b, found)
        if read:
            done.add(i)
            last = i
    return done


#: A block that starts with a name, after a page number: it may continue the list before it.
CONTINUES_RE = re.compile(r"^(?:\d{1,3}\s+)?[A-ZÆØÅ][a-zæøå]+(?:-[A-ZÆØÅ][a-zæøå]+)?\s+[A-ZÆØÅ]")


def read_run(text: str, cues: list[tuple[int, int, str, str, str]], attendance: str, role: str, b: Block,
             found: Found) -> tuple[bool, str]:
    """Read the lists of ``text`` cut at ``cues``; ``attendance`` and ``role`` hold before the first cue.
    Whether a list was read, and the attendance of the list still open at the end of the text."""
    base, org, read = attendance or "present", "", False
    bounds = [(0, 0, "start", attendance, role), *cues]
    parent: str | None = None  # the attendance of the list the group headings belong to
    named = 0  # names read since the last attendance heading
    for k, (_start, end, kind, value, label_role) in enumerate(bounds):
        if kind == "attendance":
            if bounds[k - 1][2] in ("org", "role", "group"):
                # inside a group ("Alta kommune: A, B Forfall fra: C"): the group's organisation holds
                org = org if value == "absent" else ""
            else:
                org, parent = "", None  # a heading of its own
            attendance, role, named = value, label_role, 0
            base = value if value in ("present", "remote") else base
        elif kind in ("org", "role", "group"):
            if parent is None and (attendance or kind in ("role", "org")):
                # groups right under a heading belong to it ("Forfall: Balsfjord kommune: A Karlsøy
                # kommune: B"); after names they return to the main list ("Forfall: A, B Hammerfest
                # kommune: C"); a group heading opens a list in a line that has one
                parent = attendance if attendance and named == 0 else base
            attendance = parent or ""
            org, role = (value, "") if kind == "org" else ("", value if kind == "role" else "")
        elif kind == "stop":
            attendance = ""
        stop = bounds[k + 1][0] if k + 1 < len(bounds) else len(text)
        if kind == "start" and not attendance and len(surname_first_with_party(text[:stop])) >= 2:
            attendance = "present"  # a list that began on the page before: "36. Lie, Berit (V) 37. ..."
        agenda = AGENDA_RE.search(text, end, stop)
        if attendance and stop > end:
            named += _segment(text[end:agenda.start() if agenda else stop], attendance, org, role, b, found)
            read = True
        if agenda:
            attendance = ""
    return read, attendance


def _segment(text: str, attendance: str, org: str, label_role: str, b: Block, found: Found) -> int:
    """The people of one list: each name with the columns around it; returns how many."""
    text = HEADER_RE.sub(" ", text)
    doc = nlp()(text)
    plain = text_of(doc)
    spans = _names(doc, plain)
    if not spans:
        return 0
    lead = plain[:spans[0][0]].strip(" ,;–-")
    lead_role = _last_role(lead)
    roles_first = bool(lead_role) and any(m.end() == len(lead) for m in role_re().finditer(lead))
    lead_org = "" if roles_first else _trailing_org(lead)
    orgs_first = bool(lead_org)
    pending_role, pending_org = (lead_role, "") if roles_first else ("", lead_org)
    for k, (start, stop, party_in_name) in enumerate(spans):
        after = plain[stop:spans[k + 1][0] if k + 1 < len(spans) else len(plain)]
        before = plain[spans[k - 1][1] if k else 0:start]
        role, person_org = pending_role, pending_org
        pending_role = ""  # an organisation heads a group and holds until the next one
        cut = after
        if roles_first and k + 1 < len(spans):
            pending_role = _last_role(after)
            cut = after[:after.rfind(pending_role)] if pending_role else after
        elif orgs_first and k + 1 < len(spans):
            pending_org = _trailing_org(after) or pending_org
            cut = after[:after.rfind(pending_org)] if pending_org in after else after
        party = party_in_name or next((w.strip("(),") for w in cut.split() if is_party(w)), "")
        if not roles_first:
            m = role_re().search(cut)
            role = role or (m.group() if m else "")
        if not orgs_first:
            person_org = _org_text(cut) or org_after(cut)
        status = attendance
        if k and STOOD_IN_FOR.search(before):
            status, role = "absent", ""
        elif attendance != "absent" and (NOT_THERE_RE.search(cut) or ABSENT_RE.search(cut)
                                          or re.fullmatch(r"[\sA-ZÆØÅa-z/-]{0,8}\bog\s*", cut)
                                          and k + 1 < len(spans) and NOT_THERE_RE.match(_after(plain, spans, k + 1))):
            status = "absent"
        found.entry(plain[start:stop], role or label_role, person_org or org, status, cut, b, party)
        if label_role.casefold() in ROLE_LABELS or _prose_follows(after):
            return k + 1  # "Referent: Kari Lund" names one; a list ends where running text begins
    return len(spans)


_SENTENCE_END = re.compile(r"[.!?]\s+(?=[A-ZÆØÅ])")
_LOWER_WORD = re.compile(r"(?<![\w-])[a-zæøå]{2,}(?![\w-])")


def list_part(text: str) -> str:
    """``text`` up to where running text begins ("Eva Lunde. Saken ble lagt fram av ...")."""
    for m in _SENTENCE_END.finditer(text):
        nxt = _SENTENCE_END.search(text, m.end())
        if len(_LOWER_WORD.findall(text, m.end(), nxt.start() if nxt else len(text))) >= 4:
            return text[:m.start() + 1]
    return text


def _prose_follows(after: str) -> bool:
    """After a name, a new sentence of running text ("... Lunde. Saken ble lagt fram av ...")."""
    return any(len(_LOWER_WORD.findall(sentence)) >= 4 for sentence in _SENTENCE_END.split(after)[1:])


def _after(plain: str, spans: list[tuple[int, int, str]], k: int) -> str:
    return plain[spans[k][1]:spans[k + 1][0] if k + 1 < len(spans) else len(plain)].lstrip(" ,")


def _names(doc: object, plain: str) -> list[tuple[int, int, str]]:
    """(start, end, party) of each name: surname-first entries first, then the name spans."""
    firsts = surname_first_with_party(plain)
    with_party = Taken([(s, e) for s, e, _ in firsts])
    firsts += [(s, e, "") for s, e in surname_first(plain) if not with_party.overlaps(s, e)]
    spans = list(firsts)
    taken = Taken([(s, e) for s, e, _ in firsts])
    for sp in doc.spans.get("persons", []):  # type: ignore[attr-defined]
        if not taken.overlaps(sp.start_char, sp.end_char):
            spans.append((sp.start_char, sp.end_char, ""))
    return sorted(spans)


def _last_role(text: str) -> str:
    """The role that ends ``text`` ("... Fylkesrådmann", "Fungerende rådmann"), from the role word on."""
    matches = list(role_re().finditer(text))
    if not matches:
        return ""
    start = matches[-1].start()
    if len(text[start:].split()) > 4:
        return ""
    head = text[:start].split()
    if head and head[-1].casefold().rstrip(".") in _ROLE_QUALIFIERS:
        start = text.rfind(head[-1], 0, start)
    return text[start:].strip(" ,;")


_ROLE_QUALIFIERS = frozenset({"fungerende", "fungerande", "konstituert", "konst", "kst", "assisterende", "ass",
                              "daglig", "dagleg"})


def _trailing_org(text: str) -> str:
    """The organisation that ends ``text``: its last capitalised words that are no role, party or
    column heading ("Deltaker kommune Rådsmedlem Indre Fosen" -> "Indre Fosen")."""
    words = text.replace(",", " ").split()
    tail: list[str] = []
    while words and len(tail) < 4:
        w = words[-1]
        if not (w[:1].isupper() or w.casefold() in ("kommune", "fylkeskommune", "og", "i")) or is_party(w) \
                or role_re().fullmatch(w) or "/" in w or any(c.isdigit() for c in w):
            break
        tail.insert(0, words.pop())
    while tail and not tail[0][:1].isupper():
        tail.pop(0)
    return " ".join(tail)


def _org_text(text: str) -> str:
    """An organisation written between two names: capitalised words, no role, no party, no verb."""
    words = [w for w in text.replace(",", " ").split() if not is_party(w) and not role_re().fullmatch(w)]
    if role_re().search(text):
        words = [w for w in role_re().sub(" ", text).replace(",", " ").split() if not is_party(w)]
    if not words or len(words) > 5 or not words[0][0].isupper():
        return ""
    if any(w[0].islower() and w not in ("og", "i", "for", "på") for w in words) or any(c.isdigit() for c in "".join(words)):
        return ""
    return " ".join(words)
