"""The rules for one answer: what counts as answered, how an answer reads."""

from __future__ import annotations

import pytest

from diligence.assessment.answers import new_answers
from diligence.assessment.engine import Flow
from diligence.content.loader import load_as
from diligence.content.models import Answer, Checklist, has_value
from diligence.scoring import score

from conftest import SAMPLE

_, CHECKLIST = load_as(SAMPLE / "checklists" / "sample-vetting.yaml", Checklist)


@pytest.mark.parametrize(
    ("value", "answered"),
    [(None, False), ("", False), ("  \n\t", False), ([], False), ("x", True), (["a"], True)],
)
def test_has_value(value: object, answered: bool) -> None:
    assert has_value(value) is answered


def test_whitespace_only_text_is_unanswered_for_engine_and_scoring_alike() -> None:
    answers = new_answers(CHECKLIST, "sample", "early", "T")
    answers.answers = {
        "W1": Answer(value="yes"),
        "W2": Answer(value="direct"),
        "T1": Answer(value="yes"),
        "T2": Answer(value="   "),  # optional free text, only blanks
    }
    result = score(CHECKLIST, answers)
    t2 = result.question("T2")
    assert t2 is not None and not t2.answered and t2.answer == "(not answered)"
    flow = Flow(CHECKLIST, answers)
    assert flow.current == "T2", "the engine asks it again, as it would never accept blanks"


# ------------------------------------------------------------------ rationale and exclusive


def _vetting() -> Checklist:
    from diligence.content.library import load_library

    return load_library().checklist("customer-vetting")


def test_an_exclusive_choice_cannot_be_ticked_with_others() -> None:
    from diligence.content.rules import value_problem

    dst1 = _vetting().question("DST1")
    assert dst1 is not None
    assert value_problem(dst1, ["none-documented"]) is None
    assert value_problem(dst1, ["journalists", "lawyers"]) is None
    assert value_problem(dst1, ["none-documented", "journalists"]) == (
        "question DST1: 'None documented, after a proper search' cannot be ticked with "
        "other choices; untick it or the others"
    )
    assert "no choice 'nope'" in str(value_problem(dst1, ["none-documented", "nope"]))


def test_exclusive_goes_only_with_multiple_choice() -> None:
    from pydantic import ValidationError

    from diligence.content.models import Question

    with pytest.raises(ValidationError, match="'exclusive' only goes with multiple choice"):
        Question.model_validate(
            {
                "id": "Q1",
                "text": "One?",
                "type": "single",
                "help": "h",
                "frameworks": ["UNGP 17"],
                "options": [{"value": "a", "label": "A", "risk": "low", "exclusive": True}],
            }
        )


@pytest.mark.parametrize(
    ("question_id", "value", "needed"),
    [
        ("DST3", "no", True),  # read by a red-flag rule: always
        ("ID1", "new", False),  # low risk, no rule of its own
        ("ID1", "unknown", True),  # the checklist's rule: every unknown
        ("ID4", "no", True),  # high risk, under the checklist's rule
        ("ID4", "partial", False),  # medium risk
        ("ID4", None, False),  # nothing answered yet
    ],
)
def test_which_answers_need_a_rationale(question_id: str, value: str | None, needed: bool) -> None:
    from diligence.content.rules import needs_rationale

    checklist = _vetting()
    question = checklist.question(question_id)
    assert question is not None
    assert needs_rationale(checklist.rationale_rule(question), question, value) is needed


def test_a_rationale_rule_must_say_when() -> None:
    from pydantic import ValidationError

    from diligence.content.models import RationaleRule

    with pytest.raises(ValidationError, match="needs always, risk_at_least or unknown"):
        RationaleRule.model_validate({})
