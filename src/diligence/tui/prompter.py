"""The terminal's `SessionPrompter`: questionary prompts, with rich panels for what is shown.

The engine sees only the protocol (`assessment/interface.py`) and typed actions. Menu
entries carry what choosing them means: an action, returned as it is, or the prompter's
own handler for entries that show something or open a second prompt first.

Keys at a question: 1-9 pick a choice, u answers "unknown", x "not applicable" (with its
reason), a opens the answer box (multiple choice, free text, a number or a date), s leaves
an optional question blank, h help, e case evidence (a screen at a time), c cite passages,
n rationale, r the briefing again, b back, j jump to a section, q quit. A key moves the
pointer; Enter confirms. After an answer, a box invites the rationale; Enter on the empty
box skips it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import questionary
from questionary import Choice, Separator
from rich.console import Console
from rich.text import Text

from diligence.assessment.interface import (
    Action,
    Back,
    Change,
    Finish,
    Jump,
    Note,
    Quit,
    Reply,
    Review,
    ReviewAction,
    Skip,
    Step,
)
from diligence.content.models import (
    NOT_APPLICABLE,
    UNKNOWN,
    CaseStudy,
    Question,
    Scenario,
    has_value,
)
from diligence.content.rules import answer_text, parse_answer, value_problem
from diligence.environment import printable
from diligence.tui.asking import ask_question, ask_typed
from diligence.tui.citing import CiteDialog
from diligence.tui.paging import page, wrapping
from diligence.tui.panels import (
    briefing_panel,
    clip,
    evidence_view,
    gaps_line,
    help_panel,
    question_header,
    review_table,
)

Handler = Callable[[Step], Action | None]
"""A menu entry that is not an answer: it shows something or asks more; None stays."""
MenuValue = Action | Handler

_SELECT_HINT = "(↑↓ or a key, then Enter)"
_ARROWS_HINT = "(↑↓, then Enter)"
"""For menus whose entries have no shortcut keys: lists of scenarios, sections, answers."""
_TEXT_HINT = "\n(Enter: new line · Esc then Enter: save · empty: back)\n> "
_NOTE_HINT = "\n(Enter: new line · Esc then Enter: save · empty: no rationale)\n> "
_REASON_HINT = "\n(the reason is its note · Esc then Enter: save · empty: back)\n> "
_WHY_HINT = "\n(Enter on the empty box: skip · Enter: new line · Esc then Enter: save)\n> "
"""Each on a line of its own, under the message: a prompt's first line is never wrapped."""
_MENU_INDENT = 6
"""Where a wrapped menu entry continues: past the pointer and its key, "» 1) "."""


