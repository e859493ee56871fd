"""`hotline report`: an after-action report from a play journal, a saved run, or run JSON lines."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    """Add the `report` subcommand to the `hotline` parser."""
    p = sub.add_parser(
        "report", help="write the after-action report of a session or a run (HTML and Markdown)",
        description="Write the after-action report of a play journal, of a run saved with "
        "`hotline run --save`, or of `hotline run --json` output (give --scenario with it). "
        "Without --html or --md, both go into a folder (--out, default report-SCENARIO-ID).")
    p.add_argument("source", metavar="SOURCE", help="play journal, saved run, or run JSON lines")
    p.add_argument("--html", metavar="FILE", help="write one self-contained HTML file")
    p.add_argument("--md", metavar="FILE", help="write Markdown, pictures as SVG files beside it")
    p.add_argument("--pdf", metavar="FILE", help="also print the HTML report to PDF with headless "
                   "Chromium (which must be installed)")
    p.add_argument("--out", metavar="DIR", help="folder for report.html, report.md and pictures "
                   "when neither --html nor --md is given (default: report-SCENARIO-ID)")
    p.add_argument("--scenario", metavar="FILE", help="the scenario: needed for run JSON lines; "
                   "for a journal, replaces the scenario its header names")
    p.add_argument("--force", action="store_true", help="replace report files that exist already")
    p.add_argument("--seed", type=int, help="run JSON lines: the seed the run used (for the summary)")
    p.add_argument("--variant", metavar="NAME", help="run JSON lines: the variant the run used")
    p.set_defaults(func=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    """Build the report and write the files asked for; print each file written."""
    from sim.cli import UsageError
    from sim.report.build import build_report, write_html, write_markdown
    from sim.report.source import SourceError, load_source

    _check_outputs(args)
    try:
        source = load_source(args.source, args.scenario, seed=args.seed, variant=args.variant)
    except SourceError as exc:
        raise UsageError(str(exc)) from None
    for warning in source.info.warnings:
        sys.stderr.write(f"hotline report: warning: {warning}\n")
    if source.session is not None:
        report = build_report(source.session, info=source.info)
    else:
        report = build_report(source.log, source.scenario, source.info)
    html, md = args.html, args.md
    if html is None and md is None:
        folder = Path(args.out or f"report-{report.summary.scenario_id}")
        html, md = folder / "report.html", folder / "report.md"
        if args.out is None:  # the default folder is named by the scenario: known only now
            args.out = str(folder)
            _check_outputs(args)
    written: list[Path] = []
    from sim.report.pdf import PdfError, print_pdf, require_browser

    if args.pdf:
        try:
            require_browser()  # say so before writing anything
        except PdfError as exc:
            raise UsageError(str(exc)) from None
    try:
        if html is not None:
            written.append(write_html(report, html))
        if md is not None:
            written += write_markdown(report, md)
        if args.pdf:
            page = Path(html) if html is not None else Path(args.pdf).with_suffix(".html")
            if html is None:
                write_html(report, page)
            written.append(print_pdf(page, Path(args.pdf)))
    except OSError as exc:
        name = exc.filename or (html if html is not None and md is None else md or html)
        raise UsageError(f"cannot write the report: {name}: {exc.strerror}") from None
    except PdfError as exc:
        raise UsageError(str(exc)) from None
    sys.stdout.write("".join(f"{path}\n" for path in written))
    return 0


def _check_outputs(args: argparse.Namespace) -> None:
    """Before the journal is replayed: every file the report writes can be, and is not kept.

    Raises:
        UsageError: a folder that cannot be written, or a file that exists without --force.
    """
    from sim.cli import UsageError
    from sim.outputs import OutputError, check_output, check_output_dir

    protect = [p for p in (args.source, args.scenario) if p]
    try:
        for flag in ("html", "md"):
            path = getattr(args, flag)
            if path:
                check_output(f"--{flag}", path, force=args.force, protect=protect,
                             make_folders=True)
        if args.md:  # its pictures go beside it, named after it
            md = Path(args.md)
            check_output_dir("--md", md.parent, [p.name for p in md.parent.glob(f"{md.stem}-*.svg")]
                             if md.parent.is_dir() else [], force=args.force)
        if args.out and not (args.html or args.md):
            out = Path(args.out)
            names = ["report.html", "report.md",
                     *(p.name for p in out.glob("report-*.svg"))] if out.is_dir() else []
            check_output_dir("--out", out, names, force=args.force)
    except OutputError as exc:
        raise UsageError(str(exc)) from None
