"""Citing case passages from a question, in the terminal.

From the question's own evidence, or from a search of the whole case by id, title or
word (`assessment.citing.search` over `Step.citable`, which holds nothing dated after the
decision); and removing a citation. Each way ends in one `Cite` or `Uncite` for the
engine, or None to go back to the question.
"""

from __future__ import annotations

from typing import Any

import questionary
from questionary import Choice, Separator
from rich.console import Console
from rich.text import Text

from diligence.assessment.citing import search
from diligence.assessment.interface import Cite, EvidenceItem, Step, Uncite
from diligence.tui.asking import ask_question
from diligence.tui.paging import wrapping

_ARROWS = "(↑↓ or a key, then Enter)"
_TICKS = "(Space ticks · Enter: done · none: back)"


class CiteDialog:
    """The `c` key at a question: cite from its evidence, search the case, or remove."""

    def __init__(self, console: Console) -> None:
        self.console = console

    def __call__(self, step: Step) -> Cite | Uncite | None:
        while True:
            picked = self._menu(step)
            if picked == "evidence":
                chosen = self._tick(step, step.evidence.items, "Cite which?")
            elif picked == "search":
                chosen = self._search(step)
            elif picked == "remove":
                removed = self._tick(step, step.cited, "Remove which?", removing=True)
                if removed:
                    return Uncite(removed)
                continue
            else:
                return None
            if chosen:
                return Cite(chosen)

    def _menu(self, step: Step) -> str:
        cited = [i.passage.id for i in step.cited]
        self.console.print(
            Text.assemble(
                ("Cited in ", "dim"),
                (step.question.id, "bold cyan"),
                (": ", "dim"),
                ", ".join(cited) if cited else ("none yet", "dim"),
            )
        )
        fresh = [i for i in step.evidence.items if i.passage.id not in cited]
        choices: list[Any] = [
            Choice(
                f"From this question's evidence ({len(fresh)} not cited yet)…",
                value="evidence",
                shortcut_key="e",
                disabled=None if fresh else "all cited",
            ),
            Choice("Search the whole case by id, title or word…", value="search", shortcut_key="s"),
            Choice(
                "Remove a citation…",
                value="remove",
                shortcut_key="r",
                disabled=None if cited else "nothing cited",
            ),
            Separator(),
            Choice("Back to the question", value="", shortcut_key="q"),
        ]
        value: str = ask_question(
            wrapping(
                questionary.select(
                    f"Cite passages in {step.question.id}",
                    choices=choices,
                    use_shortcuts=True,
                    use_jk_keys=False,
                    instruction=_ARROWS,
                ),
                6,
            )
        )
        return value

    def _search(self, step: Step) -> tuple[str, ...]:
        as_of = step.evidence.as_of
        query: str = ask_question(
            questionary.text(
                "Search the case for",
                instruction="(an id, or words; empty: all)",
            )
        ).strip()
        found = search(step.citable, query)
        if not found:
            when = f" known by {as_of}" if as_of else ""
            self.console.print(
                Text(f"No passage{when} matches '{query}'.", style="yellow"), markup=False
            )
            return ()
        room = max(self.console.height - 8, 5)
        if len(found) > room:
            self.console.print(
                Text(
                    f"{len(found)} passages match; the first {room} are listed. Add a word to "
                    "narrow the search.",
                    style="dim",
                )
            )
        return self._tick(step, found[:room], f"Cite which? {len(found)} found")

    def _tick(
        self,
        step: Step,
        items: tuple[EvidenceItem, ...],
        message: str,
        *,
        removing: bool = False,
    ) -> tuple[str, ...]:
        cited = {i.passage.id for i in step.cited}
        boxes: list[Any] = []
        for item in items:
            label = _label(item)
            if not removing and item.passage.id in cited:
                boxes.append(Choice(label, value=item.passage.id, disabled="cited"))
            else:
                boxes.append(Choice(label, value=item.passage.id))
        if not [b for b in boxes if not b.disabled]:
            return ()
        values: list[str] = ask_question(
            wrapping(questionary.checkbox(message, choices=boxes, instruction=_TICKS), 5)
        )
        return tuple(values)


def _label(item: EvidenceItem) -> str:
    """A passage in a list: id, title and date, then the first words of its summary."""
    passage = item.passage
    date = f" ({passage.date})" if passage.date else ""
    summary = " ".join(passage.summary.split())
    first = summary.split(". ")[0]
    gist = first if len(first) <= 90 else first[:89] + "…"
    return f"{passage.id} · {passage.title}{date}: {gist}"
