"""One assessment session, for any front end: what is answered, against what, saved where.

A front end describes what the user asked for in a `Request` (ids and paths, nothing of the
command line), then either completes the answers without prompts, or plans a session,
opens it (holding the file's lock) and runs it through a `SessionPrompter`. Answers are
saved after every change; `resume` continues a file where the user stopped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from diligence.assessment.answers import (
    answers_lock,
    default_path,
    keep_aside,
    load_answers,
    new_answers,
    save_answers,
    unused_path,
)
from diligence.assessment.drive import drive
from diligence.assessment.engine import Flow
from diligence.assessment.interface import SessionPrompter
from diligence.assessment.load import case_and_scenario, check_answers
from diligence.assessment.select import Pick, select
from diligence.assessment.upgrade import VersionChange, upgrade, version_notices
from diligence.content.library import Library
from diligence.content.models import (
    NAME_LIMIT,
    AnswersFile,
    CaseStudy,
    Checklist,
    Scenario,
    has_value,
)
from diligence.content.rules import TooLong, length_problem
from diligence.errors import AnswersError, OutputError, Problem, UsageError
from diligence.files import display_path

NAME_PROMPT = "Your name (it goes on the report)"


@dataclass(frozen=True)
class Request:
    """What the user asked for; every field may be left out."""

    checklist_id: str | None = None
    case_id: str | None = None
    scenario_id: str | None = None
    output: Path | None = None
    """Where to save (default: answers/<scenario>-<assessor>.yaml)."""
    resume: Path | None = None
    """An answers file to continue, saved in place unless `output` says otherwise."""
    answers: Path | None = None
    """An answers file to take answers from; it is validated, never changed."""

    def __post_init__(self) -> None:
        if self.resume and self.answers:
            raise UsageError("use --resume FILE or --answers FILE, not both")


@dataclass
class Session:
    """One open assessment: what is answered, against what, and where it is saved."""

    checklist: Checklist
    case: CaseStudy | None
    """None for a checklist that stands without a case."""
    scenario: Scenario | None
    answers: AnswersFile
    target: Path


@dataclass(frozen=True)
class Plan:
    """Where a session saves, and whether it continues a file or starts from answers."""

    target: Path
    resume: Path | None = None
    fresh: AnswersFile | None = None


# --------------------------------------------------------------------------- loading


def load_resume(path: Path, library: Library) -> tuple[AnswersFile, VersionChange | None]:
    """An answers file to continue, brought up to the current checklist version."""
    loaded = load_answers(path)
    change = None
    if loaded.model.checklist.id in library.checklists:
        change = upgrade(loaded.model, library.checklists[loaded.model.checklist.id].model)
    check_answers(loaded, library)
    return loaded.model, change


def load_given(path: Path, library: Library) -> AnswersFile:
    """Answers given to take over: validated as they are, with `path:line` problems."""
    loaded = load_answers(path)
    check_answers(loaded, library)
    return loaded.model


def check_request(request: Request, answers: AnswersFile) -> None:
    """Ids the user gave must agree with an answers file that names them."""
    for flag, given, recorded in (
        ("--checklist", request.checklist_id, answers.checklist.id),
        ("--case", request.case_id, answers.case),
        ("--scenario", request.scenario_id, answers.scenario),
    ):
        if given is not None and given != recorded:
            raise UsageError(
                f"the answers file is for {flag.removeprefix('--')} '{recorded}', not '{given}'; "
                f"leave out {flag}"
            )


def _select(
    request: Request, library: Library, pick: Pick | None
) -> tuple[Checklist, CaseStudy | None, Scenario | None]:
    return select(
        library,
        checklist_id=request.checklist_id,
        case_id=request.case_id,
        scenario_id=request.scenario_id,
        pick=pick,
    )


# --------------------------------------------------------------------------- without prompts


def complete_without_prompts(
    request: Request, library: Library, notice: Callable[[str], None]
) -> tuple[Checklist, AnswersFile, Path]:
    """Answers from `resume` or `answers`, complete, saved (under the lock) to their target.

    Raises `UsageError` or `AnswersError` naming every required question still unanswered.
    """
    source = request.resume or request.answers
    if request.resume:
        answers, change = load_resume(request.resume, library)
    elif request.answers:
        answers = load_given(request.answers, library)
    else:
        checklist, case, scenario = _select(request, library, pick=None)
        answers = new_answers(
            checklist, case.id if case else None, scenario.id if scenario else None, ""
        )
    check_request(request, answers)
    checklist = library.checklist(answers.checklist.id)
    _require_complete(Flow(checklist, answers), source)
    target = (
        request.output
        or request.resume
        or default_path(answers.scenario or answers.checklist.id, answers.assessor or "answers")
    )
    if target.exists() and not (source and same_file(target, source)):
        raise UsageError(
            f"{display_path(target)} exists; choose another -o FILE, or continue it with "
            f"--resume {display_path(target)}"
        )
    with answers_lock(target):
        if request.resume and change is not None and change.changed:
            for line in version_change_lines(change, target):
                notice(line)
        save_answers(answers, target)
    return checklist, answers, target


def version_change_lines(change: VersionChange, target: Path) -> list[str]:
    """What a new checklist version changed, for the assessor; an earlier answer that its
    note had no room for is kept in a file beside the answers first (nothing is dropped)."""
    lines = version_notices(change)
    for question_id, earlier in change.kept_aside.items():
        side = keep_aside(target, question_id, "note", earlier)
        lines.append(f"{question_id}: the note is full, so the earlier answer is kept in {side}.")
    return lines


def _require_complete(flow: Flow, source: Path | None) -> None:
    missing = flow.finish()
    if not missing:
        return
    if source is None:
        raise UsageError(
            f"--no-input needs answers: required questions {', '.join(missing)} are "
            "unanswered; give them with --answers FILE"
        )
    problems = []
    for question_id in missing:
        question = flow.checklist.question(question_id)
        text = question.text if question else ""
        problems.append(
            Problem(
                display_path(source), 0, f"required question {question_id} is unanswered: {text}"
            )
        )
    raise AnswersError(problems)


# --------------------------------------------------------------------------- interactive


def plan(request: Request, library: Library, prompter: SessionPrompter) -> Plan | None:
    """Where to save, and whether to resume a file or start from fresh answers; None when
    the user chose to stop."""
    if request.resume:
        target = request.output or request.resume
        if same_file(target, request.resume) or not target.exists():
            return Plan(target, resume=request.resume)
        return _elsewhere(target, prompter, Plan(target, resume=request.resume))
    if request.answers:
        fresh = load_given(request.answers, library)
        check_request(request, fresh)
        checklist = library.checklist(fresh.checklist.id)
        case, scenario = case_and_scenario(library, fresh)
        if case is not None:
            prompter.show_briefing(case, scenario)
        if not fresh.assessor:
            fresh.assessor = ask_name(prompter)
    else:
        checklist, case, scenario = _select(request, library, pick=prompter.choose)
        if case is not None:
            prompter.show_briefing(case, scenario)
        assessor = ask_name(prompter)
        fresh = new_answers(
            checklist, case.id if case else None, scenario.id if scenario else None, assessor
        )
    target = request.output or default_path(
        scenario.id if scenario else checklist.id, fresh.assessor
    )
    if not target.exists():
        return Plan(target, fresh=fresh)
    if request.answers:
        return _elsewhere(target, prompter, Plan(target, fresh=fresh))
    other = unused_path(target)
    shown = display_path(target)
    picked = prompter.choose(
        f"{shown} already exists.",
        [
            ("resume", f"Resume it ({shown})"),
            ("new", f"Start a new file: {display_path(other)}"),
            ("quit", "Quit"),
        ],
    )
    if picked == "quit":
        return None
    if picked == "resume":
        return Plan(target, resume=target)
    return Plan(other, fresh=fresh)


def ask_name(prompter: SessionPrompter) -> str:
    """The assessor's name, asked again (from what was typed) until it fits its limit."""
    typed = ""
    while True:
        name = prompter.ask_text(NAME_PROMPT, typed, limit=NAME_LIMIT)
        problem = length_problem("name", name)
        if problem is None:
            return name
        prompter.notice(f"Your name is {problem}.")
        typed = name


