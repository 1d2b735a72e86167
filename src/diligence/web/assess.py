"""A student's assessment, one request at a time: the browser's adapter over `Flow`.

The terminal keeps one `Flow` for a whole session; a browser sends one form at a time, so
each request opens the student's answers file, rebuilds the flow at the question the form
names, applies what was posted through the engine's own methods (`answer`, `skip`,
`set_note`, `back`), and saves with the terminal's save: atomic, under the same lock.
The engine decides everything (skip logic, validity, what comes next); this module only
translates a form into those calls.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import ValidationError

from diligence.assessment.answers import answers_lock, save_answers
from diligence.assessment.drive import change_notices
from diligence.assessment.engine import Flow
from diligence.assessment.session import load_resume
from diligence.content.library import Library
from diligence.content.models import (
    UNKNOWN,
    Answer,
    AnswersFile,
    AnswerValue,
    Question,
    has_value,
)
from diligence.errors import LockedError, OutputError

Intent = Literal["next", "skip", "back", "save"]
"""Which button sent the form: answer and go on, leave blank, go back, or save and stay
(the script's autosave)."""
INTENTS: tuple[Intent, ...] = ("next", "skip", "back", "save")
TEXT_LIMIT = 20_000
"""The longest free-text answer or note a form field takes: the answers file's limit."""


class AnswersCache:
    """Each student's answers as last read or written by this server, trusted while the
    file on disk is that same file (inode, size and time unchanged): a save then costs no
    parse. A file changed by anyone else (a terminal `assess`) is read again.

    Call it holding the student's file lock. `flow` hands out the cached answers to
    change and save (`stored` afterwards, `forget` when the save did not happen);
    `copy` gives a private copy for a page to read.
    """

    def __init__(self) -> None:
        self._entries: dict[Path, tuple[tuple[int, int, int], AnswersFile]] = {}
        self._lock = threading.Lock()

    def answers(self, path: Path, library: Library) -> AnswersFile:
        stamp = _stamp(path)
        with self._lock:
            entry = self._entries.get(path)
        if entry is not None and entry[0] == stamp:
            return entry[1]
        answers, _ = load_resume(path, library)
        with self._lock:
            self._entries[path] = (stamp, answers)
        return answers

    def stored(self, path: Path, answers: AnswersFile) -> None:
        with self._lock:
            self._entries[path] = (_stamp(path), answers)

    def forget(self, path: Path) -> None:
        with self._lock:
            self._entries.pop(path, None)


def _stamp(path: Path) -> tuple[int, int, int]:
    try:
        info = path.stat()
    except OSError:
        return (0, 0, 0)
    return (info.st_ino, info.st_size, info.st_mtime_ns)


def open_flow(
    path: Path, library: Library, cache: AnswersCache | None = None, *, private: bool = True
) -> Flow:
    """The student's answers, as they are on disk now, brought up to the checklist's
    version; raises `AnswersError` (path:line) when the file is broken. `private` (for
    pages) works on a copy; else on the cached answers themselves, to change and save."""
    if cache is None:
        answers, _ = load_resume(path, library)
    else:
        answers = cache.answers(path, library)
        if private:
            answers = answers.model_copy(deep=True)
    case = library.case(answers.case) if answers.case else None
    scenario = case.scenario(answers.scenario) if case and answers.scenario else None
    return Flow(
        library.checklist(answers.checklist.id),
        answers,
        case=case,
        scenario=scenario,
        frameworks=library.frameworks,
    )


def save(flow: Flow, path: Path) -> str | None:
    """The terminal's save: atomic, fsynced, under the file's lock (a file open in a
    terminal `assess` is refused, never written behind its back); the reason it failed,
    for the page, or None once the file is on disk."""
    try:
        with answers_lock(path):
            save_answers(flow.answers, path)
    except LockedError:
        return (
            "Your answers file is open in a terminal ('diligence assess'); quit it there "
            "first. Nothing you typed is lost: it is below."
        )
    except OutputError as exc:
        return f"{exc}. Nothing you typed is lost: it is below; try again."
    return None


def submit(
    path: Path,
    library: Library,
    cache: AnswersCache,
    question_id: str,
    form: Mapping[str, str],
    ticked: Sequence[str],
    cites: Sequence[str] = (),
    offered: Sequence[str] = (),
) -> tuple[Outcome, Posted | None]:
    """One question's form, start to end: open the file, apply, save when it changed.
    Call it holding the student's file lock; it blocks (run it in a thread)."""
    flow = open_flow(path, library, cache, private=False)
    question = flow.checklist.question(question_id)
    if question is None:
        return Outcome(
            flow.first_open(), walk=False, error=f"There is no question {question_id}."
        ), None
    typed = posted(question, form, ticked, cites, offered)
    outcome = apply(flow, typed)
    if outcome.error is None and outcome.changed:
        outcome.error = save(flow, path)
    _settle(cache, flow, path, saved=outcome.error is None and outcome.changed)
    return outcome, typed


def _settle(cache: AnswersCache, flow: Flow, path: Path, *, saved: bool) -> None:
    """The cached answers are what is on disk after a save; otherwise (unchanged, refused,
    failed) they may differ from it, and are read again next time."""
    if saved:
        cache.stored(path, flow.answers)
    else:
        cache.forget(path)


def finish(
    path: Path, library: Library, cache: AnswersCache, *, confirmed: bool
) -> tuple[list[str], str | None, bool]:
    """Mark the assessment complete and save. Returns the required questions still open,
    the reason a save failed, and whether it stopped to ask once about gaps in the
    argument (rationales the checklist asks for, citations): the engine counts them, the
    student decides. Blocks; hold the student's file lock."""
    flow = open_flow(path, library, cache, private=False)
    if not confirmed and flow.review().gaps:
        return [], None, True
    missing = flow.finish()
    if missing:
        cache.forget(path)
        return missing, None, False
    problem = save(flow, path)
    _settle(cache, flow, path, saved=problem is None)
    return [], problem, False


def submit_section(
    path: Path,
    library: Library,
    cache: AnswersCache,
    section_id: str,
    fields: Mapping[str, Sequence[str]],
) -> tuple[dict[str, Posted], dict[str, str], list[str]]:
    """A whole section's form (`value-<id>`, `note-<id>` per question), applied in the
    checklist's order, so an answer that makes a later question apply counts at once.
    Returns what was typed, the problems by question, and the notices; what was valid is
    saved. Blocks; hold the student's file lock."""
    flow = open_flow(path, library, cache, private=False)
    typed: dict[str, Posted] = {}
    problems: dict[str, str] = {}
    notices: list[str] = []
    changed = False
    for section, question in flow.order:
        if section.id != section_id or not flow.relevant.get(question.id):
            continue
        values = fields.get(f"value-{question.id}", [])
        notes = fields.get(f"note-{question.id}", [])
        one = {"intent": "save"}
        if values:
            one["value"] = values[0]
        if notes:
            one["note"] = notes[0]
        form = posted(question, one, values)
        typed[question.id] = form
        outcome = apply(flow, form)
        notices += outcome.notices
        if outcome.error:
            problems[question.id] = outcome.error
        changed = changed or outcome.changed
    failed = save(flow, path) if changed else None
    if failed:
        problems[""] = failed
    _settle(cache, flow, path, saved=changed and failed is None)
    return typed, problems, notices


# --------------------------------------------------------------------------- forms


@dataclass(frozen=True)
class Posted:
    """One question's form, as typed: kept whole so an error page can show it again."""

    question_id: str
    intent: Intent
    walk: bool
    value: AnswerValue | None
    note: str | None
    """None when the form had no note field; "" when the student emptied it."""
    cites: tuple[str, ...] = ()
    """The passages ticked to cite."""
    offered: tuple[str, ...] = ()
    """The passages the page offered to cite: unticked ones among them are uncited."""


def posted(
    question: Question,
    form: Mapping[str, str],
    ticked: Sequence[str],
    cites: Sequence[str] = (),
    offered: Sequence[str] = (),
) -> Posted:
    """Read a question's form: `value` (a choice, or free text), `value` ticks for
    multiple choice, `note`, `intent`, `walk`, and the `cite` ticks among `offered`."""
    intent = form.get("intent", "next")
    value: AnswerValue | None
    if question.type == "multi":
        value = list(ticked) or None
    else:
        raw = form.get("value")
        value = raw if raw is not None and (question.type == "text" or raw) else None
    return Posted(
        question_id=question.id,
        intent=intent if intent in INTENTS else "next",
        walk=form.get("walk") == "1",
        value=value,
        note=form.get("note"),
        cites=tuple(dict.fromkeys(cites)),
        offered=tuple(dict.fromkeys(offered)),
    )


@dataclass
class Outcome:
    """What a form did: where to go next (None: the review), what to tell the student,
    and whether the answers changed (and so were saved)."""

    next: str | None
    walk: bool
    changed: bool = False
    notices: list[str] = field(default_factory=list)
    error: str | None = None


def apply(flow: Flow, form: Posted) -> Outcome:
    """Apply one question's form through the engine. An error leaves the flow's answers
    as they may be half-changed: the caller saves only when `error` is None."""
    try:
        flow.goto(form.question_id, walk=form.walk)
    except ValueError:
        return Outcome(flow.first_open(), walk=False, error=_gone(form.question_id))
    outcome = Outcome(form.question_id, walk=form.walk)
    problem = _limits(form)
    if problem:
        outcome.error = problem
        return outcome
    try:
        _apply_note(flow, form, outcome)
        _apply_cites(flow, form, outcome)
        _apply_answer(flow, form, outcome)
    except ValueError as exc:
        outcome.error = _plain(str(exc))
        outcome.next = form.question_id
        return outcome
    _move_on(flow, form, outcome)
    return outcome


def _apply_note(flow: Flow, form: Posted, outcome: Outcome) -> None:
    if form.note is None:
        return
    saved = flow.saved(form.question_id)
    old = (saved.note if saved else None) or ""
    if form.note.strip() != old.strip():
        flow.set_note(form.note)
        outcome.changed = True


def _apply_cites(flow: Flow, form: Posted, outcome: Outcome) -> None:
    """Cite what was ticked, uncite what was offered and left unticked, through the
    engine (which refuses a passage from after the scenario's date)."""
    saved = flow.saved(form.question_id)
    have = set(saved.cites) if saved else set()
    added = [p for p in form.cites if p not in have]
    dropped = [p for p in form.offered if p in have and p not in form.cites]
    if added:
        flow.cite(added)
        outcome.changed = True
    if dropped:
        flow.uncite(dropped)
        outcome.changed = True


def _apply_answer(flow: Flow, form: Posted, outcome: Outcome) -> None:
    """Answer or skip when the form says something new; moving on is `_move_on`'s job."""
    saved = flow.saved(form.question_id)
    if form.intent == "skip":
        outcome.notices += change_notices(flow.skip())
        outcome.changed = True
        return
    if not has_value(form.value):
        if form.intent == "next" and not flow.is_done(form.question_id):
            _, question = flow.question(form.question_id)
            raise ValueError(_needs_answer(question))
        return
    unchanged = saved is not None and saved.answered_at is not None and saved.value == form.value
    if not unchanged:
        assert form.value is not None
        outcome.notices += change_notices(flow.answer(form.value))
        outcome.changed = True


def _move_on(flow: Flow, form: Posted, outcome: Outcome) -> None:
    """Where the student goes: the engine's next question after an answer (or after
    "Continue" on a question already done); after Back the previous one; after "save"
    (the script's autosave) the same one."""
    if form.intent == "save":
        outcome.next = form.question_id
        return
    if form.intent == "back":
        flow.goto(form.question_id, walk=True)
        if not flow.back():
            outcome.notices.append("This is the first question.")
        outcome.next, outcome.walk = flow.current, True
        return
    if flow.current == form.question_id:
        flow.advance()
    outcome.next, outcome.walk = flow.current, flow.walking


def _limits(form: Posted) -> str | None:
    """The file's limits, checked before anything is changed (the model is the one place
    that knows them)."""
    if form.note is not None:
        try:
            Answer.model_validate({"note": form.note})
        except ValidationError:
            return (
                f"Your note is longer than the {TEXT_LIMIT:,} characters a note may have; "
                "shorten it (it is still in the box below)."
            )
    if isinstance(form.value, str) and len(form.value) > TEXT_LIMIT:
        return (
            f"Your answer is longer than {TEXT_LIMIT:,} characters; shorten it "
            "(it is still in the box below)."
        )
    return None


def _needs_answer(question: Question) -> str:
    if question.is_choice:
        hint = "choose an answer, or “Unknown” if you could not establish it"
    else:
        hint = "write an answer"
    if not question.required:
        hint += ", or leave it blank with “Skip”"
    return f"Question {question.id} needs an answer: {hint}."


def _gone(question_id: str) -> str:
    return (
        f"Question {question_id} no longer applies, given your other answers; "
        "here is the next open question."
    )


def _plain(message: str) -> str:
    """An engine message as a sentence for the page."""
    text = message.replace(f"'{UNKNOWN}'", "“Unknown”")
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
