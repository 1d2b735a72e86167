"""`diligence assess`: answer a checklist for a case scenario, interactively or from a file.

Answers are saved after every answer and note, so Ctrl-C, a closed terminal or a crash
loses at most what is being typed; `--resume FILE` continues where the user stopped. The
session itself is `diligence.assessment.session`; this module turns the command line into
its `Request` and tells the user what happened.
"""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path
from typing import TYPE_CHECKING

from diligence.commands import library_for
from diligence.environment import Environment
from diligence.errors import Interrupted, UsageError
from diligence.files import display_path as _shown

if TYPE_CHECKING:
    from diligence.assessment.session import Request
    from diligence.commands import Subparsers
    from diligence.content.library import Library
    from diligence.content.models import AnswersFile, Checklist


def register(subparsers: Subparsers) -> None:
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


def run(args: argparse.Namespace, env: Environment) -> int:
    from diligence.assessment.session import Request

    request = Request(
        checklist_id=args.checklist,
        case_id=args.case,
        scenario_id=args.scenario,
        output=args.output,
        resume=args.resume,
        answers=args.answers,
    )
    interactive = not args.no_input and env.stdin_isatty
    if not interactive and not (args.no_input or args.answers):
        raise UsageError(
            "standard input is not a terminal, so nobody can be asked; to run without "
            "prompts, add --no-input and give answers with --answers FILE or --resume FILE"
        )
    library = library_for(args, env, lint=True)
    if not interactive:
        return _without_prompts(request, args, env, library)
    return _interactive(request, args, env, library)


def _without_prompts(
    request: Request, args: argparse.Namespace, env: Environment, library: Library
) -> int:
    from diligence.assessment.session import complete_without_prompts

    checklist, answers, target = complete_without_prompts(request, library, env.error)
    _finished(args, env, checklist, answers, target)
    return 0


def _interactive(
    request: Request, args: argparse.Namespace, env: Environment, library: Library
) -> int:
    from diligence.assessment.answers import answers_lock
    from diligence.assessment.session import open_session, plan, run_session
    from diligence.tui.prompter import QuestionaryPrompter

    prompter = QuestionaryPrompter(env.console())
    target: Path | None = None
    try:
        planned = plan(request, library, prompter)
        if planned is None:
            env.out("Nothing was started.")
            return 0
        target = planned.target
        with answers_lock(target):
            session = open_session(request, library, prompter, planned)
            if run_session(session, library, prompter):
                _finished(args, env, session.checklist, session.answers, target)
            else:
                env.out(
                    f"Saved {_shown(target)}. Continue with: "
                    f"{_command(args, env, 'assess --resume', target)}"
                )
            return 0
    except KeyboardInterrupt:
        if target is not None and target.exists():
            raise Interrupted(
                f"interrupted; your answers are saved in {_shown(target)}. "
                f"Continue with: {_command(args, env, 'assess --resume', target)}"
            ) from None
        raise Interrupted("interrupted; nothing was saved") from None


def _finished(
    args: argparse.Namespace,
    env: Environment,
    checklist: Checklist,
    answers: AnswersFile,
    target: Path,
) -> None:
    """What a completed assessment prints: where it is, its verdict, and what to do next."""
    from diligence.scoring import score

    result = score(checklist, answers)
    env.out(f"Saved {_shown(target)} (complete).")
    outcome = (
        f"Verdict: {result.verdict_label}"
        if result.states_verdict
        else f"Gaps to close: {len(result.gaps)}"
    )
    env.out(
        f"{outcome} (overall risk {result.overall}/100, "
        f"{len(result.red_flags)} red flag(s), {len(result.unknowns)} unknown(s))"
    )
    env.out(f"Render the report with: {_command(args, env, 'report', target)}")


def _command(args: argparse.Namespace, env: Environment, command: str, path: Path) -> str:
    """The command to run next, with the same --content folders."""
    content = "".join(f" --content {shlex.quote(str(p))}" for p in getattr(args, "content", []))
    return f"{env.program_name} {command} {shlex.quote(_shown(path))}{content}"
