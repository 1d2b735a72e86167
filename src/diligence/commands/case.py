"""`diligence case CASE [--scenario ID]`: the case as a student may read it, cut at the
scenario's date (no hindsight), in the terminal (paged) or as a PDF, HTML or Markdown file."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from diligence.commands import add_force_option, library_for, resolve_output
from diligence.environment import Environment

if TYPE_CHECKING:
    from diligence.commands import Subparsers
    from diligence.report.reading import CaseReading

FORMATS = ("pdf", "html", "md")
"""`report.case_output.CASE_FORMATS` by name (listed here so `--help` imports nothing)."""

EPILOG = """\
With --scenario, only what was known at the scenario's decision date is shown: the
briefing, the passages dated and made public by then, the timeline with later events
given only by their date, and the sources of what is shown. Without it, the whole case
up to the present (a trainer's reading).

Without -o the case is printed to the terminal, a screenful at a time. With -o the
format follows its suffix (.pdf, .html, .md) or --format; an existing file is replaced
only when diligence wrote it (or with --force).
"""


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser(
        "case",
        help="read a case study as a student may, cut at a scenario's date",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("case", metavar="CASE", help="a case study id (see 'diligence list')")
    parser.add_argument(
        "--scenario", metavar="ID", help="cut the case at this scenario's decision date"
    )
    parser.add_argument(
        "-o", "--output", metavar="OUT", help="write a file (PDF, HTML or Markdown) instead"
    )
    parser.add_argument(
        "--format", choices=FORMATS, help="the file's format (default: from OUT's suffix, or pdf)"
    )
    add_force_option(parser)
    parser.set_defaults(run=run)


def reading_for(args: argparse.Namespace, env: Environment) -> CaseReading:
    """The reading the command line asks for; an unknown case or scenario is a usage
    error naming the choices."""
    from diligence.report.reading import case_reading

    library = library_for(args, env, lint=True)
    case = library.case(args.case)
    scenario = library.scenario(case.id, args.scenario) if args.scenario else None
    return case_reading(case, scenario, library.frameworks)


def run(args: argparse.Namespace, env: Environment) -> int:
    if args.output is None and args.format is not None:
        from diligence.errors import UsageError

        raise UsageError("--format needs -o FILE: without it the case goes to the terminal")
    reading = reading_for(args, env)
    if args.output is None:
        _show(reading, env)
        return 0
    return _write(reading, args, env)


def _show(reading: CaseReading, env: Environment) -> None:
    from diligence.tui.case_view import case_renderable

    console = env.console()
    if env.stdin_isatty and env.stdout_isatty:
        from diligence.tui.paging import page

        page(console, case_renderable(reading), what="case")
    else:
        console.print(case_renderable(reading))


def _write(reading: CaseReading, args: argparse.Namespace, env: Environment) -> int:
    from diligence.files import display_path
    from diligence.report.case_output import CASE_FORMATS, render_case
    from diligence.report.formats import format_of, suffix_of
    from diligence.report.render import report_date, write_output

    stem = f"{reading.case_id}-{reading.scenario.id}" if reading.scenario else reading.case_id
    target, fmt = resolve_output(
        args.output,
        args.format,
        folder=Path("."),
        stem=stem,
        suffix_of=suffix_of(CASE_FORMATS),
        format_of=format_of(CASE_FORMATS),
    )
    rendered = render_case(reading, fmt, report_date(env.environ))
    write_output(target, rendered.data, force=args.force)
    pages = f" ({rendered.pages} pages)" if rendered.pages else ""
    when = f"as of {reading.as_of}" if reading.as_of else "the whole case"
    (env.out if target.is_file() else env.err)(f"wrote {display_path(target)}{pages}: {when}")
    return 0
