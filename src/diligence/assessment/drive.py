"""Run a `Flow` through a `Prompter` until the review is confirmed or the user quits.

The loop every front end that asks question by question shares: it saves after every
change, and saves what was being typed when Ctrl-C arrives mid-answer.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from diligence.assessment.engine import Flow
from diligence.assessment.interface import (
    Action,
    Back,
    Change,
    Cite,
    Jump,
    Note,
    Prompter,
    PromptInterrupted,
    Quit,
    Reply,
    Skip,
    Uncite,
)
from diligence.content.rules import TooLong


def drive(
    flow: Flow,
    prompter: Prompter,
    save: Callable[[], None],
    keep: Callable[[TooLong], str] | None = None,
) -> bool:
    """Ask until the review is confirmed (True) or the user quits (False).

    `save` runs after every change. Text over its limit (`TooLong`) changes nothing; `keep`
    puts it somewhere safe and returns what to tell the user, so typed text is never lost.
    Ctrl-C propagates as KeyboardInterrupt, after saving (or keeping) what the user was
    typing when the prompter hands it over.
    """

    def change(action: Action) -> None:
        try:
            if apply(flow, action, prompter):
                save()
        except TooLong as too_long:
            prompter.notice(keep(too_long) if keep else f"Not saved: {too_long}.")

    while True:
        if flow.current is None:
            finished = _review(flow, prompter, save)
            if finished is not None:
                return finished
            continue
        try:
            action = prompter.ask(flow.step())
        except PromptInterrupted as interrupted:
            if interrupted.pending is not None:
                with contextlib.suppress(ValueError):  # half-typed text may not be an answer
                    change(interrupted.pending)
            raise
        if isinstance(action, Quit):
            return False
        change(action)


def _review(flow: Flow, prompter: Prompter, save: Callable[[], None]) -> bool | None:
    """The review: True when confirmed and saved, False on quit, None to ask on."""
    done = prompter.review(flow.review())
    if isinstance(done, Quit):
        return False
    if isinstance(done, Change):
        flow.goto(done.question_id)
        return None
    missing = flow.finish()
    if not missing:
        save()
        return True
    prompter.notice(f"Still unanswered: {', '.join(missing)}")
    flow.goto(missing[0])
    return None


def apply(flow: Flow, action: Action, prompter: Prompter) -> bool:
    """Apply one action; True when the answers changed and need saving."""
    if isinstance(action, Back):
        if not flow.back():
            prompter.notice("This is the first question.")
        return False
    if isinstance(action, Jump):
        flow.jump(action.section_id)
        return False
    if isinstance(action, Note):
        flow.set_note(action.text)
        return True
    if isinstance(action, Cite | Uncite):
        try:
            if isinstance(action, Cite):
                flow.cite(action.passages)
            else:
                flow.uncite(action.passages)
        except ValueError as refused:  # a front end offers only what may be cited
            prompter.notice(str(refused))
            return False
        return True
    if isinstance(action, Reply | Skip):
        if isinstance(action, Reply):
            changes = flow.answer(action.value, action.note)
        else:
            changes = flow.skip()
        if changes.deactivated:
            prompter.notice(
                f"No longer applies: {', '.join(changes.deactivated)} "
                "(the answer is kept, marked inactive)"
            )
        if changes.reactivated:
            prompter.notice(
                f"Applies again: {', '.join(changes.reactivated)} (the earlier answer counts again)"
            )
        return True
    return False
