"""Class aggregation: distributions and agreement, checked against independent counts."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from diligence.content.library import Library, load_library, yaml_files
from diligence.content.yamlio import dump_yaml, load_yaml
from diligence.errors import UsageError
from diligence.scoring import score
from diligence.trainer.aggregate import collect
from diligence.trainer.comparison import most_missed

from conftest import SAMPLE

REFERENCE = SAMPLE / "case_studies" / "sample" / "reference" / "early.yaml"
CHOICES = {
    "W1": ["yes", "no", "partial", "unknown"],
    "W2": ["direct", "broker", "unknown"],
    "T1": ["yes", "no", "partial", "unknown"],
}


def make_class(folder: Path, students: int, seed: int = 7) -> list[dict[str, dict[str, Any]]]:
    """Write `students` answer files varied from the reference; return their answers."""
    rng = random.Random(seed)
    base = load_yaml(REFERENCE).data
    written = []
    for n in range(students):
        data = dict(base)
        answers: dict[str, dict[str, object]] = {}
        for question, options in CHOICES.items():
            answers[question] = {"value": rng.choice(options), "note": f"note {n}"}
        if answers["W2"]["value"] in ("broker", "unknown"):
            answers["W3"] = {"value": rng.choice([["screening"], ["none"], "unknown"])}
        data["answers"] = answers
        data["assessor"] = f"Pupil {n:02d}"
        (folder / f"student-{n:02d}.yaml").write_text(dump_yaml(data))
        written.append(answers)
    return written


@pytest.fixture
def library() -> Library:
    return load_library([SAMPLE])


def test_distributions_and_agreement_match_independent_counts(
    tmp_path: Path, library: Library
) -> None:
    written = make_class(tmp_path, 30)
    (tmp_path / "broken.yaml").write_text("answers: [\n")
    (tmp_path / "stranger.yaml").write_text(
        REFERENCE.read_text().replace("checklist: {id: sample-vetting", "checklist: {id: nope")
    )
    summary = collect(yaml_files([str(tmp_path)]), library)
    assert len(summary.submissions) == 30
    assert sorted(r.display.rsplit("/", 1)[-1] for r in summary.rejected) == [
        "broken.yaml",
        "stranger.yaml",
    ]
    # W1: every student answers it; the reference says "yes".
    w1 = next(q for q in summary.questions if q.id == "W1")
    expected = Counter(a["W1"]["value"] for a in written)
    assert {c.value: c.count for c in w1.counts} == dict(expected)
    assert w1.agreement == pytest.approx(expected["yes"] / 30)
    assert w1.disagreement == pytest.approx(1 - max(expected.values()) / 30)
    assert [c.value for c in w1.counts if c.is_reference] == ["yes"]
    # W3 is asked only when W2 is broker or unknown: only those students count.
    w3_values = [
        "+".join(v) if isinstance(v := a["W3"]["value"], list) else v for a in written if "W3" in a
    ]
    w3 = next(q for q in summary.questions if q.id == "W3")
    assert w3.answered == len(w3_values)
    assert {c.value: c.count for c in w3.counts} == dict(Counter(w3_values))
    # Per-student agreement: reference answers W1 yes, W2 broker, W3 [screening], T1 unknown,
    # and T1 is only relevant when W1 is not "no".
    for submission, answers in zip(summary.submissions, written, strict=True):
        reference = {"W1": "yes", "W2": "broker", "W3": ("screening",), "T1": "unknown"}
        agreed = 0
        for question, ref in reference.items():
            value = answers.get(question, {}).get("value")
            value = tuple(value) if isinstance(value, list) else value
            relevant = (question != "W3" or answers["W2"]["value"] in ("broker", "unknown")) and (
                question != "T1" or answers["W1"]["value"] != "no"
            )
            agreed += relevant and value == ref
        assert submission.agreement == pytest.approx(agreed / 4)
    verdict_total = sum(count for _, count in summary.verdicts)
    assert verdict_total == 30
    assert summary.discussion()[0].disagreement >= summary.discussion()[-1].disagreement


def test_anonymize_numbers_every_file_in_an_order_drawn_from_the_contents(
    tmp_path: Path, library: Library
) -> None:
    (tmp_path / "a").mkdir()
    make_class(tmp_path / "a", 30)
    (tmp_path / "a" / "broken.yaml").write_text("answers: [\n")
    summary = collect(yaml_files([str(tmp_path / "a")]), library, anonymize=True)
    numbers = dict(summary.numbers)
    assert sorted(numbers.values()) == list(range(1, 32)), "every file, set aside too"
    assert [s.student for s in summary.submissions] == [
        f"Student {s.number}" for s in summary.submissions
    ]
    assert [s.number for s in summary.submissions] == sorted(s.number for s in summary.submissions)
    alphabetical = [n for _, n in sorted(numbers.items())]
    assert alphabetical != sorted(alphabetical), "numbers do not follow the file names"
    assert summary.rejected[0].label == f"Student {numbers[summary.rejected[0].display]}"
    assert summary.rejected[0].message.startswith(summary.rejected[0].label + ": line 2: invalid")
    # The same files under other names keep their numbers: the key is their contents.
    renamed = tmp_path / "b"
    renamed.mkdir()
    for display, number in numbers.items():
        (renamed / f"x{99 - number:02d}.yaml").write_bytes(Path(display).read_bytes())
    again = collect(yaml_files([str(renamed)]), library, anonymize=True)
    by_content = {Path(d).read_bytes(): n for d, n in again.numbers}
    assert {Path(d).read_bytes(): n for d, n in numbers.items()} == by_content
    # One changed file reshuffles the class: no file's place can be worked out alone.
    first = renamed / "x98.yaml"
    first.write_text(first.read_text().replace("note 0", "note zero"))
    changed = dict(collect(yaml_files([str(renamed)]), library, anonymize=True).numbers)
    assert changed != {d: by_content[Path(d).read_bytes()] for d in changed if d != str(first)}


def test_anonymize_clears_the_class_names_from_notes(tmp_path: Path, library: Library) -> None:
    make_class(tmp_path, 4)
    signed = tmp_path / "early-kwame-mensah.yaml"
    data = load_yaml(tmp_path / "student-00.yaml").data
    data["assessor"] = "Kwame Mensah"
    data["answers"]["W1"]["note"] = "Kwame thinks so, and Pupil 01 agreed; kwame again."
    signed.write_text(dump_yaml(data))
    (tmp_path / "student-00.yaml").unlink()
    summary = collect(yaml_files([str(tmp_path)]), library, anonymize=True)
    notes = [
        r.text
        for q in summary.questions
        for g in q.groups
        for r in g.rationales
        if r.text and "agreed" in r.text
    ]
    assert notes == ["[name] thinks so, and [name] 01 agreed; [name] again."]
    named = collect(yaml_files([str(tmp_path)]), library)
    assert any(
        r.text and r.text.startswith("Kwame thinks")
        for q in named.questions
        for g in q.groups
        for r in g.rationales
    )


def test_incomplete_files_are_counted_apart(tmp_path: Path, library: Library) -> None:
    written = make_class(tmp_path, 12, seed=11)
    dropped = []
    for n, answers in enumerate(written[:3]):
        path = tmp_path / f"student-{n:02d}.yaml"
        data = load_yaml(path).data
        data["answers"] = {"W1": {"value": "yes"}}  # W2 (required) left open
        data["status"] = "in_progress"
        path.write_text(dump_yaml(data))
        dropped.append(answers)
    summary = collect(yaml_files([str(tmp_path)]), library)
    assert len(summary.submissions) == 12 and len(summary.incomplete) == 3
    assert len(summary.counted) == 9 and not summary.provisional
    w1 = next(q for q in summary.questions if q.id == "W1")
    complete = [a["W1"]["value"] for a in written[3:]]
    assert w1.answered == 9 and w1.answered_incomplete == 3
    assert {c.value: c.count for c in w1.counts if c.count} == dict(Counter(complete))
    assert {c.value: c.incomplete for c in w1.counts if c.incomplete} == {"yes": 3}
    assert sum(n for _, n in summary.verdicts) == 9
    assert sum(n for _, n in summary.verdicts_incomplete) == 3
    assert all(f.of == 9 for f in summary.flags)
    spread = next(s for s in summary.sections if s.id == "who")
    assert len(spread.scores) == 9 and len(spread.scores_incomplete) == 3


def test_a_class_with_no_complete_file_is_counted_whole_and_provisional(
    tmp_path: Path, library: Library
) -> None:
    for n in range(3):
        data = load_yaml(REFERENCE).data
        data["answers"] = {"W1": {"value": "yes"}}
        data["status"] = "in_progress"
        data["assessor"] = f"Student {n}"  # identical files would be one student's copies
        (tmp_path / f"s{n}.yaml").write_text(dump_yaml(data))
    summary = collect(yaml_files([str(tmp_path)]), library)
    assert summary.provisional and len(summary.counted) == 3
    assert next(q for q in summary.questions if q.id == "W1").answered == 3


def test_red_flags_sections_and_citations_against_independent_counts(
    tmp_path: Path, library: Library
) -> None:
    written = make_class(tmp_path, 20, seed=5)
    summary = collect(yaml_files([str(tmp_path)]), library)
    checklist = library.checklist("sample-vetting")
    results = [score(checklist, s.assessment.answers) for s in summary.submissions]
    flags = {f.id: f for f in summary.flags}
    assert [f.id for f in summary.flags] == ["RF1", "RF2"]
    assert flags["RF1"].raised == sum(a["W1"]["value"] == "no" for a in written)
    assert flags["RF2"].raised == sum("RF2" in {f.id for f in r.red_flags} for r in results)
    assert flags["RF2"].reference and not flags["RF1"].reference
    assert flags["RF2"].missed == 20 - flags["RF2"].raised
    assert flags["RF1"].extra == flags["RF1"].raised
    assert most_missed(summary.flags) == ((flags["RF2"],) if flags["RF2"].missed else ())
    who = next(s for s in summary.sections if s.id == "who")
    expected = sorted(
        s.score for r in results for s in r.sections if s.id == "who" and s.score is not None
    )
    assert list(who.scores) == expected
    assert summary.reference_result is not None
    assert who.reference == next(
        s.score for s in summary.reference_result.sections if s.id == "who"
    )
    # The students cite nothing in make_class; the reference cites p-one.
    assert [(p.id, p.students, p.reference) for p in summary.passages] == [("p-one", 0, True)]


def test_questions_that_applied_to_nobody_are_left_out(tmp_path: Path, library: Library) -> None:
    for n in range(3):
        data = load_yaml(REFERENCE).data
        data["answers"] = {"W1": {"value": "no"}, "W2": {"value": "direct"}}
        (tmp_path / f"s{n}.yaml").write_text(dump_yaml(data))
    summary = collect(yaml_files([str(tmp_path)]), library)
    assert [q.id for q in summary.questions] == ["W1", "W2"], "W3 and T1 applied to nobody"


def test_each_answer_keeps_its_rationales_and_most_cited_passages(
    tmp_path: Path, library: Library
) -> None:
    cited = {0: ["p-one"], 1: [], 2: ["p-one"]}  # p-two and p-record postdate the scenario
    for n, cites in cited.items():
        data = load_yaml(REFERENCE).data
        note = "x" * (10 + n) if n != 2 else None
        data["answers"]["W1"] = {"value": "no", "cites": cites, **({"note": note} if note else {})}
        (tmp_path / f"s{n}.yaml").write_text(dump_yaml(data))
    summary = collect(yaml_files([str(tmp_path)]), library)
    w1 = next(q for q in summary.questions if q.id == "W1")
    (group,) = w1.groups
    assert (group.value, group.count, group.is_reference) == ("no", 3, False)
    assert group.cited == (("p-one", 2),)
    assert [r.text for r in group.excerpts()] == ["x" * 10, "x" * 11], "citing, then longer"
    assert w1.reference == "Yes" and w1.reference_note == "The buyer is a ministry."
    assert w1.reference_cites == ("p-one",)


def test_no_inputs_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file"):
        yaml_files([str(tmp_path / "missing-*.yaml")])
