"""`diligence demo [CASE]`: render the reference report of every scenario of a case."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

from diligence.commands import library_for
from diligence.environment import Environment
from diligence.errors import OutputError, UsageError

if TYPE_CHECKING:
    from diligence.commands import Subparsers
    from diligence.content.library import Library


DEFAULT_CASE = "pegasus"


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="render the reference report (PDF) of each scenario of a case",
        description="Render the shipped reference answers of each scenario of a case as PDF "
        "reports: a worked example of every decision the case asks for.",
    )
    parser.add_argument(
        "case",
        nargs="?",
        metavar="CASE",
        help=f"the case study (default: {DEFAULT_CASE}, or the only case loaded)",
    )
    parser.add_argument("--scenario", metavar="ID", help="render only this scenario")
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path("reports"),
        metavar="DIR",
        help="the folder to write into (default: reports/)",
    )
    parser.add_argument(
        "--trainer", action="store_true", help="add the teaching notes (trainer edition)"
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        help="processes rendering in parallel (default: one per core)",
    )
    parser.add_argument(
        "--walkthrough",
        action="store_true",
        help="present a scenario's reference answers in the terminal, question by question "
        "(keys: Enter next, Space more, b back, j jump to a section, q quit)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, env: Environment) -> int:
    if args.jobs < 1:
        raise UsageError("--jobs must be 1 or more")
    library = library_for(args, env, lint=False)
    case_id = _pick_case(args.case, list(library.cases))
    case = library.case(case_id)
    scenarios = case.scenarios
    if args.scenario:
        scenarios = [library.scenario(case_id, args.scenario)]
    if args.walkthrough:
        return _walkthrough(args.scenario, env, library, case_id)
    references = [(s, library.reference_for(case_id, s.id)) for s in scenarios]
    missing = [s.id for s, ref in references if ref is None]
    if args.scenario and missing:
        raise UsageError(f"scenario '{args.scenario}' has no reference answers to render")
    if not any(ref for _, ref in references):
        raise UsageError(f"case '{case_id}' has no reference answers to render")
    for scenario, ref in references:
        if ref is None:
            env.note(f"scenario {scenario.id} has no reference answers; skipped")
    targets = [(ref.path, args.output / f"{s.id}.pdf") for s, ref in references if ref]
    return _render(args, env, library, case_id, targets)


def _render(
    args: argparse.Namespace,
    env: Environment,
    library: Library,
    case_id: str,
    targets: list[tuple[Path, Path]],
) -> int:
    """Every reference report, in parallel in the pool `class --render-each` uses."""
    from rich.progress import Progress

    from diligence.files import display_path
    from diligence.report.render import report_date
    from diligence.trainer.render_each import EachRenderer

    generated = report_date(env.environ)
    jobs = min(args.jobs, len(targets))
    try:
        args.output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"cannot write into {display_path(args.output)}: {exc.strerror or exc}"
        ) from None
    progress = Progress(console=env.error_console(), disable=not env.stderr_isatty, transient=True)
    # The rendering processes start first: the progress display runs a thread.
    renderer = EachRenderer(library, jobs=jobs, generated=generated, trainer=args.trainer)
    with renderer as each, progress:
        task = progress.add_task("Rendering the reference reports", total=len(targets))
        outcomes = each.render_targets(targets, advance=lambda: progress.advance(task))
    failed = [o for o in outcomes if o.error]
    for warning in dict.fromkeys(w for o in outcomes for w in o.warnings):
        env.warn(warning)
    for outcome in outcomes:
        if outcome.error:
            env.error(f"{outcome.display}: {outcome.error}")
            continue
        env.out(
            f"  {display_path(Path(outcome.target)):<34} {outcome.pages:>3} pages  "
            f"{outcome.verdict}"
        )
    written = len(outcomes) - len(failed)
    env.out(
        f"{written} reference report{'s' if written != 1 else ''} of case "
        f"'{case_id}' in {display_path(args.output)}/"
    )
    return 2 if failed else 0


def _walkthrough(scenario_id: str | None, env: Environment, library: Library, case_id: str) -> int:
    """Present one scenario's reference answers in class (picked from a list if not given)."""
    if not env.stdin_isatty or not env.stdout_isatty:
        raise UsageError("--walkthrough needs a terminal; render reports with 'diligence demo'")
    from diligence.assessment.engine import Flow
    from diligence.trainer.walkthrough import walk
    from diligence.tui.prompter import QuestionaryPrompter
    from diligence.tui.walkthrough import RichView

    case = library.case(case_id)
    if scenario_id is None:
        options = [
            (s.id, f"{s.title} ({s.id})")
            for s in case.scenarios
            if library.reference_for(case_id, s.id)
        ]
        scenario_id = QuestionaryPrompter(env.console()).choose("Which scenario?", options)
    reference = library.reference_for(case_id, scenario_id)
    if reference is None:
        raise UsageError(f"scenario '{scenario_id}' has no reference answers to present")
    flow = Flow(
        library.checklist(reference.model.checklist.id),
        reference.model,
        case=case,
        scenario=case.scenario(scenario_id),
        frameworks=library.frameworks,
    )
    view = RichView(env.console())
    if view.show_briefing(case, flow.scenario):
        walk(flow, view)
    return 0


def _pick_case(asked: str | None, available: list[str]) -> str:
    if asked:
        if asked not in available:
            raise UsageError(
                f"no case study '{asked}'; available: {', '.join(available) or 'none'}"
            )
        return asked
    if DEFAULT_CASE in available:
        return DEFAULT_CASE
    if len(available) == 1:
        return available[0]
    raise UsageError(
        f"name a case: {', '.join(available) or 'none are loaded'} (no '{DEFAULT_CASE}')"
    )
