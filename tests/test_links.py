"""Explicit links between files, and errors a trainer can act on: a scenario names its
checklist, a checklist that cites passages names its case, a mistyped id or key gets a
suggestion, and a file that fails to load is reported once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from diligence.content.suggest import close_matches, did_you_mean
from diligence.content.yamlio import dump_yaml, parse_yaml

from conftest import run_cli
from reporting import copy_sample


def edit(path: Path, change: Callable[[Any], None]) -> None:
    data = parse_yaml(path.read_text(), str(path)).data
    change(data)
    path.write_text(dump_yaml(data))


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return copy_sample(tmp_path / "content")


def case_file(content: Path) -> Path:
    return content / "case_studies" / "sample" / "case.yaml"


def checklist_file(content: Path) -> Path:
    return content / "checklists" / "sample-vetting.yaml"


def validate(content: Path) -> tuple[int, list[str]]:
    result = run_cli("--no-builtin", "--content", content, "validate")
    return result.code, result.err.strip().splitlines()


def test_a_scenario_must_name_its_checklist(content: Path) -> None:
    edit(case_file(content), lambda d: d["scenarios"][0].pop("checklist"))
    code, lines = validate(content)
    assert code == 2
    (line,) = lines
    assert "scenarios/early is missing 'checklist': name the checklist it is assessed" in line


def test_a_mistyped_checklist_in_a_scenario_gets_a_suggestion(content: Path) -> None:
    edit(case_file(content), lambda d: d["scenarios"][0].update(checklist="sample-vetitng"))
    code, lines = validate(content)
    assert code == 2
    assert any(
        "scenario early is assessed with checklist 'sample-vetitng', which is not loaded; "
        "available: sample-vetting; did you mean 'sample-vetting'?" in line
        for line in lines
    ), lines


def test_a_checklist_of_another_case_cannot_assess_a_scenario(content: Path) -> None:
    other = content / "case_studies" / "other"
    other.mkdir()
    data = parse_yaml(case_file(content).read_text(), "case").data
    data["id"] = "other"
    (other / "case.yaml").write_text(dump_yaml(data))
    code, lines = validate(content)
    assert code == 2
    assert any(
        "scenario early of case 'other' is assessed with checklist 'sample-vetting', whose "
        "questions cite case 'sample'" in line
        for line in lines
    ), lines


def test_a_checklist_citing_passages_must_name_its_case(content: Path) -> None:
    edit(checklist_file(content), lambda d: d.pop("case"))
    code, lines = validate(content)
    assert code == 2
    assert any(
        "checklist sample-vetting cites case passages (W1, W2, W3, ...) but names no case; "
        "add 'case: <id>'" in line
        for line in lines
    ), lines


def test_a_mistyped_key_gets_a_suggestion(content: Path) -> None:
    def typo(data: Any) -> None:
        data["sections"][0]["questions"][0]["framework"] = data["sections"][0]["questions"][0].pop(
            "frameworks"
        )

    edit(checklist_file(content), typo)
    code, lines = validate(content)
    assert code == 2
    assert any(
        "unknown key 'framework' in sections/who/questions/W1; remove it or check its "
        "spelling; did you mean 'frameworks'?" in line
        for line in lines
    ), lines


def test_a_mistyped_passage_id_gets_a_suggestion(content: Path) -> None:
    def mistype(data: Any) -> None:
        data["sections"][0]["questions"][0]["cites"] = ["p-onr"]

    edit(checklist_file(content), mistype)
    code, lines = validate(content)
    assert code == 2
    assert any(
        "question W1 cites passage p-onr, which case 'sample' does not define; did you mean "
        "'p-one'?" in line
        for line in lines
    ), lines


def test_a_broken_checklist_is_reported_once_without_not_loaded_errors(content: Path) -> None:
    path = checklist_file(content)
    path.write_text(path.read_text().replace('version: "1.0"', 'version: "1.0'))
    answers = content / "case_studies" / "sample" / "reference" / "early.yaml"
    result = run_cli("--no-builtin", "validate", path, case_file(content), answers)
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{path}:") and "invalid YAML" in lines[0]
    assert "not loaded" not in result.err


def test_close_matches_prefers_the_nearest_names() -> None:
    assert close_matches("sample-reprot", ["sample-report", "sample-episode"]) == ["sample-report"]
    assert did_you_mean("zzz", ["customer-vetting"]) == ""
    assert did_you_mean("Mexico-2011", ["mexico-2011", "mexico-2017"]) == (
        "; did you mean 'mexico-2011'?"
    )


def test_text_with_a_colon_gets_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_text("id: x\ntitle: Mexico: the first customer\n")
    result = run_cli("--no-builtin", "validate", path)
    assert result.code == 2
    (line,) = result.err.strip().splitlines()
    assert line.startswith(f"{path}:2: invalid YAML: mapping values are not allowed")
    assert "must be quoted" in line and ">-" in line


def test_no_builtin_hides_the_shipped_content(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    listed = run_cli("--no-builtin", "--content", content, "list", "--json").out
    assert "customer-vetting" not in listed and "sample-vetting" in listed
    monkeypatch.setenv("DILIGENCE_NO_BUILTIN", "1")
    assert "pegasus" not in run_cli("list", "--content", content).out
    nothing = run_cli("list")
    assert nothing.code == 2
    assert "no content to load" in nothing.err and "--content DIR" in nothing.err
    monkeypatch.setenv("DILIGENCE_NO_BUILTIN", "0")
    assert "pegasus" in run_cli("list").out
