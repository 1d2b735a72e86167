"""`diligence demo`: the reference report of each scenario, as PDF."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import SAMPLE, run_cli
from reporting import page_texts

pytestmark = pytest.mark.pdf


def test_demo_renders_every_scenario_with_reference_answers(tmp_path: Path) -> None:
    result = run_cli("demo", "sample", "-o", tmp_path / "out", "--content", SAMPLE)
    assert result.code == 0, result.err
    pdf = tmp_path / "out" / "early.pdf"
    assert pdf.is_file()
    assert "early.pdf" in result.out
    assert "1 reference report of case 'sample'" in result.out
    assert "Escalate to the board" in " ".join(page_texts(pdf)[:1])


def test_demo_of_one_scenario(tmp_path: Path) -> None:
    result = run_cli("demo", "sample", "--scenario", "early", "-o", tmp_path, "--content", SAMPLE)
    assert result.code == 0, result.err
    assert [p.name for p in tmp_path.iterdir()] == ["early.pdf"]


def test_demo_names_unknown_cases_and_scenarios(tmp_path: Path) -> None:
    result = run_cli("demo", "nope", "-o", tmp_path, "--content", SAMPLE)
    assert result.code == 2 and "no case study 'nope'" in result.err
    result = run_cli("demo", "sample", "--scenario", "late", "-o", tmp_path, "--content", SAMPLE)
    assert result.code == 2 and "has no scenario 'late'; available: early" in result.err
    assert list(tmp_path.iterdir()) == []


def test_demo_renders_in_parallel_and_reports_in_scenario_order(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(SAMPLE, content)
    case = content / "case_studies" / "sample" / "case.yaml"
    case.write_text(
        case.read_text()
        + "  - id: late\n    title: A later decision\n    checklist: sample-vetting\n"
        '    as_of: "2012"\n    decision: Whether to sell again.\n    briefing: Again.\n'
        "    passages: [p-one]\n"
    )
    reference = content / "case_studies" / "sample" / "reference"
    (reference / "late.yaml").write_text(
        (reference / "early.yaml").read_text().replace("scenario: early", "scenario: late")
    )
    out = tmp_path / "out"
    result = run_cli("demo", "sample", "-o", out, "--jobs", "2", "--content", content)
    assert result.code == 0, result.err
    assert sorted(p.name for p in out.iterdir()) == ["early.pdf", "late.pdf"]
    lines = result.out.splitlines()
    assert "early.pdf" in lines[0] and "late.pdf" in lines[1]
    assert "pages  Escalate to the board" in lines[0]
    assert lines[-1] == f"2 reference reports of case 'sample' in {out}/"
    assert run_cli("demo", "sample", "--jobs", "0", "--content", content).code == 2
