"""Asking through questionary, the way every prompt of the terminal needs it.

Ctrl-C and Ctrl-D become `PromptInterrupted`, carrying what was being typed so that it can
be saved; lists wrap long entries; a text box can let Enter on an empty box mean "skip".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import questionary
from prompt_toolkit.application import Application
from prompt_toolkit.filters import Condition
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent, merge_key_bindings
from prompt_toolkit.keys import Keys

from diligence.assessment.interface import Action, PromptInterrupted


def ask_question(question: questionary.Question) -> Any:
    """Ask; Ctrl-C and Ctrl-D raise PromptInterrupted (a KeyboardInterrupt)."""
    try:
        return question.unsafe_ask()
    except EOFError:
        raise PromptInterrupted() from None


def ask_typed(
    message: str,
    default: str,
    hint: str,
    keep: Callable[[str], Action | None],
    *,
    empty_enter_skips: bool = False,
) -> str:
    """Multi-line text (Enter: a new line; Esc then Enter: done). On Ctrl-C, `keep(typed)`
    (an action, or None for nothing to save) travels out to be saved. With
    `empty_enter_skips`, Enter on an empty box is done at once, with nothing typed: one
    key to pass."""
    question = questionary.text(message, default=default, multiline=True, instruction=hint)
    if empty_enter_skips:
        _skip_on_empty_enter(question.application)
    try:
        text: str = question.unsafe_ask()
    except (KeyboardInterrupt, EOFError):
        raise PromptInterrupted(keep(_typed(question.application))) from None
    return text


def _skip_on_empty_enter(app: Application[Any]) -> None:
    empty = Condition(lambda: not app.current_buffer.text.strip())
    skip = KeyBindings()

    @skip.add(Keys.Enter, filter=empty, eager=True)
    def _(event: KeyPressEvent) -> None:
        event.app.exit(result="")

    app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), skip])


def _typed(app: Application[Any]) -> str:
    try:
        return str(app.current_buffer.text)
    except Exception:  # no buffer left to read: nothing to keep
        return ""
