"""`diligence assess` in-process: without prompts, with piped keys, and every way it can fail."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from diligence.assessment.answers import answers_lock, load_answers
from diligence.errors import LockedError

from conftest import SAMPLE, Keyboard, Result, as_unprivileged, run_cli

REFERENCE = SAMPLE / "case_studies" / "sample" / "reference" / "early.yaml"
ENTER = Keyboard.ENTER

pytestmark = pytest.mark.timeout(60)


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def assess(*argv: str | Path, keys: tuple[str, ...] | None = None) -> Result:
    """Run `diligence assess --content SAMPLE ARGV`; with `keys`, on a terminal typing them.

    Typed keys are followed by end of input, so a prompt the test did not expect ends the
    run (exit 130) instead of waiting for ever.
    """
    if keys is None:
        return run_cli("assess", "--content", SAMPLE, *argv)
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text("".join(keys))
        pipe.close()
        return run_cli("assess", "--content", SAMPLE, *argv, isatty=True)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def partial_answers(tmp_path: Path) -> Path:
    """The reference answers without T1, a required question."""
    text = REFERENCE.read_text()
    text = text[: text.index("  T1:")].replace("status: complete", "status: in_progress")
    return write(tmp_path / "partial.yaml", text)


# --------------------------------------------------------------------------- without prompts


def test_without_a_terminal_it_says_how_to_run_without_prompts() -> None:
    result = assess("--case", "sample", "--scenario", "early")
    assert result.code == 2
    assert result.err.strip() == (
        "diligence: standard input is not a terminal, so nobody can be asked; to run without "
        "prompts, add --no-input and give answers with --answers FILE or --resume FILE"
    )
    assert result.out == ""


def test_answers_with_bad_ids_and_choices_give_path_line_errors(tmp_path: Path) -> None:
    text = REFERENCE.read_text().replace("value: broker", "value: brokr")
    text = text.replace("  T1:", "  Z9:\n    value: 'yes'\n  T1:")
    bad = write(tmp_path / "bad.yaml", text)
    result = assess("--answers", bad, "--no-input", "-o", tmp_path / "out.yaml")
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert lines == [
        "bad.yaml:15: question W2 has no choice 'brokr'; choose from: direct, broker, unknown; "
        "did you mean 'broker'?",
        "bad.yaml:20: checklist sample-vetting has no question 'Z9'; remove the answer or "
        "check the id",
    ]
    assert not (tmp_path / "out.yaml").exists()


def test_answers_that_are_not_yaml_give_a_path_line_error(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.yaml", "answers: [\n")
    result = assess("--answers", bad, "--no-input")
    assert result.code == 2
    assert re.match(r"^bad\.yaml:\d+: invalid YAML", result.err), result.err


def test_no_input_lists_the_missing_required_questions(tmp_path: Path) -> None:
    result = assess("--answers", partial_answers(tmp_path), "--no-input", "-o", "out.yaml")
    assert result.code == 2
    assert result.err.strip().splitlines() == [
        "partial.yaml: required question T1 is unanswered: Does the contract allow audits?"
    ]
    assert not Path("out.yaml").exists()


def test_no_input_without_answers_names_what_is_needed() -> None:
    result = assess("--case", "sample", "--scenario", "early", "--no-input")
    assert result.code == 2
    assert "required questions W1, W2, T1 are unanswered" in result.err
    assert "--answers FILE" in result.err


def test_no_input_writes_the_completed_file(tmp_path: Path) -> None:
    source = REFERENCE.read_text().replace("status: complete", "status: in_progress")
    given = write(tmp_path / "given.yaml", source)
    result = assess("--answers", given, "--no-input", "-o", "out/done.yaml")
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        "Saved out/done.yaml (complete).",
        "Verdict: Escalate to the board (overall risk 55/100, 1 red flag(s), 1 unknown(s))",
        f"Render the report with: diligence report out/done.yaml --content {SAMPLE}",
    ]
    done = load_answers(Path("out/done.yaml")).model
    assert done.status == "complete"
    assert {k: a.value for k, a in done.answers.items()} == {
        "W1": "yes",
        "W2": "broker",
        "W3": ["screening"],
        "T1": "unknown",
    }
    assert given.read_text() == source, "the --answers file is never changed"
    assert run_cli("--content", SAMPLE, "validate", "out/done.yaml").code == 0


def test_no_input_never_overwrites_another_file(tmp_path: Path) -> None:
    existing = write(tmp_path / "taken.yaml", "keep me\n")
    result = assess("--answers", REFERENCE, "--no-input", "-o", existing)
    assert result.code == 2
    assert "taken.yaml exists; choose another -o FILE" in result.err
    assert existing.read_text() == "keep me\n"


def test_no_input_completes_a_resumed_file_in_place(tmp_path: Path) -> None:
    path = write(tmp_path / "mine.yaml", REFERENCE.read_text().replace("complete", "in_progress"))
    result = assess("--resume", path, "--no-input")
    assert result.code == 0, result.err
    assert load_answers(path).model.status == "complete"


def test_resume_and_answers_together_are_refused() -> None:
    result = assess("--resume", REFERENCE, "--answers", REFERENCE, "--no-input")
    assert result.code == 2
    assert "use --resume FILE or --answers FILE, not both" in result.err


def test_flags_must_agree_with_the_answers_file() -> None:
    result = assess("--answers", REFERENCE, "--scenario", "late", "--no-input")
    assert result.code == 2
    assert "the answers file is for scenario 'early', not 'late'" in result.err


def test_an_unknown_scenario_lists_the_available_ones() -> None:
    result = assess("--case", "sample", "--scenario", "nope", "--no-input")
    assert result.code == 2
    assert "case 'sample' has no scenario 'nope'; available: early" in result.err


def test_resume_of_a_missing_file_is_one_line() -> None:
    result = assess("--resume", "nope.yaml", "--no-input")
    assert (result.code, result.err.strip()) == (2, "diligence: nope.yaml does not exist")


# --------------------------------------------------------------------------- checklist versions


def newer_content(tmp_path: Path) -> Path:
    """The sample content with checklist 1.1: W3 removed, an optional T3 added."""
    root = tmp_path / "content"
    shutil.copytree(SAMPLE, root)
    path = root / "checklists" / "sample-vetting.yaml"
    text = path.read_text().replace('version: "1.0"', 'version: "1.1"')
    start, end = text.index("      - id: W3"), text.index("  - id: terms")
    text = text[:start] + text[end:]
    text = text.replace(
        "cites: [p-two, p-record]",
        "cites: [p-two, p-record]\n      - id: T3\n"
        "        text: Anything else?\n        type: text\n        required: false\n"
        "        help: Add what matters.\n        frameworks: [SAMPLE-UNGP 17]\n"
        "        cites: [p-two]",
    )
    path.write_text(text)
    (root / "case_studies" / "sample" / "reference" / "early.yaml").unlink()
    return root


def test_resume_after_a_checklist_change_names_added_and_removed_questions(
    tmp_path: Path,
) -> None:
    content = newer_content(tmp_path)
    old = REFERENCE.read_text().replace(
        'checklist: {id: sample-vetting, version: "1.0"}',
        'checklist: {id: sample-vetting, version: "1.0", questions: [W1, W2, W3, T1, T2]}',
    )
    path = write(tmp_path / "mine.yaml", old)
    result = run_cli("assess", "--content", content, "--resume", path, "--no-input")
    assert result.code == 0, result.err
    assert result.err.splitlines() == [
        "diligence: The checklist changed from version 1.0 to 1.1.",
        "diligence: New questions: T3.",
        "diligence: Removed questions: W3; your answers to them are kept in the file, "
        "marked inactive.",
    ]
    upgraded = load_answers(path).model
    assert upgraded.checklist.version == "1.1"
    assert upgraded.answers["W3"].value == ["screening"] and upgraded.answers["W3"].inactive
    assert run_cli("--content", content, "validate", path).code == 0


# --------------------------------------------------------------------------- with a terminal


def test_a_whole_assessment_by_keys() -> None:
    result = assess(
        "--case", "sample", "--scenario", "early",
        keys=(
            "Ada Lovelace", ENTER,
            "1", ENTER,  # W1 yes
            "Its own decree.", Keyboard.ESC_ENTER,  # the rationale box after the answer
            "n", ENTER, "The agency signs.", Keyboard.ESC_ENTER,  # a rationale on W2 first
            "2", ENTER,  # W2 broker: its rationale is written, so no box
            "a", ENTER, Keyboard.SPACE, ENTER, ENTER,  # W3 screening; Enter skips the box
            "u", ENTER, ENTER,  # T1 unknown
            "s", ENTER,  # T2 left blank
            "f", ENTER,  # finish
            ENTER,  # "Finish anyway": nothing cites a passage
        ),
    )  # fmt: skip
    assert result.code == 0, result.err + result.out[-2000:]
    path = Path("answers/early-ada-lovelace.yaml")
    saved, verdict, render = result.out.splitlines()[-3:]
    assert verdict.startswith("Verdict: ") and "overall risk" in verdict
    assert [saved, render] == [
        f"Saved {path} (complete).",
        f"Render the report with: diligence report {path} --content {SAMPLE}",
    ]
    answers = load_answers(path).model
    assert answers.status == "complete" and answers.assessor == "Ada Lovelace"
    assert {k: a.value for k, a in answers.answers.items()} == {
        "W1": "yes",
        "W2": "broker",
        "W3": ["screening"],
        "T1": "unknown",
        "T2": None,
    }
    assert answers.answers["W2"].note == "The agency signs."
    assert answers.answers["W1"].note == "Its own decree."
    assert "An early decision" in result.out and "Whether to sell" in result.out


def test_ctrl_c_exits_130_with_the_answers_saved_and_says_how_to_resume() -> None:
    result = assess(
        "--case", "sample", "--scenario", "early",
        keys=("Ada", ENTER, "1", ENTER, ENTER, "2", ENTER, ENTER, Keyboard.CTRL_C),
    )  # fmt: skip
    assert result.code == 130
    path = Path("answers/early-ada.yaml")
    assert result.err.strip() == (
        f"diligence: interrupted; your answers are saved in {path}. "
        f"Continue with: diligence assess --resume {path} --content {SAMPLE}"
    )
    answers = load_answers(path).model
    assert {k: a.value for k, a in answers.answers.items()} == {"W1": "yes", "W2": "broker"}
    assert answers.status == "in_progress"


def test_ctrl_c_while_typing_a_note_keeps_the_note() -> None:
    result = assess(
        "--case", "sample", "--scenario", "early",
        keys=("Ada", ENTER, "n", ENTER, "Half a thou", Keyboard.CTRL_C),
    )  # fmt: skip
    assert result.code == 130
    assert load_answers(Path("answers/early-ada.yaml")).model.answers["W1"].note == "Half a thou"


def test_ctrl_c_before_anything_is_saved() -> None:
    result = assess("--case", "sample", "--scenario", "early", keys=(Keyboard.CTRL_C,))
    assert (result.code, result.err.strip()) == (130, "diligence: interrupted; nothing was saved")
    assert not Path("answers").exists()


def test_resume_continues_at_the_first_open_question_and_back_changes_an_answer() -> None:
    first = assess(
        "--case", "sample", "--scenario", "early",
        keys=("Ada", ENTER, "1", ENTER, ENTER, "q", ENTER),
    )  # fmt: skip
    path = Path("answers/early-ada.yaml")
    assert first.code == 0, first.err
    assert first.out.splitlines()[-1] == (
        f"Saved {path}. Continue with: diligence assess --resume {path} --content {SAMPLE}"
    )
    second = assess(
        "--resume", path,
        keys=(
            "1", ENTER, ENTER,  # W2 direct: the first open question
            "b", ENTER,  # back to W2
            "b", ENTER,  # back to W1
            "2", ENTER, ENTER,  # W1 no: the contract section no longer applies
            "q", ENTER,
        ),
    )  # fmt: skip
    assert second.code == 0, second.err
    assert "Continuing answers/early-ada.yaml: 1 answered so far." in second.out
    assert "W2  Who is the contracting party?" in second.out.split("Continuing")[1]
    answers = load_answers(path).model
    assert {k: a.value for k, a in answers.answers.items()} == {"W1": "no", "W2": "direct"}


def test_an_existing_file_is_offered_for_resuming_never_overwritten() -> None:
    assess(
        "--case", "sample", "--scenario", "early",
        keys=("Ada", ENTER, "1", ENTER, ENTER, "q", ENTER),
    )  # fmt: skip
    path = Path("answers/early-ada.yaml")
    before = path.read_text()
    resumed = assess(
        "--case", "sample", "--scenario", "early",
        keys=("Ada", ENTER, ENTER, "q", ENTER),  # "Resume it" is the first choice
    )  # fmt: skip
    assert resumed.code == 0, resumed.err
    assert path.read_text() == before
    fresh = assess(
        "--case", "sample", "--scenario", "early",
        keys=("Ada", ENTER, Keyboard.DOWN, ENTER, "2", ENTER, ENTER, "q", ENTER),  # a new file
    )  # fmt: skip
    assert fresh.code == 0, fresh.err
    assert load_answers(path).model.answers["W1"].value == "yes"
    assert load_answers(Path("answers/early-ada-2.yaml")).model.answers["W1"].value == "no"


def test_a_second_session_on_the_same_file_is_refused() -> None:
    assess("--case", "sample", "--scenario", "early", keys=("Ada", ENTER, "q", ENTER))
    path = Path("answers/early-ada.yaml")
    with answers_lock(path):
        result = assess("--resume", path, keys=("q", ENTER))
    assert result.code == 2
    assert re.fullmatch(
        r"diligence: answers/early-ada\.yaml is open in another 'diligence assess' "
        r"\(process \d+\); finish or quit that one first\n",
        result.err,
    ), result.err


def test_missing_scenario_is_picked_from_a_list(tmp_path: Path) -> None:
    content = tmp_path / "two"
    shutil.copytree(SAMPLE, content)
    case = content / "case_studies" / "sample" / "case.yaml"
    text = case.read_text()
    scenario = text[text.index("  - id: early") :]
    case.write_text(
        text
        + scenario.replace("id: early", "id: later").replace(
            "title: An early decision", "title: A later decision"
        )
    )
    result = run_with_keys(
        content, ("--case", "sample"), (Keyboard.DOWN, ENTER, "Bo", ENTER, "q", ENTER)
    )
    assert result.code == 0, result.err
    assert "A later decision" in result.out
    assert load_answers(Path("answers/later-bo.yaml")).model.scenario == "later"


def run_with_keys(content: Path, argv: tuple[str, ...], keys: tuple[str, ...]) -> Result:
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text("".join(keys))
        pipe.close()
        return run_cli("assess", "--content", content, *argv, isatty=True)


# --------------------------------------------------------------------------- unwritable


def test_read_only_folder_is_one_clear_error_with_the_old_file_intact(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    path = write(folder / "mine.yaml", REFERENCE.read_text().replace("complete", "in_progress"))
    before = path.read_bytes()
    folder.chmod(0o555)
    try:
        done = subprocess.run(
            as_unprivileged(
                [sys.executable, "-m", "diligence", "assess", "--content", str(SAMPLE),
                 "--resume", str(path), "--no-input"]
            ),
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
        )  # fmt: skip
    finally:
        folder.chmod(0o755)
    assert done.returncode == 2
    assert done.stderr == (
        "diligence: cannot save ro/mine.yaml: Permission denied; the previous version is "
        "unchanged\n"
    )
    assert path.read_bytes() == before


def failing_second_save(monkeypatch: pytest.MonkeyPatch) -> None:
    """The second save (the first answer) fails once, as on a full disk."""
    from diligence.assessment.answers import save_answers as real
    from diligence.errors import OutputError

    calls: list[int] = []

    def flaky(answers: object, path: Path) -> None:
        calls.append(1)
        if len(calls) == 2:
            raise OutputError(f"cannot save {path}: No space left on device")
        real(answers, path)  # type: ignore[arg-type]

    monkeypatch.setattr("diligence.assessment.session.save_answers", flaky)


def test_a_failed_save_can_be_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    failing_second_save(monkeypatch)
    result = assess(
        "--case", "sample", "--scenario", "early",
        keys=("Ada", ENTER, "1", ENTER, ENTER, ENTER, "q", ENTER),  # Enter: "Try again"
    )  # fmt: skip
    assert result.code == 0, result.err
    assert "No space left on device" in result.out
    assert load_answers(Path("answers/early-ada.yaml")).model.answers["W1"].value == "yes"


def test_a_failed_save_can_end_the_session_with_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    failing_second_save(monkeypatch)
    result = assess(
        "--case", "sample", "--scenario", "early",
        keys=("Ada", ENTER, "1", ENTER, ENTER, Keyboard.DOWN, ENTER),  # "Stop"
    )  # fmt: skip
    assert result.code == 2
    assert result.err == "diligence: cannot save answers/early-ada.yaml: No space left on device\n"
    assert load_answers(Path("answers/early-ada.yaml")).model.answers == {}


def test_quitting_at_an_existing_file_changes_nothing() -> None:
    assess(
        "--case", "sample", "--scenario", "early",
        keys=("Ada", ENTER, "1", ENTER, ENTER, "q", ENTER),
    )  # fmt: skip
    before = Path("answers/early-ada.yaml").read_text()
    result = assess(
        "--case", "sample", "--scenario", "early",
        keys=("Ada", ENTER, Keyboard.DOWN, Keyboard.DOWN, ENTER),  # "Quit"
    )  # fmt: skip
    assert (result.code, result.out.splitlines()[-1]) == (0, "Nothing was started.")
    assert Path("answers/early-ada.yaml").read_text() == before
    assert sorted(p.name for p in Path("answers").iterdir()) == ["early-ada.yaml"]


def test_answers_from_a_file_then_the_rest_by_keys(tmp_path: Path) -> None:
    given = partial_answers(tmp_path)
    before = given.read_text()
    result = assess(
        "--answers", given,
        keys=("u", ENTER, ENTER, "s", ENTER, "f", ENTER, ENTER),  # T1 unknown, T2 blank, finish
    )  # fmt: skip
    assert result.code == 0, result.err
    assert "Your name" not in result.out, "the file names the assessor"
    done = load_answers(Path("answers/early-reference.yaml")).model
    assert done.status == "complete"
    assert done.answers["W2"].value == "broker" and done.answers["T1"].value == "unknown"
    assert given.read_text() == before


# --------------------------------------------------------------------------- other names and files


def test_resume_into_another_existing_file_never_overwrites_it(tmp_path: Path) -> None:
    """Fault probe B4: `--resume A -o B` replaced B without asking."""
    mine = write(tmp_path / "mine.yaml", partial_answers(tmp_path).read_text())
    other = write(tmp_path / "other.yaml", REFERENCE.read_text().replace("Reference", "Other"))
    before = other.read_bytes()
    quit_at_once = assess("--resume", mine, "-o", other, keys=(Keyboard.DOWN, ENTER))
    assert (quit_at_once.code, quit_at_once.out) == (0, "Nothing was started.\n")
    assert other.read_bytes() == before
    elsewhere = assess("--resume", mine, "-o", other, keys=(ENTER, "q", ENTER))
    assert elsewhere.code == 0, elsewhere.err
    assert other.read_bytes() == before
    assert load_answers(tmp_path / "other-2.yaml").model.assessor == "Reference"


def test_a_hard_link_or_symlink_to_an_open_file_is_refused(tmp_path: Path) -> None:
    """Fault probe B6: each name got its own lock, so three sessions ran on one file."""
    path = write(tmp_path / "p.yaml", REFERENCE.read_text())
    (tmp_path / "link.yaml").symlink_to("p.yaml")
    (tmp_path / "hard.yaml").hardlink_to(path)
    with answers_lock(path):
        for name in ("link.yaml", "hard.yaml"):
            result = assess("--resume", tmp_path / name, "--no-input")
            assert result.code == 2, name
            assert "is open in another 'diligence assess'" in result.err, result.err
    with answers_lock(tmp_path / "link.yaml"), pytest.raises(LockedError), answers_lock(path):
        pass


def test_resume_through_a_symlink_saves_into_its_target(tmp_path: Path) -> None:
    path = write(tmp_path / "p.yaml", REFERENCE.read_text().replace("status: complete\n", ""))
    link = tmp_path / "link.yaml"
    link.symlink_to("p.yaml")
    result = assess("--resume", link, "--no-input")
    assert result.code == 0, result.err
    assert link.is_symlink()
    assert load_answers(path).model.status == "complete"


def test_a_full_disk_when_resuming_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fault probe B10: writing the PID into the lock file raised an internal error."""
    import os

    path = write(tmp_path / "r.yaml", REFERENCE.read_text())

    def disk_full(*_: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "write", disk_full)
    monkeypatch.setattr("diligence.assessment.answers.write_atomically", disk_full)
    result = assess("--resume", path, "--no-input")
    monkeypatch.undo()
    assert (result.code, result.err) == (
        2,
        "diligence: cannot save r.yaml: No space left on device; the previous version is "
        "unchanged\n",
    )


def test_answers_are_never_saved_into_a_device() -> None:
    result = assess("--answers", REFERENCE, "--no-input", "-o", "/dev/null")
    assert (result.code, result.err) == (
        2,
        "diligence: /dev/null exists; choose another -o FILE, or continue it with --resume "
        "/dev/null\n",
    )
    resumed = assess("--resume", "/dev/null", "--no-input")
    assert resumed.code == 2
    assert resumed.err == "/dev/null: is a device, not a file; give a YAML file\n"
    assert not Path("/dev/.null.lock").exists()
