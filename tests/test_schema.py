"""`diligence schema KIND` carries the rules JSON Schema can say, so an editor that checks
files against it agrees with `validate`: the shipped content passes, and files that
`validate` refuses for those rules fail."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from diligence.content.yamlio import parse_yaml

from conftest import ROOT, SAMPLE, run_cli


def schema(kind: str) -> dict[str, Any]:
    result = run_cli("schema", kind)
    assert result.code == 0, result.err
    data: dict[str, Any] = json.loads(result.out)
    return data


def errors(kind: str, data: Any) -> list[str]:
    """Every error the schema finds, with those inside unions ("is not valid under any of
    the given schemas") spelled out."""
    validator = jsonschema.Draft202012Validator(schema(kind))
    found: list[str] = []
    pending = list(validator.iter_errors(data))
    while pending:
        error = pending.pop()
        found.append(error.message)
        pending += error.context or []
    return found


def load(path: Path) -> Any:
    return parse_yaml(path.read_text(encoding="utf-8"), str(path)).data


SHIPPED = [
    *[("checklist", p) for p in (ROOT / "checklists").glob("*.yaml") if p.stem != "frameworks"],
    ("frameworks", ROOT / "checklists" / "frameworks.yaml"),
    *[("case", p) for p in (ROOT / "case_studies").glob("*/case.yaml")],
    *[("reference", p) for p in (ROOT / "case_studies").glob("*/reference/*.yaml")],
    ("checklist", SAMPLE / "checklists" / "sample-vetting.yaml"),
    ("case", SAMPLE / "case_studies" / "sample" / "case.yaml"),
    ("reference", SAMPLE / "case_studies" / "sample" / "reference" / "early.yaml"),
]


@pytest.mark.parametrize(("kind", "path"), SHIPPED, ids=lambda v: getattr(v, "name", v))
def test_shipped_content_passes_its_schema(kind: str, path: Path) -> None:
    assert errors(kind, load(path)) == []


def test_reference_answers_are_answers_too() -> None:
    path = SAMPLE / "case_studies" / "sample" / "reference" / "early.yaml"
    assert errors("answers", load(path)) == []


@pytest.fixture
def sample_checklist() -> Any:
    return load(SAMPLE / "checklists" / "sample-vetting.yaml")


def first_question(data: Any) -> Any:
    return data["sections"][0]["questions"][0]


def test_a_question_without_frameworks_fails(sample_checklist: Any) -> None:
    first_question(sample_checklist).pop("frameworks")
    assert any(
        "'frameworks' is a required property" in e for e in errors("checklist", sample_checklist)
    )


def test_a_yes_no_question_needs_yes_and_no_risks(sample_checklist: Any) -> None:
    no_risk = copy.deepcopy(sample_checklist)
    first_question(no_risk).pop("risk")
    assert any("'risk' is a required property" in e for e in errors("checklist", no_risk))
    first_question(sample_checklist)["risk"] = {"yes": "low", "partial": "high"}
    assert any("'no' is a required property" in e for e in errors("checklist", sample_checklist))


def test_a_question_with_keys_of_another_type_fails(sample_checklist: Any) -> None:
    first_question(sample_checklist)["options"] = [{"value": "a", "label": "A", "risk": "low"}]
    assert errors("checklist", sample_checklist)


def test_a_reference_answer_without_a_note_fails() -> None:
    data = load(SAMPLE / "case_studies" / "sample" / "reference" / "early.yaml")
    data["answers"]["W2"].pop("note")
    assert any("'note' is a required property" in e for e in errors("reference", data))
    assert errors("answers", data) == []  # a student's answers need no note
    data["answers"]["W2"]["note"] = "Why."
    data["status"] = "in_progress"
    assert errors("reference", data)


def test_validate_agrees_with_the_schema_on_those_rules(
    tmp_path: Path, sample_checklist: Any
) -> None:
    from diligence.content.yamlio import dump_yaml

    first_question(sample_checklist).pop("frameworks")
    path = tmp_path / "checklist.yaml"
    path.write_text(dump_yaml(sample_checklist))
    result = run_cli("--content", SAMPLE, "validate", path)
    assert result.code == 2
    assert "sections/who/questions/W1 is missing 'frameworks'" in result.err
