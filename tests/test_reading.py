"""Reading files: only regular files, bounded reads, and a value count that is not fooled
by size (fault probe B8, B9 and the quoted-'<<' round trip)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from diligence.content.yamlio import MAX_NODES, dump_yaml, parse_yaml

from conftest import ROOT, SAMPLE, run_cli

REFERENCE = SAMPLE / "case_studies" / "sample" / "reference" / "early.yaml"
DILIGENCE = [sys.executable, "-m", "diligence"]


def test_a_fifo_is_refused_by_its_kind_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    done = subprocess.run(
        [*DILIGENCE, "--content", str(SAMPLE), "score", str(fifo)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr == f"{fifo}: is a named pipe (FIFO), not a file; give a YAML file\n"


@pytest.mark.parametrize(
    ("path", "kind"), [("/dev/zero", "a device"), ("/dev/null", "a device"), ("/", "a folder")]
)
def test_special_files_are_refused_by_kind(path: str, kind: str) -> None:
    result = run_cli("--content", SAMPLE, "score", path)
    assert (result.code, result.err) == (2, f"{path}: is {kind}, not a file; give a YAML file\n")


@pytest.mark.slow
def test_a_class_folder_with_a_fifo_and_dev_zero_still_reports_the_others(tmp_path: Path) -> None:
    folder = tmp_path / "class"
    folder.mkdir()
    shutil.copy(REFERENCE, folder / "a.yaml")
    os.mkfifo(folder / "pipe.yaml")
    (folder / "zero.yaml").symlink_to("/dev/zero")
    out = tmp_path / "class.json"
    done = subprocess.run(
        [*DILIGENCE, "--content", str(SAMPLE), "class", str(folder), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "pipe.yaml: is a named pipe (FIFO)" in done.stderr
    assert "zero.yaml: is a device" in done.stderr
    assert out.is_file()


def test_reads_are_bounded_when_the_size_is_not_known(tmp_path: Path) -> None:
    """A file that reports no size (like those under /proc) is still read only so far."""
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a" * (5 * 1024 * 1024))
    result = run_cli("--content", SAMPLE, "score", big)
    assert (result.code, result.err) == (
        2,
        f"{big}: is 5.0 MB; content files are limited to 4 MB\n",
    )


def test_a_plain_large_file_is_not_taken_for_an_alias_bomb() -> None:
    """Every value counts once: 60,000 values in 2,000 questions are far below the limit."""
    questions = [
        {"id": f"Q{i}", "text": "t", "risk": {"yes": "low", "no": "high", "partial": "medium"}}
        for i in range(2000)
    ]
    text = dump_yaml({"sections": [{"id": "s", "questions": questions}], "deep": [[[[["x"]]]]]})
    assert len(parse_yaml(text, "big.yaml").data["sections"][0]["questions"]) == 2000


def test_aliases_count_what_they_repeat() -> None:
    text = "a: &a [" + ", ".join(["x"] * 1000) + "]\nb: [" + ", ".join(["*a"] * 300) + "]\n"
    with pytest.raises(Exception, match=f"expands to more than {MAX_NODES:,} values"):
        parse_yaml(text, "bomb.yaml")


@pytest.mark.slow
def test_a_2000_question_checklist_validates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(ROOT / "bench"))
    from synthetic import write_content

    write_content(tmp_path, 2000)
    result = run_cli("--content", tmp_path, "validate", tmp_path)
    assert result.code == 0, result.err[:2000]


def test_a_quoted_merge_key_is_text_and_a_plain_one_is_refused() -> None:
    assert parse_yaml("'<<': 1\n", "q.yaml").data == {"<<": 1}
    with pytest.raises(Exception, match="merge keys"):
        parse_yaml("a: 1\n<<: {b: 2}\n", "m.yaml")


def test_a_glob_does_not_follow_symlink_loops(tmp_path: Path) -> None:
    """Fault probe B8 (the part left): 'd/**/*.yaml' with d/l1 and d/l2 -> . ran for ever."""
    folder = tmp_path / "d"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(REFERENCE, folder / "a.yaml")
    shutil.copy(REFERENCE, folder / "sub" / "b.yaml")
    for name in ("l1", "l2", "l3"):
        (folder / name).symlink_to(".")
    (folder / "sub" / "up").symlink_to("..")
    done = subprocess.run(
        [*DILIGENCE, "--content", str(SAMPLE), "validate", f"{folder}/**/*.yaml"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stdout) == (0, "ok: 2 files valid\n"), done.stderr


def test_glob_patterns_match_like_the_shell() -> None:
    from diligence.content.library import yaml_files

    checklists = ROOT / "checklists"
    assert yaml_files([f"{checklists}/*.yaml"]) == sorted(checklists.glob("*.yaml"))
    found = yaml_files([f"{ROOT}/case_studies/**/reference/mexico-20?[17].yaml"])
    assert [p.name for p in found] == ["mexico-2011.yaml", "mexico-2017.yaml"]
    assert yaml_files([f"{ROOT}/tests/**/sample-vetting.yaml"]) == [
        SAMPLE / "checklists" / "sample-vetting.yaml"
    ]
