"""Every malformed file gives exit 2 and `path:line: message`, quickly, with no traceback."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest
import yaml

from diligence.content import yamlio
from diligence.files import display_path

from conftest import ROOT, SAMPLE, run_cli

CHECKLIST = (SAMPLE / "checklists" / "sample-vetting.yaml").read_text()
LINE = re.compile(r"^(?P<path>[^:]+\.yaml):(?P<line>\d+): (?P<msg>.+)$")


def _alias_bomb() -> str:
    text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for i in range(1, 10):
        prev, name = chr(96 + i), chr(97 + i)
        text += f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]\n"
    return "sections:\n  - " + text.replace("\n", "\n    ")


BROKEN: dict[str, tuple[bytes, str, int]] = {
    # name: (content, expected message fragment, expected line)
    "empty": (b"", "is empty", 1),
    "tabs": (b"id: x\nsections:\n\t- id: a\n", "indent with spaces, not tabs", 3),
    "unterminated": (b'id: "abc\nsections: []\n', "quoted scalar that starts at line 1", 1),
    "random-bytes": (bytes(range(128, 256)) * 3, "is not UTF-8 text", 1),
    "utf16": ("answers: {}\n".encode("utf-16"), "is UTF-16 encoded; save it as UTF-8", 1),
    "top-level-list": (b"- a\n- b\n", "holds a list at the top level", 1),
    "wrong-type": (
        CHECKLIST.replace("weight: 3", "weight: lots").encode(),
        "W1/weight: input should be a valid number",
        26,
    ),
    "unknown-key": (
        CHECKLIST.replace("teaching_note:", "teachng_note:").encode(),
        "unknown key 'teachng_note' in sections/who/questions/W1",
        29,
    ),
    "dangling-reference": (
        CHECKLIST.replace(
            "cites: [p-one]\n        teaching_note", "cites: [P99]\n        teaching_note"
        ).encode(),
        "question W1 cites passage P99, which case 'sample' does not define",
        28,
    ),
    "duplicate-id": (
        CHECKLIST.replace("id: W2", "id: W1").encode(),
        "question id 'W1' is defined twice (first at line 19)",
        30,
    ),
    "duplicate-key": (b"id: a\nid: b\nsections: []\n", "duplicate key 'id' (first at line 1)", 2),
    "later-question": (
        CHECKLIST.replace(
            "when: {question: W2, in: [broker, unknown]}", "when: {question: T1, is: 'yes'}"
        ).encode(),
        "reads question T1, which comes later",
        40,
    ),
    "bad-condition-value": (
        CHECKLIST.replace("in: [broker, unknown]", "in: [brokr]").encode(),
        "tests question W2 for 'brokr', which is not one of its choices",
        40,
    ),
    "condition-two-forms": (
        CHECKLIST.replace(
            "when: {question: W2, in: [broker, unknown]}",
            "when: {question: W2, flag: RF1, is: direct}",
        ).encode(),
        "a condition needs exactly one of",
        40,
    ),
    "flag-id-is-a-question-id": (
        CHECKLIST.replace("  - id: RF1\n", "  - id: W2\n")
        .replace("{flag: RF1}", "{flag: W2}")
        .encode(),
        "red flag id 'W2' is also a question id (line 30)",
        66,
    ),
    "alias-bomb": (_alias_bomb().encode(), "expands to more than", 0),
    "deep-nesting": (b"sections: " + b"[" * 20000 + b"]" * 20000 + b"\n", "nesting is deeper", 1),
    "huge-string": (
        b'id: x\nsections: []\ndescription: "' + b"a" * 3_000_000 + b'"\n',
        "description: string should have at most 20000 characters",
        3,
    ),
    "python-tag": (
        b'sections: !!python/object/apply:os.system ["echo hi"]\n',
        "tag !!python/object/apply:os.system is not allowed",
        1,
    ),
}


@pytest.fixture(params=["libyaml", pytest.param("pure-python", marks=pytest.mark.slow)])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with LibYAML's C parser and again with PyYAML's pure-Python one: which
    of the two a machine has depends on the PyYAML wheel, and the messages must not. (The
    pure-Python parser reads the shipped content too, so that half is slow.)"""
    if request.param == "pure-python":
        monkeypatch.setattr(yamlio, "_Loader", yamlio._ContentLoader)
    elif not getattr(yaml, "__with_libyaml__", False):
        pytest.skip("this PyYAML was built without LibYAML")
    return str(request.param)


