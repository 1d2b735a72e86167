"""The report model: citations, frameworks, bibliography and scoring, resolved once."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from diligence.content.library import load_library
from diligence.report.chart import section_chart
from diligence.report.markdown import render_markdown
from diligence.report.palette import LEVEL_COLOURS

from reporting import REFERENCE, copy_sample, sample_library, sample_report, write_answers


def test_citations_resolve_to_passage_chapter_and_source() -> None:
    report, _ = sample_report()
    w1 = report.finding("W1")
    assert w1 is not None
    (c,) = w1.evidence
    assert (c.passage, c.title, c.chapter) == ("p-one", "The first passage", "Chapter one")
    assert c.source == "Sample S1E1, 'The sample episode', chapter 'Chapter one'"
    assert (c.quote, c.speaker) == ("It was a sample.", "A Speaker")
    assert c.chapter_source == "sample-episode"
    assert c.sources == ("sample-episode",)
    assert w1.evidence_from == "answer"
    trainer, _ = sample_report(trainer=True)  # only a trainer's report shows hindsight
    t1 = trainer.finding("T1")
    assert t1 is not None and t1.evidence_from == "question"  # the assessor cited nothing
    record = next(c for c in t1.evidence if c.passage == "p-record")
    assert record.source == "A sample report on the sample topic"
    assert record.after_decision  # 2020, after the 2011 decision
    assert not c.after_decision


def test_a_citation_made_public_after_the_decision_is_refused() -> None:
    import pytest

    from diligence.errors import AnswersError

    library = sample_library()
    loaded = library.cases["sample"]
    loaded.model.chapters[0].passages[0].known_from = "2015"  # p-one: dated 2010, public 2015
    with pytest.raises(AnswersError, match="cites passage p-one, dated or made public 2015"):
        sample_report(library=library)


def test_frameworks_resolve_to_full_names() -> None:
    report, _ = sample_report()
    w1 = report.finding("W1")
    assert w1 is not None
    (ref,) = w1.frameworks
    assert ref.reference == "SAMPLE-UNGP 17"
    assert ref.framework == "Sample Guiding Principles"
    assert ref.provision == "Human-rights due diligence"


def test_a_students_report_shows_nothing_after_the_decision() -> None:
    """T1's checklist passages (2019, 2020) postdate the 2011 decision: a student's report
    falls back on the briefing's passages, and the later record's source is not listed."""
    for edition in ("student", "full"):
        report, _ = sample_report(edition=edition)
        t1 = report.finding("T1")
        assert t1 is not None
        assert [c.passage for c in t1.evidence] == ["p-one"] and t1.evidence_from == "briefing"
        every = [c for s in report.sections for f in s.findings for c in f.evidence]
        assert not any(c.after_decision for c in every)
        assert [s.id for s in report.bibliography] == ["sample-episode"]
        later = [e for e in report.timeline if e.after_decision]
        assert later and all(e.event == "" and not e.passages for e in later)


def test_bibliography_holds_every_source_cited_and_nothing_else() -> None:
    report, _ = sample_report(trainer=True)
    assert [(s.id, s.kind, s.kind_name) for s in report.bibliography] == [
        ("sample-episode", "episode", "podcast episode"),
        ("sample-report", "report", "report"),
    ]


def test_findings_unanswered_and_inactive_are_apart() -> None:
    report, _ = sample_report()
    assert [f.question for s in report.sections for f in s.findings] == ["W1", "W2", "W3", "T1"]
    assert [f.question for f in report.unanswered] == ["T2"]
    assert report.inactive == ()
    assert report.unknowns == ("T1",)
    assert report.finding("W2").red_flags == ("RF2",)  # type: ignore[union-attr]
    assert report.finding("W2").conditions == ("Contract only with the end-user agency.",)  # type: ignore[union-attr]


def test_teaching_notes_only_for_trainers() -> None:
    student, _ = sample_report()
    trainer, _ = sample_report(trainer=True)
    assert student.finding("W1").teaching_note is None  # type: ignore[union-attr]
    assert student.scenario is not None and student.scenario.teaching_notes == ()
    assert trainer.finding("W1").teaching_note == "In the sample, it was."  # type: ignore[union-attr]
    assert trainer.scenario is not None
    assert trainer.scenario.teaching_notes == ("What would you ask first?",)


def test_scoring_appendix_follows_the_checklist_policy(tmp_path: Path) -> None:
    content = copy_sample(tmp_path / "content")
    checklist = content / "checklists" / "sample-vetting.yaml"
    checklist.write_text(
        checklist.read_text()
        + "  proceed_below: 10\n  conditions_below: 40\n  escalate_below: 90\n"
    )  # under the fixture's own `scoring:` (its verdict labels), at the end of the file
    library = load_library([content])
    report, _ = sample_report(library=library)
    bands = [(b.low, b.high, b.label) for b in report.scoring.verdict_bands]
    assert bands == [
        (0, 9, "Proceed"),
        (10, 39, "Proceed with conditions"),
        (40, 89, "Escalate to the board"),
        (90, 100, "Decline"),
    ]
    assert [(u.level, u.questions) for u in report.scoring.unknown_risks] == [
        ("high", 3),
        ("critical", 1),
    ]


def test_a_passage_is_summarised_once_per_chapter() -> None:
    report, _ = sample_report(trainer=True)
    assert report.first_citations("findings") == {"p-one": "W1", "p-two": "W3", "p-record": "T1"}
    assert report.first_citations("red_flags") == {}


def test_equal_input_builds_equal_models() -> None:
    assert sample_report()[0] == sample_report()[0]
    assert sample_report()[0].answers.name == REFERENCE.name


def test_chart_draws_one_bar_per_section_coloured_by_level() -> None:
    report, _ = sample_report()
    sections = (
        *report.sections,
        dataclasses.replace(
            report.sections[0], title="<b>Nothing</b> & more", score=None, level=None
        ),
    )
    svg = section_chart(sections)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count("<rect") == 2
    assert f'fill="{LEVEL_COLOURS["low"]}"' in svg and f'fill="{LEVEL_COLOURS["high"]}"' in svg
    assert "&lt;b&gt;Nothing&lt;/b&gt; &amp; more" in svg and "<b>" not in svg
    assert "not assessed" in svg
    assert (
        'aria-label="Section risk, 0 to 100: Who is buying 35 (low); Contract terms 75 (high)'
        in svg
    )


def test_inactive_answers_are_kept_apart_and_not_scored(tmp_path: Path) -> None:
    answers = write_answers(tmp_path / "a.yaml", {"answers.W1": {"value": "no", "note": "Not."}})
    report, _ = sample_report(answers)
    assert [f.question for f in report.inactive] == ["T1"]
    assert (
        report.inactive[0].status == "inactive"
        and report.inactive[0].note == "The record is silent."
    )
    assert report.not_applicable == 1  # T2: neither relevant nor answered
    assert report.verdict == "decline"
    assert "T1" not in [f.question for s in report.sections for f in s.findings]


def test_incomplete_answers_make_a_draft(tmp_path: Path) -> None:
    answers = write_answers(tmp_path / "a.yaml", {"answers.W2": None, "status": "in_progress"})
    text = answers.read_text().replace("  W2: null\n", "")
    answers.write_text(text)
    report, _ = sample_report(answers)
    assert not report.complete and report.missing == ("W2",)
    assert [f.question for f in report.unanswered] == ["W2", "T2"]
    assert "**Draft: incomplete assessment.** 1 required question unanswered (W2)" in (
        render_markdown(report)
    )