class QuestionaryPrompter:
    """The terminal interface: questionary prompts, rich panels and tables."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self._briefing: tuple[CaseStudy, Scenario | None] | None = None
        self._cite = CiteDialog(console)

    # ---------------------------------------------------------------- start

    def show_briefing(self, case: CaseStudy, scenario: Scenario | None) -> None:
        self._briefing = (case, scenario)
        page(self.console, briefing_panel(case, scenario), what="briefing", reserve=2)

    def notice(self, text: str) -> None:
        self.console.print(Text(text, style="yellow"))

    def choose(self, message: str, options: Sequence[tuple[str, str]]) -> str:
        choices = [Choice(printable(label), value=value) for value, label in options]
        value: str = ask_question(
            wrapping(
                questionary.select(printable(message), choices=choices, instruction=_ARROWS_HINT),
                3,
            )
        )
        return value

    def ask_text(self, message: str, default: str = "", *, limit: int | None = None) -> str:
        def check(text: str) -> bool | str:
            if not text.strip():
                return "Please type something."
            if limit is not None and len(text.strip()) > limit:
                return f"{len(text.strip()):,} characters; at most {limit:,}, please."
            return True

        text: str = ask_question(
            questionary.text(printable(message), default=default, validate=check)
        )
        return text.strip()

    # ---------------------------------------------------------------- questions

    def ask(self, step: Step) -> Action:
        choices, default = self._menu(step)
        while True:
            self.console.print(question_header(step))
            picked: MenuValue = ask_question(
                wrapping(
                    questionary.select(
                        f"Your answer to {step.question.id}",
                        choices=choices,
                        default=default,
                        use_shortcuts=True,
                        use_jk_keys=False,
                        instruction=_SELECT_HINT,
                    ),
                    _MENU_INDENT,
                )
            )
            action = picked if isinstance(picked, Action) else picked(step)
            if isinstance(action, Reply):
                return self._with_rationale(step, action)
            if action is not None:
                return action

    def _with_rationale(self, step: Step, reply: Reply) -> Reply:
        """Invite the reasons for an answer just given (one key passes): for choice
        questions, and for free text when the checklist asks. A rationale already written
        is kept, and stays editable with `n`."""
        saved = step.saved.note if step.saved else None
        wanted = step.needs_rationale(reply.value)
        if saved or reply.note or (not step.question.is_choice and not wanted):
            return reply  # a rationale written already, or given with the answer (n/a)
        message = f"Your reasons for {step.question.id}"
        if wanted:
            message += " (the checklist asks for them)"

        def keep(typed: str) -> Reply:
            return Reply(reply.value, typed if typed.strip() else None)

        text = ask_typed(message, "", _WHY_HINT, keep, "note", empty_enter_skips=True)
        return keep(text)

    def _menu(self, step: Step) -> tuple[list[Any], Choice]:
        """The choices at one question, answers first, then actions; and the default."""
        choices, default = _answer_choices(step, self._enter, self._not_applicable)
        if not step.question.required:
            choices.append(Choice("Leave blank (optional)", value=Skip(), shortcut_key="s"))
        passages = len(step.evidence.items)
        note = step.saved.note if step.saved else None
        cited = len(step.cited)
        choices += [
            Separator(),
            Choice("Help", value=self._help, shortcut_key="h"),
            *(_evidence_choice(passages, self._evidence) if step.evidence.has_case else ()),
            *(
                [
                    Choice(
                        f"Cite passages… ({cited} cited)" if cited else "Cite passages…",
                        value=self._cite,
                        shortcut_key="c",
                    )
                ]
                if step.evidence.has_case
                else []
            ),
            Choice(
                "Edit your rationale…" if note else "Add your rationale…",
                value=self._note,
                shortcut_key="n",
            ),
            *(
                [Choice("Read the briefing again", value=self._reread, shortcut_key="r")]
                if step.evidence.has_case
                else []
            ),
            Choice(
                "Back to the previous question",
                value=Back(),
                shortcut_key="b",
                disabled=None if step.can_go_back else "this is the first",
            ),
            Choice("Jump to section…", value=self._jump, shortcut_key="j"),
            Choice("Quit (answers are saved)", value=Quit(), shortcut_key="q"),
        ]
        return choices, default or choices[0]

    def _help(self, step: Step) -> None:
        page(self.console, help_panel(step), what="help")

    def _evidence(self, step: Step) -> None:
        page(self.console, evidence_view(step.evidence), what="evidence")

    def _reread(self, _step: Step) -> None:
        if self._briefing is not None:
            page(self.console, briefing_panel(*self._briefing), what="briefing")

    def _enter(self, step: Step) -> Action | None:
        """The answer box of multiple-choice and free-text questions; None goes back."""
        question, saved = step.question, step.saved
        current = saved.value if saved else None
        if question.type == "multi":
            ticked = current if isinstance(current, list) else []
            boxes = [
                Choice(printable(o.label), value=o.value, checked=o.value in ticked)
                for o in question.choice_list
            ]

            def allowed(values: list[str]) -> bool | str:
                return (value_problem(question, values) if values else None) or True

            values: list[str] = ask_question(
                wrapping(
                    questionary.checkbox(
                        f"Answers to {question.id}",
                        choices=boxes,
                        validate=allowed,
                        instruction="(Space ticks · Enter confirms · none ticked: back)",
                    ),
                    5,
                )
            )
            if not values:
                return None
            shown = answer_text(question, values, "prompt")
            self.console.print(Text.assemble(("Ticked: ", "dim"), shown))
            return Reply(values)
        if question.type in ("number", "date"):
            return self._typed_value(step)
        default = current if isinstance(current, str) else ""

        def keep_text(typed: str) -> Reply | None:
            return Reply(typed) if typed.strip() and typed != default else None

        text = ask_typed(f"Answer to {question.id}", default, _TEXT_HINT, keep_text, "answer")
        return Reply(text) if text.strip() else None

    def _typed_value(self, step: Step) -> Reply | None:
        """A number or a date on one line, checked as it is typed; empty goes back."""
        question, saved = step.question, step.saved
        current = saved.value if saved else None
        shown = "" if current in (None, UNKNOWN, NOT_APPLICABLE) else answer_text(None, current)
        what = "a number" + (f" of {question.unit}" if question.unit else "")
        if question.type == "date":
            what = "a date: 2024, 2024-05 or 2024-05-31"
        text: str = ask_question(
            questionary.text(
                printable(f"Answer to {question.id} ({what})"),
                default=shown,
                validate=lambda typed: _typed_problem(question, typed),
                instruction="(Enter: save · empty: back)",
            )
        )
        return Reply(parse_answer(question, text)) if text.strip() else None

    def _not_applicable(self, step: Step) -> Reply | None:
        """ "Not applicable", with the reason as its note (asked now); empty goes back."""
        old = step.saved.note if step.saved and step.saved.note else ""

        def keep(typed: str) -> Note | None:
            return Note(typed) if typed.strip() and typed != old else None

        reason = ask_typed(
            f"Why does {step.question.id} not apply?", old, _REASON_HINT, keep, "note"
        )
        return Reply(NOT_APPLICABLE, note=reason) if reason.strip() else None

    def _note(self, step: Step) -> Note | None:
        old = step.saved.note if step.saved and step.saved.note else ""

        def keep(typed: str) -> Note | None:
            return Note(typed) if typed.strip() and typed != old else None

        text = ask_typed(f"Your rationale for {step.question.id}", old, _NOTE_HINT, keep, "note")
        return Note(text) if text.strip() != old.strip() else None

    def _jump(self, step: Step) -> Jump | None:
        choices: list[Any] = []
        for status in step.sections:
            if status.relevant:
                label = f"{status.title}  ({status.answered} of {status.total} done)"
                choices.append(Choice(printable(label), value=status.id))
            else:
                title = printable(status.title)
                choices.append(Choice(title, value=status.id, disabled="does not apply"))
        choices += [Separator(), Choice("Cancel", value="")]
        picked: str = ask_question(
            wrapping(
                questionary.select(
                    "Jump to section",
                    choices=choices,
                    default=step.section.id,
                    instruction=_ARROWS_HINT,
                ),
                3,
            )
        )
        return Jump(picked) if picked else None

    # ---------------------------------------------------------------- review

    def review(self, review: Review) -> ReviewAction:
        self.console.print(review_table(review))
        line = gaps_line(review.gaps)
        if line is not None:
            self.console.print(line)
        finish = (
            Choice("Finish: mark the assessment complete", value=Finish(), shortcut_key="f")
            if not review.missing
            else Choice(
                "Finish",
                value=Finish(),
                shortcut_key="f",
                disabled=f"unanswered: {', '.join(review.missing)}",
            )
        )
        change = Choice("Change an answer…", value=self._pick_change, shortcut_key="c")
        leave = Choice("Quit (answers are saved; resume later)", value=Quit(), shortcut_key="q")
        picked: Finish | Quit | Callable[[Review], Change | None] = ask_question(
            questionary.select(
                "Review",
                choices=[finish, change, leave],
                default=change if review.missing else finish,
                use_shortcuts=True,
                use_jk_keys=False,
                instruction=_SELECT_HINT,
            )
        )
        if isinstance(picked, Quit):
            return picked
        if isinstance(picked, Finish):
            return self._finish_with_gaps(review) if review.gaps else picked
        changed = picked(review)
        return changed if changed is not None else self.review(review)

    def _finish_with_gaps(self, review: Review) -> ReviewAction:
        """Asked once at Finish when reasons or citations are missing; it never blocks."""
        gaps = review.gaps
        lacking = {*gaps.rationale_required, *gaps.no_citation}
        first = next(r.question_id for r in review.rows if r.question_id in lacking)
        picked: Finish | Change | None = ask_question(
            wrapping(
                questionary.select(
                    "Some answers lack a rationale or a citation. Finish anyway?",
                    choices=[
                        Choice("Finish anyway", value=Finish(), shortcut_key="f"),
                        Choice(
                            f"Fill the gaps, from {first}", value=Change(first), shortcut_key="g"
                        ),
                        Choice("Back to the review", value=None, shortcut_key="b"),
                    ],
                    use_shortcuts=True,
                    use_jk_keys=False,
                    instruction=_SELECT_HINT,
                ),
                _MENU_INDENT,
            )
        )
        return picked if picked is not None else self.review(review)

    def _pick_change(self, review: Review) -> Change | None:
        choices: list[Any] = []
        room = max(self.console.width - 16, 30)  # the pointer, the id and the arrow
        for row in review.rows:
            answer = clip(row.shown, room // 3)
            text = clip(row.text, room - len(answer))
            label = printable(f"{row.question_id}  {text}  → {answer}")
            if row.relevant:
                choices.append(Choice(label, value=row.question_id))
            else:
                choices.append(Choice(label, value=row.question_id, disabled="inactive"))
        choices += [Separator(), Choice("Cancel", value="")]
        picked: str = ask_question(
            questionary.select(
                "Change which answer?",
                choices=choices,
                use_search_filter=True,
                use_jk_keys=False,
                instruction="(↑↓ or type to filter, then Enter)",
            )
        )
        return Change(picked) if picked else None


# --------------------------------------------------------------------------- asking


def _answer_choices(
    step: Step, enter: Handler, not_applicable: Handler
) -> tuple[list[Any], Choice | None]:
    """The menu entries that answer: the options (or `enter`, the answer box), then
    "unknown" and "not applicable" where the question takes them; and the one holding
    the saved answer, if any."""
    question, saved = step.question, step.saved
    current = saved.value if saved else None
    choices: list[Any] = []
    default: Choice | None = None
    if question.type in ("yesno", "single"):
        for i, option in enumerate(question.choice_list):
            key: str | bool = str(i + 1) if i < 9 else False
            label = printable(option.label)
            choices.append(Choice(label, value=Reply(option.value), shortcut_key=key))
            if current == option.value:
                default = choices[-1]
    elif question.type == "multi":
        label = "Choose answers…" if not has_value(current) else "Change answers…"
        choices.append(Choice(label, value=enter, shortcut_key="a"))
        if isinstance(current, list):
            default = choices[-1]
    else:
        label = "Write your answer…" if not has_value(current) else "Edit your answer…"
        choices.append(Choice(label, value=enter, shortcut_key="a"))
    if question.accepts_unknown:
        unknown = Reply(UNKNOWN)
        choices.append(
            Choice("Unknown: I could not establish this", value=unknown, shortcut_key="u")
        )
        if current == UNKNOWN or (isinstance(current, list) and UNKNOWN in current):
            default = choices[-1]
    if question.not_applicable:
        choices.append(
            Choice("Not applicable here (say why)…", value=not_applicable, shortcut_key="x")
        )
        if current == NOT_APPLICABLE or (isinstance(current, list) and NOT_APPLICABLE in current):
            default = choices[-1]
    return choices, default


def _evidence_choice(passages: int, show: Handler) -> list[Choice]:
    """The entry that shows the case's evidence (none without a case)."""
    label = f"Case evidence ({passages} passage{'s' if passages != 1 else ''})"
    return [Choice(label, value=show, shortcut_key="e")]


def _typed_problem(question: Question, typed: str) -> bool | str:
    """For questionary's validate: True, or what is wrong with what was typed."""
    if not typed.strip():
        return True  # empty goes back
    try:
        parse_answer(question, typed)
    except ValueError as exc:
        return str(exc)
    return True
