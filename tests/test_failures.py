"""Failure tests: what the fault probe attacked, by class, and SIGKILL at random points.

- Writing files (B1, B6, weak 5): special files, links, read-only files, the input file,
  files diligence did not write.
- Limits (B3, B11, weak 1): text over its limit is refused where it is made, and kept.
- SIGKILL: each run answers a random number of questions in a real pseudo-terminal, then
  kills the process at a random moment (between prompts, mid-keystroke, right after
  Enter). The answers file must always be valid and hold every answer that was confirmed
  (the next question appeared). `make test` runs 20 runs; `make soak` (DILIGENCE_SOAK=1)
  runs 100.
"""

from __future__ import annotations

import os
import random
import re
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pexpect
import pytest

from diligence.assessment.answers import load_answers, new_answers
from diligence.assessment.engine import Flow
from diligence.assessment.interface import Action, Note, Quit, Review, ReviewAction, Step
from diligence.assessment.session import Plan, Request, open_session, plan, run_session
from diligence.content.library import load_library
from diligence.content.models import NOTE_LIMIT, TEXT_ANSWER_LIMIT, AnswersFile
from diligence.content.rules import TooLong
from diligence.content.yamlio import dump_yaml, parse_yaml
from diligence.files import NotAFile, write_atomically

from conftest import SAMPLE, Keyboard, as_unprivileged, run_cli
from reporting import REFERENCE, reader, write_answers

DILIGENCE = [sys.executable, "-m", "diligence", "--content", str(SAMPLE)]

# --------------------------------------------------------------------------- writing files


def test_a_new_file_is_written_with_the_usual_permissions(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "new.txt"
    assert write_atomically(target, b"hello") == target
    assert target.read_bytes() == b"hello"
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    assert [p.name for p in target.parent.iterdir()] == ["new.txt"]  # no temporary file left


def test_replacing_a_file_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "mine.yaml"
    target.write_bytes(b"old")
    target.chmod(0o600)
    write_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_read_only_file_is_not_replaced(tmp_path: Path) -> None:
    target = tmp_path / "kept.md"
    target.write_bytes(b"mine")
    target.chmod(0o444)
    with pytest.raises(PermissionError, match="read-only"):
        write_atomically(target, b"theirs")
    assert target.read_bytes() == b"mine"
    assert stat.S_IMODE(target.stat().st_mode) == 0o444


def test_writing_through_a_symlink_updates_its_target(tmp_path: Path) -> None:
    real = tmp_path / "real.yaml"
    real.write_bytes(b"old")
    link = tmp_path / "link.yaml"
    link.symlink_to(real.name)
    assert write_atomically(link, b"new") == real
    assert link.is_symlink() and real.read_bytes() == b"new"


@pytest.fixture
def null_device(tmp_path: Path) -> Path:
    """A character device like /dev/null: as root, a private node (so a failing test can
    never replace the system's /dev/null); otherwise /dev/null itself, which only root could
    replace."""
    if os.geteuid() != 0:
        return Path("/dev/null")
    node = tmp_path / "null"
    os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    return node


def test_a_character_device_is_written_to_never_replaced(null_device: Path) -> None:
    before = os.stat(null_device)
    write_atomically(null_device, b"data", devices=True)
    after = os.stat(null_device)
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev
    assert after.st_ino == before.st_ino


def test_special_files_are_refused_where_a_file_is_needed(
    null_device: Path, tmp_path: Path
) -> None:
    with pytest.raises(NotAFile, match="is a device"):
        write_atomically(null_device, b"data")
    with pytest.raises(NotAFile, match="is a folder"):
        write_atomically(tmp_path, b"data", devices=True)
    assert stat.S_ISCHR(os.stat(null_device).st_mode)


def test_a_fifo_without_a_reader_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match="nothing reads"):
        write_atomically(fifo, b"data", devices=True)
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_report_to_a_null_device_keeps_the_device(null_device: Path) -> None:
    result = run_cli("--content", SAMPLE, "report", REFERENCE, "-o", null_device, "--format", "md")
    assert result.code == 0, result.err
    assert result.err.startswith(f"wrote {null_device}:")
    assert stat.S_ISCHR(os.stat(null_device).st_mode)