def _elsewhere(target: Path, prompter: SessionPrompter, planned: Plan) -> Plan | None:
    """`target` exists and holds other answers: save to a new file beside it, or stop.
    An existing file is never overwritten."""
    other = unused_path(target)
    picked = prompter.choose(
        f"{display_path(target)} already exists.",
        [("new", f"Save to a new file: {display_path(other)}"), ("quit", "Quit")],
    )
    if picked == "quit":
        return None
    return Plan(other, resume=planned.resume, fresh=planned.fresh)


def same_file(a: Path, b: Path) -> bool:
    """Whether two names stand for one file (the same inode: a link, or the same path)."""
    try:
        return a.samefile(b)
    except OSError:
        return False


def open_session(
    request: Request, library: Library, prompter: SessionPrompter, planned: Plan
) -> Session:
    """Load or create the answers and save them at once; call it holding the lock on
    `planned.target` (`answers_lock`)."""
    if planned.resume is not None:
        answers, change = load_resume(planned.resume, library)
        check_request(request, answers)
    else:
        assert planned.fresh is not None
        answers, change = planned.fresh, None
    case, scenario = case_and_scenario(library, answers)
    if planned.resume is not None and case is not None:
        prompter.show_briefing(case, scenario)
        if change is not None and change.changed:
            for line in version_change_lines(change, planned.target):
                prompter.notice(line)
    save_answers(answers, planned.target)
    if planned.resume is not None:
        done = sum(1 for a in answers.answers.values() if has_value(a.value) and not a.inactive)
        prompter.notice(f"Continuing {display_path(planned.resume)}: {done} answered so far.")
    prompter.notice(f"Your answers are saved to {display_path(planned.target)} after every answer.")
    checklist = library.checklist(answers.checklist.id)
    return Session(checklist, case, scenario, answers, planned.target)


def run_session(session: Session, library: Library, prompter: SessionPrompter) -> bool:
    """Ask until the review is confirmed (True) or the user quits (False), saving after
    every change; a failed save can be retried, or stop the session."""
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

    def keep(too_long: TooLong) -> str:
        said = f"Your {too_long.field} on {too_long.question_id} is {too_long}."
        try:
            side = keep_aside(
                session.target, too_long.question_id or "text", too_long.field, too_long.text
            )
        except OutputError as failed:
            return f"{said} It is not saved: {failed}."
        return (
            f"{said} It is not in the answers file; it is kept in {side}: shorten it and "
            "add it again."
        )

    return drive(flow, prompter, save, keep)
