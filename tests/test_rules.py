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
