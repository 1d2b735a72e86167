"""Writing files: one atomic write that never replaces what it should not (fault probe B1,
B6 and weak item 5): special files, links, read-only files, the input, other people's files."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from diligence.files import NotAFile, write_atomically

from conftest import SAMPLE, as_unprivileged, run_cli
from reporting import REFERENCE

DILIGENCE = [sys.executable, "-m", "diligence", "--content", str(SAMPLE)]


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
