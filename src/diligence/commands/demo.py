"""`diligence demo [CASE]`: render the reference report of every scenario of a case."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from diligence.commands import library_for
from diligence.environment import Environment
from diligence.errors import UsageError

if TYPE_CHECKING:
    from diligence.commands import Subparsers
    from diligence.content.library import Library


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
    parser.add_argument(
        "--walkthrough",
        action="store_true",
        help="present a scenario's reference answers in the terminal, question by question "
        "(keys: Enter next, b back, j jump to a section, q quit)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, env: Environment) -> int:
    from diligence.content.lint.answers import is_stale, stale_problem
    from diligence.files import display_path
    from diligence.report.render import render_answers, report_date, write_output

    library = library_for(args, env, lint=False)
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
    generated = report_date(env.environ)
    written = []
    for scenario, ref in references:
        if ref is None:
            env.note(f"scenario {scenario.id} has no reference answers; skipped")
            continue
        checklist = library.checklists.get(ref.model.checklist.id)
        if checklist is not None and is_stale(ref.model, checklist.model):
            problem = stale_problem(ref.doc, ref.model, checklist.model)
            env.warn(f"{problem}; scenario {scenario.id} skipped")
            continue
        done = render_answers(ref.path, library, "pdf", generated=generated, trainer=args.trainer)
        for warning in done.output.warnings:
            env.warn(warning)
        target = args.output / f"{scenario.id}.pdf"
        write_output(target, done.output.data)
        written.append(target)
        env.out(
            f"  {display_path(target):<34} {done.output.pages:>3} pages  "
            f"{done.report.outcome_label} ({done.report.overall}/100)"
        )
    if not written:
        raise UsageError(f"no reference report of case '{case_id}' was rendered (see above)")
    env.out(
        f"{len(written)} reference report{'s' if len(written) != 1 else ''} of case "
        f"'{case_id}' in {display_path(args.output)}/"
    )
    return 0


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
