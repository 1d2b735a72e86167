"""The trainer's walkthrough: step through a scenario's reference answers in class.

The loop is pure and uses the assessment engine (`Flow`) over the reference answers, so
skip logic, navigation and evidence are exactly what students see in `assess`. A `View`
shows slides and reads single keys; `RichView` is the terminal adapter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from diligence.assessment.engine import Flow
from diligence.assessment.interface import Evidence, EvidenceItem, Step
from diligence.content.conditions import answer_risk
from diligence.content.models import RiskLevel
from diligence.content.rules import answer_text
from diligence.scoring import ScoreResult, score

Key = Literal["next", "back", "jump", "quit"]


@dataclass(frozen=True)
class Slide:
    """One question as the trainer presents it."""

    step: Step
    scenario_title: str
    reference: str
    risk: RiskLevel | None
    rationale: str | None
    cited: tuple[EvidenceItem, ...]
    """The passages the reference answer cites (else the question's own evidence)."""
    teaching_notes: tuple[str, ...]
    """The question's teaching notes that fit the scenario (`Question.teaching_notes_for`)."""
    shown: int = 0
    """How many questions the walk has shown so far, this one included."""


@dataclass(frozen=True)
class Ending:
    """The last slide: the reference verdict and why, and the scenario's teaching notes."""

    scenario_title: str
    result: ScoreResult
    teaching_notes: tuple[str, ...]


class View(Protocol):
    def show(self, slide: Slide) -> None: ...

    def show_ending(self, ending: Ending) -> None: ...

    def read_key(self, *, at_end: bool = False) -> Key: ...

    def pick_section(self, flow: Flow) -> str | None: ...


def slide(flow: Flow, shown: int = 0) -> Slide:
    """The slide for the flow's current question; `shown` counts what the walk showed."""
    step = flow.step()
    question = step.question
    saved = step.saved
    value = saved.value if saved else None
    cited = _cited(flow, saved.cites if saved else [], step.evidence)
    return Slide(
        step=step,
        scenario_title=flow.scenario.title if flow.scenario else flow.checklist.title,
        reference=answer_text(question, value, "prompt"),
        risk=answer_risk(question, value),
        rationale=saved.note if saved else None,
        cited=cited,
        teaching_notes=question.teaching_notes_for(flow.scenario.id if flow.scenario else None),
        shown=shown,
    )


def _cited(flow: Flow, cites: list[str], evidence: Evidence) -> tuple[EvidenceItem, ...]:
    if not cites or flow.case is None:
        return evidence.items
    passages = flow.case.passages()
    by_id = {item.passage.id: item for item in evidence.items}
    items = []
    for passage_id in cites:
        if passage_id in by_id:
            items.append(by_id[passage_id])
        elif passage_id in passages:
            items.append(flow.evidence_item(*passages[passage_id]))
    return tuple(items)


def walk(flow: Flow, view: View) -> None:
    """Present every relevant question in order; Enter, b, j and q steer."""
    if not flow.walk_from_start():
        return
    seen: set[str] = set()
    while True:
        if flow.current is None:
            view.show_ending(ending(flow))
            key = view.read_key(at_end=True)
            if key == "back":
                flow.back()
                continue
            if key == "jump":
                _jump(flow, view)
                continue
            return
        seen.add(flow.current)
        view.show(slide(flow, len(seen)))
        key = view.read_key()
        if key == "quit":
            return
        if key == "next":
            flow.step_forward()
        elif key == "back":
            flow.back()
        elif key == "jump":
            _jump(flow, view)


def _jump(flow: Flow, view: View) -> None:
    section = view.pick_section(flow)
    if section is not None:
        flow.jump(section)


def ending(flow: Flow) -> Ending:
    return Ending(
        scenario_title=flow.scenario.title if flow.scenario else flow.checklist.title,
        result=score(flow.checklist, flow.answers),
        teaching_notes=tuple(flow.scenario.teaching_notes) if flow.scenario else (),
    )
