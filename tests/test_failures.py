"""Failure tests: SIGKILL at random points of a real interactive assessment.

Each run answers a random number of questions in a real pseudo-terminal, then kills the
process with SIGKILL at a random moment (between prompts, mid-keystroke, right after Enter).
The answers file must always be valid and hold every answer that was confirmed (the next
question appeared). `make test` runs 20 runs; `make soak` (DILIGENCE_SOAK=1) runs 100.
"""

from __future__ import annotations

import os
import random
import re
import signal
import sys
import time
from pathlib import Path

import pexpect
import pytest

from diligence.assessment.answers import load_answers

from conftest import Keyboard, run_cli

pytestmark = [pytest.mark.slow, pytest.mark.pty]

RUNS = 100 if os.environ.get("DILIGENCE_SOAK") else 20
PROMPT = re.compile(r"Your answer to (\S+) (?:\x1b\[[0-9;]*m)*\(↑↓")  # a new question, not an echo
MENU_END = "q) Quit"


def spawn(cwd: Path, *argv: str) -> pexpect.spawn:
    env = dict(os.environ, PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm-256color", COLUMNS="120")
    env.pop("DILIGENCE_CONTENT", None)
    return pexpect.spawn(
        sys.executable,
        ["-m", "diligence", "assess", *argv],
        cwd=str(cwd),
        env=env,
        dimensions=(40, 120),
        encoding="utf-8",
        timeout=20,
    )


def kill_run(tmp_path: Path, rng: random.Random) -> tuple[Path, dict[str, str]]:
    """One assessment killed at a random point; returns the file and confirmed answers."""
    path = tmp_path / "answers.yaml"
    confirmed: dict[str, str] = {}
    if path.exists():
        child = spawn(tmp_path, "--resume", str(path))
    else:
        child = spawn(
            tmp_path, "--checklist", "customer-vetting", "--case", "pegasus",
            "--scenario", "mexico-2011", "-o", str(path),
        )  # fmt: skip
        child.expect_exact("Your name")
        child.send("Killed Often" + Keyboard.ENTER)
    to_answer = rng.randint(0, 6)
    pending: tuple[str, str] | None = None
    for step in range(to_answer + 1):
        child.expect(PROMPT)
        question = child.match.group(1)
        child.expect_exact(MENU_END)
        if pending:  # the previous answer was confirmed: its next question is showing
            confirmed[pending[0]] = pending[1]
            pending = None
        if step == to_answer:
            break
        choice, value = ("u", "unknown") if "u) Unknown" in child.before else ("s", "")
        if value == "":
            child.send(choice + Keyboard.ENTER)
            continue
        if rng.random() < 0.3:  # die mid-keystroke: the answer was never confirmed
            child.send(choice)
            time.sleep(rng.random() * 0.05)
            break
        child.send(choice + Keyboard.ENTER)
        child.expect_exact(f"Your reasons for {question}")  # the rationale box
        if rng.random() < 0.1:  # die while it asks: the answer is not confirmed yet
            break
        child.send(Keyboard.ENTER)  # skip it: the answer is confirmed
        pending = (question, value)
        if rng.random() < 0.2:  # die right after Enter, maybe before or after the save
            time.sleep(rng.random() * 0.2)
            break
    child.kill(signal.SIGKILL)
    child.wait()
    return path, confirmed


@pytest.mark.timeout(40 + RUNS * 8)
def test_sigkill_at_random_points_never_loses_a_confirmed_answer(tmp_path: Path) -> None:
    rng = random.Random(20261124)
    everything: dict[str, str] = {}
    for run in range(RUNS):
        folder = tmp_path / f"run-{run % 5}"  # later runs resume earlier files
        folder.mkdir(exist_ok=True)
        path, confirmed = kill_run(folder, rng)
        if not path.exists():
            assert not confirmed, f"run {run}: answers were confirmed but no file exists"
            continue
        answers = load_answers(path).model  # raises on a corrupt or partial file
        saved = {k: a.value for k, a in answers.answers.items()}
        for question, value in confirmed.items():
            assert saved.get(question) == value, f"run {run}: lost {question}"
        everything.update(confirmed)
        assert run_cli("validate", path).code == 0, f"run {run}: file does not validate"
    assert everything, "the runs should have confirmed some answers"
