"""The pure assessment flow, driven by a scripted prompter: skip logic, navigation, resume."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from diligence.assessment.answers import new_answers
from diligence.assessment.drive import drive
from diligence.assessment.engine import Flow
from diligence.assessment.interface import (
    Action,
    Back,
    Change,
    Finish,
    Jump,
    Note,
    PromptInterrupted,
    Quit,
    Reply,
    Review,
    ReviewAction,
    Skip,
    Step,
)
from diligence.assessment.upgrade import upgrade
from diligence.content.library import Loaded, load_library
from diligence.content.lint import lint_answers
from diligence.content.loader import load_as
from diligence.content.models import (
    UNKNOWN,
    AnswersFile,
    CaseStudy,
    Checklist,
)
from diligence.content.models import Answer as SavedAnswer
from diligence.content.rules import answer_text
from diligence.content.yamlio import parse_yaml

from conftest import SAMPLE

_, CHECKLIST = load_as(SAMPLE / "checklists" / "sample-vetting.yaml", Checklist)
_, CASE = load_as(SAMPLE / "case_studies" / "sample" / "case.yaml", CaseStudy)
SCENARIO = CASE.scenario("early")
CLOCK = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)


def flow_for(answers: dict[str, SavedAnswer] | None = None) -> Flow:
    file = new_answers(CHECKLIST, "sample", "early", "Tester")
    file.answers = dict(answers or {})
    return Flow(CHECKLIST, file, case=CASE, scenario=SCENARIO, clock=lambda: CLOCK)


class Script:
    """A `Prompter` (all that `drive` needs) that plays back actions and records what it was
    shown."""

    def __init__(self, *actions: Action | ReviewAction | KeyboardInterrupt) -> None:
        self.actions = list(actions)
        self.asked: list[str] = []
        self.reviews: list[Review] = []
        self.notices: list[str] = []

    def _next(self) -> Action | ReviewAction:
        assert self.actions, f"script ran out after asking {self.asked}"
        action = self.actions.pop(0)
        if isinstance(action, BaseException):
            raise action
        return action

    def notice(self, text: str) -> None:
        self.notices.append(text)

    def ask(self, step: Step) -> Action:
        self.asked.append(step.question.id)
        action = self._next()
        assert not isinstance(action, Finish | Change), f"review action at {step.question.id}"
        return action

    def review(self, review: Review) -> ReviewAction:
        self.asked.append("review")
        self.reviews.append(review)
        action = self._next()
        assert isinstance(action, Finish | Change | Quit), f"question action at review: {action}"
        return action


def test_skip_logic_decides_which_questions_are_asked() -> None:
    flow = flow_for()
    assert flow.current == "W1"
    flow.answer("no")  # not a government buyer: the contract section does not apply
    assert flow.relevant_ids() == ["W1", "W2"]
    assert flow.current == "W2"
    flow.answer("broker")  # a broker: W3 applies
    assert flow.current == "W3"
    flow.answer(["screening"])
    assert flow.current is None, "all relevant questions answered: the review comes next"


def test_an_answer_that_becomes_irrelevant_is_kept_inactive_and_comes_back() -> None:
    flow = flow_for()
    flow.answer("yes")
    flow.answer("broker")
    flow.answer(["none"])
    flow.back()
    flow.back()
    assert flow.current == "W2"
    changes = flow.answer("direct")
    assert changes.deactivated == ("W3",)
    kept = flow.answers.answers["W3"]
    assert kept.value == ["none"] and kept.inactive
    flow.goto("W2")
    changes = flow.answer("broker")
    assert changes.reactivated == ("W3",)
    assert flow.answers.answers["W3"].inactive is False
    assert flow.answers.answers["W3"].value == ["none"]


def test_back_walks_forward_through_answered_questions_then_fills() -> None:
    flow = flow_for()
    flow.answer("yes")
    flow.answer("direct")
    assert flow.current == "T1"
    assert flow.back() and flow.current == "W2"
    assert flow.step().saved is not None and flow.step().saved.value == "direct"  # type: ignore[union-attr]
    assert flow.back() and flow.current == "W1"
    assert not flow.back(), "there is nothing before the first question"
    assert flow.current == "W1"
    flow.answer("partial")
    assert flow.current == "W2", "walking: the next question, answered or not"
    flow.answer("direct")
    assert flow.current == "T1"


def test_back_from_the_review_goes_to_the_last_question() -> None:
    flow = flow_for({"W1": SavedAnswer(value="no"), "W2": SavedAnswer(value="direct")})
    assert flow.current is None
    assert flow.back() and flow.current == "W2"


def test_jump_goes_to_a_section_and_the_end_returns_to_what_is_open() -> None:
    flow = flow_for()
    flow.jump("terms")
    assert flow.current == "T1"
    flow.answer("yes")
    flow.skip()  # T2 is optional
    assert flow.current == "W1", "after the last question, the first one still open"
    flow.answer("yes")
    assert flow.current == "W2"
    flow.answer("direct")
    assert flow.current is None, "T1 and T2 are done already: straight to the review"


def test_jump_to_a_section_that_does_not_apply_is_refused() -> None:
    flow = flow_for({"W1": SavedAnswer(value="no")})
    with pytest.raises(ValueError, match="no question that applies"):
        flow.jump("terms")
    statuses = {s.id: s for s in flow.step().sections}
    assert not statuses["terms"].relevant
    assert statuses["who"].answered == 1 and statuses["who"].total == 2


def test_resume_starts_at_the_first_unanswered_relevant_question() -> None:
    flow = flow_for({"W1": SavedAnswer(value="yes"), "W2": SavedAnswer(value="direct")})
    assert flow.current == "T1"
    step = flow.step()
    assert (step.number, step.total, step.answered) == (3, 4, 2)
    assert step.can_go_back


def test_notes_are_kept_and_a_blank_note_on_an_unanswered_question_leaves_nothing() -> None:
    flow = flow_for()
    flow.set_note("  First thought.\nSecond line.  ")
    assert flow.answers.answers["W1"].note == "First thought.\nSecond line."
    assert flow.answers.answers["W1"].value is None
    assert flow.current == "W1", "a note does not move on"
    flow.set_note("")
    assert "W1" not in flow.answers.answers
    flow.answer("yes")
    flow.back()
    flow.set_note("why")
    flow.set_note(" ")
    assert flow.answers.answers["W1"].value == "yes" and flow.answers.answers["W1"].note is None


def test_invalid_answers_are_refused() -> None:
    flow = flow_for({"W1": SavedAnswer(value="yes"), "W2": SavedAnswer(value="broker")})
    assert flow.current == "W3"
    with pytest.raises(ValueError, match="no choice 'maybe'"):
        flow.answer(["maybe"])
    with pytest.raises(ValueError, match="needs an answer"):
        flow.answer([])
    with pytest.raises(ValueError, match="cannot be combined"):
        flow.answer([UNKNOWN, "none"])
    with pytest.raises(ValueError, match="is required"):
        flow.skip()
    flow.answer([UNKNOWN])
    assert flow.current == "T1"


def test_a_required_question_without_a_value_is_open_whatever_its_timestamp() -> None:
    flow = flow_for({"W1": SavedAnswer(answered_at=CLOCK), "W2": SavedAnswer(value="direct")})
    assert flow.current == "W1"
    assert flow.review().missing == ("W1", "T1")


def test_answered_at_changes_only_when_the_value_does() -> None:
    earlier = datetime(2020, 1, 1, tzinfo=UTC)
    flow = flow_for({"W1": SavedAnswer(value="yes", answered_at=earlier)})
    flow.goto("W1")
    flow.answer("yes")
    assert flow.answers.answers["W1"].answered_at == earlier
    flow.goto("W1")
    flow.answer("no")
    assert flow.answers.answers["W1"].answered_at == CLOCK


def test_evidence_leaves_out_passages_dated_after_the_scenario() -> None:
    flow = flow_for()
    evidence = flow.evidence(CHECKLIST.question("W1"))  # type: ignore[arg-type]
    assert [i.passage.id for i in evidence.items] == ["p-one"]
    assert evidence.items[0].source == "Sample S1E1, 'The sample episode', chapter 'Chapter one'"
    assert evidence.later == () and not evidence.from_briefing
    later = flow.evidence(CHECKLIST.question("T1"))  # type: ignore[arg-type]
    assert later.later == ("p-two", "p-record"), "2019 and 2020 are hindsight in 2011"
    assert later.from_briefing and [i.passage.id for i in later.items] == ["p-one"]


def test_evidence_leaves_out_a_passage_made_public_after_the_scenario() -> None:
    """p-one happened in 2010 but, say, became public only in 2015: hindsight in 2011."""
    case = CASE.model_copy(deep=True)
    case.chapters[0].passages[0].known_from = "2015"
    file = new_answers(CHECKLIST, "sample", "early", "Tester")
    flow = Flow(CHECKLIST, file, case=case, scenario=case.scenario("early"), clock=lambda: CLOCK)
    evidence = flow.evidence(CHECKLIST.question("W1"))  # type: ignore[arg-type]
    assert evidence.later == ("p-one",)


def test_evidence_without_a_scenario_shows_every_cited_passage() -> None:
    flow = Flow(CHECKLIST, new_answers(CHECKLIST, "sample", None, "T"), case=CASE)
    evidence = flow.evidence(CHECKLIST.question("T1"))  # type: ignore[arg-type]
    assert [i.passage.id for i in evidence.items] == ["p-two", "p-record"]
    assert evidence.items[1].source == "A sample report on the sample topic"


def test_frameworks_are_named_with_their_provisions() -> None:
    library = load_library([SAMPLE])
    flow = Flow(
        CHECKLIST, new_answers(CHECKLIST, "sample", "early", "T"), frameworks=library.frameworks
    )
    assert flow.step().frameworks == ("SAMPLE-UNGP 17: Human-rights due diligence",)


def test_review_lists_answers_risks_notes_and_inactive_ones() -> None:
    flow = flow_for(
        {
            "W1": SavedAnswer(value="no", note="A private firm."),
            "W2": SavedAnswer(value="broker"),
            "T1": SavedAnswer(value="yes"),
        }
    )
    flow.goto("W2")
    flow.answer("direct")
    rows = {r.question_id: r for r in flow.review().rows}
    assert list(rows) == ["W1", "W2", "T1"]
    assert rows["W1"].shown == "No" and rows["W1"].risk == "critical" and rows["W1"].note
    assert rows["W2"].shown == "The agency itself" and rows["W2"].risk == "low"
    assert rows["T1"].inactive and rows["T1"].shown == "Yes"
    assert flow.review().missing == ()


def test_describe_uses_labels() -> None:
    w3 = CHECKLIST.question("W3")
    assert answer_text(w3, ["screening", "none"], "prompt") == "Restricted-party screening; None"
    assert answer_text(w3, [UNKNOWN], "prompt") == "Unknown"
    assert answer_text(CHECKLIST.question("T2"), "Signed.", "prompt") == "Signed."
    assert answer_text(w3, None, "prompt") == "—"
    assert answer_text(w3, ["screening", "none"]) == "Restricted-party screening, None"
    assert answer_text(w3, None) == "(not answered)"


# --------------------------------------------------------------------------- drive


def test_drive_saves_after_every_change_and_finishes() -> None:
    flow = flow_for()
    saves: list[dict[str, object]] = []
    script = Script(
        Note("Ministry"),
        Reply("yes"),
        Reply("broker"),
        Back(),
        Reply("direct"),  # W3 no longer applies
        Reply("no"),
        Skip(),
        Change("T1"),
        Reply(UNKNOWN),
        Finish(),
    )
    finished = drive(flow, script, lambda: saves.append(dict(flow.answers.answers)))
    assert finished
    assert script.asked == ["W1", "W1", "W2", "W3", "W2", "T1", "T2", "review", "T1", "review"]
    assert len(saves) == 8, "the note, six answers (one a skip), then the finish"
    assert flow.answers.status == "complete"
    values = {k: a.value for k, a in flow.answers.answers.items()}
    assert values == {"W1": "yes", "W2": "direct", "T1": UNKNOWN, "T2": None}
    assert flow.answers.answers["W1"].note == "Ministry"


def test_drive_reports_answers_that_stop_applying_and_come_back() -> None:
    flow = flow_for(
        {
            "W1": SavedAnswer(value="yes"),
            "W2": SavedAnswer(value="direct"),
            "T1": SavedAnswer(value="no"),
        }
    )
    script = Script(Jump("who"), Reply("no"), Back(), Reply("yes"), Quit())
    assert not drive(flow, script, lambda: None)
    assert script.asked == ["T2", "W1", "W2", "W1", "W2"]
    assert script.notices == [
        "No longer applies: T1 (the answer is kept, marked inactive)",
        "Applies again: T1 (the earlier answer counts again)",
    ]
    assert flow.answers.answers["T1"].value == "no"


def test_quit_leaves_the_status_in_progress() -> None:
    flow = flow_for()
    assert not drive(flow, Script(Reply("yes"), Quit()), lambda: None)
    assert flow.answers.status == "in_progress"
    assert flow.answers.answers["W1"].value == "yes"


def test_changing_a_completed_assessment_needs_a_new_confirmation() -> None:
    flow = flow_for({"W1": SavedAnswer(value="no"), "W2": SavedAnswer(value="direct")})
    assert drive(flow, Script(Finish()), lambda: None)
    answers = flow.answers
    assert answers.status == "complete"
    flow.goto("W2")
    flow.answer("broker")
    assert flow.answers.status == "in_progress"
    assert flow.current == "W3", "the change opened a question"


def test_ctrl_c_saves_what_was_being_typed_before_propagating() -> None:
    flow = flow_for()
    saved: list[str | None] = []
    script = Script(PromptInterrupted(Note("half a tho")))
    with pytest.raises(KeyboardInterrupt):
        drive(flow, script, lambda: saved.append(flow.answers.answers["W1"].note))
    assert saved == ["half a tho"]


def test_plain_ctrl_c_propagates_without_saving() -> None:
    flow = flow_for()
    saves: list[int] = []
    with pytest.raises(KeyboardInterrupt):
        drive(flow, Script(KeyboardInterrupt()), lambda: saves.append(1))
    assert saves == []


# --------------------------------------------------------------------------- version change


def _answers_from(text: str, path: Path) -> Loaded[AnswersFile]:
    path.write_text(text)
    doc = parse_yaml(text, str(path))
    return Loaded(path, doc, AnswersFile.model_validate(doc.data))


def test_upgrade_names_added_and_removed_questions_and_drops_nothing() -> None:
    data = CHECKLIST.model_dump(by_alias=True, exclude_defaults=True)
    data["version"] = "1.1"
    who, terms = data["sections"]
    who["questions"] = [q for q in who["questions"] if q["id"] != "W3"]
    terms["questions"].append({**terms["questions"][-1], "id": "T3"})  # a copy of T2
    newer = Checklist.model_validate(data)
    old = new_answers(CHECKLIST, "sample", "early", "T")
    old.answers = {
        "W1": SavedAnswer(value="yes"),
        "W2": SavedAnswer(value="broker"),
        "W3": SavedAnswer(value=["none"], note="No checks."),
    }
    change = upgrade(old, newer)
    assert (change.old_version, change.new_version) == ("1.0", "1.1")
    assert change.added == ["T3"] and change.removed == ["W3"]
    assert old.answers["W3"].inactive and old.answers["W3"].value == ["none"]
    assert old.checklist.version == "1.1" and "T3" in old.checklist.questions
    flow = Flow(newer, old)
    assert flow.current == "T1"
    assert [r.question_id for r in flow.review().rows if r.inactive] == ["W3"]


def test_upgrade_moves_an_answer_that_is_no_longer_a_choice_into_the_note() -> None:
    newer = CHECKLIST.model_copy(deep=True)
    newer.version = "2.0"
    newer.choice_lists["party"] = [o for o in newer.choice_lists["party"] if o.value != "broker"]
    newer = Checklist.model_validate(newer.model_dump(by_alias=True, exclude_defaults=True))
    old = new_answers(CHECKLIST, "sample", "early", "T")
    old.answers = {
        "W1": SavedAnswer(value="yes", answered_at=CLOCK),
        "W2": SavedAnswer(value="broker", note="Hm.", answered_at=CLOCK),
    }
    change = upgrade(old, newer)
    assert change.invalid == {"W2": "broker"}
    assert old.answers["W2"].value is None
    assert old.answers["W2"].note == "Hm.\n\nEarlier answer (checklist 1.0): broker"
    assert Flow(newer, old).current == "W2", "asked again"


def test_lint_accepts_inactive_answers_to_removed_questions_only(tmp_path: Path) -> None:
    library = load_library([SAMPLE])
    text = (
        "format: 1\nchecklist: {id: sample-vetting, version: '1.0'}\ncase: sample\n"
        "scenario: early\nanswers:\n  W1: {value: 'yes'}\n  Z9: {value: x, inactive: true}\n"
        "  Z8: {value: x}\n"
    )
    problems = lint_answers(_answers_from(text, tmp_path / "a.yaml"), library)
    assert [(p.line, p.message.split(";")[0]) for p in problems] == [
        (8, "checklist sample-vetting has no question 'Z8'")
    ]
