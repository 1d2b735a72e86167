"""`diligence upgrade` and stale reference answers: a checklist's new version never blocks a
student, `validate` names the fix, and the fix leaves `validate` clean."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from diligence.content.yamlio import dump_yaml, parse_yaml

from conftest import run_cli
from reporting import copy_sample


def load(path: Path) -> Any:
    return parse_yaml(path.read_text(), str(path)).data


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return copy_sample(tmp_path / "content")


def reference(content: Path) -> Path:
    return content / "case_studies" / "sample" / "reference" / "early.yaml"


def bump(content: Path, *, drop: str | None = None, add: dict[str, Any] | None = None) -> None:
    """A new version of the sample checklist: optionally without one question, or with one
    more at the end of the last section."""
    path = content / "checklists" / "sample-vetting.yaml"
    data = load(path)
    data["version"] = "1.1"
    for section in data["sections"]:
        section["questions"] = [q for q in section["questions"] if q["id"] != drop]
    if add:
        data["sections"][-1]["questions"].append(add)
    path.write_text(dump_yaml(data))


def student(content: Path, tmp_path: Path) -> Path:
    """A student's complete answers, written for the current version."""
    data = load(reference(content))
    data["checklist"]["version"] = load(content / "checklists" / "sample-vetting.yaml")["version"]
    data["assessor"] = "Ana"
    data["answers"].pop("W3", None)
    path = tmp_path / "ana.yaml"
    path.write_text(dump_yaml(data))
    return path


def cli(content: Path, *argv: str | Path) -> Any:
    return run_cli("--no-builtin", "--content", content, *argv)


def test_a_version_bump_then_upgrade_leaves_validate_clean(content: Path) -> None:
    bump(content)
    before = cli(content, "validate")
    assert before.code == 2
    (line,) = before.err.strip().splitlines()
    assert "answers were written for sample-vetting 1.0, but the checklist is now 1.1" in line
    assert f"run 'diligence upgrade {reference(content)}'" in line
    done = cli(content, "upgrade", reference(content))
    assert done.code == 0, done.err
    assert "sample-vetting 1.0 -> 1.1; 4 answers kept" in done.out
    assert cli(content, "validate").code == 0
    again = cli(content, "upgrade", reference(content))
    assert "already for sample-vetting 1.1; left as it is" in again.out


def test_upgrade_keeps_removed_answers_and_lists_new_questions(content: Path) -> None:
    new = {
        "id": "T3",
        "text": "Does the contract allow termination?",
        "type": "yesno",
        "help": "Termination rights let the vendor stop misuse.",
        "risk": {"yes": "low", "no": "high", "partial": "medium"},
        "frameworks": ["SAMPLE-UNGP 19"],
        "cites": ["p-two"],
    }
    bump(content, drop="W3", add=new)
    done = cli(content, "upgrade", reference(content))
    assert done.code == 0, done.err
    assert "removed from the checklist, answers kept and marked inactive: W3" in done.out
    assert "to answer now: T3" in done.out
    assert "still to do" in done.err and "T3" in done.err
    data = load(reference(content))
    assert data["answers"]["W3"] == {"value": ["screening"], "note": "Screened.", "inactive": True}
    assert data["checklist"]["version"] == "1.1"
    assert data["status"] == "in_progress"  # T3 is required and open
    result = cli(content, "validate")
    assert result.code == 2
    assert "reference answers leave required questions unanswered: T3" in result.err
    assert "no longer" not in result.err  # not stale any more: only what is left to do


def test_a_stale_reference_never_blocks_a_student(content: Path, tmp_path: Path) -> None:
    bump(content, drop="W3")
    mine = student(content, tmp_path)
    assessed = cli(content, "assess", "--answers", mine, "--no-input", "-o", tmp_path / "a.yaml")
    assert assessed.code == 0, assessed.err
    assert "warning:" in assessed.err and "diligence upgrade" in assessed.err
    scored = cli(content, "score", mine)
    assert scored.code == 0, scored.err
    reported = cli(content, "report", mine, "-o", tmp_path / "r.md")
    assert reported.code == 0, reported.err
    classed = cli(content, "class", mine, "-o", tmp_path / "c.json")
    assert classed.code == 0, classed.err
    assert "warning:" in classed.err


def test_a_students_own_stale_file_names_the_fix(content: Path, tmp_path: Path) -> None:
    mine = student(content, tmp_path)
    bump(content)
    result = cli(content, "score", mine)
    assert result.code == 2
    assert f"run 'diligence upgrade {mine}'" in result.err
    assert cli(content, "upgrade", mine).code == 0
    assert cli(content, "score", mine).code == 0


def test_demo_skips_a_stale_reference_with_the_fix(content: Path, tmp_path: Path) -> None:
    bump(content)
    result = cli(content, "demo", "-o", tmp_path)
    assert result.code == 2  # the only scenario was skipped: nothing to render
    assert "diligence upgrade" in result.err and "scenario early skipped" in result.err


def test_a_file_with_comments_is_kept_as_a_backup(content: Path) -> None:
    path = reference(content)
    original = "# written by hand\n" + path.read_text()
    path.write_text(original)
    bump(content)
    done = cli(content, "upgrade", path)
    assert "the original is kept as" in done.out
    backup = path.with_name("early.yaml.bak")
    assert backup.read_text() == original
    assert cli(content, "validate").code == 0  # the backup is not content


def test_upgrade_goes_on_past_a_broken_file(content: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("format: 1\nanswers: [\n")
    bump(content)
    result = cli(content, "upgrade", broken, reference(content))
    assert result.code == 2
    assert f"{broken}:" in result.err
    assert "sample-vetting 1.0 -> 1.1" in result.out
