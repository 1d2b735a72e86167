"""`diligence assess`: answer a checklist for a case scenario, interactively or from a file.

Answers are saved after every answer and note, so Ctrl-C, a closed terminal or a crash
loses at most what is being typed; `--resume FILE` continues where the user stopped.
"""

from __future__ import annotations

import argparse
import shlex
import shutil
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from diligence.commands import library_for
from diligence.environment import Environment
from diligence.errors import AnswersError, Interrupted, OutputError, Problem, UsageError

if TYPE_CHECKING:
    from diligence.assessment.answers import VersionChange
    from diligence.assessment.interface import SessionPrompter as Prompter
    from diligence.content.library import Library
    from diligence.content.models import AnswersFile, CaseStudy, Checklist, Scenario

Pick = Callable[[str, Sequence[tuple[str, str]]], str]
"""Ask the user to pick one (value, label); None where nobody can be asked."""


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "assess",
        help="assess a case scenario with a checklist (saved after every answer)",
        description="Answer a checklist for a case scenario. Answers are saved after every "
        "answer; Ctrl-C stops with everything saved, and --resume continues. Left-out "
        "--checklist, --case or --scenario are picked from a list.",
    )
    parser.add_argument("--checklist", metavar="ID", help="the checklist to answer")
    parser.add_argument("--case", metavar="ID", help="the case study")
    parser.add_argument("--scenario", metavar="ID", help="the scenario of the case")
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        type=Path,
        help="where to save the answers (default: answers/<scenario>-<your-name>.yaml)",
    )
    parser.add_argument(
        "--resume", metavar="FILE", type=Path, help="continue an answers file where it stopped"
    )
    parser.add_argument(
        "--answers",
        metavar="FILE",
        type=Path,
        help="take answers from FILE (complete or partial); it is validated, never changed",
    )
    parser.add_argument(
        "--no-input",
        action="store_true",
        help="never prompt: write the completed answers, or fail listing what is missing",
    )
    parser.set_defaults(run=run)


@dataclass
class Session:
    """One assessment: what is answered, against what, and where it is saved."""

    checklist: Checklist
    case: CaseStudy
    scenario: Scenario | None
    answers: AnswersFile
    target: Path


def run(args: argparse.Namespace, env: Environment) -> int:
    if args.resume and args.answers:
        raise UsageError("use --resume FILE or --answers FILE, not both")
    interactive = not args.no_input and env.stdin_isatty
    if not interactive and not (args.no_input or args.answers):
        raise UsageError(
            "standard input is not a terminal, so nobody can be asked; to run without "
            "prompts, add --no-input and give answers with --answers FILE or --resume FILE"
        )
    library = library_for(args, env, lint=True)
    if not interactive:
        return _without_prompts(args, env, library)
    return _interactive(args, env, library)


# --------------------------------------------------------------------------- without prompts


def _without_prompts(args: argparse.Namespace, env: Environment, library: Library) -> int:
    from diligence.assessment.answers import answers_lock, default_path, new_answers, save_answers
    from diligence.assessment.engine import Flow

    source: Path | None = args.resume or args.answers
    if args.resume:
        answers, change = _load_resume(args.resume, library)
        if change is not None and change.changed:
            for line in version_notices(change):
                env.err(f"diligence: {line}")
    elif args.answers:
        answers = _load_given(args.answers, library)
    else:
        checklist, case, scenario = select(args, library, pick=None)
        answers = new_answers(checklist, case.id, scenario.id if scenario else None, "")
    _check_flags(args, answers)
    flow = Flow(library.checklist(answers.checklist.id), answers)
    missing = flow.finish()
    if missing:
        if source is None:
            raise UsageError(
                f"--no-input needs answers: required questions {', '.join(missing)} are "
                "unanswered; give them with --answers FILE"
            )
        checklist = flow.checklist
        raise AnswersError(
            [
                Problem(
                    _shown(source), 0, f"required question {q} is unanswered: {_text(checklist, q)}"
                )
                for q in missing
            ]
        )
    target: Path = (
        args.output
        or args.resume
        or default_path(answers.scenario or answers.checklist.id, answers.assessor or "answers")
    )
    if target.exists() and not (source and _same(target, source)):
        raise UsageError(
            f"{_shown(target)} exists; choose another -o FILE, or continue it with "
            f"--resume {_shown(target)}"
        )
    with answers_lock(target):
        save_answers(answers, target)
    env.out(f"Saved {_shown(target)} (complete).")
    env.out(_verdict_line(library.checklist(answers.checklist.id), answers))
    env.out(f"Render the report with: {_command(args, 'report', target)}")
    return 0


