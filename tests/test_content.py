"""The shipped content: counts, per-question rules, reference verdicts, quotes and own words."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from diligence.content.library import load_library
from diligence.content.lint import lint_library
from diligence.content.models import Verdict, after_date
from diligence.scoring import score

from conftest import ROOT, run_cli

TRANSCRIPT = ROOT.parent / "shared" / "sources" / "000_5f51cc561f720595.txt"
LIBRARY = load_library()
REFERENCE = ROOT / "case_studies" / "pegasus" / "reference"


def test_shipped_content_validates() -> None:
    result = run_cli("validate")
    assert result.code == 0, result.err
    assert LIBRARY.problems == []
    assert lint_library(LIBRARY) == []


def test_list_json_shows_the_required_counts() -> None:
    data = json.loads(run_cli("list", "--json").out)
    checklists = {c["id"]: c for c in data["checklists"]}
    assert checklists["customer-vetting"]["questions"] >= 32
    assert checklists["customer-vetting"]["sections"] >= 8
    assert checklists["vendor-program"]["questions"] >= 20
    assert checklists["vendor-program"]["sections"] >= 6
    (case,) = [c for c in data["case_studies"] if c["id"] == "pegasus"]
    assert case["passages"] >= 30
    assert case["timeline"] >= 15
    assert {
        "mexico-2011",
        "mexico-2017",
        "saudi-2018",
        "eu-democracy-2020",
        "private-inquiry",
    } <= {s["id"] for s in case["scenarios"]}
    programme = next(s for s in case["scenarios"] if s["id"] == "programme-2018")
    assert programme["checklist"] == "vendor-program" and programme["as_of"] == "2018-12"


@pytest.mark.parametrize("checklist_id", ["customer-vetting", "vendor-program"])
def test_every_question_is_taught(checklist_id: str) -> None:
    checklist = LIBRARY.checklist(checklist_id)
    for _, question in checklist.questions():
        assert len(question.help) >= 60, question.id
        assert question.frameworks and question.cites, question.id
        assert question.teaching_note or question.scenario_notes, question.id


def test_teaching_notes_fit_their_scenario() -> None:
    """The saudi-2018 walkthrough told the class about Mexico's CISEN (user-trial #8): a
    general note now names no scenario's country or people, and each scenario's notes
    name only its own, or say where the pattern comes from."""
    case = LIBRARY.case("pegasus")
    checklist = LIBRARY.checklist("customer-vetting")
    names = {s.id: s.names for s in case.scenarios}
    mexico = set(names["mexico-2011"]) | set(names["mexico-2017"])

    def named(text: str, words: set[str]) -> set[str]:
        return {w for w in words if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text, re.I)}

    for _, question in checklist.questions():
        general = question.teaching_note or ""
        assert not named(general, {n for ns in names.values() for n in ns}), question.id
    for question_id in ("ID2", "ID3", "ID4", "ID5", "DST3", "DST4", "CON1", "OVS3", "REM5"):
        split = checklist.question(question_id)
        assert split is not None
        shown = " ".join(split.teaching_notes_for("saudi-2018"))
        assert shown and not named(shown, mexico), question_id
        assert not named(" ".join(split.teaching_notes_for("eu-democracy-2020")), mexico)
    cisen = checklist.question("ID2")
    assert cisen is not None and "CISEN" in " ".join(cisen.teaching_notes_for("mexico-2011"))
    assert cisen.teaching_notes_for(None) == (cisen.teaching_note,)


def test_customer_vetting_covers_the_eight_areas_and_skip_logic() -> None:
    checklist = LIBRARY.checklist("customer-vetting")
    assert [s.id for s in checklist.sections] == [
        "identity",
        "destination",
        "licensing",
        "governance",
        "contract",
        "oversight",
        "remedy",
        "transparency",
    ]
    assert any(q.when for _, q in checklist.questions())
    assert {q.type for _, q in checklist.questions()} == {"yesno", "single", "multi", "text"}
    severities = {f.severity.value for f in checklist.red_flags}
    assert {"critical", "high"} <= severities


def test_case_has_chapters_actors_timeline_and_sources() -> None:
    case = LIBRARY.case("pegasus")
    assert [c.id for c in case.chapters][:6] == [
        "intro",
        "beginnings",
        "el-chapo",
        "mr-x",
        "casa-blanca",
        "periphery",
    ]
    episode = case.bibliography[0]
    assert (episode.id, episode.kind) == ("malicious-life-s3e227", "episode")
    assert [c.source for c in case.chapters] == [episode.id] * 6 + [None]
    assert case.origin().startswith(
        "Teaching material built on the podcast episode Malicious Life, Season 3 / Episode 227, "
        '"Is NSO Evil? Part 1"'
    )
    assert case.origin().endswith("and the public record.") and not case.fictional
    names = {a.name for a in case.actors}
    assert {"Carmen Aristegui", "Shalev Hulio", "Omri Lavie"} <= names
    dates = [e.date for e in case.timeline]
    assert dates == sorted(dates)
    assert any(e.date.startswith("2021-11-03") for e in case.timeline)  # Entity List
    assert any(e.date.startswith("2023-06-15") for e in case.timeline)  # PEGA
    for scenario in case.scenarios:
        assert scenario.teaching_notes, scenario.id


EXPECTED_VERDICTS = {
    "private-inquiry": {Verdict.decline},
    "saudi-2018": {Verdict.decline},
    "mexico-2017": {Verdict.decline},
    "eu-democracy-2020": {Verdict.proceed, Verdict.proceed_with_conditions},
    "mexico-2011": {Verdict.escalate},
}


@pytest.mark.parametrize("scenario", sorted(EXPECTED_VERDICTS))
def test_reference_answers_give_the_expected_verdict(scenario: str) -> None:
    reference = LIBRARY.reference_for("pegasus", scenario)
    assert reference is not None
    result = score(LIBRARY.checklist(reference.model.checklist.id), reference.model)
    assert result.complete
    assert result.verdict in EXPECTED_VERDICTS[scenario]
    # The chain of reasons names the answers behind the decisive reason.
    assert result.reasons[0].verdict is result.verdict
    if result.verdict is Verdict.decline:
        assert result.reasons[0].answers


def test_at_least_three_distinct_verdicts_across_the_five() -> None:
    verdicts = set()
    for scenario in EXPECTED_VERDICTS:
        reference = LIBRARY.reference_for("pegasus", scenario)
        assert reference is not None
        verdicts.add(score(LIBRARY.checklist("customer-vetting"), reference.model).verdict)
    assert len(verdicts) >= 3


def _words(text: str) -> list[str]:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.findall(r"[a-z0-9']+", text.lower())


@pytest.fixture(scope="module")
def transcript() -> str:
    if not TRANSCRIPT.exists():
        pytest.skip("the episode transcript (../shared/sources) is not beside this checkout")
    return TRANSCRIPT.read_text()


def test_summaries_are_in_our_own_words(transcript: str) -> None:
    """No run of 10 words from the transcript appears in any summary, briefing or note,
    outside quotation marks (short attributed quotations are allowed)."""
    words = _words(transcript)
    runs = {" ".join(words[i : i + 10]) for i in range(len(words) - 9)}
    case = LIBRARY.case("pegasus")
    texts = [p.summary for _, p in case.passages().values()]
    texts += [s.briefing for s in case.scenarios]
    for checklist in LIBRARY.checklists.values():
        texts += [q.help for _, q in checklist.model.questions()]
        texts += [q.teaching_note or "" for _, q in checklist.model.questions()]
    for path in sorted(REFERENCE.glob("*.yaml")):
        texts.append(path.read_text())
    for text in texts:
        ours = _words(re.sub(r'"[^"]*"|“[^”]*”', " ", text))
        copied = [
            " ".join(ours[i : i + 10])
            for i in range(len(ours) - 9)
            if " ".join(ours[i : i + 10]) in runs
        ]
        assert not copied, copied[0]


def test_reference_files_do_not_cite_hindsight() -> None:
    case = LIBRARY.case("pegasus")
    passages = case.passages()
    for reference in LIBRARY.references:
        scenario = case.scenario(reference.model.scenario or "")
        assert scenario is not None
        for question_id, answer in reference.model.answers.items():
            for cited in answer.cites:
                passage = passages[cited][1]
                assert not passage.hindsight_for(scenario.as_of), (scenario.id, question_id, cited)


def test_reference_answers_path_is_stable() -> None:
    assert sorted(p.stem for p in REFERENCE.glob("*.yaml")) == sorted(
        s.id for s in LIBRARY.case("pegasus").scenarios
    )
    assert Path(REFERENCE / "mexico-2011.yaml").exists()


def test_briefings_rely_on_nothing_known_only_after_the_decision() -> None:
    """The lint's rule, on the shipped scenarios: Abdulaziz's ties to Khashoggi happened in
    2018 but became public in December, so they are hindsight on 1 October 2018 (its
    date alone would let them through) and fair game at the end of 2018."""
    case = LIBRARY.case("pegasus")
    passages = case.passages()
    for scenario in case.scenarios:
        late = [p for p in scenario.passages if passages[p][1].hindsight_for(scenario.as_of)]
        assert late == [], scenario.id
    ties = passages["record-2018-abdulaziz-khashoggi"][1]
    saudi, programme = case.scenario("saudi-2018"), case.scenario("programme-2018")
    assert saudi is not None and programme is not None
    assert ties.date and not after_date(ties.date, saudi.as_of)
    assert ties.hindsight_for(saudi.as_of) and not ties.hindsight_for(programme.as_of)
    assert ties.id not in saudi.passages and ties.id in programme.passages


MR_X_INTERVIEW = {"mrx-secrecy", "mrx-culture", "mrx-staff-concerns", "casa-reputation"}


def test_public_record_reviews_before_the_episode_leave_out_mr_x() -> None:
    """Mr. X describes NSO from the inside, so briefings written from inside NSO may use him.
    His interview became public only with the episode, which narrates July 2021 as past:
    a review of the public record before then may not rely on it."""
    case = LIBRARY.case("pegasus")
    for scenario in case.scenarios:
        if scenario.checklist == "vendor-program" and scenario.as_of < "2021-07":
            assert not MR_X_INTERVIEW & set(scenario.passages), scenario.id
            reference = LIBRARY.reference_for("pegasus", scenario.id)
            assert reference is not None
            for question_id, answer in reference.model.answers.items():
                assert not MR_X_INTERVIEW & set(answer.cites), (scenario.id, question_id)
