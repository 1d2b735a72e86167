"""The class comparison's numbers as JSON (documented in `diligence class --help`).

Anonymised, it names students only as "Student N" and holds no file name: the trainer's
key between numbers and files is the separate `key.csv` of `--render-each`.
"""

from __future__ import annotations

import json
from typing import Any

from diligence.report.formats import Rendered
from diligence.report.model import GENERATOR
from diligence.trainer.aggregate import ClassSummary, Rejected, Submission
from diligence.trainer.questions import AnswerGroup, QuestionStats


def to_json(summary: ClassSummary) -> dict[str, Any]:
    ref = summary.reference_result
    return {
        "generator": GENERATOR,
        "checklist": {"id": summary.checklist.id, "version": summary.checklist.version},
        "case": summary.case_id,
        "scenario": summary.scenario_id,
        "anonymized": summary.anonymized,
        "submissions": len(summary.submissions),
        "complete": sum(1 for s in summary.submissions if s.complete),
        "provisional": summary.provisional,
        "rejected": [_problem(r, summary.anonymized) for r in summary.rejected],
        "incomplete": [_problem(r, summary.anonymized) for r in summary.incomplete],
        "reference_verdict": ref.verdict.value if ref else None,
        "verdicts": {v.value: n for v, n in summary.verdicts},
        "verdicts_incomplete": {v.value: n for v, n in summary.verdicts_incomplete},
        "red_flags": [
            {
                "id": f.id,
                "title": f.title,
                "severity": f.severity.value,
                "reference": f.reference,
                "raised": f.raised,
                "raised_incomplete": f.raised_incomplete,
                "of": f.of,
            }
            for f in summary.flags
        ],
        "sections": [
            {
                "id": s.id,
                "title": s.title,
                "reference": s.reference,
                "median": s.median,
                "scores": list(s.scores),
                "scores_incomplete": list(s.scores_incomplete),
            }
            for s in summary.sections
        ],
        "questions": [_question(q) for q in summary.questions],
        "discussion": [q.id for q in summary.discussion()],
        "rationales": {q.id: [_group(g) for g in q.groups] for q in summary.discussion()},
        "passages": [
            {
                "id": p.id,
                "students": p.students,
                "citations": p.citations,
                "reference": p.reference,
                "after_decision": p.after_decision,
            }
            for p in summary.passages
        ],
        "students": [_student(s, summary.anonymized) for s in summary.submissions],
    }


def render_json(summary: ClassSummary) -> Rendered:
    text = json.dumps(to_json(summary), indent=2, ensure_ascii=False) + "\n"
    return Rendered(text.encode("utf-8"), pages=None, warnings=())


def _problem(problem: Rejected, anonymized: bool) -> dict[str, Any]:
    where = {"student": problem.label} if anonymized else {"file": problem.display}
    return {**where, "line": problem.line, "reason": problem.reason}


def _question(q: QuestionStats) -> dict[str, Any]:
    return {
        "id": q.id,
        "section": q.section,
        "answered": q.answered,
        "answered_incomplete": q.answered_incomplete,
        "answers": {c.value: c.count for c in q.counts if c.count},
        "answers_incomplete": {c.value: c.incomplete for c in q.counts if c.incomplete},
        "reference": q.reference,
        "agreement": _round(q.agreement),
        "disagreement": _round(q.disagreement),
    }


def _group(group: AnswerGroup) -> dict[str, Any]:
    return {
        "answer": group.value,
        "count": group.count,
        "incomplete": group.incomplete,
        "reference": group.is_reference,
        "cited": dict(group.cited),
        "notes": [
            {"student": r.student, "note": r.text, "cites": list(r.cites)}
            for r in group.rationales
            if r.text
        ],
    }


def _student(s: Submission, anonymized: bool) -> dict[str, Any]:
    where = {} if anonymized else {"file": s.display}
    return {
        "student": s.student,
        **where,
        "verdict": s.result.verdict.value,
        "overall": s.result.overall,
        "complete": s.complete,
        "agreement": _round(s.agreement),
        "red_flags": list(s.red_flags),
        "without_rationale": s.without_rationale,
        "citations": s.citations,
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
