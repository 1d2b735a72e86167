"""`diligence class FILE|DIR|GLOB ...`: compare a class's answers with the reference."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from diligence.commands import library_for, resolve_output
from diligence.environment import Environment
from diligence.errors import UsageError

if TYPE_CHECKING:
    from diligence.content.library import Library

EPILOG = """\
The class is the most common checklist and scenario among the files; broken files and files
for another checklist are listed with their reason, and the rest goes on.

--format json prints the numbers: submissions, complete, rejected [{file, reason}],
incomplete, reference_verdict, verdicts {verdict: count}, questions [{id, section, answered,
answers {value: count}, reference, agreement, disagreement}], discussion [question ids, most
disputed first], students [{student, file, verdict, overall, complete, agreement}].
"""


def register(subparsers: Any) -> None:
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
    parser.add_argument("--format", choices=["pdf", "html", "json"], help="default: from -o")
    parser.add_argument("--anonymize", action="store_true", help='name students "Student 1..n"')
    parser.add_argument(
        "--render-each", type=Path, metavar="DIR", help="also render each student's PDF into DIR"
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        help="processes for --render-each (default: one per core)",
    )
    parser.set_defaults(run=run)


@dataclass(frozen=True)
class Outcome:
    display: str
    target: str
    error: str | None


def run(args: argparse.Namespace, env: Environment) -> int:
    from rich.console import Console
    from rich.progress import Progress

    from diligence.content.library import yaml_files
    from diligence.report.render import report_date, write_atomically
    from diligence.trainer.aggregate import collect
    from diligence.trainer.class_report import render

    if args.jobs < 1:
        raise UsageError("--jobs must be 1 or more")
    output, fmt = resolve_output(
        args.output,
        args.format,
        folder=Path("reports"),
        stem="class",
        suffix_of={"pdf": ".pdf", "html": ".html", "json": ".json"},
        format_of={".pdf": "pdf", ".html": "html", ".htm": "html", ".json": "json"},
    )
    library = library_for(args, env, lint=True)
    files = yaml_files(args.inputs)
    generated = report_date(env.environ)
    console = Console(file=env.stderr, highlight=False)
    with Progress(console=console, disable=not _isatty(env), transient=True) as progress:
        task = progress.add_task("Loading answers", total=len(files))
        summary = collect(
            files,
            library,
            anonymize=args.anonymize,
            progress=lambda n: progress.advance(task, n),
        )
        progress.update(task, description="Rendering the class report")
        rendered = render(summary, fmt, generated)
        write_atomically(output, rendered.data)
        outcomes: list[Outcome] = []
        if args.render_each:
            each = progress.add_task("Rendering each student", total=len(summary.submissions))
            outcomes = render_each(
                [s.path for s in summary.submissions],
                args.render_each,
                library,
                jobs=args.jobs,
                generated=generated,
                advance=lambda: progress.advance(each),
            )
    for problem in summary.rejected:
        env.err(f"set aside: {problem.message}")
    for problem in summary.incomplete:
        env.err(f"included, but {problem.message}")
    failed = [o for o in outcomes if o.error]
    for outcome in failed:
        env.err(f"not rendered: {outcome.display}: {outcome.error}")
    env.out(
        f"{output}: class report ({fmt}) of {len(summary.submissions)} submissions"
        + (f", {len(summary.rejected)} set aside" if summary.rejected else "")
    )
    if outcomes:
        env.out(
            f"{args.render_each}: {len(outcomes) - len(failed)} student reports"
            + (f", {len(failed)} failed" if failed else "")
        )
    return 0


def _isatty(env: Environment) -> bool:
    try:
        return env.stderr.isatty()
    except (AttributeError, ValueError):
        return False


_WORKER_LIBRARY: Library | None = None


def render_each(
    paths: list[Path],
    folder: Path,
    library: Library,
    *,
    jobs: int,
    generated: datetime,
    advance: Callable[[], None],
) -> list[Outcome]:
    """Render each answers file's PDF into `folder`, in `jobs` processes; a failure in one
    file never stops the others."""
    global _WORKER_LIBRARY
    folder.mkdir(parents=True, exist_ok=True)
    targets = _targets(paths, folder)
    outcomes: list[Outcome] = []
    if jobs == 1:
        for path, target in targets:
            outcomes.append(_render_one(library, path, target, generated))
            advance()
        return outcomes
    import concurrent.futures
    import multiprocessing

    _WORKER_LIBRARY = library  # inherited by forked workers: no reloading
    context = multiprocessing.get_context("fork")
    with concurrent.futures.ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        futures = [pool.submit(_worker, path, target, generated) for path, target in targets]
        for future in concurrent.futures.as_completed(futures):
            outcomes.append(future.result())
            advance()
    order = {str(target): i for i, (_, target) in enumerate(targets)}
    return sorted(outcomes, key=lambda o: order.get(o.target, 0))


def _targets(paths: list[Path], folder: Path) -> list[tuple[Path, Path]]:
    """One PDF name per answers file, unique even when two files share a stem."""
    seen: dict[str, int] = {}
    targets = []
    for path in paths:
        stem = path.stem
        seen[stem] = seen.get(stem, 0) + 1
        name = stem if seen[stem] == 1 else f"{stem}-{seen[stem]}"
        targets.append((path, folder / f"{name}.pdf"))
    return targets


def _worker(path: Path, target: Path, generated: datetime) -> Outcome:
    assert _WORKER_LIBRARY is not None
    return _render_one(_WORKER_LIBRARY, path, target, generated)


def _render_one(library: Library, path: Path, target: Path, generated: datetime) -> Outcome:
    from diligence.content.library import display_path
    from diligence.errors import DiligenceError
    from diligence.report.render import render_answers, write_atomically

    display = display_path(path)
    try:
        done = render_answers(path, library, "pdf", generated=generated)
        write_atomically(target, done.output.data)
    except DiligenceError as exc:
        return Outcome(display, str(target), exc.lines()[0] if exc.lines() else str(exc))
    except Exception as exc:
        return Outcome(display, str(target), f"{type(exc).__name__}: {exc}")
    return Outcome(display, str(target), None)
