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

Complete files are counted; incomplete ones are counted apart (their verdicts are
provisional). --anonymize names students "Student N", numbered in an order drawn from the
files' contents, never from their names, and leaves every file name out of the report;
with --render-each the PDFs are named student-NN.pdf and DIR/key.csv ties each number to
its file and assessor (keep it from the class).

--format json gives the numbers: generator, anonymized, submissions, complete, provisional, rejected
and incomplete [{file or student, line, reason}], reference_verdict, verdicts and
verdicts_incomplete {verdict: count}, red_flags [{id, title, severity, reference, raised,
raised_incomplete, of}], sections [{id, title, reference, median, scores,
scores_incomplete}], questions [{id, section, answered, answered_incomplete, answers and
answers_incomplete {value: count}, reference, agreement, disagreement}], discussion
[question ids, most disputed first], rationales {question id: [{answer, count, incomplete,
reference, cited {passage: students}, notes [{student, note, cites}]}]}, passages [{id,
students, citations, reference, after_decision}], students [{student, file, verdict,
overall, complete, agreement, red_flags, without_rationale, citations}].

--format csv gives the gradebook, one row per student: student, file, complete, verdict,
agreement (percent), red_flags (count), red_flag_ids, without_rationale, citations,
overall_risk (see the README).
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
    parser.add_argument(
        "--anonymize",
        action="store_true",
        help='name students "Student N" and no file (with --render-each: student-NN.pdf and '
        "a private key.csv)",
    )
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
                stems=_anonymous_stems(summary) if args.anonymize else None,
            )
            if args.anonymize:
                _write_key(summary, outcomes, args.render_each)
    _tell(env, summary, outcomes, output, fmt, args.render_each)
    return 0


def _anonymous_stems(summary: ClassSummary) -> list[str]:
    from diligence.trainer.anonymity import number_width

    width = number_width(max(n for _, n in summary.numbers))
    return [f"student-{s.number:0{width}d}" for s in summary.submissions]


def _write_key(summary: ClassSummary, outcomes: list[Outcome], folder: Path) -> None:
    """The one private file that ties "Student N" to a file and an assessor."""
    from diligence.report.render import write_output
    from diligence.trainer.gradebook import KEY_FILE, key_csv

    reports = {o.display: Path(o.target).name for o in outcomes if not o.error}
    write_output(folder / KEY_FILE, key_csv(summary, reports).encode("utf-8"))


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
        env.warn(f"set aside: {problem.for_trainer}")
    for problem in summary.incomplete:
        env.note(f"included, but {problem.for_trainer}")
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
    if outcomes and summary.anonymized:
        env.out(
            f"{each_folder}/key.csv: which student number is which file and assessor; "
            "private: keep it from the class"
        )