def _text(checklist: Checklist, question_id: str) -> str:
    question = checklist.question(question_id)
    return question.text if question else ""


# --------------------------------------------------------------------------- interactive


def _interactive(args: argparse.Namespace, env: Environment, library: Library) -> int:
    from rich.console import Console

    from diligence.assessment.answers import answers_lock
    from diligence.tui.prompter import QuestionaryPrompter

    prompter = QuestionaryPrompter(Console(file=env.stdout, highlight=False))
    target: Path | None = None
    try:
        plan = _plan(args, library, prompter)
        if plan is None:
            env.out("Nothing was started.")
            return 0
        target, resume, fresh = plan
        with answers_lock(target):
            session = _open(args, library, prompter, target, resume, fresh)
            return _assess(args, env, library, prompter, session)
    except KeyboardInterrupt:
        if target is not None and target.exists():
            raise Interrupted(
                f"interrupted; your answers are saved in {_shown(target)}. "
                f"Continue with: {_command(args, 'assess --resume', target)}"
            ) from None
        raise Interrupted("interrupted; nothing was saved") from None


def _plan(
    args: argparse.Namespace, library: Library, prompter: Prompter
) -> tuple[Path, Path | None, AnswersFile | None] | None:
    """Where to save, and whether to resume a file or start from fresh answers; None to stop."""
    from diligence.assessment.answers import default_path, new_answers, unused_path

    if args.resume:
        return args.output or args.resume, args.resume, None
    if args.answers:
        fresh = _load_given(args.answers, library)
        _check_flags(args, fresh)
        checklist = library.checklist(fresh.checklist.id)
        case = library.case(fresh.case)
        scenario = case.scenario(fresh.scenario) if fresh.scenario else None
        prompter.show_briefing(case, scenario)
        if not fresh.assessor:
            fresh.assessor = prompter.ask_text("Your name (it goes on the report)")
    else:
        checklist, case, scenario = select(args, library, pick=prompter.choose)
        prompter.show_briefing(case, scenario)
        assessor = prompter.ask_text("Your name (it goes on the report)")
        fresh = new_answers(checklist, case.id, scenario.id if scenario else None, assessor)
    target: Path = args.output or default_path(
        scenario.id if scenario else checklist.id, fresh.assessor
    )
    if target.exists():
        other = unused_path(target)
        options = [] if args.answers else [("resume", f"Resume it ({_shown(target)})")]
        options += [("new", f"Start a new file: {_shown(other)}"), ("quit", "Quit")]
        picked = prompter.choose(f"{_shown(target)} already exists.", options)
        if picked == "quit":
            return None
        if picked == "resume":
            return target, target, None
        target = other
    return target, None, fresh


def _open(
    args: argparse.Namespace,
    library: Library,
    prompter: Prompter,
    target: Path,
    resume: Path | None,
    fresh: AnswersFile | None,
) -> Session:
    """Load or create the answers, holding the lock on `target`."""
    from diligence.assessment.answers import save_answers
    from diligence.content.models import has_value

    if resume is not None:
        answers, change = _load_resume(resume, library)
        _check_flags(args, answers)
    else:
        assert fresh is not None
        answers, change = fresh, None
    checklist = library.checklist(answers.checklist.id)
    case = library.case(answers.case)
    scenario = case.scenario(answers.scenario) if answers.scenario else None
    if resume is not None:
        prompter.show_briefing(case, scenario)
        if change is not None and change.changed:
            for line in version_notices(change):
                prompter.notice(line)
    save_answers(answers, target)
    if resume is not None:
        done = sum(1 for a in answers.answers.values() if has_value(a.value) and not a.inactive)
        prompter.notice(f"Continuing {_shown(resume)}: {done} answered so far.")
    prompter.notice(f"Your answers are saved to {_shown(target)} after every answer.")
    return Session(checklist, case, scenario, answers, target)


