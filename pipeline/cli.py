"""The command line: ``minutes run``, ``minutes explain``, ``minutes evaluate``.

``main(argv) -> int`` is callable from tests in process; ``entry`` is the console script.
"""
from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from pipeline import __version__
from pipeline.errors import MinutesError, RunError, Stopped

DESCRIPTION = """\
Turn Norwegian meeting documents (minutes, protocols, case documents, agreements, slides;
PDF, DOCX, TXT, MD) into tables: documents, decisions, participants, agenda items, regions
and topics, as an Excel workbook, CSV tables and the repaired text."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="minutes", description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"minutes {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="process documents into data/out (workbook, CSV tables, text)",
                         description="Process files and folders (read recursively) into OUT.")
    run.add_argument("inputs", nargs="*", type=Path, metavar="INPUT", default=[Path("data/raw")],
                     help="files and folders to read (default: data/raw)")
    run.add_argument("--out", type=Path, default=Path("data/out"), metavar="DIR",
                     help="output folder (default: data/out)")
    run.add_argument("--workers", type=int, default=os.cpu_count() or 1, metavar="N",
                     help="worker processes (default: the number of cores)")
    run.add_argument("--debug", action="store_true", help="show tracebacks of failed documents in the table")
    run.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    run.add_argument("--full", action="store_true", help="process every document again, changed or not")
    run.add_argument("--timeout", type=float, default=120.0, metavar="SECONDS",
                     help="time limit per document; a document that takes longer becomes an error row "
                          "(default: 120, 0 for none)")
    run.add_argument("--scheduler", default="", metavar="ADDRESS",
                     help="run the documents on a Dask cluster, e.g. tcp://10.0.0.5:8786 (needs minutes[dask]; "
                          "the workers must see the input files at the same paths)")
    run.add_argument("--format", default="csv,parquet,xlsx", metavar="LIST",
                     help="what to write besides the texts: any of csv, parquet, xlsx (default: all three; "
                          "CSV is always written)")
    run.add_argument("--lang", choices=("nb", "en"), default="nb",
                     help="language of the workbook: sheet names, headers and every value a person reads "
                          "(default: nb; CSV and Parquet keep the English ids)")
    run.add_argument("--per-region", action="store_true",
                     help="add one workbook sheet per owner region with its decisions and participants")
    run.add_argument("--rollup", action="store_true",
                     help="report municipalities under their regional council: owner regions (overview, decisions, "
                          "topics) and the regions table")
    run.add_argument("--corrections", type=Path, default=None, metavar="DIR",
                     help="hand corrections applied on every run: DIR/<table>.csv with the id of each row to "
                          "correct, delete (a column delete: yes) or add (default: data/corrections when it exists)")
    run.add_argument("--follow-links", action="store_true",
                     help="also read symbolic links in the input folders that lead to files outside them "
                          "(by default they are error rows: not read)")

    explain = sub.add_parser("explain", help="show what normalisation and OCR repair changed in one document",
                             description="Print every change the normalisers made to FILE, line by line, and every "
                                         "word the OCR repair changed (before, after, rule, confidence).")
    explain.add_argument("file", type=Path, metavar="FILE")
    explain.add_argument("--repairs-only", action="store_true", help="only the OCR repairs")

    evaluate = sub.add_parser(
        "evaluate", help="score a run against hand annotations (gold JSON files)",
        description="Score the tables in OUT against the gold annotations in GOLD (one <doc>.json per document, "
                    "matched to the input file with the same stem): precision, recall and F1 per table, attribute "
                    "accuracies, and every miss and false find.")
    evaluate.add_argument("out", type=Path, metavar="OUT", help="a run's output folder (with tables/)")
    evaluate.add_argument("gold", type=Path, metavar="GOLD", help="folder of gold annotation files")
    evaluate.add_argument("--details", action="store_true", help="also print every miss and false find")
    evaluate.add_argument("--write", action="store_true",
                          help="write OUT/evaluation/ (findings.csv, per_document.csv, figures.json)")
    return parser


def _cmd_run(args: argparse.Namespace) -> int:
    from pipeline.run import RunOptions, run

    if args.workers < 1:
        raise RunError("--workers must be at least 1")
    formats = tuple(f.strip() for f in args.format.split(",") if f.strip())
    unknown = [f for f in formats if f not in ("csv", "parquet", "xlsx")]
    if unknown:
        raise RunError(f"unknown --format {', '.join(unknown)}: choose from csv, parquet, xlsx")
    summary = run(RunOptions(tuple(args.inputs), args.out, args.workers, args.debug, progress=not args.quiet,
                             rollup=args.rollup, full=args.full, timeout=args.timeout, scheduler=args.scheduler,
                             formats=formats, lang=args.lang, per_region=args.per_region,
                             corrections=args.corrections or default_corrections(),
                             follow_links=args.follow_links))
    if not args.quiet:
        print(summary.line(args.out))
    return 0


def _cmd_explain(args: argparse.Namespace) -> int:
    from pipeline.layout import with_table_rows
    from pipeline.normalise import explain, normalise_pages
    from pipeline.readers import read_document
    from pipeline.repair import explain_changes, repair_lines

    raw = read_document(args.file)
    pages = with_table_rows(raw.pages, raw.tables)
    changes = explain(pages)
    if not args.repairs_only:
        print(f"normalisation ({len(changes)} changes):")
        for c in changes:
            print(f"  p{c.page} l{c.line}  {c.rule}: {c.before!r} -> {c.after!r}")
    _, repairs = repair_lines(normalise_pages(pages))
    print(f"OCR repairs ({len(repairs)}):")
    for line in explain_changes(repairs):
        print("  " + line)
    return 0


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from pipeline.evaluate import evaluate, report, write_findings

    if not (args.out / "tables").is_dir():
        raise RunError(f"no tables/ in {args.out}: give the output folder of a run")
    try:
        ev = evaluate(args.out, args.gold)
    except FileNotFoundError as exc:
        raise RunError(str(exc)) from exc
    print(report(ev, args.details))
    if args.write:
        write_findings(ev, args.out / "evaluation")
        print(f"wrote {args.out / 'evaluation'}")
    return 0


def default_corrections() -> Path | None:
    """``data/corrections`` of the current folder, when it exists: the default of ``--corrections``."""
    folder = Path("data/corrections")
    return folder if folder.is_dir() else None


COMMANDS = {"run": _cmd_run, "explain": _cmd_explain, "evaluate": _cmd_evaluate}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="minutes: %(message)s")
    try:
        return COMMANDS[args.command](args)
    except MinutesError as exc:
        print(f"minutes: {exc}", file=sys.stderr)
        return 2
    except (KeyboardInterrupt, Stopped) as exc:
        signum = exc.signum if isinstance(exc, Stopped) else signal.SIGINT
        print(f"minutes: stopped ({signal.Signals(signum).name}); the documents done so far are kept: "
              "run again to finish", file=sys.stderr)
        return 128 + signum


def _stop(signum: int, frame: object) -> None:
    raise Stopped(signum)


def entry() -> None:
    if hasattr(signal, "SIGPIPE"):  # `minutes explain FILE | head` ends quietly
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    for name in ("SIGTERM", "SIGHUP"):  # stop as Ctrl-C does: workers ended, state closed, one line
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _stop)
    sys.exit(main())
