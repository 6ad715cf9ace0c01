"""Reading scanned PDF pages with Tesseract (Debian ``tesseract-ocr`` + ``tesseract-ocr-nor``).

A page "has no usable text layer" when its text layer holds fewer than ``MIN_TEXT_CHARS``
letters. Such a page is rendered with pypdfium2 at a resolution that suits it (about 300 dpi,
less for very large pages) and read by the ``tesseract`` program with the Norwegian model; the
text then goes through normalisation and OCR repair like any other.

A page scanned sideways or upside down reads as nonsense: when too few of a page's words are known
(:func:`known_share`: too few common words), Tesseract's orientation detection (``--psm 0``)
says how far it is turned, and the turned page is read again; the reading with more known words
is kept. Upright pages (nearly all) cost nothing more.
"""
from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from functools import cache
from itertools import islice

from pipeline.errors import UnreadableDocument

MIN_TEXT_CHARS = 25
TARGET_DPI = 300
MAX_PIXELS = 4200  # the long side of the rendered page, in pixels
TIMEOUT_SECONDS = 120
INSTALL_HINT = "install Tesseract with its Norwegian model: apt-get install tesseract-ocr tesseract-ocr-nor"


def needs_ocr(text: str) -> bool:
    """A page whose text layer is (almost) empty.

    >>> needs_ocr("  \\n 3 \\n"), needs_ocr("Møtet ble åpnet av ordføreren, som ønsket velkommen.")
    (True, False)
    """
    return sum(1 for _ in islice(_LETTER_RE.finditer(text), MIN_TEXT_CHARS)) < MIN_TEXT_CHARS


_LETTER_RE = re.compile(r"[^\W\d_]")


@cache
def tesseract_language() -> str | None:
    """"nor" (with "eng" as a second model when present), or None when Tesseract or its
    Norwegian model is missing."""
    exe = shutil.which("tesseract")
    if exe is None:
        return None
    try:
        listed = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    langs = set(listed.split())
    if "nor" not in langs:
        return None
    return "nor+eng" if "eng" in langs else "nor"


def scale_for(width_pt: float, height_pt: float) -> float:
    """Render scale (1.0 = 72 dpi): about 300 dpi, capped so the long side stays under MAX_PIXELS.

    >>> round(scale_for(595, 842), 2), round(scale_for(2384, 3370), 2)
    (4.17, 1.25)
    """
    scale = TARGET_DPI / 72
    long_side = max(width_pt, height_pt) * scale
    return scale if long_side <= MAX_PIXELS else MAX_PIXELS / max(width_pt, height_pt)


def ocr_page(page: object) -> str:
    """OCR one pypdfium2 page; raises UnreadableDocument with an install hint when Tesseract is missing."""
    lang = tesseract_language()
    if lang is None:
        raise UnreadableDocument(f"scanned PDF without a text layer: {INSTALL_HINT}")
    width, height = page.get_size()  # type: ignore[attr-defined]
    image = page.render(scale=scale_for(width, height), grayscale=True).to_pil()  # type: ignore[attr-defined]
    png = _png(image)
    text = _tesseract(png, "-l", lang, "--psm", "3")
    share = known_share(text)
    if share >= UPRIGHT_BELOW:
        return text
    turn = _turn(png)
    if not turn:
        return text
    try:
        turned = _tesseract(_png(image.rotate(-turn, expand=True)), "-l", lang, "--psm", "3")
    except UnreadableDocument:  # the page was read once: that reading stands
        return text
    return turned if known_share(turned) > share else text


#: A page whose share of common words (:func:`known_share`) is below this may be turned: upright
#: Norwegian text has 12-40 % of them (a page of names and titles 4-6 %), a turned page's nonsense 0-5 %.
UPRIGHT_BELOW = 0.08
#: The most common words of Bokmål and Nynorsk minutes (function words, and the words of meetings).
COMMON_WORDS = frozenset("""og i til av som det er med for den de en et ein eit ikke ikkje om har skal kan fra frå
vil ble vart at på å ved var seg sin sitt sine sak saka saken møte møtet vedtak vedtatt kommune kommunen
kommunestyret også eller men så etter under mot over alle andre nye ny hvor kor når der her hva kva blir vert
være vere hadde skulle kunne må bør denne dette disse desse""".split())
_WORD_RE = re.compile(r"[^\W\d_]{2,}")


def known_share(text: str) -> float:
    """Share of a page's words (two letters or more) that are among :data:`COMMON_WORDS` (1.0 for a
    page of fewer than ten words: too little to tell).

    >>> round(known_share("Formannskapet ber om at saken blir lagt fram for kommunestyret i neste møte."), 2)
    0.58
    >>> known_share("uoıʇɐɹǝpısuoʞ ɹǝɥ ʇǝpɐɹ ɐʇɹoʞs ʇǝ ʇnssɐɹ qlvg ʌɐɹ ʇɔɐɯ ʞnʇʞ ɯɐʇ ɐʇsnɹ")
    0.0
    """
    words = _WORD_RE.findall(text.lower())
    if len(words) < 10:
        return 1.0
    return sum(1 for w in words if w in COMMON_WORDS) / len(words)


def _png(image: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")  # type: ignore[attr-defined]
    return buffer.getvalue()


def _tesseract(png: bytes, *options: str) -> str:
    try:
        done = subprocess.run(["tesseract", "stdin", "stdout", *options], input=png, capture_output=True,
                              timeout=TIMEOUT_SECONDS, env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    except subprocess.TimeoutExpired as exc:
        raise UnreadableDocument("OCR of a scanned page took too long") from exc
    if done.returncode != 0:
        raise UnreadableDocument(f"OCR failed: {done.stderr.decode(errors='replace').strip()[:200]}")
    return done.stdout.decode("utf-8", errors="replace")


_ROTATE_RE = re.compile(r"Rotate: (\d+)")


def _turn(png: bytes) -> int:
    """Degrees (90, 180, 270) the page must turn clockwise to stand upright, by Tesseract's orientation
    detection; 0 when it finds none or cannot tell (a page without enough text)."""
    try:
        found = _ROTATE_RE.search(_tesseract(png, "--psm", "0"))
    except UnreadableDocument:
        return 0
    return int(found.group(1)) % 360 if found else 0