def _assess(
    args: argparse.Namespace,
    env: Environment,
    library: Library,
    prompter: Prompter,
    session: Session,
) -> int:
    from diligence.assessment.answers import save_answers
    from diligence.assessment.drive import drive
    from diligence.assessment.engine import Flow

    flow = Flow(
        session.checklist,
        session.answers,
        case=session.case,
        scenario=session.scenario,
        frameworks=library.frameworks,
    )

    def save() -> None:
        while True:
            try:
                save_answers(flow.answers, session.target)
                return
            except OutputError as failed:
                prompter.notice(str(failed))
                try:
                    retry = prompter.choose(
                        "Your last change is not saved yet.",
                        [("retry", "Try again"), ("stop", "Stop (the last change is lost)")],
                    )
                except KeyboardInterrupt:
                    raise failed from None
                if retry == "stop":
                    raise

    shown = _shown(session.target)
    if drive(flow, prompter, save):
        env.out(f"Saved {shown} (complete).")
        env.out(_verdict_line(flow.checklist, flow.answers))
        env.out(f"Render the report with: {_command(args, 'report', session.target)}")
    else:
        env.out(
            f"Saved {shown}. Continue with: {_command(args, 'assess --resume', session.target)}"
        )
    return 0


def version_notices(change: VersionChange) -> list[str]:
    """What changed with the checklist version, one line each."""
    lines = [f"The checklist changed from version {change.old_version} to {change.new_version}."]
    if change.added:
        lines.append(f"New questions: {', '.join(change.added)}.")
    if change.removed:
        lines.append(
            f"Removed questions: {', '.join(change.removed)}; your answers to them are kept "
            "in the file, marked inactive."
        )
    for question_id, value in change.invalid.items():
        lines.append(
            f"{question_id}: your answer '{value}' is no longer a choice; it is kept in the "
            "note and the question is asked again."
        )
    return lines


# --------------------------------------------------------------------------- loading


def _load_resume(path: Path, library: Library) -> tuple[AnswersFile, VersionChange | None]:
    """An answers file to continue, brought up to the current checklist version."""
    from diligence.assessment.answers import load_answers, upgrade
    from diligence.content.lint import lint_answers

    loaded = load_answers(path)
    change = None
    if loaded.model.checklist.id in library.checklists:
        change = upgrade(loaded.model, library.checklists[loaded.model.checklist.id].model)
    problems = lint_answers(loaded, library)
    if problems:
        raise AnswersError(problems)
    return loaded.model, change


def _load_given(path: Path, library: Library) -> AnswersFile:
    """Answers given with --answers: validated as they are, with `path:line` problems."""
    from diligence.assessment.answers import load_answers
    from diligence.content.lint import lint_answers

    loaded = load_answers(path)
    problems = lint_answers(loaded, library)
    if problems:
        raise AnswersError(problems)
    return loaded.model


def _check_flags(args: argparse.Namespace, answers: AnswersFile) -> None:
    """--checklist, --case and --scenario must agree with an answers file that names them."""
    for flag, given, recorded in (
        ("--checklist", args.checklist, answers.checklist.id),
        ("--case", args.case, answers.case),
        ("--scenario", args.scenario, answers.scenario),
    ):
        if given is not None and given != recorded:
            raise UsageError(
                f"the answers file is for {flag.removeprefix('--')} '{recorded}', not '{given}'; "
                f"leave out {flag}"
            )


# --------------------------------------------------------------------------- selection


