"""`diligence report FILE`: the assessment as a PDF, HTML, Markdown or JSON report."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from diligence.commands import add_force_option, library_for, resolve_output
from diligence.environment import Environment
from diligence.report.formats import REPORT_FORMATS, format_of, names, suffix_of

if TYPE_CHECKING:
    from diligence.commands import Subparsers


DEFAULT_FOLDER = Path("reports")

EPILOG = """\
editions:
  (default)  the student's argument in a few pages: the verdict and its reasons on the
             cover, the red flags with the answers that raised them, each answer with its
             rationale and the passages cited, the conditions, what is left open, the
             frameworks and sources, and an integrity block
  --full     the full memo: executive summary with a section-risk chart, red flags and
             findings with the case evidence in full, conditions, appendices (briefing,
             timeline, bibliography, scoring, integrity)
  Either way the report shows only what was known at the scenario's decision date;
  --trainer adds the teaching notes and the later record, marked as such.

formats:
  pdf   tagged PDF/UA-1 with bookmarks, the answers file embedded as answers.yaml and its
        SHA-256 printed on the last page (see 'diligence verify')
  html  the same content as one self-contained file (inline CSS and SVG)
  md    Markdown for a Git forge
  json  the report model; keys documented in docs/report-json.md

The format follows the suffix of -o (pdf when there is none); without -o the report goes
to reports/<answers-file-name>.<format>. An existing file is replaced only when it is a
report diligence wrote (or with --force); the answers file itself never is. -o /dev/null
and -o /dev/stdout write to the device. With SOURCE_DATE_EPOCH set, the report's date
comes from it and two renders are byte-identical.
"""


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser(
        "report",
        help="render an answers file as a PDF, HTML, Markdown or JSON report",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="an answers file")
    parser.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="where to write the report (a file, or a folder); default reports/<FILE stem>.pdf",
    )
    parser.add_argument(
        "--format",
        choices=names(REPORT_FORMATS),
        help="the format (default: from OUT's suffix, or pdf)",
    )
    parser.add_argument(
        "--full",
        action="store_true",
        help="the full memo (all the evidence and the appendices) instead of the student edition",
    )
    parser.add_argument(
        "--trainer",
        action="store_true",
        help="add the teaching notes, and the record after the decision date (marked)",
    )
    add_force_option(parser)
    parser.set_defaults(run=run)


def output_and_format(file: Path, output: str | None, fmt: str | None) -> tuple[Path, str]:
    """Where to write and in which format, from -o and --format."""
    return resolve_output(
        output,
        fmt,
        folder=DEFAULT_FOLDER,
        stem=file.stem,
        suffix_of=suffix_of(REPORT_FORMATS),
        format_of=format_of(REPORT_FORMATS),
    )


def run(args: argparse.Namespace, env: Environment) -> int:
    from diligence.files import display_path
    from diligence.report.render import render_answers, report_date, write_output

    target, fmt = output_and_format(args.file, args.output, args.format)
    library = library_for(args, env, lint=True)
    done = render_answers(
        args.file,
        library,
        fmt,
        generated=report_date(env.environ),
        trainer=args.trainer,
        edition="full" if args.full else "student",
    )
    for warning in done.output.warnings:
        env.warn(warning)
    write_output(target, done.output.data, force=args.force, inputs=[args.file])
    report = done.report
    pages = f" ({done.output.pages} pages)" if done.output.pages else ""
    verdict = (
        f"provisional verdict {report.outcome_label}"
        if report.provisional
        else report.outcome_label
    )
    said = f"wrote {display_path(target)}{pages}: {verdict}, overall risk {report.overall}/100"
    # Written to a device or a pipe (-o /dev/stdout): the report may be on standard output.
    (env.out if target.is_file() else env.err)(said)
    return 0
