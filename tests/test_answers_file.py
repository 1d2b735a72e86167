"""The answers file: round trip, atomic save, failures that keep the old file, the lock."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from diligence.assessment.answers import (
    answers_lock,
    answers_yaml,
    default_path,
    load_answers,
    new_answers,
    save_answers,
    unused_path,
)
from diligence.content.loader import load_as
from diligence.content.models import Answer, AnswersFile, Checklist
from diligence.errors import LockedError, OutputError

from conftest import SAMPLE, as_unprivileged, run_cli

SAMPLE_REFERENCE = SAMPLE / "case_studies" / "sample" / "reference" / "early.yaml"

_, CHECKLIST = load_as(SAMPLE / "checklists" / "sample-vetting.yaml", Checklist)


def sample_answers() -> AnswersFile:
    answers = new_answers(CHECKLIST, "sample", "early", "Ada Lovelace")
    answers.answers = {
        "T1": Answer(value="no"),
        "W1": Answer(value="yes", note="Line one.\nLine two."),
        "W3": Answer(value=["screening"], inactive=True),
    }
    return answers


def test_round_trip_keeps_yes_and_no_as_strings_and_writes_checklist_order(tmp_path: Path) -> None:
    answers = sample_answers()
    path = tmp_path / "a.yaml"
    save_answers(answers, path)
    text = path.read_text()
    assert "value: 'yes'" in text and "value: 'no'" in text
    assert text.index("  W1:") < text.index("  W3:") < text.index("  T1:")
    assert "inactive: true" in text and "cites" not in text
    loaded = load_answers(path).model
    assert loaded == answers
    assert loaded.checklist.questions == ["W1", "W2", "W3", "T1", "T2"]


def test_save_replaces_atomically_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "a.yaml"
    answers = sample_answers()
    save_answers(answers, path)
    first_inode = path.stat().st_ino
    answers.assessor = "Grace Hopper"
    save_answers(answers, path)
    assert path.stat().st_ino != first_inode, "a new file is renamed over the old one"
    assert load_answers(path).model.assessor == "Grace Hopper"
    assert [p.name for p in path.parent.iterdir()] == ["a.yaml"]


def test_disk_full_keeps_the_previous_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.yaml"
    answers = sample_answers()
    save_answers(answers, path)
    before = path.read_bytes()

    def full(*_: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    answers.assessor = "Changed"
    with pytest.raises(OutputError) as caught:
        save_answers(answers, path)
    assert str(caught.value) == (
        f"cannot save {path}: No space left on device; the previous version is unchanged"
    )
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"], "the temporary file is removed"


def test_read_only_folder_is_one_clear_error_and_the_file_is_intact(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    path = folder / "a.yaml"
    save_answers(sample_answers(), path)
    before = path.read_bytes()
    folder.chmod(0o555)
    script = textwrap.dedent(
        f"""
        from pathlib import Path
        from diligence.assessment.answers import load_answers, save_answers
        from diligence.errors import OutputError
        path = Path({str(path)!r})
        answers = load_answers(path).model
        answers.assessor = "Changed"
        try:
            save_answers(answers, path)
        except OutputError as exc:
            print(exc)
        """
    )
    try:
        done = subprocess.run(
            as_unprivileged([sys.executable, "-c", script]), capture_output=True, text=True
        )
    finally:
        folder.chmod(0o755)
    assert done.stdout.strip() == (
        f"cannot save {path}: Permission denied; the previous version is unchanged"
    ), done.stderr
    assert path.read_bytes() == before


def test_a_second_lock_on_the_same_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    with (
        answers_lock(path),
        pytest.raises(
            LockedError,
            match=rf"a.yaml is open in another 'diligence assess' \(process {os.getpid()}\)",
        ),
        answers_lock(path),
    ):
        pass
    with answers_lock(path):  # released: free again
        pass
    assert list(tmp_path.iterdir()) == [], "the lock file is removed when the session ends"


def test_a_lock_left_by_a_killed_process_does_not_block(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path;"
            "from diligence.assessment.answers import answers_lock\n"
            f"with answers_lock(Path({str(path)!r})):\n"
            "    print('locked', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(LockedError), answers_lock(path):
            pass
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    assert (tmp_path / ".a.yaml.lock").exists(), "SIGKILL leaves the lock file behind"
    with answers_lock(path):
        pass


def test_paths() -> None:
    assert default_path("early", "Ada Lovelace") == Path("answers/early-ada-lovelace.yaml")
    assert default_path("early", "Zoë Ångström") == Path("answers/early-zoe-angstrom.yaml")


def test_unused_path_never_returns_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    assert unused_path(path) == path
    path.touch()
    (tmp_path / "a-2.yaml").touch()
    assert unused_path(path) == tmp_path / "a-3.yaml"


def test_empty_fields_are_left_out_of_each_answer() -> None:
    answers = new_answers(CHECKLIST, "sample", None, "")
    answers.answers = {"W1": Answer(note="only a note")}
    text = answers_yaml(answers)
    assert "  W1:\n    note: only a note\n" in text
    assert "scenario" not in text
    assert "status: in_progress" in text and "format: 1" in text


def test_comments_in_an_answers_file_survive_a_resume(tmp_path: Path) -> None:
    """Fault probe weak 14: a hand-written comment was dropped when the file was saved."""
    text = SAMPLE_REFERENCE.read_text().replace("status: complete\n", "")
    text = "# my private comment\n" + text.replace(
        "assessor: Reference", "assessor: Reference  # that is me"
    )
    path = tmp_path / "mine.yaml"
    path.write_text(text)
    for _ in range(2):  # twice: kept, and not repeated
        result = run_cli("--content", SAMPLE, "assess", "--resume", path, "--no-input")
        assert result.code == 0, result.err
    saved = path.read_text()
    assert saved.count("# my private comment") == 1
    assert saved.count("# that is me") == 1
    assert saved.startswith("# Comments kept from this file (diligence rewrites it")
    assert load_answers(path).model.status == "complete"


def test_comments_are_found_outside_quoted_and_block_text() -> None:
    from diligence.content.yamlio import comments

    text = (
        "# top\nformat: 1  # trailing\nnote: 'a # not one'\nblock: |\n  # inside\n  x\n"
        "url: http://x#y\n#last\n"
    )
    assert comments(text) == ["# top", "# trailing", "#last"]
