"""`diligence new`: commented skeletons that validate as written, never over a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from diligence.content.yamlio import dump_yaml, parse_yaml

from conftest import run_cli


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def cli(*argv: str | Path) -> tuple[int, str, str]:
    result = run_cli("--no-builtin", *argv)
    return result.code, result.out, result.err


def test_a_checklist_and_a_case_from_nothing_validate_as_written(folder: Path) -> None:
    code, out, err = cli("new", "checklist", "board-vetting")
    assert code == 0, err
    assert "wrote checklists/board-vetting.yaml" in out
    assert "wrote checklists/frameworks.yaml" in out
    code, out, err = cli("new", "case", "acme")  # the only checklist of the folder
    assert code == 0, err
    assert "Next: edit it, then: diligence --no-builtin --content . validate" in out
    case = parse_yaml((folder / "case_studies/acme/case.yaml").read_text(), "case").data
    assert case["scenarios"][0]["checklist"] == "board-vetting"
    assert case["bibliography"][0]["kind"] == "fictional"
    code, out, err = cli("--content", folder, "validate")
    assert (code, err) == (0, ""), err
    text = (folder / "checklists/board-vetting.yaml").read_text()
    assert text.startswith("# For checking as you type")
    assert "escalate: Escalate to the board" in text


def test_an_answers_skeleton_lists_every_question_and_fills_into_a_reference(
    folder: Path,
) -> None:
    cli("new", "checklist", "board-vetting")
    cli("new", "case", "acme")
    target = folder / "case_studies/acme/reference/first-sale.yaml"
    # the case's only scenario is the one answered: no --scenario
    code, out, err = cli("--content", folder, "new", "answers", "--case", "acme", "-o", target)
    assert code == 0, err
    text = target.read_text()
    assert "scenario: first-sale" in text
    for question in ("C1", "C2", "C3", "C4"):
        assert f"  {question}:\n" in text
    assert text.count("    value:\n") == 4 and text.count("    note:\n") == 4
    assert '# value: one of "yes", "no", partial; or unknown' in text
    unfinished = run_cli("--no-builtin", "--content", folder, "validate")
    assert unfinished.code == 2 and "must have status: complete" in unfinished.err
    data = parse_yaml(text, "answers").data
    values = {"C1": "no", "C2": "vague", "C3": ["none"], "C4": "Nothing else."}
    for question, value in values.items():
        data["answers"][question] = {"value": value, "note": f"Why {question}."}
    data["status"] = "complete"
    target.write_text(dump_yaml(data))
    code, out, err = cli("--content", folder, "validate")
    assert (code, err) == (0, ""), err
    code, out, err = cli("--content", folder, "score", target)
    assert code == 0, err
    assert "RF1" in out  # C1 "no" raises the skeleton's red flag


def test_a_self_assessment_skeleton_validates(folder: Path) -> None:
    code, _, err = cli("new", "checklist", "my-icp", "--self-assessment")
    assert code == 0, err
    text = (folder / "checklists/my-icp.yaml").read_text()
    assert "kind: self-assessment" in text and "outcome: gaps" in text
    assert "type: number" in text and "not_applicable: true" in text
    code, _out, err = cli("--content", folder, "validate")
    assert (code, err) == (0, ""), err


def test_a_checklist_for_a_shipped_case_cites_its_passages(folder: Path) -> None:
    result = run_cli("new", "checklist", "my-vetting", "--case", "pegasus")
    assert result.code == 0, result.err
    assert "cites: [" in (folder / "checklists/my-vetting.yaml").read_text()
    checked = run_cli("--content", folder, "validate", folder / "checklists/my-vetting.yaml")
    assert checked.code == 0, checked.err


def test_nothing_is_overwritten(folder: Path) -> None:
    cli("new", "checklist", "board-vetting")
    path = folder / "checklists/board-vetting.yaml"
    path.write_text("mine\n")
    code, _out, err = cli("new", "checklist", "board-vetting")
    assert code == 2
    assert "checklists/board-vetting.yaml exists; it is left as it is" in err
    assert path.read_text() == "mine\n"


def test_a_bad_id_or_a_checklist_of_another_case_is_refused(folder: Path) -> None:
    code, _, err = cli("new", "case", "../escape")
    assert code == 2 and "is not an id" in err
    result = run_cli("new", "case", "acme", "--checklist", "customer-vetting")
    assert result.code == 2
    assert "checklist customer-vetting cites case 'pegasus'" in result.err
    assert not (folder / "case_studies").exists()


@pytest.mark.usefixtures("folder")
def test_a_case_needs_its_checklist_named_when_several_fit() -> None:
    cli("new", "checklist", "one")
    cli("new", "checklist", "two")
    code, _, err = cli("new", "case", "acme")
    assert code == 2
    assert "--checklist ID (loaded: one, two)" in err
