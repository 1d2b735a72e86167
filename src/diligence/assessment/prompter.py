"""How the assessment talks to a person: the `Prompter` protocol and its questionary adapter.

The engine only sees the protocol and typed actions. `QuestionaryPrompter` asks with
questionary and shows briefings, help, case evidence and the review with rich.

Keys at a question: 1-9 pick a choice, u answers "unknown", a opens the answer box (multiple
choice and free text), s leaves an optional question blank, h help, e case evidence, n note,
b back, j jump to a section, q quit. A key moves the pointer; Enter confirms.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import questionary
from prompt_toolkit.application import Application
from questionary import Choice, Separator
from rich.console import Console, Group, RenderableType
from rich.markup import escape
from rich.padding import Padding
from rich.panel import Panel
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from diligence.assessment.engine import (
    Action,
    Answer,
    Back,
    Change,
    Evidence,
    Finish,
    Jump,
    Note,
    PromptInterrupted,
    Quit,
    Review,
    ReviewAction,
    Skip,
    Step,
    describe,
    has_value,
)
from diligence.content.models import UNKNOWN, CaseStudy, RiskLevel, Scenario


class Prompter(Protocol):
    """What the assessment needs from a user interface. Ctrl-C raises KeyboardInterrupt."""

    def show_briefing(self, case: CaseStudy, scenario: Scenario | None) -> None: ...

    def notice(self, text: str) -> None: ...

    def choose(self, message: str, options: Sequence[tuple[str, str]]) -> str:
        """One of `options` (value, label), by value."""
        ...

    def ask_text(self, message: str, default: str = "") -> str:
        """A line of text; never empty."""
        ...

    def ask(self, step: Step) -> Action:
        """What to do at one question. Help and evidence are shown without returning."""
        ...

    def review(self, review: Review) -> ReviewAction: ...


RISK_STYLES = {
    RiskLevel.none: "dim",
    RiskLevel.low: "green",
    RiskLevel.medium: "yellow",
    RiskLevel.high: "red",
    RiskLevel.critical: "bold red",
}
_SIMPLE_ACTIONS: dict[str, Action] = {"skip": Skip(), "back": Back(), "quit": Quit()}
_SELECT_HINT = "(↑↓ or a key, then Enter)"
_ARROWS_HINT = "(↑↓, then Enter)"
"""For menus whose entries have no shortcut keys: lists of scenarios, sections, answers."""
_TEXT_HINT = "(Enter: new line · Esc then Enter: save · empty: back)\n> "
_NOTE_HINT = "(Enter: new line · Esc then Enter: save · empty: no note)\n> "


class QuestionaryPrompter:
    """The terminal interface: questionary prompts, rich panels and tables."""

    def __init__(self, console: Console) -> None:
        self.console = console

    # ---------------------------------------------------------------- start

    def show_briefing(self, case: CaseStudy, scenario: Scenario | None) -> None:
        self.console.print(briefing_panel(case, scenario))

    def notice(self, text: str) -> None:
        self.console.print(Text(text, style="yellow"))

    def choose(self, message: str, options: Sequence[tuple[str, str]]) -> str:
        choices = [Choice(label, value=value) for value, label in options]
        value: str = _ask(questionary.select(message, choices=choices, instruction=_ARROWS_HINT))
        return value

    def ask_text(self, message: str, default: str = "") -> str:
        text: str = _ask(
            questionary.text(
                message,
                default=default,
                validate=lambda t: bool(t.strip()) or "Please type something.",
            )
        )
        return text.strip()

    # ---------------------------------------------------------------- questions

    def ask(self, step: Step) -> Action:
        self.console.print(question_header(step))
        choices, default = _menu(step)
        while True:
            picked = _ask(
                questionary.select(
                    f"Your answer to {step.question.id}",
                    choices=choices,
                    default=default,
                    use_shortcuts=True,
                    use_jk_keys=False,
                    instruction=_SELECT_HINT,
                )
            )
            kind = picked[0]
            if kind == "choice":
                return Answer(picked[1])
            if kind == "help":
                self.console.print(help_panel(step))
            elif kind == "evidence":
                self.console.print(evidence_view(step.evidence))
            elif kind == "enter":
                action = self._enter(step)
                if action is not None:
                    return action
            elif kind == "note":
                note = self._note(step)
                if note is not None:
                    return note
            elif kind == "jump":
                jump = self._jump(step)
                if jump is not None:
                    return jump
            else:
                return _SIMPLE_ACTIONS[kind]

    def _enter(self, step: Step) -> Action | None:
        """The answer box of multiple-choice and free-text questions; None goes back."""
        question, saved = step.question, step.saved
        current = saved.value if saved else None
        if question.type == "multi":
            ticked = current if isinstance(current, list) else []
            boxes = [
                Choice(o.label, value=o.value, checked=o.value in ticked)
                for o in question.choice_list
            ]
            values: list[str] = _ask(
                questionary.checkbox(
                    f"Answers to {question.id}",
                    choices=boxes,
                    instruction="(Space ticks · Enter confirms · none ticked: back)",
                )
            )
            return Answer(values) if values else None
        default = current if isinstance(current, str) else ""
        text = _ask_typed(f"Answer to {question.id}", default, _TEXT_HINT, Answer)
        return Answer(text) if text.strip() else None

    def _note(self, step: Step) -> Note | None:
        old = step.saved.note if step.saved and step.saved.note else ""
        text = _ask_typed(f"Note on {step.question.id}", old, _NOTE_HINT, Note)
        return Note(text) if text.strip() != old.strip() else None

    def _jump(self, step: Step) -> Jump | None:
        choices: list[Any] = []
        for status in step.sections:
            if status.relevant:
                label = f"{status.title}  ({status.answered} of {status.total} done)"
                choices.append(Choice(label, value=status.id))
            else:
                choices.append(Choice(status.title, value=status.id, disabled="does not apply"))
        choices += [Separator(), Choice("Cancel", value="")]
        picked: str = _ask(
            questionary.select(
                "Jump to section",
                choices=choices,
                default=step.section.id,
                instruction=_ARROWS_HINT,
            )
        )
        return Jump(picked) if picked else None

    # ---------------------------------------------------------------- review

    def review(self, review: Review) -> ReviewAction:
        self.console.print(review_table(review))
        finish = (
            Choice("Finish: mark the assessment complete", value="finish", shortcut_key="f")
            if not review.missing
            else Choice(
                "Finish",
                value="finish",
                shortcut_key="f",
                disabled=f"unanswered: {', '.join(review.missing)}",
            )
        )
        picked = _ask(
            questionary.select(
                "Review",
                choices=[
                    finish,
                    Choice("Change an answer…", value="change", shortcut_key="c"),
                    Choice(
                        "Quit (answers are saved; resume later)", value="quit", shortcut_key="q"
                    ),
                ],
                default="change" if review.missing else "finish",
                use_shortcuts=True,
                use_jk_keys=False,
                instruction=_SELECT_HINT,
            )
        )
        if picked == "finish":
            return Finish()
        if picked == "quit":
            return Quit()
        changed = self._pick_change(review)
        return Change(changed) if changed else self.review(review)

    def _pick_change(self, review: Review) -> str | None:
        choices: list[Any] = []
        room = max(self.console.width - 16, 30)  # the pointer, the id and the arrow
        for row in review.rows:
            answer = _clip(row.shown, room // 3)
            label = f"{row.question_id}  {_clip(row.text, room - len(answer))}  → {answer}"
            if row.relevant:
                choices.append(Choice(label, value=row.question_id))
            else:
                choices.append(Choice(label, value=row.question_id, disabled="inactive"))
        choices += [Separator(), Choice("Cancel", value="")]
        picked: str = _ask(
            questionary.select(
                "Change which answer?",
                choices=choices,
                use_search_filter=True,
                use_jk_keys=False,
                instruction="(↑↓ or type to filter, then Enter)",
            )
        )
        return picked or None


# --------------------------------------------------------------------------- asking


def _ask(question: questionary.Question) -> Any:
    """Ask; Ctrl-C and Ctrl-D raise PromptInterrupted (a KeyboardInterrupt)."""
    try:
        return question.unsafe_ask()
    except EOFError:
        raise PromptInterrupted() from None


def _ask_typed(message: str, default: str, hint: str, keep: Any) -> str:
    """Multi-line text; on Ctrl-C, what was typed travels out as `keep(text)` to be saved."""
    question = questionary.text(message, default=default, multiline=True, instruction=hint)
    try:
        text: str = question.unsafe_ask()
    except (KeyboardInterrupt, EOFError):
        typed = _typed(question.application)
        pending = keep(typed) if typed.strip() and typed != default else None
        raise PromptInterrupted(pending) from None
    return text


def _typed(app: Application[Any]) -> str:
    try:
        return str(app.current_buffer.text)
    except Exception:  # no buffer left to read: nothing to keep
        return ""


def _menu(step: Step) -> tuple[list[Any], Any]:
    """The choices at one question: answers first, then actions. Returns (choices, default)."""
    question, saved = step.question, step.saved
    current = saved.value if saved else None
    choices: list[Any] = []
    default: Any = None
    if question.type in ("yesno", "single"):
        for i, option in enumerate(question.choice_list):
            key: str | bool = str(i + 1) if i < 9 else False
            choices.append(Choice(option.label, value=("choice", option.value), shortcut_key=key))
            if current == option.value:
                default = ("choice", option.value)
    elif question.type == "multi":
        label = "Choose answers…" if not has_value(saved) else "Change answers…"
        choices.append(Choice(label, value=("enter",), shortcut_key="a"))
        if isinstance(current, list):
            default = ("enter",)
    else:
        label = "Write your answer…" if not has_value(saved) else "Edit your answer…"
        choices.append(Choice(label, value=("enter",), shortcut_key="a"))
    if question.is_choice:
        unknown = ("choice", UNKNOWN)
        choices.append(
            Choice("Unknown: I could not establish this", value=unknown, shortcut_key="u")
        )
        if current == UNKNOWN or (isinstance(current, list) and UNKNOWN in current):
            default = unknown
    if not question.required:
        choices.append(Choice("Leave blank (optional)", value=("skip",), shortcut_key="s"))
    passages = len(step.evidence.items)
    note = saved.note if saved else None
    choices += [
        Separator(),
        Choice("Help", value=("help",), shortcut_key="h"),
        Choice(
            f"Case evidence ({passages} passage{'s' if passages != 1 else ''})",
            value=("evidence",),
            shortcut_key="e",
        ),
        Choice("Edit note…" if note else "Add a note…", value=("note",), shortcut_key="n"),
        Choice(
            "Back to the previous question",
            value=("back",),
            shortcut_key="b",
            disabled=None if step.can_go_back else "this is the first",
        ),
        Choice("Jump to section…", value=("jump",), shortcut_key="j"),
        Choice("Quit (answers are saved)", value=("quit",), shortcut_key="q"),
    ]
    return choices, default or choices[0].value


def _clip(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


# --------------------------------------------------------------------------- rendering


def briefing_panel(case: CaseStudy, scenario: Scenario | None) -> RenderableType:
    """The scenario: title, date, the decision and the briefing."""
    if scenario is None:
        return Panel(Text(case.summary), title=escape(case.title), title_align="left")
    body = Group(
        Text.assemble(("Decision: ", "bold"), scenario.decision),
        Text(""),
        Text(scenario.briefing.strip()),
    )
    return Panel(
        body,
        title=f"[bold]{escape(scenario.title)}[/]",
        subtitle=f"{escape(case.title)} · as of {scenario.as_of}",
        title_align="left",
        subtitle_align="left",
        padding=(1, 2),
    )


def question_header(step: Step) -> RenderableType:
    """Where the user is, the question, and what they answered before."""
    question = step.question
    where = Table.grid(expand=True)
    where.add_column()
    where.add_column(justify="right")
    where.add_row(
        Text(step.section.title, style="bold cyan"),
        Text(f"question {step.number} of {step.total}", style="cyan"),
    )
    bar = Table.grid(padding=(0, 1))
    bar.add_row(
        ProgressBar(total=max(step.total, 1), completed=step.answered, width=40),
        Text(f"{step.answered} of {step.total} done", style="dim"),
    )
    parts: list[RenderableType] = [Text(""), where, bar]
    if step.section.intro and question.id == step.section.questions[0].id:
        parts.append(Text(step.section.intro.strip(), style="italic"))
    title = Text.assemble((f"{question.id}  ", "bold cyan"), (question.text, "bold"))
    if not question.required:
        title.append("  (optional)", style="dim")
    parts.append(title)
    saved = step.saved
    if has_value(saved):
        assert saved is not None
        shown = _clip(describe(question, saved.value), 200)
        parts.append(Text.assemble(("Your answer: ", "dim"), shown))
    elif saved is not None and saved.answered_at is not None:
        parts.append(Text("Left blank.", style="dim"))
    if saved is not None and saved.note:
        parts.append(Text.assemble(("Note: ", "dim"), _clip(saved.note, 200)))
    return Group(*parts)


def help_panel(step: Step) -> RenderableType:
    """The question's help text and the frameworks it rests on."""
    parts: list[RenderableType] = [Text(step.question.help.strip())]
    if step.frameworks:
        parts += [Text(""), Text("Frameworks", style="bold")]
        parts += [Text(f"  • {line}") for line in step.frameworks]
    return Panel(Group(*parts), title=f"Help · {step.question.id}", title_align="left")


