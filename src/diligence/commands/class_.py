"""`diligence class FILE|DIR|GLOB ...`: compare a class's answers with the reference."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

from diligence.commands import add_force_option, library_for, resolve_output
from diligence.environment import Environment
from diligence.errors import UsageError
from diligence.report.formats import CLASS_FORMATS, format_of, names, suffix_of

if TYPE_CHECKING:
    from diligence.commands import Subparsers
    from diligence.trainer.aggregate import ClassSummary
    from diligence.trainer.render_each import Outcome

EPILOG = """\
The class is the most common checklist and scenario among the files; broken files and files
for another checklist are listed with their reason, and the rest goes on.

--format json prints the numbers: generator, submissions, complete, rejected [{file, reason}],
incomplete, reference_verdict, verdicts {verdict: count}, questions [{id, section, answered,
answers {value: count}, reference, agreement, disagreement}], discussion [question ids, most
disputed first], students [{student, file, verdict, overall, complete, agreement}].
"""


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser(
        "class",
        help="compare many students' answers with the reference (trainers)",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("inputs", nargs="+", metavar="FILE", help="answers files, folders, globs")
    parser.add_argument(
        "-o", "--output", metavar="OUT", help="a file or a folder; default reports/class.pdf"
    )
    parser.add_argument("--format", choices=names(CLASS_FORMATS), help="default: from -o")
    parser.add_argument("--anonymize", action="store_true", help='name students "Student 1..n"')
    parser.add_argument(
        "--render-each", type=Path, metavar="DIR", help="also render each student's PDF into DIR"
    )
    add_force_option(parser)
    parser.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        help="processes for --render-each (default: one per core)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, env: Environment) -> int:
    from rich.progress import Progress

    from diligence.content.library import yaml_files
    from diligence.files import real_target
    from diligence.report.render import report_date, write_output
    from diligence.trainer.aggregate import collect
    from diligence.trainer.class_report import class_format
    from diligence.trainer.render_each import EachRenderer, prepare_folder

    if args.jobs < 1:
        raise UsageError("--jobs must be 1 or more")
    output, fmt = resolve_output(
        args.output,
        args.format,
        folder=Path("reports"),
        stem="class",
        suffix_of=suffix_of(CLASS_FORMATS),
        format_of=format_of(CLASS_FORMATS),
    )
    library = library_for(args, env, lint=True)
    files = yaml_files(args.inputs)
    generated = report_date(env.environ)
    reserved: list[str] = []
    if args.render_each:
        prepare_folder(args.render_each)  # before anything is written
        if real_target(args.render_each) == real_target(output.parent):
            reserved.append(output.stem)
    progress = Progress(console=env.error_console(), disable=not env.stderr_isatty, transient=True)
    jobs = args.jobs if args.render_each else 1
    each = EachRenderer(
        library, jobs=jobs, generated=generated, force=args.force, reserved=reserved
    )
    # The rendering processes start first: the progress display runs a thread.
    with each, progress:
        task = progress.add_task("Loading answers", total=len(files))
        summary = collect(
            files,
            library,
            anonymize=args.anonymize,
            progress=lambda n: progress.advance(task, n),
        )
        progress.update(task, description="Rendering the class report")
        rendered = class_format(fmt, generated=generated).render(summary)
        write_output(output, rendered.data, force=args.force, inputs=files)
        outcomes: list[Outcome] = []
        if args.render_each:
            students = progress.add_task("Rendering each student", total=len(summary.submissions))
            outcomes = each.render(
                [s.path for s in summary.submissions],
                args.render_each,
                advance=lambda: progress.advance(students),
            )
    _tell(env, summary, outcomes, output, fmt, args.render_each)
    return 0


def _tell(
    env: Environment,
    summary: ClassSummary,
    outcomes: list[Outcome],
    output: Path,
    fmt: str,
    each_folder: Path | None,
) -> None:
    """What happened: files set aside, incomplete or not rendered, then what was written."""
    for problem in summary.rejected:
        env.warn(f"set aside: {problem.message}")
    for problem in summary.incomplete:
        env.note(f"included, but {problem.message}")
    failed = [o for o in outcomes if o.error]
    for outcome in failed:
        env.warn(f"not rendered: {outcome.display}: {outcome.error}")
    env.out(
        f"{output}: class report ({fmt}) of {len(summary.submissions)} submissions"
        + (f", {len(summary.rejected)} set aside" if summary.rejected else "")
    )
    if outcomes:
        env.out(
            f"{each_folder}: {len(outcomes) - len(failed)} student reports"
            + (f", {len(failed)} failed" if failed else "")
        )
