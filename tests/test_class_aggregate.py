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
from diligence.trainer.aggregate import collect

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


def test_anonymize_replaces_names(tmp_path: Path, library: Library) -> None:
    make_class(tmp_path, 3)
    summary = collect(yaml_files([str(tmp_path / "*.yaml")]), library, anonymize=True)
    assert [s.student for s in summary.submissions] == ["Student 1", "Student 2", "Student 3"]


def test_no_inputs_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file"):
        yaml_files([str(tmp_path / "missing-*.yaml")])
