"""`diligence demo [CASE]`: render the reference report of every scenario of a case."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

from diligence.commands import add_force_option, library_for
from diligence.environment import Environment
from diligence.errors import OutputError, UsageError

if TYPE_CHECKING:
    from diligence.commands import Subparsers
    from diligence.content.library import Library, Loaded
    from diligence.content.models import AnswersFile, Scenario


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
        help="the case study (default: the only case loaded, else picked from a list)",
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
    add_force_option(parser)
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
    library = library_for(args, env, lint=True)
    case_id = _pick_case(args.case, library, env)
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
    references = [(s, ref) for s, ref in references if ref and not _stale(ref, s, library, env)]
    if not references:
        raise UsageError(f"no reference report of case '{case_id}' can be rendered (see above)")
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
    renderer = EachRenderer(
        library,
        jobs=jobs,
        generated=generated,
        trainer=args.trainer,
        edition="full",
        force=args.force,
    )
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
    from diligence.assessment.load import load_reference
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
    assessment, _ = load_reference(reference, library)
    flow = Flow(
        assessment.checklist,
        assessment.answers,
        case=case,
        scenario=assessment.scenario,
        frameworks=library.frameworks,
    )
    view = RichView(env.console())
    if view.show_briefing(case, flow.scenario):
        walk(flow, view)
    return 0


def _stale(
    reference: Loaded[AnswersFile], scenario: Scenario, library: Library, env: Environment
) -> bool:
    """Reference answers for an older checklist version are skipped, with the fix."""
    from diligence.content.lint.answers import is_stale, stale_problem

    checklist = library.checklists.get(reference.model.checklist.id)
    if checklist is None or not is_stale(reference.model, checklist.model):
        return False
    problem = str(stale_problem(reference.doc, reference.model, checklist.model))
    if problem in map(str, library.warnings):  # loading warned of it already
        env.warn(f"scenario {scenario.id} skipped: its reference answers are stale (see above)")
    else:
        env.warn(f"{problem}; scenario {scenario.id} skipped")
    return True


def _pick_case(asked: str | None, library: Library, env: Environment) -> str:
    """The case asked for; else the only case loaded; else, on a terminal, the one picked
    from a list (without one, a usage error naming them)."""
    if asked:
        return library.case(asked).id
    available = list(library.cases)
    if len(available) == 1:
        return available[0]
    if not available:
        raise UsageError("no case study is loaded; add your content with --content DIR")
    if not env.stdin_isatty or not env.stdout_isatty:
        raise UsageError(f"name a case: diligence demo CASE, one of {', '.join(available)}")
    from diligence.tui.prompter import QuestionaryPrompter

    options = [(c.model.id, f"{c.model.title} ({c.model.id})") for c in library.cases.values()]
    return QuestionaryPrompter(env.console()).choose("Which case?", options)
