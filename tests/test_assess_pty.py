"""End to end in a real pseudo-terminal: answer, get killed, resume, go back, finish."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pexpect
import pytest

from diligence.assessment.answers import load_answers

from conftest import SAMPLE, Keyboard, run_cli

pytestmark = pytest.mark.pty


def spawn(cwd: Path, *argv: str) -> pexpect.spawn:
    env = dict(os.environ, PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm-256color", COLUMNS="120")
    env.pop("DILIGENCE_CONTENT", None)
    return pexpect.spawn(
        sys.executable,
        ["-m", "diligence", "assess", "--content", str(SAMPLE), *argv],
        cwd=str(cwd),
        env=env,
        dimensions=(40, 120),
        encoding="utf-8",
        timeout=20,
    )


def answer(child: pexpect.spawn, prompt: str, *keys: str) -> None:
    """Wait for a prompt, then type."""
    child.expect_exact(prompt)
    for key in keys:
        child.send(key)


@pytest.mark.timeout(60)
def test_kill_resume_go_back_and_finish(tmp_path: Path) -> None:
    path = tmp_path / "answers" / "early-ada-lovelace.yaml"
    first = spawn(tmp_path, "--case", "sample", "--scenario", "early")
    answer(first, "Your name", "Ada Lovelace", Keyboard.ENTER)
    answer(first, "Your answer to W1", "1", Keyboard.ENTER)  # yes
    answer(first, "Your reasons for W1", "The ministry signs.", Keyboard.ESC_ENTER)
    answer(first, "Your answer to W2", "2", Keyboard.ENTER)  # broker
    answer(first, "Your reasons for W2", Keyboard.ENTER)  # skipped with one key
    first.expect_exact("Your answer to W3")  # W2 is saved before W3 is asked
    first.kill(signal.SIGKILL)
    first.wait()
    assert {k: a.value for k, a in load_answers(path).model.answers.items()} == {
        "W1": "yes",
        "W2": "broker",
    }

    second = spawn(tmp_path, "--resume", str(path))
    second.expect_exact("Continuing answers/early-ada-lovelace.yaml: 2 answered so far.")
    answer(second, "Your answer to W3", "a", Keyboard.ENTER)
    answer(second, "Space ticks", Keyboard.SPACE, Keyboard.ENTER)  # screening
    answer(second, "Your reasons for W3", Keyboard.ENTER)
    answer(second, "Your answer to T1", "b", Keyboard.ENTER)  # back to W3
    answer(second, "Your answer to W3", "b", Keyboard.ENTER)  # back to W2
    answer(second, "Your answer to W2", "1", Keyboard.ENTER)  # direct: W3 no longer applies
    answer(second, "Your reasons for W2", Keyboard.ENTER)
    second.expect_exact("No longer applies: W3")
    answer(second, "Your answer to T1", "2", Keyboard.ENTER)  # no
    answer(second, "Your reasons for T1", Keyboard.ENTER)
    answer(second, "Your answer to T2", "a", Keyboard.ENTER)
    answer(second, "Answer to T2", "Signed by the agency.", Keyboard.ESC_ENTER)
    answer(second, "Review", "f", Keyboard.ENTER)
    answer(second, "Finish anyway?", "f", Keyboard.ENTER)  # no citations: asked once
    second.expect_exact("Render the report with: diligence report answers/early-ada-lovelace.yaml")
    second.expect(pexpect.EOF)
    second.close()
    assert second.exitstatus == 0

    answers = load_answers(path).model
    assert answers.status == "complete"
    assert answers.answers["W1"].note == "The ministry signs."
    assert {k: (a.value, a.inactive) for k, a in answers.answers.items()} == {
        "W1": ("yes", False),
        "W2": ("direct", False),
        "W3": (["screening"], True),
        "T1": ("no", False),
        "T2": ("Signed by the agency.", False),
    }
    assert run_cli("--content", SAMPLE, "validate", path).code == 0
    assert sorted(p.name for p in path.parent.iterdir()) == ["early-ada-lovelace.yaml"]


@pytest.mark.timeout(60)
def test_ctrl_c_in_a_terminal_exits_130_and_names_the_resume_command(tmp_path: Path) -> None:
    child = spawn(tmp_path, "--case", "sample", "--scenario", "early")
    answer(child, "Your name", "Bo", Keyboard.ENTER)
    answer(child, "Your answer to W1", "u", Keyboard.ENTER)
    answer(child, "Your reasons for W1", Keyboard.ENTER)
    answer(child, "Your answer to W2", Keyboard.CTRL_C)
    child.expect_exact("Continue with: diligence assess --resume answers/early-bo.yaml")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert "Traceback" not in (child.before or "")
    answers = load_answers(tmp_path / "answers" / "early-bo.yaml").model
    assert answers.answers["W1"].value == "unknown"
