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


@pytest.fixture
def cyclic(tmp_path: Path) -> tuple[Path, Path, int]:
    """A copy of the sample content whose question W2 depends on a later question."""
    content = copy_sample(tmp_path / "content")
    checklist = content / "checklists" / "sample-vetting.yaml"
    text = checklist.read_text()
    changed = text.replace(
        "        type: single\n        choices: party\n",
        "        type: single\n        choices: party\n        when: {question: T1, is: 'yes'}\n",
    )
    assert changed != text
    checklist.write_text(changed)
    line = changed.splitlines().index("        when: {question: T1, is: 'yes'}") + 1
    return content, checklist, line


@pytest.mark.parametrize("command", ["report", "score", "verify", "demo", "list"])
def test_content_that_validate_rejects_is_shown_by_every_command_once(
    command: str, cyclic: tuple[Path, Path, int], report_pdf: Path, tmp_path: Path
) -> None:
    """Fault probe weak 6: score and report ran on a checklist validate rejects."""
    content, checklist, line = cyclic
    answers = content / "case_studies" / "sample" / "reference" / "early.yaml"
    argv: dict[str, list[str | Path]] = {
        "report": ["report", answers, "-o", tmp_path / "r.md"],
        "score": ["score", answers],
        "verify": ["verify", report_pdf],
        "demo": ["demo", "sample", "-o", tmp_path / "demo"],
        "list": ["list"],
    }
    result = run_cli(*argv[command], "--content", content)
    validated = run_cli("validate", "--content", content)
    assert validated.code == 2
    assert result.code == 2
    assert result.err == validated.err
    assert result.err.count(f"{checklist}:{line}: question W2: its condition reads") == 1


def test_a_checklist_that_fails_its_model_says_why_not_that_it_is_not_loaded(
    tmp_path: Path,
) -> None:
    """Fault probe weak 6: a model error surfaced as "checklist ... is not loaded"."""
    content = copy_sample(tmp_path / "content")
    checklist = content / "checklists" / "sample-vetting.yaml"
    checklist.write_text(checklist.read_text().replace("weight: 3", "weight: -3"))
    answers = content / "case_studies" / "sample" / "reference" / "early.yaml"
    result = run_cli("score", answers, "--content", content)
    assert result.code == 2
    assert result.err.startswith(f"{checklist}:")
    assert "not loaded" not in result.err


def test_links_out_of_a_content_folder_are_not_followed(tmp_path: Path) -> None:
    """Fault probe weak 7: a link to a file elsewhere was read, its values echoed."""
    secret = tmp_path / "secret.yaml"
    secret.write_text("id: x\nversion: SECRET-TOKEN-0123456789abcdef\nsections: 5\n")
    content = copy_sample(tmp_path / "content")
    (content / "checklists" / "leak.yaml").symlink_to(secret)
    result = run_cli("list", "--content", content)
    assert result.code == 2
    assert result.err == (
        f"{content}/checklists/leak.yaml: is a link to {secret}, outside the content folder "
        f"{content}; copy the file into it instead\n"
    )
    assert "SECRET" not in result.err.replace(str(secret), "")