def evidence_view(evidence: Evidence) -> RenderableType:
    """One panel per cited passage: summary, quote with speaker, chapter, date and source."""
    parts: list[RenderableType] = []
    if evidence.from_briefing:
        parts.append(
            Text(
                f"This question cites no passage dated {evidence.as_of} or earlier; "
                "here is what the scenario's briefing rests on.",
                style="dim",
            )
        )
    if not evidence.items:
        parts.append(Text("This question cites no case passage.", style="dim"))
    for item in evidence.items:
        passage = item.passage
        body: list[RenderableType] = [Text(passage.summary.strip())]
        if passage.quote:
            body.append(Text(""))
            body.append(
                Text.assemble(
                    (f"“{passage.quote.text.strip()}”", "italic"), f"  — {passage.quote.speaker}"
                )
            )
        # An episode passage's source line names its chapter already.
        facts = [] if item.chapter.in_episode else [item.chapter.title]
        if passage.date:
            facts.append(passage.date)
        if passage.certainty == "reported":
            facts.append("reported, not confirmed")
        facts.append(item.source)
        # In the body, not the subtitle: a long source line wraps there instead of being cut.
        body += [Text(""), Text(" · ".join(facts), style="dim")]
        parts.append(
            Panel(
                Group(*body),
                title=f"[bold]{escape(passage.title)}[/] [dim]({escape(passage.id)})[/]",
                title_align="left",
            )
        )
    if evidence.later:
        parts.append(
            Text(
                f"Left out, as dated or made public after {evidence.as_of} "
                f"(the time of this decision): {', '.join(evidence.later)}",
                style="dim",
            )
        )
    return Padding(Group(*parts), (1, 0, 0, 0))


def review_table(review: Review) -> RenderableType:
    """All answers: section, question, answer, risk, note marker, status."""
    table = Table(title="Your answers", title_justify="left", expand=True, show_lines=False)
    table.add_column("Section", style="cyan", ratio=2)
    table.add_column("Question", ratio=5)
    table.add_column("Answer", ratio=3)
    table.add_column("Risk", no_wrap=True)
    table.add_column("Note", justify="center", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    previous = None
    for row in review.rows:
        risk = Text("")
        if row.risk:
            risk = Text(row.risk.value, style="dim" if row.inactive else RISK_STYLES[row.risk])
        if row.inactive:
            status = Text("inactive", style="dim")
        elif not row.done:
            status = Text("open" if row.required else "open (optional)", style="bold yellow")
        elif row.value is None:
            status = Text("left blank", style="dim")
        else:
            status = Text("")
        table.add_row(
            row.section if row.section != previous else "",
            Text(f"{row.question_id}  {row.text}".strip()),
            Text(_clip(row.shown, 120), style="dim" if row.inactive else ""),
            risk,
            "✎" if row.note else "",
            status,
        )
        previous = row.section
    return Padding(table, (1, 0, 0, 0))