@pytest.mark.usefixtures("parser")
@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_file_gives_one_clear_line_per_problem(name: str, tmp_path: Path) -> None:
    content, fragment, line = BROKEN[name]
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(content)
    started = time.monotonic()
    result = run_cli("--content", SAMPLE, "validate", path)
    elapsed = time.monotonic() - started
    assert result.code == 2
    assert "Traceback" not in result.err
    lines = result.err.strip().splitlines()
    assert lines, "an error must be printed"
    for printed in lines:
        assert LINE.match(printed), printed
    assert any(fragment in printed for printed in lines), result.err
    if line:
        assert any(printed.startswith(f"{path}:{line}: ") for printed in lines), result.err
    assert elapsed < 30  # generous: coverage and a loaded machine slow it several-fold


def test_sample_content_is_valid() -> None:
    result = run_cli("--content", SAMPLE, "validate", SAMPLE)
    assert result.code == 0, result.err
    assert result.out.startswith("ok: 4 files valid")


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("validate", tmp_path / "nope.yaml")
    assert result.code == 2
    assert "no such file or folder" in result.err


def test_answers_with_unknown_question_and_bad_choice(tmp_path: Path) -> None:
    reference = (SAMPLE / "case_studies" / "sample" / "reference" / "early.yaml").read_text()
    broken = reference.replace("  W2:\n    value: broker", "  W2:\n    value: brokr").replace(
        "  T1:", "  Z9:\n    value: 'yes'\n  T1:"
    )
    path = tmp_path / "answers.yaml"
    path.write_text(broken)
    result = run_cli("--content", SAMPLE, "validate", path)
    assert result.code == 2
    assert (
        f"{path}:15: question W2 has no choice 'brokr'; choose from: direct, broker, unknown"
        in result.err
    )
    assert f"{path}:20: checklist sample-vetting has no question 'Z9'" in result.err


def test_oversized_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"id: x\ndescription: " + b"a" * (5 * 1024 * 1024) + b"\n")
    started = time.monotonic()
    result = run_cli("validate", path)
    assert result.code == 2
    assert result.err.strip() == f"{path}: is 5.0 MB; content files are limited to 4 MB"
    assert time.monotonic() - started < 2


SAMPLE_CASE = SAMPLE / "case_studies" / "sample" / "case.yaml"
DATED_2010 = '        date: "2010"\n'
KNOWN_2015 = '        known_from: "2015"\n'


def test_a_briefing_may_not_rely_on_a_passage_made_public_after_the_decision(
    tmp_path: Path,
) -> None:
    """p-one is dated 2010, before the 2011 decision; became public in 2015, it is hindsight."""
    content = tmp_path / "content"
    shutil.copytree(SAMPLE, content)
    case = content / "case_studies" / "sample" / "case.yaml"
    planted = SAMPLE_CASE.read_text().replace(DATED_2010, DATED_2010 + KNOWN_2015, 1)
    case.write_text(planted)
    result = run_cli("--content", content, "validate", case)
    assert result.code == 2
    lines = planted.splitlines()
    line = lines.index("    passages: [p-one]", lines.index("scenarios:")) + 1
    assert (
        f"{case}:{line}: scenario early is set at 2011 but cites passage p-one, known from 2015: "
        "that is hindsight; cite it in the teaching notes instead"
    ) in result.err, result.err


