"""One document through the stages: read -> normalise -> segment + nlp -> extract -> DocumentResult.

This is the unit of work a worker runs; it catches a document's failure in exactly one place
(:func:`process`) so that one broken file becomes a ``documents`` row with ``status=error``.
"""
from __future__ import annotations

import gc
import logging
import signal
import threading
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from extractors.nlp import nlp, theme_hits
from extractors.registry import build_context, run_extractors
from pipeline.errors import DocumentError, DocumentTimeout, UnreadableDocument
from pipeline.layout import with_table_rows
from pipeline.models import DecisionRow, DocumentResult, DocumentRow, Line, Page, RawDocument, RepairRow, SourceFile
from pipeline.normalise import normalise_pages
from pipeline.readers import read_document
from pipeline.repair import repair_lines
from pipeline.rowids import complete

log = logging.getLogger(__name__)


def lines_text(lines: list[Line]) -> str:
    return "\n".join(line.text for line in lines) + ("\n" if lines else "")


def require_short_lines(lines: list[Line]) -> None:
    """Refuse a line longer than spaCy analyses (``max_length``, 1,000,000 characters by default):
    a plain message instead of spaCy's error E088."""
    limit = nlp().max_length
    longest = max((len(line.text) for line in lines), default=0)
    if longest > limit:
        raise UnreadableDocument(f"file too large: a line of {longest:,} characters "
                                 f"(minutes analyses lines up to {limit:,})")


def analyse(source: SourceFile, raw: RawDocument) -> DocumentResult:
    """The pure part: everything after reading."""
    lines, changes = repair_lines(normalise_pages(with_table_rows(raw.pages, raw.tables)))
    require_short_lines(lines)
    ctx = build_context(source.doc_id, lines, raw)
    run_extractors(ctx)
    meta = ctx.metadata
    assert meta is not None  # the registry's first extractor
    text = lines_text(lines)
    document = DocumentRow(
        doc_id=source.doc_id, source_path=source.source_path, doc_type=meta.doc_type, title=meta.title,
        meeting_date=meta.meeting_date, body=meta.body, region=meta.region, status="ok", error="",
        organisation=meta.organisation,
        place=meta.place, format=raw.format, pages=len(raw.pages), text_source=raw.text_source, encoding=raw.encoding,
        language=meta.language, characters=len(text), repairs=len(changes), checks="; ".join(ctx.checks),
    )
    titles = {a.number: a.title for a in ctx.agenda_items}

    def case_themes(d: DecisionRow) -> str:
        return " ".join(sorted({theme for theme, _, _ in theme_hits(titles.get(d.item, "") + "\n" + d.text)}))

    return complete(DocumentResult(
        document=document, text=text,
        decisions=tuple(ctx.decisions), participants=tuple(ctx.participants), agenda_items=tuple(ctx.agenda_items),
        regions=tuple(ctx.regions), topics=tuple(ctx.topics), votes=tuple(ctx.votes),
        repairs=tuple(RepairRow(source.doc_id, c.page, c.line, c.rule, c.before, c.after, round(c.confidence, 3))
                      for c in changes),
    ), case_themes)


#: A short protocol that :func:`warm` sends through every stage: a clean page, then a page with
#: OCR damage (no æ/ø/å at all), so the repair builds its lexicon and models too.
WARM_UP_PAGES = (
    """PROTOKOLL
Møte i regionrådet 3. mars 2025 kl. 10.00
Til stede: Kari Nordmann (leder), Ola Hansen, Nord kommune
Forfall: Per Olsen
Sak 1/25 Godkjenning av innkalling og saksliste
Vedtak: Innkalling og saksliste godkjennes.
""",
    """Sak 2/25 Samferdsel og n@ringsutvikling i regionen
Saken ble drgftet i mgtet, og det ble papekt at vi na gar videre med planen for skole og helse.
Radet stgtter forslaget. Enstemmig vedtatt.
""",
)


@cache
def warm() -> None:
    """Build what every document needs (the spaCy pipeline, the lexicons and repair models, the
    patterns) by analysing a short made-up protocol: afterwards the first real document costs no
    more than the rest. Once per process (a worker forked from a warm process is warm).

    What was built lives as long as the process: it is moved out of the garbage collector's
    generations (:func:`gc.freeze`), so that collections during the documents do not walk its
    objects again and again, and a forked worker does not copy the pages they are on."""
    source = SourceFile(location="warm-up.txt", source_path="warm-up.txt", doc_id="warm-up")
    pages = tuple(Page(number, text) for number, text in enumerate(WARM_UP_PAGES, 1))
    try:
        analyse(source, RawDocument(pages=pages, format="txt"))
    except Exception:  # noqa: BLE001 - each document then builds what it needs, and reports what fails
        log.warning("the warm-up failed", exc_info=True)
    gc.collect()  # the warm-up's own garbage goes first: frozen objects are never collected
    gc.freeze()


#: Seconds between raises of DocumentTimeout after the limit, until the block is left.
TIME_LIMIT_REPEAT = 0.25


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise DocumentTimeout when the block runs longer than ``seconds`` (0: no limit). Uses a
    real-time timer signal, so it works in a process's main thread (the process pool's workers, a
    one-worker run) and is skipped in other threads (a Dask worker's task threads)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise DocumentTimeout(f"took longer than the time limit of {seconds:g} s (--timeout): skipped")

    previous = signal.signal(signal.SIGALRM, expired)
    # raised again every REPEAT seconds until the block is left: a raise that lands in a finaliser
    # (__del__, a weakref callback: Python prints and drops it there) or a library's bare except is
    # not the last one
    signal.setitimer(signal.ITIMER_REAL, seconds, TIME_LIMIT_REPEAT)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def process(source: SourceFile, debug: bool = False, timeout: float = 0) -> DocumentResult:
    """Read and analyse one file; any failure becomes an error row (``debug`` adds the traceback).
    A document that takes longer than ``timeout`` seconds becomes an error row too."""
    start = time.perf_counter()
    try:
        if source.refused:
            raise UnreadableDocument(source.refused)
        with time_limit(timeout):
            result = analyse(source, read_document(source.path))
    except (DocumentError, DocumentTimeout) as exc:
        result = failed(source, str(exc), exc if debug else None)
    except Exception as exc:  # noqa: BLE001 - one catch point per document, by design
        log.debug("unexpected failure on %s", source.source_path, exc_info=True)
        result = failed(source, f"internal error while processing: {type(exc).__name__}: {exc}", exc if debug else None)
    return DocumentResult(**{**result.__dict__, "seconds": time.perf_counter() - start})


def failed(source: SourceFile, message: str, exc: BaseException | None = None) -> DocumentResult:
    if exc is not None:
        message += "\n" + "".join(traceback.format_exception(exc))
    row = DocumentRow(doc_id=source.doc_id, source_path=source.source_path, status="error", error=message)
    return DocumentResult(document=row)
