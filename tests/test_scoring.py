"""Scoring: exact results on the sample checklist, and properties that must always hold."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from diligence.content.conditions import relevance
from diligence.content.library import load_library
from diligence.content.loader import load_as
from diligence.content.models import (
    UNKNOWN,
    Answer,
    AnswersFile,
    Checklist,
    ChecklistRef,
    Severity,
    Verdict,
)
from diligence.scoring import score

from conftest import SAMPLE, run_cli

_, CHECKLIST = load_as(SAMPLE / "checklists" / "sample-vetting.yaml", Checklist)
REFERENCE = SAMPLE / "case_studies" / "sample" / "reference" / "early.yaml"


def answers_of(checklist: Checklist, values: dict[str, object]) -> AnswersFile:
    return AnswersFile(
        checklist=ChecklistRef(id=checklist.id, version=checklist.version),
        case="sample",
        answers={k: Answer(value=v) for k, v in values.items()},
    )


def test_reference_scores_exactly() -> None:
    result = score(
        CHECKLIST,
        answers_of(
            CHECKLIST,
            {
                "W1": "yes",
                "W2": "broker",
                "W3": ["screening"],
                "T1": "unknown",
            },
        ),
    )
    # who: W1 low(25) x3, W2 high(75), W3 low(25) -> (75 + 75 + 25) / 5 = 35
    # terms: T1 unknown -> default unknown_risk high (75); overall (35 + 75) / 2 = 55
    assert [(s.id, s.score) for s in result.sections] == [("who", 35), ("terms", 75)]
    assert result.overall == 55
    assert [f.id for f in result.red_flags] == ["RF2"]
    assert result.red_flags[0].answers == ("W2", "T1")
    assert result.verdict is Verdict.escalate
    assert [q.id for q in result.unknowns] == ["T1"]
    assert [c.text for c in result.conditions] == ["Contract only with the end-user agency."]
    assert result.complete


def test_critical_flag_declines_and_names_the_answer() -> None:
    result = score(CHECKLIST, answers_of(CHECKLIST, {"W1": "no", "W2": "direct"}))
    assert result.verdict is Verdict.decline
    decisive = result.reasons[0]
    assert decisive.verdict is Verdict.decline
    assert decisive.text == (
        "red flag RF1 (critical): The buyer is not a government agency, from answer W1"
    )
    assert decisive.answers == ("W1",)


def test_irrelevant_answers_are_kept_inactive_and_not_scored() -> None:
    result = score(
        CHECKLIST,
        answers_of(
            CHECKLIST,
            {
                "W1": "yes",
                "W2": "direct",
                "W3": ["none"],
                "T1": "yes",
            },
        ),
    )
    assert result.inactive == ("W3",)
    w3 = result.question("W3")
    assert w3 is not None and w3.risk is None and w3.answer == "None"
    assert result.sections[0].score == 25


def test_incomplete_answers_score_what_is_there() -> None:
    result = score(CHECKLIST, answers_of(CHECKLIST, {"W1": "yes"}))
    assert not result.complete
    assert result.missing == ("W2", "T1")
    assert result.sections[1].score is None
    assert result.overall == 25


def test_score_cli_json_keys_and_incomplete_notice(tmp_path: Path) -> None:
    result = run_cli("--content", SAMPLE, "score", "--json", REFERENCE)
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert {"verdict", "sections", "red_flags", "unknowns", "conditions", "reasons"} <= set(data)
    assert data["verdict"] == "escalate"
    partial = tmp_path / "partial.yaml"
    text = (
        REFERENCE.read_text().split("  W2:")[0].replace("status: complete", "status: in_progress")
    )
    partial.write_text(text)
    shown = run_cli("--content", SAMPLE, "score", partial)
    assert shown.code == 0, shown.err
    assert "INCOMPLETE: 2 required question(s) unanswered (W2, T1)" in shown.out


# ------------------------------------------------------------------ properties


def _value_strategy(checklist: Checklist, question_id: str) -> st.SearchStrategy[object]:
    question = checklist.question(question_id)
    assert question is not None
    values = [o.value for o in question.choice_list] + [UNKNOWN]
    if question.type == "multi":
        return st.one_of(
            st.just(UNKNOWN),
            st.lists(st.sampled_from(values[:-1]), min_size=1, unique=True),
        )
    if question.type == "text":
        return st.text(min_size=1, max_size=20)
    return st.sampled_from(values)


def answer_sets(checklist: Checklist) -> st.SearchStrategy[dict[str, object]]:
    ids = [q.id for _, q in checklist.questions()]
    return st.fixed_dictionaries({}, optional={qid: _value_strategy(checklist, qid) for qid in ids})


def riskier_single_change(
    checklist: Checklist, values: dict[str, object], data: st.DataObject
) -> tuple[str, str]:
    """Pick one answered single-choice question and move it to a strictly riskier value."""
    from diligence.content.conditions import answer_risk

    candidates = []
    for _, question in checklist.questions():
        value = values.get(question.id)
        if question.type in ("yesno", "single") and isinstance(value, str):
            current = answer_risk(question, value)
            assert current is not None
            worse = [
                v
                for v in [o.value for o in question.choice_list] + [UNKNOWN]
                if (r := answer_risk(question, v)) is not None and r.score > current.score
            ]
            if worse:
                candidates.append((question.id, worse))
    assume(candidates)
    question_id, worse = data.draw(st.sampled_from(candidates))
    return question_id, data.draw(st.sampled_from(worse))


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(values=answer_sets(CHECKLIST), data=st.data())
def test_a_riskier_answer_never_lowers_risk_or_improves_the_verdict(
    values: dict[str, object], data: st.DataObject
) -> None:
    question_id, worse = riskier_single_change(CHECKLIST, values, data)
    changed = {**values, question_id: worse}
    # Holds while the change leaves the same questions relevant; a change that opens or
    # closes follow-up questions re-scores those questions on their own answers.
    assume(relevance(CHECKLIST, values)[0] == relevance(CHECKLIST, changed)[0])  # type: ignore[arg-type]
    before = score(CHECKLIST, answers_of(CHECKLIST, values))
    after = score(CHECKLIST, answers_of(CHECKLIST, changed))
    section = CHECKLIST.section_of(question_id)
    assert section is not None
    old = next(s for s in before.sections if s.id == section.id).score
    new = next(s for s in after.sections if s.id == section.id).score
    if old is not None:
        assert new is not None and new >= old
    assert after.overall >= before.overall
    assert after.verdict.rank >= before.verdict.rank


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(values=answer_sets(CHECKLIST))
def test_a_critical_flag_always_declines(values: dict[str, object]) -> None:
    result = score(CHECKLIST, answers_of(CHECKLIST, values))
    if any(f.severity is Severity.critical for f in result.red_flags):
        assert result.verdict is Verdict.decline


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(values=answer_sets(CHECKLIST), seed=st.randoms())
def test_the_same_answers_always_give_the_same_result(
    values: dict[str, object], seed: random.Random
) -> None:
    shuffled = list(values.items())
    seed.shuffle(shuffled)
    first = score(CHECKLIST, answers_of(CHECKLIST, values))
    second = score(CHECKLIST, answers_of(CHECKLIST, dict(shuffled)))
    assert first == second
    assert first.to_json() == second.to_json()


# The same properties on the shipped checklists, whose red-flag rules are richer.
SHIPPED = {c: load_library().checklist(c) for c in ("customer-vetting", "vendor-program")}


@pytest.mark.slow
@pytest.mark.parametrize("checklist_id", sorted(SHIPPED))
def test_properties_hold_on_shipped_checklists(checklist_id: str) -> None:
    checklist = SHIPPED[checklist_id]

    @settings(max_examples=150, deadline=None)
    @given(values=answer_sets(checklist), data=st.data())
    def riskier(values: dict[str, object], data: st.DataObject) -> None:
        question_id, worse = riskier_single_change(checklist, values, data)
        changed = {**values, question_id: worse}
        assume(relevance(checklist, values)[0] == relevance(checklist, changed)[0])  # type: ignore[arg-type]
        before = score(checklist, answers_of(checklist, values))
        after = score(checklist, answers_of(checklist, changed))
        assert after.overall >= before.overall
        assert after.verdict.rank >= before.verdict.rank, (question_id, worse)
        if any(f.severity is Severity.critical for f in after.red_flags):
            assert after.verdict is Verdict.decline

    riskier()
