"""The student's argument in the engine: citations, rationales, and what the review counts.

Everything here is the engine any front end drives (`Flow`, the actions `drive` applies),
so the terminal and the browser cite, give reasons and count gaps the same way.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from diligence.assessment.answers import new_answers, save_answers
from diligence.assessment.drive import drive
from diligence.assessment.engine import Flow
from diligence.assessment.interface import (
    Cite,
    Finish,
    PromptInterrupted,
    Quit,
    Reply,
    Uncite,
)
from diligence.assessment.load import load_assessment
from diligence.content.library import load_library
from diligence.content.loader import load_as
from diligence.content.models import UNKNOWN, CaseStudy, Checklist
from diligence.content.models import Answer as SavedAnswer
from diligence.errors import AnswersError
from test_engine import Script

from conftest import SAMPLE

_, CHECKLIST = load_as(SAMPLE / "checklists" / "sample-vetting.yaml", Checklist)
_, CASE = load_as(SAMPLE / "case_studies" / "sample" / "case.yaml", CaseStudy)
CLOCK = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
LIBRARY = load_library()


def sample_flow(scenario: str | None = "early") -> Flow:
    file = new_answers(CHECKLIST, "sample", scenario, "Tester")
    return Flow(
        CHECKLIST,
        file,
        case=CASE,
        scenario=CASE.scenario(scenario) if scenario else None,
        clock=lambda: CLOCK,
    )


def vetting_flow(scenario: str = "mexico-2017") -> Flow:
    checklist = LIBRARY.checklist("customer-vetting")
    case = LIBRARY.case("pegasus")
    return Flow(
        checklist,
        new_answers(checklist, "pegasus", scenario, "Tester"),
        case=case,
        scenario=case.scenario(scenario),
        clock=lambda: CLOCK,
    )


# ------------------------------------------------------------------ citing


def test_cite_adds_passages_in_order_once_and_uncite_removes_them() -> None:
    flow = sample_flow(scenario=None)
    flow.cite(["p-one"])
    flow.cite(["p-record", "p-one"])
    assert flow.answers.answers["W1"].cites == ["p-one", "p-record"]
    assert [i.passage.id for i in flow.step().cited] == ["p-one", "p-record"]
    assert flow.answers.status == "in_progress" and flow.answers.updated == CLOCK
    flow.uncite(["p-one", "p-never"])
    assert flow.answers.answers["W1"].cites == ["p-record"]
    flow.uncite(["p-record"])
    assert "W1" not in flow.answers.answers, "an answer left with nothing is dropped"


def test_a_passage_after_the_decision_cannot_be_cited() -> None:
    flow = sample_flow()
    with pytest.raises(ValueError, match="p-two is dated or made public after 2011"):
        flow.cite(["p-one", "p-two"])
    assert "W1" not in flow.answers.answers, "nothing changes when one is refused"
    with pytest.raises(ValueError, match="case 'sample' has no passage 'p-nine'"):
        flow.cite(["p-nine"])


def test_search_finds_by_id_title_and_word_within_the_scenario_date() -> None:
    flow = vetting_flow("mexico-2017")
    by_id = flow.citable("chapo-first-sale")
    assert by_id[0].passage.id == "chapo-first-sale"
    ids = [i.passage.id for i in flow.citable("")]
    assert "record-2018-abdulaziz" not in ids and "record-2021-entity-list" not in ids
    assert "record-2017-reckless-exploit" in ids, "June 2017 is known at the decision"
    words = flow.citable("Aristegui")
    assert words and all(
        "aristegui" in f"{i.passage.title} {i.passage.summary}".casefold() for i in words
    )
    assert flow.citable("Abdulaziz") == (), "a 2018 dissident is hindsight in June 2017"
    later = vetting_flow("saudi-2018").citable("Abdulaziz")
    assert "record-2018-abdulaziz" in [i.passage.id for i in later]


def test_drive_applies_cite_and_uncite_and_saves() -> None:
    flow = sample_flow(scenario=None)
    saves: list[list[str]] = []

    def save() -> None:
        saves.append(list(flow.answers.answers.get("W1", SavedAnswer()).cites))

    script = Script(Cite(("p-one", "p-two")), Uncite(("p-one",)), Cite(("nope",)), Quit())
    assert drive(flow, script, save) is False
    assert saves == [["p-one", "p-two"], ["p-two"]]
    assert script.notices == ["case 'sample' has no passage 'nope'"]
    assert script.asked == ["W1", "W1", "W1", "W1"], "citing stays at the question"


# ------------------------------------------------------------------ rationale


def test_a_reply_carries_its_rationale() -> None:
    flow = sample_flow()
    flow.answer("yes", note="  The agency signed.  ")
    assert flow.answers.answers["W1"].note == "The agency signed."
    flow.goto("W1")
    flow.answer("yes")
    assert flow.answers.answers["W1"].note == "The agency signed.", "None keeps the note"
    flow.goto("W1")
    flow.answer("yes", note="")
    assert flow.answers.answers["W1"].note is None


def test_ctrl_c_while_typing_the_rationale_keeps_answer_and_reasons() -> None:
    flow = sample_flow()
    saved: list[tuple[object, str | None]] = []

    def save() -> None:
        answer = flow.answers.answers["W1"]
        saved.append((answer.value, answer.note))

    script = Script(PromptInterrupted(Reply("no", note="A private firm, half-typed")))
    with pytest.raises(PromptInterrupted):
        drive(flow, script, save)
    assert saved == [("no", "A private firm, half-typed")]


def test_the_step_says_which_answers_need_reasons() -> None:
    flow = vetting_flow()
    step = flow.step()
    assert step.question.id == "ID1"
    assert not step.needs_rationale("new") and step.needs_rationale(UNKNOWN)
    flow.answer("existing")
    flow.answer("intelligence")  # ID2, read by RF1: reasons always
    flow.goto("ID2")
    assert flow.step().needs_rationale("intelligence")


# ------------------------------------------------------------------ the review


def test_the_review_counts_answers_without_rationale_or_citation() -> None:
    flow = sample_flow(scenario=None)
    flow.cite(["p-one"])
    flow.answer("no", note="Not a state body.")
    flow.answer("broker")
    flow.answer(["none"])
    review = flow.review()
    assert flow.current is None
    assert review.gaps.no_rationale == ("W2", "W3")
    assert review.gaps.no_citation == ("W2", "W3")
    assert review.gaps.rationale_required == (), "the sample checklist asks for none"
    assert next(r for r in review.rows if r.question_id == "W1").cites == ("p-one",)
    assert review.gaps


def test_required_rationales_follow_the_checklist() -> None:
    flow = vetting_flow()
    flow.answer("existing")  # ID1: no risk, no rule of its own
    flow.answer("intelligence", note="CISEN, a state intelligence body.")  # ID2: always
    flow.skip()  # ID3, optional
    flow.answer(UNKNOWN)  # ID4: every unknown needs reasons
    flow.answer("direct")  # ID5: read by RF2, so always
    review = flow.review()
    assert review.gaps.no_rationale[:3] == ("ID1", "ID4", "ID5")
    assert review.gaps.rationale_required[:2] == ("ID4", "ID5")
    row = next(r for r in review.rows if r.question_id == "ID4")
    assert row.value == UNKNOWN and row.needs_rationale


def test_finishing_with_gaps_is_never_blocked() -> None:
    flow = sample_flow(scenario=None)
    script = Script(Reply("yes"), Reply("direct"), Reply("yes"), Reply("x"), Finish())
    assert drive(flow, script, lambda: None) is True
    assert flow.answers.status == "complete"
    assert script.reviews[0].gaps.no_citation == ("W1", "W2", "T1", "T2")


# ------------------------------------------------------------------ the file


def test_an_answers_file_citing_hindsight_is_refused_with_its_line(tmp_path: Path) -> None:
    checklist = LIBRARY.checklist("customer-vetting")
    answers = new_answers(checklist, "pegasus", "mexico-2017", "Tester")
    answers.answers["DST3"] = SavedAnswer(value="yes", cites=["record-2018-abdulaziz"])
    path = tmp_path / "a.yaml"
    save_answers(answers, path)
    with pytest.raises(AnswersError) as raised:
        load_assessment(path, LIBRARY)
    (line,) = raised.value.lines()
    assert line.startswith(f"{path}:")
    assert "cites passage record-2018-abdulaziz, dated or made public 2018" in line
    assert "after the scenario's decision (2017-06-19); remove it" in line
