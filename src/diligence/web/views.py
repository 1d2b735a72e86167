"""What a student's pages show, gathered from the engine's views (`Step`, `Review`).

Plain data for the templates; the engine computes it all (relevance, progress, evidence
as of the scenario's date), this module only arranges it for a page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from diligence.assessment.engine import Flow
from diligence.assessment.interface import EvidenceItem, Step
from diligence.content.models import UNKNOWN, AnswerValue, CaseStudy, Scenario, has_value
from diligence.content.models.base import after_date
from diligence.web.assess import TEXT_LIMIT, Posted


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    checked: bool
    key: str
    """The number key the script binds to it ("" past 9)."""


def question_page(
    flow: Flow, question_id: str, *, walk: bool, typed: Posted | None = None, search: str = ""
) -> dict[str, Any]:
    """Everything the question page shows; `typed` is a form sent back with an error,
    shown instead of what is saved so nothing the student typed is lost."""
    flow.goto(question_id, walk=walk)
    step = flow.step()
    saved = step.saved
    value: AnswerValue | None = saved.value if saved else None
    note = (saved.note if saved else None) or ""
    if typed is not None:
        value = typed.value
        note = typed.note if typed.note is not None else note
    cited = set(saved.cites) if saved else set()
    if typed is not None:
        cited = (cited - set(typed.offered)) | set(typed.cites)
    found = flow.citable(search) if search.strip() else ()
    previous = _previous(flow, question_id)
    return {
        "search": search,
        "found": [(item, item.passage.id in cited) for item in found[:20]],
        "found_more": max(0, len(found) - 20),
        "evidence_rows": [(item, item.passage.id in cited) for item in step.evidence.items],
        "cited_rows": _other_cited(step, found, cited),
        "invite_rationale": step.needs_rationale(value) and not note.strip(),
        "step": step,
        "walk": walk,
        "choices": _choices(step, value),
        "text_value": value if isinstance(value, str) and step.question.type == "text" else "",
        "note": note,
        "previous": previous,
        "sections": _sections(flow, step),
        "percent": round(100 * step.answered / step.total) if step.total else 100,
        "limit": TEXT_LIMIT,
        "left_blank": saved is not None and saved.answered_at is not None and not has_value(value),
    }


def _other_cited(step: Step, found: Sequence[EvidenceItem], cited: set[str]) -> list[Any]:
    """The saved citations not shown among the evidence or the search results."""
    shown = {i.passage.id for i in step.evidence.items} | {i.passage.id for i in found[:20]}
    return [(item, item.passage.id in cited) for item in step.cited if item.passage.id not in shown]


def _choices(step: Step, value: AnswerValue | None) -> list[Choice]:
    question = step.question
    if not question.is_choice:
        return []
    picked = set(value) if isinstance(value, list) else {value}
    options = [(o.value, o.label) for o in question.choice_list]
    options.append((UNKNOWN, "Unknown: I could not establish this"))
    return [
        Choice(v, label, v in picked, str(i + 1) if i < 9 else "")
        for i, (v, label) in enumerate(options)
    ]


def _previous(flow: Flow, question_id: str) -> str | None:
    flow.goto(question_id, walk=True)
    if not flow.back():
        return None
    return flow.current


def _sections(flow: Flow, step: Step) -> list[dict[str, Any]]:
    """The sections for "jump": title, progress, and the first question that applies."""
    rows = []
    for status in step.sections:
        first = None
        if status.relevant:
            flow.jump(status.id)
            first = flow.current
        rows.append({"status": status, "first": first, "current": status.id == step.section.id})
    return rows


def case_page(case: CaseStudy, scenario: Scenario | None) -> dict[str, Any]:
    """The case as a student may read it before deciding: every passage known by the
    scenario's date, by chapter; later ones are only counted (no hindsight)."""
    as_of = scenario.as_of if scenario else None
    chapters = []
    later = 0
    for chapter in case.chapters:
        shown = [p for p in chapter.passages if not p.hindsight_for(as_of)]
        later += len(chapter.passages) - len(shown)
        if shown:
            chapters.append(
                {
                    "chapter": chapter,
                    "passages": [(p, case.source_line(chapter, p)) for p in shown],
                }
            )
    events = [e for e in case.timeline if as_of is None or not after_date(e.date, as_of)]
    return {
        "case": case,
        "scenario": scenario,
        "chapters": chapters,
        "later": later,
        "events": events,
    }


def section_page(
    flow: Flow,
    section_id: str,
    typed: Mapping[str, Posted] | None = None,
    problems: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """A whole section on one page: every question that applies now, with what is saved
    (or what was typed, when the form came back with a problem)."""
    typed, problems = typed or {}, problems or {}
    rows: list[dict[str, Any]] = []
    for section, question in flow.order:
        if section.id != section_id or not flow.relevant.get(question.id):
            continue
        flow.goto(question.id)
        step = flow.step()
        saved = step.saved
        value: AnswerValue | None = saved.value if saved else None
        note = (saved.note if saved else None) or ""
        if question.id in typed:
            value = typed[question.id].value
            note = typed[question.id].note or ""
        rows.append(
            {
                "step": step,
                "choices": _choices(step, value),
                "text_value": value if isinstance(value, str) and question.type == "text" else "",
                "note": note,
                "problem": problems.get(question.id),
            }
        )
    if not rows:
        raise ValueError(f"section {section_id} has no question that applies now")
    first: Step = rows[0]["step"]
    statuses = first.sections
    following = next(
        (s.id for s in statuses[[s.id for s in statuses].index(section_id) + 1 :] if s.relevant),
        None,
    )
    return {
        "section": first.section,
        "rows": rows,
        "next_section": following,
        "sections": _sections(flow, first),
        "limit": TEXT_LIMIT,
        "problem": problems.get(""),
    }
