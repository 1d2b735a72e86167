"""One content-loading policy: content that fails to load is reported, with its file and
line, before anything that follows from it, by every command."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SAMPLE, run_cli
from reporting import REFERENCE, copy_sample


@pytest.fixture(scope="module")
def report_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pdf = tmp_path_factory.mktemp("pdf") / "early.pdf"
    assert run_cli("report", REFERENCE, "-o", pdf, "--content", SAMPLE).code == 0
    return pdf


@pytest.fixture
def broken(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the sample content whose checklist has a YAML error on line 2."""
    content = copy_sample(tmp_path / "content")
    checklist = content / "checklists" / "sample-vetting.yaml"
    lines = checklist.read_text().splitlines(keepends=True)
    checklist.write_text(lines[0] + 'version: "1.0\n' + "".join(lines[2:]))
    return content, checklist


@pytest.mark.parametrize("command", ["report", "score", "verify", "assess", "class", "list"])
def test_a_yaml_error_in_a_checklist_is_shown_and_nothing_that_follows_from_it(
    command: str, broken: tuple[Path, Path], report_pdf: Path, tmp_path: Path
) -> None:
    content, checklist = broken
    answers = content / "case_studies" / "sample" / "reference" / "early.yaml"
    argv: dict[str, list[str | Path]] = {
        "report": ["report", answers, "-o", tmp_path / "r.md"],
        "score": ["score", answers],
        "verify": ["verify", report_pdf],
        "assess": ["assess", "--answers", answers, "--no-input", "-o", tmp_path / "a.yaml"],
        "class": ["class", answers, "-o", tmp_path / "c.json"],
        "list": ["list"],
    }
    result = run_cli(*argv[command], "--content", content)
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert lines[0].startswith(f"{checklist}:"), result.err
    assert "invalid YAML" in lines[0]
    assert len(lines) == 1, "the cause, once, and no follow-on error"
    assert "not loaded" not in result.err
    assert not (tmp_path / "r.md").exists()


def test_validate_reports_the_yaml_error_once(broken: tuple[Path, Path]) -> None:
    content, checklist = broken
    result = run_cli("--content", content, "validate")
    assert result.code == 2
    (line,) = result.err.strip().splitlines()
    assert line.startswith(f"{checklist}:") and "invalid YAML" in line
