"""What a real questionnaire needs, in the content model: "not applicable" with a reason,
numbers with risk thresholds, dates, yes/no without "Partly", question groups with a
shared stem; each with its rule for one answer and its lint."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from diligence.content.conditions import answer_risk
from diligence.content.models import NOT_APPLICABLE, UNKNOWN, Checklist, RiskLevel
from diligence.content.rules import answer_text, is_iso_date, value_problem
from diligence.content.yamlio import dump_yaml

from conftest import run_cli


def checklist(**section: Any) -> dict[str, Any]:
    """A small checklist without a case: a staffing section of an ICP self-assessment."""
    questions = [
        {
            "id": "S1",
            "text": "How many people work on trade-control compliance?",
            "type": "number",
            "help": "Count everyone with the task, full time or not.",
            "unit": "people",
            "integer": True,
            "minimum": 0,
            "thresholds": [
                {"at_least": 0, "risk": "critical"},
                {"at_least": 1, "risk": "high"},
                {"at_least": 2, "risk": "low"},
            ],
            "frameworks": ["EU 2019/1318 Element 2"],
        },
        {
            "id": "S2",
            "text": "When was the manual last reviewed?",
            "type": "date",
            "help": "The date on the latest version.",
            "frameworks": ["EU 2019/1318 Element 2"],
        },
        {
            "id": "S3",
            "group": "outsourced",
            "text": "a written agreement with the provider?",
            "type": "yesno",
            "help": "Only where compliance work is outsourced.",
            "risk": {"yes": "low", "no": "high"},
            "not_applicable": True,
            "frameworks": ["EU 2019/1318 Element 2"],
        },
        {
            "id": "S4",
            "group": "outsourced",
            "text": "regular reports from the provider to management?",
            "type": "yesno",
            "help": "Only where compliance work is outsourced.",
            "risk": {"yes": "low", "no": "medium", "partial": "medium"},
            "not_applicable": True,
            "frameworks": ["EU 2019/1318 Element 2"],
        },
    ]
    data: dict[str, Any] = {
        "id": "icp-staffing",
        "version": "1.0",
        "title": "Staffing of the compliance programme",
        "description": "A self-assessment of one element.",
        "kind": "self-assessment",
        "scoring": {"outcome": "gaps"},
        "sections": [
            {
                "id": "staff",
                "title": "Organisation and resources",
                "groups": {"outsourced": "Where compliance work is outsourced, is there:"},
                "questions": questions,
                **section,
            }
        ],
    }
    return data


def test_numbers_take_their_risk_from_the_thresholds() -> None:
    model = Checklist.model_validate(checklist())
    s1 = model.question("S1")
    assert s1 is not None
    assert [answer_risk(s1, n) for n in (0, 1, 2, 30)] == [
        RiskLevel.critical,
        RiskLevel.high,
        RiskLevel.low,
        RiskLevel.low,
    ]
    assert answer_risk(s1, UNKNOWN) is RiskLevel.high
    assert answer_text(s1, 3) == "3 people"
    assert value_problem(s1, 2) is None
    assert value_problem(s1, 1.5) == "question S1 takes a whole number, not 1.5"
    assert value_problem(s1, -1) == "question S1 takes a number of at least 0"
    assert value_problem(s1, "two") == "question S1 takes a number (or 'unknown'), not 'two'"
    assert value_problem(s1, NOT_APPLICABLE) == "question S1 does not allow 'not applicable'"


def test_dates_are_real_dates_as_precise_as_known() -> None:
    model = Checklist.model_validate(checklist())
    s2 = model.question("S2")
    assert s2 is not None
    assert value_problem(s2, "2024-05-31") is None and value_problem(s2, "2024") is None
    assert value_problem(s2, UNKNOWN) is None
    assert "takes a date written 2024, 2024-05 or 2024-05-31" in (
        value_problem(s2, "31/05/2024") or ""
    )
    assert not is_iso_date("2024-02-30") and not is_iso_date("24-05")
    assert answer_risk(s2, "2024-05-31") is None  # a date carries no risk
    assert answer_risk(s2, UNKNOWN) is RiskLevel.high


def test_not_applicable_carries_no_risk_and_reads_as_such() -> None:
    model = Checklist.model_validate(checklist())
    s3 = model.question("S3")
    assert s3 is not None
    assert value_problem(s3, NOT_APPLICABLE) is None
    assert answer_risk(s3, NOT_APPLICABLE) is None
    assert answer_text(s3, NOT_APPLICABLE) == "Not applicable"


def test_yes_no_offers_partly_only_when_it_has_a_risk() -> None:
    model = Checklist.model_validate(checklist())
    s3, s4 = model.question("S3"), model.question("S4")
    assert s3 is not None and s4 is not None
    assert [o.value for o in s3.choice_list] == ["yes", "no"]
    assert [o.value for o in s4.choice_list] == ["yes", "no", "partial"]
    assert value_problem(s3, "partial") is not None


def test_groups_give_questions_a_shared_stem() -> None:
    model = Checklist.model_validate(checklist())
    s3 = model.question("S3")
    assert s3 is not None
    assert model.stem(s3) == "Where compliance work is outsourced, is there:"
    assert model.stem(model.question("S1")) is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"type": "number", "risk": {"yes": "low", "no": "high"}},
            "number question S9 takes no 'risk'",
        ),
        ({"type": "yesno"}, "yesno question S9 needs 'risk' for yes and no"),
        (
            {
                "type": "number",
                "thresholds": [{"at_least": 5, "risk": "low"}, {"at_least": 1, "risk": "high"}],
            },
            "thresholds must rise",
        ),
        ({"type": "text", "unit": "days"}, "text question S9 takes no 'unit'"),
    ],
)
def test_each_type_takes_its_own_keys(change: dict[str, Any], message: str) -> None:
    question = {"id": "S9", "text": "?", "help": "Help.", "frameworks": ["UNGP 17"], **change}
    with pytest.raises(ValidationError, match=message):
        Checklist.model_validate(checklist(questions=[question]))


def test_a_question_without_frameworks_is_refused() -> None:
    question = {"id": "S9", "text": "?", "help": "Help.", "type": "text"}
    with pytest.raises(ValidationError):
        Checklist.model_validate(checklist(questions=[question]))


def test_lint_checks_groups_and_conditions_on_numbers(tmp_path: Path) -> None:
    data = checklist()
    questions = data["sections"][0]["questions"]
    questions[2]["group"] = "outsorced"
    questions[3]["when"] = {"question": "S1", "is": "many"}
    (tmp_path / "checklists").mkdir()
    path = tmp_path / "checklists" / "icp-staffing.yaml"
    path.write_text(dump_yaml(data))
    result = run_cli("--content", tmp_path, "validate", path)
    assert result.code == 2
    assert (
        "question S3 is in group 'outsorced', which section staff does not define in "
        "'groups'; did you mean 'outsourced'?" in result.err
    )
    assert (
        "question S4: its condition tests question S1 for 'many', but it takes a number; "
        "test it with 'risk_at_least' or 'answered'" in result.err
    )


def test_a_finished_not_applicable_answer_needs_its_reason(tmp_path: Path) -> None:
    (tmp_path / "checklists").mkdir()
    (tmp_path / "checklists" / "icp-staffing.yaml").write_text(dump_yaml(checklist()))
    (tmp_path / "case_studies").mkdir()
    answers = {
        "format": 1,
        "checklist": {"id": "icp-staffing", "version": "1.0"},
        "case": "none",
        "status": "complete",
        "answers": {
            "S3": {"value": NOT_APPLICABLE},
            "S4": {"value": NOT_APPLICABLE, "note": "Done in house."},
        },
    }
    path = tmp_path / "mine.yaml"
    path.write_text(dump_yaml(answers))
    result = run_cli("--content", tmp_path, "validate", path)
    assert "answer S3 is 'not applicable' but gives no reason; say why in its 'note'" in result.err
    assert "answer S4" not in result.err
