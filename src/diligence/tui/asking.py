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
from diligence.content.rules import TextField, length_problem


def ask_question(question: questionary.Question) -> Any:
    """Ask; Ctrl-C and Ctrl-D raise PromptInterrupted (a KeyboardInterrupt)."""
    try:
        answer = question.unsafe_ask()
    except EOFError:
        raise PromptInterrupted() from None
    return typed_text(answer) if isinstance(answer, str) else answer


def typed_text(text: str) -> str:
    """What was typed, as text: a terminal whose encoding is not UTF-8
    (`PYTHONIOENCODING=ascii`) hands UTF-8 bytes over as lone surrogates, which no file
    can hold; they are decoded back (or replaced), so 'José' stays 'José'."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # a surrogate that is no escaped byte
        return text.encode("utf-8", "replace").decode("utf-8")


def ask_typed(
    message: str,
    default: str,
    hint: str,
    keep: Callable[[str], Action | None],
    field: TextField,
    *,
    empty_enter_skips: bool = False,
) -> str:
    """Multi-line text (Enter: a new line; Esc then Enter: done), refused while over the
    field's limit (the text stays in the box to be shortened). On Ctrl-C, `keep(typed)`
    (an action, or None for nothing to save) travels out to be saved, or, over the limit,
    kept in a file beside the answers. With `empty_enter_skips`, Enter on an empty box is
    done at once, with nothing typed: one key to pass."""

    def check(text: str) -> bool | str:
        problem = length_problem(field, text.strip())
        return f"{problem}: shorten it (Ctrl-C keeps it in a file)" if problem else True

    question = questionary.text(
        message, default=default, multiline=True, instruction=hint, validate=check
    )
    if empty_enter_skips:
        _skip_on_empty_enter(question.application)
    try:
        text: str = question.unsafe_ask()
    except (KeyboardInterrupt, EOFError):
        raise PromptInterrupted(keep(typed_text(_typed(question.application)))) from None
    return typed_text(text)


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
