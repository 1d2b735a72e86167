"""The condition language and relevance, on the sample checklist."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from diligence.content.conditions import Context, answer_risk, holds, relevance
from diligence.content.loader import load_as
from diligence.content.models import Checklist, Condition, RiskLevel

from conftest import SAMPLE

_, CHECKLIST = load_as(SAMPLE / "checklists" / "sample-vetting.yaml", Checklist)


def cond(data: dict[str, object]) -> Condition:
    return Condition.model_validate(data)


def test_value_tests() -> None:
    ctx = Context(CHECKLIST, {"W1": "yes", "W3": ["screening"]})
    assert holds(cond({"question": "W1", "is": "yes"}), ctx)
    assert not holds(cond({"question": "W1", "in": ["no", "unknown"]}), ctx)
    assert holds(cond({"question": "W1", "not_in": ["no"]}), ctx)
    assert holds(cond({"question": "W3", "includes": "screening"}), ctx)
    assert holds(cond({"question": "W2", "answered": False}), ctx)
    assert holds(cond({"question": "W2", "not_in": ["broker"]}), ctx), "unanswered is in no list"
    assert not holds(cond({"question": "W2", "is": "broker"}), ctx)


def test_combinators_flags_and_unknowns() -> None:
    ctx = Context(CHECKLIST, {"W1": "unknown", "T1": "unknown"}, flags={"RF1"})
    assert holds(cond({"all": [{"flag": "RF1"}, {"unknowns_at_least": 2}]}), ctx)
    assert not holds(cond({"unknowns_at_least": 2, "sections": ["terms"]}), ctx)
    assert holds(cond({"not": {"flag": "RF2"}}), ctx)
    assert holds(
        cond({"any": [{"flag": "RF2"}, {"question": "W1", "risk_at_least": "critical"}]}), ctx
    )


def test_answer_risk() -> None:
    w1 = CHECKLIST.question("W1")
    w3 = CHECKLIST.question("W3")
    assert w1 is not None and w3 is not None
    assert answer_risk(w1, "yes") is RiskLevel.low
    assert answer_risk(w1, "unknown") is RiskLevel.critical
    assert answer_risk(w3, ["screening", "none"]) is RiskLevel.high
    assert answer_risk(w1, None) is None


def test_irrelevant_answers_are_not_seen_by_later_conditions() -> None:
    relevant, active = relevance(
        CHECKLIST, {"W1": "no", "W2": "direct", "W3": ["none"], "T1": "no"}
    )
    assert relevant == {"W1": True, "W2": True, "W3": False, "T1": False, "T2": False}
    assert active == {"W1": "no", "W2": "direct"}


def test_a_condition_written_as_code_is_refused_not_run() -> None:
    with pytest.raises(ValidationError, match="valid dictionary"):
        Condition.model_validate("__import__('os').system('echo hi')")