def test_a_passage_cannot_become_public_before_it_happened(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    known_2009 = KNOWN_2015.replace("2015", "2009")
    path.write_text(SAMPLE_CASE.read_text().replace(DATED_2010, DATED_2010 + known_2009, 1))
    result = run_cli("--content", SAMPLE, "validate", path)
    assert result.code == 2
    assert "passage p-one is known_from 2009, before its date 2010" in result.err, result.err


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("checklists/customer-vetting.yaml", "is a checklist, not an answers file"),
        ("case_studies/pegasus/case.yaml", "is a case study, not an answers file"),
        ("checklists/frameworks.yaml", "is a framework registry, not an answers file"),
    ],
)
def test_another_kind_of_file_given_as_answers_says_so_once(name: str, kind: str) -> None:
    """User trial #14: 8 lines of "unknown key ... remove it" for a checklist."""
    path = ROOT / name
    commands: list[list[str | Path]] = [["report", path, "-o", "/dev/null"], ["score", path]]
    for command in commands:
        result = run_cli(*command)
        assert (result.code, result.err) == (
            2,
            f"{display_path(path)}:1: {kind}; give an answers file "
            "(answers/<scenario>-<name>.yaml)\n",
        )


def test_a_report_given_as_answers_says_so(tmp_path: Path) -> None:
    answers = ROOT / "case_studies" / "pegasus" / "reference" / "mexico-2011.yaml"
    said = {
        ".json": "is a report diligence wrote, not an answers file; give the answers file it "
        "was rendered from",
        ".md": "is a Markdown file, not an answers file; give the answers file (.yaml)",
    }
    for suffix, message in said.items():
        report = tmp_path / f"r{suffix}"
        assert run_cli("report", answers, "-o", report).code == 0
        result = run_cli("score", report)
        assert (result.code, result.err) == (2, f"{report}:1: {message}\n")


def test_teaching_notes_name_real_scenarios_and_general_notes_stay_general(
    tmp_path: Path,
) -> None:
    """A general note naming one scenario's country, on a question with notes for
    particular scenarios, is flagged; without scenario notes it is left alone."""
    content = tmp_path / "content"
    shutil.copytree(SAMPLE, content)
    case = content / "case_studies" / "sample" / "case.yaml"
    case.write_text(
        SAMPLE_CASE.read_text().replace(
            '    as_of: "2011"\n', '    as_of: "2011"\n    names: [Ruritania]\n'
        )
        + "  - id: late\n    title: A later decision\n    checklist: sample-vetting\n"
        '    as_of: "2012"\n    decision: Whether to sell again.\n    briefing: Again.\n'
        "    passages: [p-one]\n"
    )
    checklist = content / "checklists" / "sample-vetting.yaml"
    general = "        teaching_note: In the sample, it was.\n"
    assert general in CHECKLIST
    checklist.write_text(
        CHECKLIST.replace(
            general,
            "        teaching_note: In Ruritania, it was.\n"
            "        scenario_notes:\n"
            "          - scenarios: [early]\n"
            "            note: Ask what the early buyer knew.\n"
            "          - scenarios: [early, lately]\n"
            "            note: A note for a scenario that does not exist.\n",
        )
    )
    result = run_cli("--content", content, "validate", checklist)
    assert result.code == 2
    lines = checklist.read_text().splitlines()
    note_line = lines.index("        teaching_note: In Ruritania, it was.") + 1
    assert (
        f"{checklist}:{note_line}: question W1's general teaching note names 'Ruritania' (of "
        "early) but is shown in late too; move that part into a note under 'scenario_notes' "
        "for the scenarios it fits"
    ) in result.err, result.err
    assert (
        f"{checklist}:{note_line + 4}: question W1 has a teaching note for scenario 'lately', "
        "which no scenario using this checklist is; available: early, late"
    ) in result.err, result.err
    # Without scenario notes the same general note is the case's background: no problem.
    checklist.write_text(CHECKLIST.replace(general, "        teaching_note: In Ruritania.\n"))
    assert run_cli("--content", content, "validate", checklist).code == 0