def test_report_to_dev_stdout_prints_the_report() -> None:
    done = subprocess.run(
        [*DILIGENCE, "report", str(REFERENCE), "-o", "/dev/stdout", "--format", "md"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("# ") and "wrote" not in done.stdout
    assert done.stderr.startswith("wrote /dev/stdout: ")


def test_report_never_replaces_its_own_input(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_bytes(REFERENCE.read_bytes())
    for extra in ([], ["--force"]):
        result = run_cli("--content", SAMPLE, "report", answers, "-o", answers, *extra)
        assert result.code == 2
        assert result.err == (
            f"diligence: {answers} is the answers file this report is rendered from; "
            "choose another -o\n"
        )
    assert answers.read_bytes() == REFERENCE.read_bytes()


def test_report_refuses_a_file_it_did_not_write_unless_forced(tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("my own notes\n")
    result = run_cli("--content", SAMPLE, "report", REFERENCE, "-o", notes)
    assert result.code == 2
    assert result.err == (
        f"diligence: {notes} exists and is not a report diligence wrote; choose another -o, "
        "or add --force to replace it\n"
    )
    assert notes.read_text() == "my own notes\n"
    assert run_cli("--content", SAMPLE, "report", REFERENCE, "-o", notes, "--force").code == 0
    assert notes.read_text().startswith("# ")


@pytest.mark.parametrize("suffix", [".md", ".html", ".json"])
def test_report_replaces_a_report_it_wrote_before(
    tmp_path: Path, suffix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767312000")
    out = tmp_path / f"r{suffix}"
    assert run_cli("--content", SAMPLE, "report", REFERENCE, "-o", out).code == 0
    first = out.read_bytes()
    out.write_bytes(first.replace(b"Reference", b"Changed by hand"))
    result = run_cli("--content", SAMPLE, "report", REFERENCE, "-o", out)
    assert result.code == 0, result.err
    assert out.read_bytes() == first


def test_report_through_a_link_to_someone_elses_file_is_refused(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    link = tmp_path / "link.md"
    link.symlink_to(victim)
    result = run_cli("--content", SAMPLE, "report", REFERENCE, "-o", link)
    assert result.code == 2
    assert "exists and is not a report diligence wrote" in result.err
    assert victim.read_text() == "precious\n" and link.is_symlink()


def test_a_read_only_report_target_is_refused_as_a_normal_user(tmp_path: Path) -> None:
    out = tmp_path / "r.md"
    assert run_cli("--content", SAMPLE, "report", REFERENCE, "-o", out).code == 0
    out.chmod(0o444)
    done = subprocess.run(
        as_unprivileged([*DILIGENCE, "report", str(REFERENCE), "-o", str(out), "--force"]),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr == (
        f"diligence: cannot write {out}: it is read-only; make it writable (chmod u+w) "
        "or choose another file\n"
    )
    assert stat.S_IMODE(out.stat().st_mode) == 0o444


# --------------------------------------------------------------------------- limits


def _flow_at(question_id: str) -> Flow:
    library = load_library([SAMPLE])
    checklist = library.checklist("sample-vetting")
    flow = Flow(checklist, new_answers(checklist, "sample", "early", "Tester"))
    flow.answer("yes")
    flow.goto(question_id)
    return flow


def test_the_engine_refuses_an_over_long_note_or_text_answer_and_keeps_the_file_valid() -> None:
    """Fault probe B3 and weak 1: a note over 20,000 characters was saved, and then the
    tool refused the file; free-text answers had no limit at all."""
    flow = _flow_at("T2")
    before = flow.answers.model_copy(deep=True)
    with pytest.raises(TooLong, match="20,001 characters; a note holds at most 20,000"):
        flow.set_note("x" * (NOTE_LIMIT + 1))
    with pytest.raises(TooLong, match="a free-text answer holds at most 20,000"):
        flow.answer("y" * (TEXT_ANSWER_LIMIT + 1))
    assert flow.answers == before
    flow.set_note("x" * NOTE_LIMIT)  # the limit itself is fine
    flow.answer("y" * TEXT_ANSWER_LIMIT)
    AnswersFile.model_validate(flow.answers.model_dump())


def test_a_name_over_the_limit_is_refused_where_it_is_made() -> None:
    library = load_library([SAMPLE])
    with pytest.raises(TooLong, match="250 characters; a name holds at most 200"):
        new_answers(library.checklist("sample-vetting"), "sample", "early", "N" * 250)


class _Asking:
    """A session prompter that answers the name prompt from a list, and records notices."""

    def __init__(self, *names: str) -> None:
        self.names = list(names)
        self.notices: list[str] = []
        self.defaults: list[str] = []

    def show_briefing(self, *_: object) -> None:
        pass

    def choose(self, message: str, options: Sequence[tuple[str, str]]) -> str:
        raise AssertionError(f"not expected: {message} {options}")

    def ask_text(self, message: str, default: str = "", *, limit: int | None = None) -> str:
        assert (message, limit) == ("Your name (it goes on the report)", 200)
        self.defaults.append(default)
        return self.names.pop(0)

    def notice(self, text: str) -> None:
        self.notices.append(text)

    def ask(self, step: Step) -> Action:
        raise AssertionError(f"not expected: {step.question.id}")

    def review(self, review: Review) -> ReviewAction:
        raise AssertionError(f"not expected: {review.missing}")


def test_an_over_long_typed_name_is_asked_again_from_what_was_typed(tmp_path: Path) -> None:
    """Fault probe B11: a 250-character name at the prompt was an internal error."""
    library = load_library([SAMPLE])
    asking = _Asking("N" * 250, "N" * 190)
    request = Request("sample-vetting", "sample", "early", output=tmp_path / "a.yaml")
    planned = plan(request, library, asking)
    assert planned is not None and planned.fresh is not None
    assert planned.fresh.assessor == "N" * 190
    assert asking.notices == ["Your name is 250 characters; a name holds at most 200."]
    assert asking.defaults == ["", "N" * 250]


def test_a_note_over_the_limit_is_kept_in_a_side_file_never_lost(tmp_path: Path) -> None:
    """Whatever a front end hands over, an over-long note is saved beside the answers."""
    library = load_library([SAMPLE])
    target = tmp_path / "note.yaml"
    answers = new_answers(library.checklist("sample-vetting"), "sample", "early", "Ana")
    asking = _Scripted(Note("word " * 4100), Quit())
    session = open_session(Request(), library, asking, Plan(target, fresh=answers))
    assert run_session(session, library, asking) is False
    side = tmp_path / "note.W1-note.txt"
    assert side.read_text() == ("word " * 4100).strip()
    assert asking.notices[-1] == (
        f"Your note on W1 is 20,499 characters; a note holds at most 20,000. It is not in the "
        f"answers file; it is kept in {side}: shorten it and add it again."
    )
    assert load_answers(target).model.answers == {}  # the file still loads


class _Scripted(_Asking):
    def __init__(self, *actions: Action) -> None:
        super().__init__()
        self.actions = list(actions)

    def ask(self, step: Step) -> Action:
        assert step.question.id
        return self.actions.pop(0)


def test_an_upgrade_that_would_overflow_a_note_keeps_the_earlier_answer_aside(
    tmp_path: Path,
) -> None:
    """Fault probe B3 without typing: moving an old answer into a 19,990-character note."""
    text = REFERENCE.read_text().replace('version: "1.0"', 'version: "0.9"')
    text = text.replace("status: complete", "status: in_progress")
    data = parse_yaml(text, "x").data
    data["answers"]["W2"] = {"value": "bogus", "note": "n" * 19_990}
    path = tmp_path / "old.yaml"
    path.write_text(dump_yaml(data))
    library = load_library([SAMPLE])
    asking = _Scripted(Quit())
    planned = plan(Request(resume=path), library, asking)
    assert planned is not None
    assert run_session(open_session(Request(), library, asking, planned), library, asking) is False
    side = tmp_path / "old.W2-note.txt"
    assert side.read_text() == "Earlier answer (checklist 0.9): bogus"
    assert f"W2: the note is full, so the earlier answer is kept in {side}." in asking.notices
    assert run_cli("--content", SAMPLE, "validate", path).code == 0
    assert load_answers(path).model.answers["W2"].note == "n" * 19_990


def test_the_upgrade_command_keeps_aside_what_a_full_note_cannot_hold(tmp_path: Path) -> None:
    """Fault probe B3 through `diligence upgrade`: it said "moved to its note" and dropped
    the earlier answer when the note had no room."""
    text = REFERENCE.read_text().replace('version: "1.0"', 'version: "0.9"')
    data = parse_yaml(text.replace("status: complete", "status: in_progress"), "x").data
    data["answers"]["W2"] = {"value": "bogus", "note": "n" * 19_990}
    path = tmp_path / "old.yaml"
    path.write_text(dump_yaml(data))
    result = run_cli("--content", SAMPLE, "upgrade", path)
    assert result.code == 0, result.err
    side = tmp_path / "old.W2-note.txt"
    assert side.read_text() == "Earlier answer (checklist 0.9): bogus"
    assert "W2: 'bogus' is no longer a choice; the note is full, so it is kept in" in result.out
    assert load_answers(path).model.answers["W2"].note == "n" * 19_990


# --------------------------------------------------------------------------- SIGKILL


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


@pytest.mark.slow
@pytest.mark.pty
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


def test_a_file_the_tool_would_refuse_is_never_written(tmp_path: Path) -> None:
    """Whatever sets a value without the engine (an upgrade, a front end), a save checks."""
    from diligence.assessment.answers import save_answers
    from diligence.content.models import Answer
    from diligence.errors import OutputError

    library = load_library([SAMPLE])
    answers = new_answers(library.checklist("sample-vetting"), "sample", "early", "Ana")
    answers.answers["W1"] = Answer(value="yes")
    answers.answers["W1"].note = "n" * (NOTE_LIMIT + 1)  # assignment does not validate
    target = tmp_path / "a.yaml"
    with pytest.raises(OutputError, match="answers/W1/note: String should have at most"):
        save_answers(answers, target)
    assert not target.exists()


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("key", "stamp"),
    [("created", "9999-12-31T23:59:59-14:00"), ("updated", "0001-01-01T00:00:00+14:00")],
)
def test_a_moment_that_no_calendar_year_holds_in_utc_is_refused(
    tmp_path: Path, key: str, stamp: str
) -> None:
    """Fault probe B12: these passed validate, then report crashed with OverflowError."""
    path = write_answers(tmp_path / "ts.yaml", {key: stamp})
    line = 1 + next(
        i for i, text in enumerate(path.read_text().splitlines()) if text.startswith(key)
    )
    commands: list[list[str | Path]] = [["validate", path], ["report", path, "-o", tmp_path / "r"]]
    for command in commands:
        result = run_cli("--content", SAMPLE, *command)
        assert (result.code, result.err) == (
            2,
            f"{path}:{line}: {key}: {stamp} falls outside the years 1 to 9999 in UTC\n",
        )


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_every_date_that_is_accepted_renders(tmp_path: Path, fmt: str) -> None:
    path = write_answers(
        tmp_path / "old.yaml",
        {"created": "0702-06-15T00:53:20Z", "updated": "9999-12-31T09:59:59-14:00"},
    )
    out = tmp_path / f"r.{fmt}"
    result = run_cli("--content", SAMPLE, "report", path, "-o", out)
    assert result.code == 0, result.err
    text = out.read_text()
    if fmt == "json":
        assert '"created": "0702-06-15T00:53:20Z"' in text
        assert '"updated": "9999-12-31T23:59:59Z"' in text
    elif fmt == "html":
        assert "last updated 9999-12-31" in text


@pytest.mark.parametrize("epoch", ["-1", "-40000000000", "253402300800", "1e9", "abc"])
def test_source_date_epoch_outside_what_reports_can_hold_is_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, epoch: str
) -> None:
    """Fault probe B13: years before 1000 and dates before 1904 crashed the PDF renderer."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    result = run_cli("--content", SAMPLE, "report", REFERENCE, "-o", tmp_path / "r.pdf")
    assert (result.code, result.err) == (
        2,
        f"diligence: SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds since 1970 "
        "between 0 and 253402300799 (the end of 9999)\n",
    )


@pytest.mark.pdf
@pytest.mark.parametrize("epoch", ["0", "253402300799"])
@pytest.mark.parametrize("harfbuzz", [True, False])
def test_pdfs_render_at_both_ends_of_source_date_epoch(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, epoch: str, harfbuzz: bool
) -> None:
    import weasyprint.pdf.fonts

    if not harfbuzz:  # as without libharfbuzz-subset0: fontTools subsets, dating its fonts
        monkeypatch.setattr(weasyprint.pdf.fonts, "harfbuzz_subset", None)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    out = tmp_path / "r.pdf"
    result = run_cli("--content", SAMPLE, "report", REFERENCE, "-o", out)
    assert result.code == 0, result.err
    info: Any = reader(out).metadata
    assert info["/CreationDate"].startswith("D:1970" if epoch == "0" else "D:9999")


# --------------------------------------------------------------------------- render-each


def test_each_student_gets_a_pdf_name_of_their_own() -> None:
    """Fault probe B5: x/a, y/a and a-2 gave a, a-2 and a-2: one student's report was lost."""
    from diligence.trainer.render_each import pdf_targets

    folder = Path("each")
    paths = [Path("x/a.yaml"), Path("y/a.yaml"), Path("a-2.yaml"), Path("A.yaml")]
    names = [t.name for _, t in pdf_targets(paths, folder)]
    assert names == ["a.pdf", "a-3.pdf", "a-2.pdf", "A-4.pdf"]
    reserved = [t.name for _, t in pdf_targets([Path("class.yaml")], folder, reserved=["class"])]
    assert reserved == ["class-2.pdf"]  # the class report of the same run keeps its name


@pytest.mark.parametrize("where", ["/dev/null/x", "file"])
def test_a_render_each_folder_that_cannot_be_made_is_one_line_before_anything_is_written(
    tmp_path: Path, where: str
) -> None:
    """Fault probe B15: an internal error, after the class report had been written."""
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "a.yaml").write_bytes(REFERENCE.read_bytes())
    each = Path(where) if where.startswith("/") else tmp_path / where
    if not where.startswith("/"):
        each.write_text("a file, not a folder\n")
    out = tmp_path / "class.json"
    result = run_cli("--content", SAMPLE, "class", folder, "-o", out, "--render-each", each)
    assert result.code == 2
    assert result.err.startswith(f"diligence: cannot make the folder {each}: ")
    assert result.err.count("\n") == 1
    assert not out.exists()


@pytest.mark.pdf
@pytest.mark.timeout(300)
def test_render_each_writes_every_student_and_never_a_file_it_did_not_write(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "col"
    for name in ("x/a", "y/a", "a-2"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / f"{name}.yaml").write_text(
            REFERENCE.read_text().replace("assessor: Reference", f"assessor: {name}")
        )
    each = tmp_path / "each"
    argv: list[str | Path] = ["--content", SAMPLE, "class", folder, "-o", tmp_path / "c.json"]
    argv += ["--jobs", "1"]
    first = run_cli(*argv, "--render-each", each)
    assert first.code == 0, first.err
    assert sorted(p.name for p in each.iterdir()) == ["a-2.pdf", "a-3.pdf", "a.pdf"]
    authors = {str(reader(p).metadata["/Author"]) for p in each.iterdir()}  # type: ignore[index]
    assert authors == {"x/a", "y/a", "a-2"}
    (each / "a.pdf").write_text("someone else's file\n")
    again = run_cli(*argv, "--render-each", each)  # the other two are ours: replaced
    assert again.code == 0, again.err
    assert "not rendered:" in again.err and "is not a report diligence wrote" in again.err
    assert (each / "a.pdf").read_text() == "someone else's file\n"
    assert f"{each}: 2 student reports, 1 failed" in again.out


def test_an_ascii_only_output_never_turns_a_report_into_an_internal_error(
    tmp_path: Path,
) -> None:
    """Fault probe weak 13: with PYTHONIOENCODING=ascii, 'wrote ü.md' was an internal
    error after the report was written."""
    answers = tmp_path / "josé.yaml"
    answers.write_text(REFERENCE.read_text().replace("assessor: Reference", "assessor: José"))
    done = subprocess.run(
        [*DILIGENCE, "score", str(answers)],
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert b"jos\\xe9.yaml" in done.stdout
    done = subprocess.run(
        [*DILIGENCE, "report", str(answers), "-o", "ü.md"],
        capture_output=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert b"wrote \\xfc.md: " in done.stdout + done.stderr
    assert "José" in (tmp_path / "ü.md").read_text()


def test_text_typed_on_a_terminal_that_is_not_utf8_is_decoded() -> None:
    from diligence.tui.asking import typed_text

    as_ascii = "José".encode().decode("ascii", "surrogateescape")
    assert typed_text(as_ascii) == "José"
    assert typed_text("plain") == "plain"
    assert typed_text("a\ud800b") == "a?b"
