"""Reading scanned PDF pages with Tesseract (Debian ``tesseract-ocr`` + ``tesseract-ocr-nor``).

A page "has no usable text layer" when its text layer holds fewer than ``MIN_TEXT_CHARS``
letters. Such a page is rendered with pypdfium2 at a resolution that suits it (about 300 dpi,
less for very large pages) and read by the ``tesseract`` program with the Norwegian model; the
text then goes through normalisation and OCR repair like any other.
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
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    try:
        done = subprocess.run(
            ["tesseract", "stdin", "stdout", "-l", lang, "--psm", "3"], input=buffer.getvalue(),
            capture_output=True, timeout=TIMEOUT_SECONDS, env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    except subprocess.TimeoutExpired as exc:
        raise UnreadableDocument("OCR of a scanned page took too long") from exc
    if done.returncode != 0:
        raise UnreadableDocument(f"OCR failed: {done.stderr.decode(errors='replace').strip()[:200]}")
    return done.stdout.decode("utf-8", errors="replace")
