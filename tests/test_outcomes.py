"""Scoring what a real questionnaire needs: "not applicable" is left out, numbers score by
their thresholds, a review without a verdict ends in its gaps, and verdicts carry the
checklist's own names."""

from __future__ import annotations

from typing import Any

from diligence.content.models import NOT_APPLICABLE, AnswersFile, Checklist, Verdict
from diligence.scoring import score

from test_answer_types import checklist


def answers(values: dict[str, Any], **notes: str) -> AnswersFile:
    return AnswersFile.model_validate(
        {
            "checklist": {"id": "icp-staffing", "version": "1.0"},
            "case": "none",
            "status": "complete",
            "answers": {q: {"value": v, "note": notes.get(q)} for q, v in values.items()},
        }
    )


def test_not_applicable_is_answered_but_not_scored() -> None:
    model = Checklist.model_validate(checklist())
    result = score(
        model,
        answers(
            {"S1": 3, "S2": "2024-05", "S3": NOT_APPLICABLE, "S4": NOT_APPLICABLE},
            S3="Nothing is outsourced.",
            S4="Nothing is outsourced.",
        ),
    )
    assert result.complete and result.missing == ()
    assert [q.id for q in result.not_applicable] == ["S3", "S4"]
    (section,) = result.sections
    assert section.score == 25  # S1 alone: 3 people, low; S2 is a date, S3-S4 n/a
    assert section.answered == 4 and section.unknowns == 0
    assert result.to_json()["not_applicable"] == ["S3", "S4"]


def test_a_review_ends_in_its_gaps_and_states_no_verdict() -> None:
    model = Checklist.model_validate(checklist())
    result = score(model, answers({"S1": 1, "S2": "unknown", "S3": "no", "S4": "yes"}))
    assert not result.states_verdict
    assert [(g.question, g.risk.value) for g in result.gaps] == [
        ("S1", "high"),
        ("S2", "high"),
        ("S3", "high"),
    ]
    data = result.to_json()
    assert data["outcome"] == "gaps" and data["verdict"] is None
    assert [g["question"] for g in data["gaps"]] == ["S1", "S2", "S3"]


def test_a_threshold_mitigation_is_a_gap_action() -> None:
    data = checklist()
    data["sections"][0]["questions"][0]["thresholds"][1]["mitigation"] = "Name a back-up."
    model = Checklist.model_validate(data)
    result = score(model, answers({"S1": 1}))
    assert result.gaps[0].actions == ("Name a back-up.",)
    assert any(c.text == "Name a back-up." for c in result.conditions)


def test_verdicts_carry_the_checklists_names() -> None:
    data = checklist()
    data["scoring"] = {"labels": {"escalate": "Escalate to the board"}}
    model = Checklist.model_validate(data)
    result = score(model, answers({"S1": 1, "S2": "2024", "S3": "no", "S4": "no"}))
    assert result.states_verdict
    assert result.label(Verdict.escalate) == "Escalate to the board"
    assert result.label(Verdict.decline) == "Decline"
    assert result.to_json()["verdict_label"] == result.verdict_label
    threshold = next(r for r in result.reasons if r.kind == "threshold")
    assert f"'{result.label(threshold.verdict).lower()}'" in threshold.text
    assert Verdict.escalate.label == "Escalate"  # the default names no committee
