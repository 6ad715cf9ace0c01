"""What the participant extractors share: roles, list entries, and the record of people found.

Names are recognised by ``extractors.nlp.person_spans`` (a known first name followed by name
parts) or, inside attendance lists, by their shape (capitalised words before a party in
brackets): never by knowing the people.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import replace
from functools import cache, lru_cache

from spacy.tokens import Doc, Span

from extractors import attendance_words as words
from extractors.lexicons import first_names, roles, surnames
from extractors.nlp import text_of
from extractors.parties import is_party
from pipeline.models import ParticipantRow
from pipeline.sections import Block

REMOTE_RE = words.pattern("remote_in_entry")
ABSENT_RE = words.pattern("absent_in_entry")
#: "Per Olsen (H) for Kari Hansen (H)", "..., møtte for ordfører Ole Dahl": the second person was
#: stood in for, so absent.
STOOD_IN_FOR = words.pattern("stood_in_for_before_name")
#: A list entry that is a person by its shape even when the first name is not in the name list:
#: two to four capitalised words followed by a party in brackets ("Aslak Rønnevik (Sp)").
ENTRY_BY_SHAPE = re.compile(r"(?:^|(?<=[,;:•]\s)|(?<=^\s))(?P<name>[A-ZÆØÅ][\wæøå'-]+(?:\s+[A-ZÆØÅ][\wæøå'-]+){1,3})"
                            r"\s*\((?P<party>[A-Za-zÆØÅæøå]{1,6})\)")
#: "kommunedirektør i Sirdal", "ordfører Beiarn": a role with the organisation after it.
ROLE_AT_RE = re.compile(r"^(?P<role>.+?)\s+(?:(?:i|for|ved|på|fra|frå)\s+)?(?P<org>[A-ZÆØÅ][\wæøåÆØÅ .-]+)$")
#: "Harstad: ordfører Kari Dahl" - an organisation before the colon of a list line.
ORG_BEFORE_RE = re.compile(r"^\s*(?P<org>[A-ZÆØÅ][\wæøåÆØÅ .-]{1,50}?)\s*:\s*$")
#: Attendance labels that are also the role of the person named after them.
ROLE_LABELS = frozenset({"møteleder", "møteleiar", "ordstyrer", "referent", "sekretær", "protokollfører"})
_RANK = {"present": 3, "remote": 3, "absent": 3, "mentioned": 1}
# patterns asked once per name or entry, compiled here (re's own cache is shared with dynamic patterns)
_SPACES_RE = re.compile(r"\s+")
_INITIAL_STOP_RE = re.compile(r"(?:\b[A-ZÆØÅ]|\bjr)\.$")
_BRACKETS_RE = re.compile(r"\s*\([^)]*\)\s*")
_PAREN_AFTER_RE = re.compile(r"^\s*\(([^)]{1,40})\)")
_ROLE_AFTER_RE = re.compile(r"^\s*[,–-]\s*([^,;()]+)")
_ORG_AFTER_RE = re.compile(r"^\s*(?:,\s*|(?:fra|frå)\s+)([A-ZÆØÅ][^,;()]{1,50})")


@cache
def role_re() -> re.Pattern[str]:
    """A role as a whole word: a phrase of ``roles.jsonl``, or a compound ending in one marked
    ``suffix`` ("Oppvekstsjef", "Helse- og omsorgssjef", "Økonomikonsulent")."""
    rows = roles()
    phrases = sorted((r["pattern"] for r in rows if not r.get("suffix")), key=len, reverse=True)
    suffixes = sorted((r["pattern"] for r in rows if r.get("suffix")), key=len, reverse=True)
    alt = "|".join(re.escape(p).replace(r"\ ", r"\s*") for p in phrases)
    tail = "|".join(re.escape(p) for p in suffixes)
    return re.compile(rf"(?<![\w.])(?:{alt}|[\wæøå]+-?(?:{tail}))(?![\wæøå])", re.IGNORECASE)


@cache
def _role_breaks() -> str:
    """Characters no role holds (``roles.jsonl``; :func:`role_re` adds only whitespace and "-" to
    the words): no match of it spans one of them."""
    held = {c for r in roles() for c in r["pattern"]}
    return "".join(c for c in ",;:()/" if c not in held)


def role_ending_at(text: str, end: int) -> re.Match[str] | None:
    """The match of :func:`role_re`, of those ``finditer`` finds in ``text``, that ends at ``end``.
    Searched from after the last character before ``end`` that no role holds: none spans it, so
    the matches found from there on are the same (a list line: a few words, not the whole line).

    >>> text = "Kari Dahl (H), leder; Ola Vik, ordfører "
    >>> role_ending_at(text, len(text.rstrip())).group(), role_ending_at(text, 20).group(), role_ending_at(text, 5)
    ('ordfører', 'leder', None)
    """
    start = max((text.rfind(c, 0, end) for c in _role_breaks()), default=-1) + 1
    return next((m for m in role_re().finditer(text, start) if m.end() == end), None)


def role_before(text: str) -> str:
    """The role written right before a name: from the last role word on ("Fylkesråd for distrikt og
    fylkesveier", "spesialrådgiver"), at most eight words back."""
    words = text.split()[-8:]
    tail = " ".join(words)
    matches = list(role_re().finditer(tail))
    if not matches:
        return ""
    role = tail[matches[-1].start():].strip(" ,:–-")
    role = re.split(r"\s+(?:og|ved|med|,)\s*$", role)[0]
    return role if len(role.split()) <= 8 and not re.search(r"[.;:]\s", role) else ""


def role_after(text: str) -> str:
    m = _ROLE_AFTER_RE.match(text)
    if m and role_re().match(m.group(1).strip()):
        return m.group(1).strip()
    return ""


def _leading_role(tail: str) -> str:
    """A role word right after a name without a comma ("Moe Øystein Leder NOAP")."""
    m = role_re().match(tail.strip())
    return m.group() if m else ""


def org_after(text: str) -> str:
    """", Fauske, leder av ..." or " fra Vestvågøy" -> the organisation right after a name."""
    m = _ORG_AFTER_RE.match(text)
    if m and not role_re().match(m.group(1)) and len(m.group(1).split()) <= 5:
        return re.split(r"\s+(?:og|deltok|møtte|hadde)\b", m.group(1))[0].strip()
    return ""


def split_role(role: str, org: str) -> tuple[str, str]:
    """"kommunedirektør i Sirdal" -> ("kommunedirektør", "Sirdal") when no organisation is known yet."""
    m = ROLE_AT_RE.match(role)
    if m and not org and role_re().fullmatch(m.group("role")):
        return m.group("role"), m.group("org")
    return role, org


_INITIAL_NEXT_RE = re.compile(r"[ \t]+[A-ZÆØÅ][a-zæøå]{0,2}\.[ \t]*[A-ZÆØÅ]")
_AFTER_INITIAL_RE = re.compile(r"(?<![\w.])[A-ZÆØÅ][a-zæøå]{0,2}\.[ \t]*$")
#: A run of capitalised words: commas, brackets, numbers and lower-case words end it.
_RUN_RE = re.compile(r"[A-ZÆØÅ][a-zæøåé'-]+(?:[ \t]+[A-ZÆØÅ][a-zæøåé'-]+)*")
#: "Haugland, Arne" as one entry of a list.
_COMMA_ENTRY_RE = re.compile(r"(?<![\w-])(?P<last>[A-ZÆØÅ][a-zæøåé'-]+),\s+"
                             r"(?P<given>[A-ZÆØÅ][a-zæøåé'-]+(?:\s+[A-ZÆØÅ][a-zæøåé'-]+){0,2})(?=\s*(?:\(|[,;]|\bog\b|$))")


def surname_first(text: str) -> list[tuple[int, int]]:
    """Entries written surname first ("Moe Øystein", "Berg Per Olav", "Haugland, Arne"): a surname
    that is no first name, then one to three known first names; (start, end) of each.

    >>> t = "Moe Øystein, Berg Per Olav (H), Kari Lund, Haugland, Arne"
    >>> [t[s:e] for s, e in surname_first(t)]
    ['Moe Øystein', 'Berg Per Olav', 'Haugland, Arne']
    >>> t = "Moe Øystein Leder NAAP Berg Kari Medlem Ap Lie Eva Kari Lund"
    >>> [t[s:e] for s, e in surname_first(t)]
    ['Moe Øystein', 'Berg Kari']
    """
    firsts, lasts = first_names(), surnames()
    first, last = len(text) - len(text.lstrip()), len(text.rstrip())  # where the line's words begin and end
    out = []
    pos = 0
    while (m := _COMMA_ENTRY_RE.search(text, pos)) is not None:  # each try is a few words: linear in the line
        alone = (m.start(), m.end()) == (first, last)  # a line of its own: "Xyzberg, Kari"
        if (m.group("last") in lasts or alone) and m.group("last") not in firsts \
                and all(w in firsts for w in m.group("given").split()):
            out.append((m.start(), m.end()))
            pos = m.end()
        else:
            pos = m.start("given")
    taken = Taken(out)
    for m in _RUN_RE.finditer(text):
        run = m.group().split()
        if not any(w in firsts for w in run[1:]):
            continue  # a name here is a surname, then first names: most runs hold none
        # not the rest of a name cut by an initial ("Anne Th. Lunde Inger ...")
        if not taken.overlaps(m.start(), m.end()) and not _AFTER_INITIAL_RE.search(text, max(0, m.start() - 6), m.start()) \
                and not _INITIAL_NEXT_RE.match(text, m.end()):  # nor its first part ("Arne O. Lia")
            alone = (m.start(), m.end()) == (first, last)  # "Ask Vetle"
            out += _backwards_names(m, firsts, lasts, alone and len(run) <= 4)
    return sorted(out)


@lru_cache(maxsize=1 << 16)
def _ends_piece(word: str) -> bool:
    """A role or a party code: it ends a piece of a run of capitalised words."""
    return bool(role_re().fullmatch(word)) or is_party(word)


def _backwards_names(run: re.Match[str], firsts: frozenset[str], lasts: frozenset[str], alone: bool) -> list[tuple[int, int]]:
    """A run of capitalised words cut at roles and party codes ("Moe Øystein Leder Ap Berg Kari
    Medlem H"), each piece read as surname-first names when the whole piece is such names and
    nothing else: a natural-order name ("Kari Berg") never is. A surname not in the list only on a
    line of its own ("Ask Vetle")."""
    words = [(w.start() + run.start(), w.end() + run.start(), w.group()) for w in re.finditer(r"\S+", run.group())]
    out: list[tuple[int, int]] = []
    piece: list[tuple[int, int, str]] = []
    for word in [*words, (0, 0, "")]:
        if word[2] and not _ends_piece(word[2]):
            piece.append(word)
            continue
        k, names = 0, []
        while k < len(piece) and piece[k][2] not in firsts and (piece[k][2] in lasts or alone):
            j = k + 1
            while j < len(piece) and j - k <= 3 and piece[j][2] in firsts:
                j += 1
            if j == k + 1:
                break
            names.append((piece[k][0], piece[j - 1][1]))
            k = j
        if piece and k == len(piece):
            out += names
        piece = []
    return out


class Taken:
    """Character ranges already given to a name, asked in O(log n): a list line may hold thousands."""

    def __init__(self, ranges: list[tuple[int, int]] | None = None) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        for start, end in sorted(ranges or []):
            self.add(start, end)

    def add(self, start: int, end: int) -> None:
        k = bisect.bisect_left(self.starts, start)
        self.starts.insert(k, start)  # ranges come mostly in order: an append
        self.ends.insert(k, end)

    def overlaps(self, start: int, end: int) -> bool:
        k = bisect.bisect_left(self.starts, end)  # ranges starting before ``end``; they do not overlap
        return k > 0 and max(self.ends[max(0, k - 2):k]) > start  # one another, so the last two decide


#: "Haugland, Arne (AP)": a surname, a comma, given names, a party in brackets.
SURNAME_FIRST_RE = re.compile(r"(?<![\w-])(?P<name>[A-ZÆØÅ][\wæøå'-]+,\s+[A-ZÆØÅ][\wæøå'-]+"
                              r"(?:\s+(?:[A-ZÆØÅ][\wæøå'-]+|[A-ZÆØÅ]\.)){0,3})\s*\((?P<party>[^()]{1,12})\)")


def surname_first_with_party(text: str) -> list[tuple[int, int, str]]:
    """(start, end, party) of "Surname, Given (party)" entries, known names or not; not when a
    capitalised word stands right before ("... for Kari Bjørnstad, Nils Berg (H)": two people)."""
    if "(" not in text or "," not in text:
        return []  # most lines: the pattern needs both
    return [(m.start("name"), m.end("name"), m.group("party")) for m in SURNAME_FIRST_RE.finditer(text)
            if is_party(m.group("party")) and not re.search(r"[A-ZÆØÅ][a-zæøå]+\s*$", text[max(0, m.start() - 40):m.start()])]


def listed(doc: Doc) -> bool:
    """A line of an attendance list: it names a person, by the name lists or by its shape."""
    text = text_of(doc)
    return bool(doc.spans.get("persons")) or bool(ENTRY_BY_SHAPE.search(text)) or bool(surname_first(text))


def person(doc: Doc) -> Span | None:
    spans = doc.spans.get("persons", [])
    return spans[0] if spans else None


def _middles_fit(short: list[str], full: list[str]) -> bool:
    """Each middle name of ``short`` stands, in order, for one of ``full``: the same word or its initial."""
    k = 0
    for word in short:
        while k < len(full) and not (full[k] == word or len(word) == 1 and full[k].startswith(word)):
            k += 1
        if k == len(full):
            return False
        k += 1
    return True


class Found:
    """People found in one document: one row per person, the strongest evidence wins."""

    def __init__(self, doc_id: str) -> None:
        self.doc_id = doc_id
        self.rows: dict[str, ParticipantRow] = {}
        self.natural: dict[str, str] = {}  # "arne haugland" -> the key of "Haugland, Arne", the first-written form
        self.variants: dict[tuple[str, str], dict[str, list[str]]] = {}  # (first, last) -> key -> middle names

    def add(self, name: str, role: str, org: str, attendance: str, block: Block, party: str = "") -> None:
        """Record a person; a list entry beats a mention, and known details are never lost."""
        name = _SPACES_RE.sub(" ", name).strip(" ,")
        if name.endswith(".") and not _INITIAL_STOP_RE.search(name):
            name = name.rstrip(".")  # the full stop of a sentence, not of an initial ("Tom E.")
        if len(name.split()) < 2:
            return
        key = name.casefold()
        last, comma, given = key.partition(", ")
        natural = f"{given} {last}" if comma else key
        key = key if key in self.rows else self.natural.setdefault(natural, key)  # one person, two word orders
        key = key if key in self.rows else self._variant(key, natural, block)
        role, org, party = role.strip(" ,"), org.strip(" ,"), party.strip(" ,()")
        if org and is_party(org):  # a party is whom a person represents, never an organisation
            org, party = "", party or org
        old = self.rows.get(key)
        if old is None:
            self.rows[key] = ParticipantRow(self.doc_id, name, role, org, attendance, party, block.page,
                                            block.line)
            return
        # a list entry beats a mention; "Forfall" beats a list of the whole body that names the absent too
        stronger = _RANK[attendance] > _RANK[old.attendance] or attendance == "absent" and old.attendance == "present"
        self.rows[key] = replace(
            old, role=old.role or role, party=old.party or party,
            organisation=org if org and (stronger or not old.organisation) else old.organisation,
            attendance=attendance if stronger else old.attendance,
            page=block.page if stronger else old.page, line=block.line if stronger else old.line)

    def _variant(self, key: str, natural: str, block: Block) -> str:
        """The key of a person already found under a fuller or shorter form of the same name ("Ola
        Nes" and "Ola Petter Nes", "Berit K. J. Holm" and "Berit Karin Jensen Holm"): same
        first and last name, the middle names of one standing for some of the other's; never two
        names of one list ("Nils Berg" and "Nils Erik Berg" both members)."""
        words = natural.replace(".", "").split()
        if len(words) < 2 or "," in key:
            return key
        for old_key, middles in self.variants.get((words[0], words[-1]), {}).items():
            old = self.rows.get(old_key)
            same_list = old is not None and old.page == block.page and abs(old.line - block.line) <= 40 \
                and old.attendance != "mentioned"
            if not same_list and (_middles_fit(words[1:-1], middles) or _middles_fit(middles, words[1:-1])):
                return old_key
        self.variants.setdefault((words[0], words[-1]), {})[key] = words[1:-1]
        return key

    def entry(self, name: str, role: str, org: str, attendance: str, context: str, block: Block,
              party: str = "") -> None:
        """Record a list entry; what the entry says of itself ("(Teams)", "(forfall)") decides."""
        if REMOTE_RE.search(context) and attendance == "present":
            attendance = "remote"
        if ABSENT_RE.search(context):
            attendance = "absent"
        self.add(name, role, _BRACKETS_RE.sub(" ", org).strip(), attendance, block, party)


def entries(doc: Doc, b: Block, attendance: str, label_role: str, found: Found, default_org: str = "") -> None:
    """Names in a list line: each name with what follows it up to the next name."""
    text = text_of(doc)
    backwards = sorted([(s, e) for s, e, _ in surname_first_with_party(text)] + surname_first(text))
    backwards = [r for k, r in enumerate(backwards) if not k or r[0] >= backwards[k - 1][1]]
    by_shape = Taken(backwards)
    spans = [(sp.start_char, sp.end_char) for sp in doc.spans.get("persons", [])
             if not by_shape.overlaps(sp.start_char, sp.end_char)] + backwards
    taken = Taken(spans)
    for m in ENTRY_BY_SHAPE.finditer(text):
        if not taken.overlaps(m.start("name"), m.end("name")):
            spans.append((m.start("name"), m.end("name")))
    spans.sort()
    for k, (start, stop) in enumerate(spans):
        end = spans[k + 1][0] if k + 1 < len(spans) else len(text)
        before = text[spans[k - 1][1] if k else 0:start]
        after = text[stop:end]
        paren = _PAREN_AFTER_RE.match(after)
        inside = paren.group(1) if paren and not REMOTE_RE.search(paren.group(1)) else ""
        party = inside if is_party(inside) else ""
        given_org = default_org or ("" if party or not inside or ABSENT_RE.search(f"({inside})") or role_re().match(inside)
                                    else inside)  # "Jostein Helle (Fjaler)"
        tail = after[paren.end():] if paren else after
        head_org = ORG_BEFORE_RE.match(role_re().sub("", before)) if k == 0 else None
        if not party:  # "Moe Øystein Leder NOAP": a list code without brackets
            party = next((w for w in tail.split()[:3] if w.isupper() and is_party(w)), "")
        in_brackets = inside if inside and role_re().fullmatch(inside) else ""  # "Moe Øystein (leiar)"
        role = label_role or in_brackets or role_after(tail) or role_before(before.rsplit(")", 1)[-1]) \
            or _leading_role(tail)
        role, org = split_role(role, given_org or (head_org.group("org") if head_org else "") or org_after(tail))
        status = attendance
        if k and STOOD_IN_FOR.search(before):
            status, role = "absent", ""  # the member a substitute met for
        elif k + 1 < len(spans) and STOOD_IN_FOR.search(text[stop + (paren.end() if paren else 0):end]):
            role = role or "varamedlem"
        found.entry(text[start:stop], role, org, status, after, b, party)
