"""`diligence upgrade FILE...`: bring answers files to their checklist's current version.

Nothing is asked and nothing a user wrote is dropped: answers stay, answers to questions
the checklist removed are kept marked inactive, an answer that is no longer a choice moves
into its note, and the questions now to answer are listed (`--interactive` asks them).
A file that held comments is kept beside the new one, as `<name>.bak`. The work itself is
`diligence.assessment.upgrade.upgrade_file`; this module says what it did.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from diligence.commands import library_for
from diligence.environment import Environment
from diligence.errors import ContentError, DiligenceError, UsageError

if TYPE_CHECKING:
    from diligence.commands import Subparsers
    from diligence.content.library import Library

EPILOG = """\
For each file: the version it was written for and the current one, the answers kept,
the questions the checklist removed (their answers stay in the file, marked inactive),
answers that are no longer a choice (moved to the note, so the question is asked again),
and the questions to answer now. Files already at the current version are left as they
are. With --interactive, the questions to answer are asked at once, as 'assess --resume'
asks them.

exit codes: 0 every file is up to date; 2 a file could not be read or upgraded (the others
            are still upgraded).
"""


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser(
        "upgrade",
        help="bring answers files to their checklist's current version (nothing is dropped)",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "files", nargs="+", metavar="FILE", help="answers files, folders of them, or globs"
    )
    parser.add_argument(
        "--interactive",
        action="store_true",
        help="then ask the questions each file should now answer (needs a terminal)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, env: Environment) -> int:
    from diligence.content.library import yaml_files

    if args.interactive and not (env.stdin_isatty and env.stdout_isatty):
        raise UsageError("--interactive needs a terminal; leave it out to upgrade without asking")
    library = library_for(args, env, lint=False)
    failed = False
    for path in yaml_files(args.files):
        try:
            open_questions = _upgrade(path, library, env)
            if args.interactive and open_questions:
                _ask(path, library, env, args)
            _still_to_do(path, library, env)
        except ContentError as exc:
            failed = True
            for line in exc.lines():
                env.err(line)
        except DiligenceError as exc:
            failed = True
            for line in exc.lines():
                env.error(line)
    return 2 if failed else 0


def _upgrade(path: Path, library: Library, env: Environment) -> list[str]:
    """Upgrade one file and say what changed; returns the questions it should answer."""
    from diligence.assessment.upgrade import upgrade_file
    from diligence.files import display_path

    shown = display_path(path)
    done = upgrade_file(path, library)
    change = done.change
    if change is None:
        env.out(f"{shown}: already for {done.checklist} {done.version}; left as it is")
        return []
    env.out(
        f"{shown}: {done.checklist} {change.old_version} -> {change.new_version}; "
        f"{done.kept} answer{'s' if done.kept != 1 else ''} kept"
    )
    if change.removed:
        env.out(
            f"  removed from the checklist, answers kept and marked inactive: "
            f"{', '.join(change.removed)}"
        )
    for question_id, value in change.invalid.items():
        side = done.kept_in.get(question_id)
        where = f"the note is full, so it is kept in {side}" if side else "moved to its note"
        env.out(f"  {question_id}: '{value}' is no longer a choice; {where}")
    if done.to_answer:
        env.out(f"  to answer now: {', '.join(done.to_answer)}")
    if done.backup is not None:
        env.out(f"  the file held comments; the original is kept as {display_path(done.backup)}")
    return list(done.to_answer)


def _ask(path: Path, library: Library, env: Environment, args: argparse.Namespace) -> None:
    """Ask the questions an upgraded file should answer, as `assess --resume` does."""
    from diligence.assessment.answers import answers_lock
    from diligence.assessment.session import Plan, Request, open_session, run_session
    from diligence.tui.prompter import QuestionaryPrompter

    prompter = QuestionaryPrompter(env.console())
    request = Request(resume=path)
    with answers_lock(path):
        session = open_session(request, library, prompter, Plan(path, resume=path))
        try:
            run_session(session, library, prompter)
        except KeyboardInterrupt:
            content = "".join(f" --content {p}" for p in getattr(args, "content", []))
            env.out(f"Saved. Continue with: {env.program_name} assess --resume {path}{content}")
            raise


def _still_to_do(path: Path, library: Library, env: Environment) -> None:
    """What `validate` would still say of the file, as notes: e.g. reference answers
    that need an answer or a note."""
    from diligence.assessment.answers import load_answers
    from diligence.content.lint import lint_answers

    loaded = load_answers(path)
    for problem in lint_answers(loaded, library, require_complete=loaded.is_reference):
        env.note(f"still to do: {problem}")