def select(
    args: argparse.Namespace, library: Library, pick: Pick | None
) -> tuple[Checklist, CaseStudy, Scenario | None]:
    """The checklist, case and scenario: from the flags, else the only fit, else picked."""
    checklist = library.checklist(args.checklist) if args.checklist else None
    case = _select_case(args, library, checklist, pick)
    scenarios = [s for s in case.scenarios if checklist is None or s.checklist == checklist.id]
    scenario = None
    if args.scenario:
        scenario = library.scenario(case.id, args.scenario)
        if checklist is not None and scenario.checklist != checklist.id:
            raise UsageError(
                f"scenario {scenario.id} is assessed with checklist '{scenario.checklist}', "
                f"not '{checklist.id}'"
            )
    elif scenarios:
        options = [(s.id, f"{s.title} · as of {s.as_of} ({s.id})") for s in scenarios]
        scenario = case.scenario(_one(options, "Which scenario?", "--scenario", pick))
    if checklist is None:
        if scenario is not None:
            checklist = library.checklist(scenario.checklist)
        else:
            options = [
                (c.model.id, f"{c.model.title} v{c.model.version} ({c.model.id})")
                for c in library.checklists.values()
                if c.model.case in (None, case.id)
            ]
            checklist = library.checklist(_one(options, "Which checklist?", "--checklist", pick))
    return checklist, case, scenario


def _select_case(
    args: argparse.Namespace, library: Library, checklist: Checklist | None, pick: Pick | None
) -> CaseStudy:
    if args.case:
        return library.case(args.case)
    cases = [c.model for c in library.cases.values()]
    if args.scenario:
        known = [s.id for c in cases for s in c.scenarios]
        cases = [c for c in cases if c.scenario(args.scenario)]
        if not cases:
            raise UsageError(
                f"no case study has a scenario '{args.scenario}'; available: "
                f"{', '.join(known) or 'none'}"
            )
    elif checklist is not None:
        cases = [
            c
            for c in cases
            if c.id == checklist.case or any(s.checklist == checklist.id for s in c.scenarios)
        ]
    options = [(c.id, f"{c.title} ({c.id})") for c in cases]
    return library.case(_one(options, "Which case study?", "--case", pick))


def _one(options: list[tuple[str, str]], message: str, flag: str, pick: Pick | None) -> str:
    if len(options) == 1:
        return options[0][0]
    if not options:
        raise UsageError(f"nothing fits for {flag}; see 'diligence list'")
    if pick is None:
        raise UsageError(f"choose with {flag}: {', '.join(value for value, _ in options)}")
    return pick(message, options)


# --------------------------------------------------------------------------- helpers


def _shown(path: Path) -> str:
    from diligence.content.library import display_path

    return display_path(path)


def _same(a: Path, b: Path) -> bool:
    return a.resolve() == b.resolve()


def _command(args: argparse.Namespace, command: str, path: Path) -> str:
    """The command to run next, with the same --content folders."""
    content = "".join(f" --content {shlex.quote(str(p))}" for p in getattr(args, "content", []))
    return f"{program()} {command} {shlex.quote(_shown(path))}{content}"


def _verdict_line(checklist: Checklist, answers: AnswersFile) -> str:
    """The verdict the finished answers give, so the student sees the outcome at once."""
    from diligence.scoring import score

    result = score(checklist, answers)
    return (
        f"Verdict: {result.verdict.label} (overall risk {result.overall}/100, "
        f"{len(result.red_flags)} red flag(s), {len(result.unknowns)} unknown(s))"
    )


def program() -> str:
    """How to run diligence again: plain `diligence` when that is on PATH and is this same
    program, else the path it was started by (e.g. .venv/bin/diligence)."""
    started = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    on_path = shutil.which("diligence")
    if started is None or started.name != "diligence":
        return "diligence"  # python -m diligence, or tests
    if on_path and Path(on_path).resolve() == started.resolve():
        return "diligence"
    return shlex.quote(_shown(started))
