"""`checklists/<id>.yaml`: questions with the risk of each answer, red-flag rules, policy."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import (
    AllowInfNan,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    model_validator,
)

from diligence.content.models.base import Id, StrictModel, Text
from diligence.content.models.condition import Condition
from diligence.content.models.levels import RiskLevel, Severity, Verdict

QuestionType = Literal["yesno", "single", "multi", "text", "number", "date"]
YesNo = Literal["yes", "no", "partial"]
YESNO_VALUES: tuple[YesNo, ...] = ("yes", "no", "partial")
YESNO_LABELS = {"yes": "Yes", "no": "No", "partial": "Partly"}

Finite = Annotated[float, AllowInfNan(False)]
Unit = Annotated[str, StringConstraints(min_length=1, max_length=40)]


class Option(StrictModel):
    """One answer a choice question offers, with the risk it carries."""

    value: Id
    label: Text
    risk: RiskLevel
    mitigation: Text | None = None
    """The condition or mitigation a risky choice calls for, e.g. 'add audit rights'."""
    exclusive: bool = False
    """Of a multiple-choice question: this choice cannot be ticked with any other (e.g.
    "None documented" beside "Journalists")."""


class RationaleRule(StrictModel):
    """When an answer needs the assessor's reasons (its note): always, for answers at or
    above a risk level, and/or for "unknown". Front ends invite the rationale and count
    the answers without one; they never refuse an answer for it."""

    always: bool = False
    risk_at_least: RiskLevel | None = None
    unknown: bool = False

    @model_validator(mode="after")
    def _says_something(self) -> RationaleRule:
        if not (self.always or self.risk_at_least or self.unknown):
            raise ValueError("a rationale rule needs always, risk_at_least or unknown")
        return self


class YesNoRisk(StrictModel):
    """The risk of each answer to a yes/no question."""

    yes: RiskLevel
    no: RiskLevel
    partial: RiskLevel | None = None
    """Offer "Partly" too, at this risk; leave it out where half an answer makes no sense."""


class Threshold(StrictModel):
    """From this number on (up to the next threshold), a number answer carries this risk."""

    at_least: Finite
    risk: RiskLevel
    mitigation: Text | None = None
    """What a risky number calls for, e.g. 'name a back-up for the compliance officer'."""


def _question_schema(schema: dict[str, Any]) -> None:
    """The per-type rules of `Question._shape`, in the JSON Schema, for editors: what each
    type needs, and the keys it may not have."""
    rules = []
    for kind, keys in _TYPE_KEYS.items():
        then: dict[str, Any] = {"properties": {k: False for k in _TYPED_KEYS if k not in keys}}
        if kind == "yesno":
            then["required"] = ["risk"]
        elif kind in ("single", "multi"):
            then["oneOf"] = [{"required": ["options"]}, {"required": ["choices"]}]
        rules.append(
            {"if": {"properties": {"type": {"const": kind}}, "required": ["type"]}, "then": then}
        )
    schema["allOf"] = rules


class ScenarioNote(StrictModel):
    """A teaching note that fits only some scenarios of the checklist's case."""

    scenarios: list[Id] = Field(min_length=1)
    note: Text


class Question(StrictModel):
    """One question. Every type but free text also accepts "unknown"; a question marked
    `not_applicable` also accepts "not applicable", with the reason in the note."""

    model_config = ConfigDict(json_schema_extra=_question_schema)

    id: Id
    text: Text
    type: QuestionType
    help: Text
    options: list[Option] | None = None
    """For single and multi: the choices (or name a shared list with `choices`)."""
    choices: Id | None = None
    risk: YesNoRisk | None = None
    """For yesno: the risk of each answer."""
    mitigation: dict[YesNo, Text] | None = None
    """For yesno: the condition or mitigation each risky answer calls for."""
    thresholds: list[Threshold] | None = None
    """For number: the risk from each number on, in rising order; below the first, none.
    Without thresholds a number is recorded but not scored."""
    unit: Unit | None = None
    """For number: what is counted, e.g. 'people' or 'days'."""
    minimum: Finite | None = None
    maximum: Finite | None = None
    integer: bool = False
    """For number: only whole numbers."""
    unknown_risk: RiskLevel = RiskLevel.high
    unknown_mitigation: Text | None = None
    not_applicable: bool = False
    """May be answered "not applicable" (with the reason in the note): left out of the
    scoring and counted as answered."""
    required: bool = True
    weight: Annotated[float, Field(ge=0, le=100)] = 1.0
    when: Condition | None = None
    frameworks: list[str] = Field(min_length=1)
    """The framework references the question rests on, e.g. 'UNGP 17' (at least one)."""
    cites: list[Id] = []
    """Case passages, for a checklist that names its case."""
    basis: Text | None = None
    """What the checklist's own source says for this question (in your words, or a short
    marked quotation): for a checklist that encodes a text such as an official one."""
    group: Id | None = None
    """A group of its section (`groups`) whose shared stem the question completes."""
    teaching_note: Text | None = None
    """The general teaching note, shown in every scenario: it should name no scenario's
    country or people where `scenario_notes` exist (the lint checks)."""
    scenario_notes: list[ScenarioNote] = []
    """Teaching notes for particular scenarios, shown after the general note."""
    rationale: RationaleRule | None = None
    """When an answer to this question needs a rationale; else the checklist's rule."""
    _choices: list[Option] = PrivateAttr(default_factory=list)

    @model_validator(mode="after")
    def _shape(self) -> Question:
        """Each type takes its own keys and no others."""
        keys = _TYPE_KEYS[self.type]
        given = [name for name in _TYPED_KEYS if getattr(self, name) not in (None, False)]
        wrong = [name for name in given if name not in keys]
        if wrong:
            allowed = f"; it takes {', '.join(sorted(keys))}" if keys else ""
            raise ValueError(f"{self.type} question {self.id} takes no '{wrong[0]}'{allowed}")
        if self.type == "yesno":
            self._yesno()
        elif self.type in ("single", "multi"):
            if (self.options is None) == (self.choices is None):
                raise ValueError(f"{self.type} question {self.id} needs 'options' or 'choices'")
            self._choices = list(self.options or [])
            if self.type == "single" and any(o.exclusive for o in self._choices):
                raise ValueError(f"'exclusive' only goes with multiple choice ({self.id})")
        elif self.type == "number":
            self._number()
        return self

    def _yesno(self) -> None:
        if self.risk is None:
            raise ValueError(
                f"yesno question {self.id} needs 'risk' for yes and no (and partial, to offer "
                "'Partly'), e.g. risk: {{yes: low, no: high, partial: medium}}"
            )
        risks = {"yes": self.risk.yes, "no": self.risk.no, "partial": self.risk.partial}
        extra = [v for v in self.mitigation or {} if risks[v] is None]
        if extra:
            raise ValueError(
                f"yesno question {self.id} has a mitigation for '{extra[0]}' but no risk for it"
            )
        self._choices = [
            Option(
                value=value,
                label=YESNO_LABELS[value],
                risk=level,
                mitigation=(self.mitigation or {}).get(value),
            )
            for value in YESNO_VALUES
            if (level := risks[value]) is not None
        ]

    def _number(self) -> None:
        bounds = [t.at_least for t in self.thresholds or []]
        if bounds != sorted(set(bounds)):
            raise ValueError(
                f"number question {self.id}: thresholds must rise, each 'at_least' above the last"
            )
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise ValueError(f"number question {self.id}: minimum is above maximum")

    @property
    def is_choice(self) -> bool:
        """Offers options to pick (yesno, single, multi)."""
        return self.type in ("yesno", "single", "multi")

    @property
    def accepts_unknown(self) -> bool:
        """Every question but free text may be answered "unknown"."""
        return self.type != "text"

    @property
    def choice_list(self) -> list[Option]:
        """The options offered, however they were written (not counting "unknown")."""
        return self._choices

    def option(self, value: str) -> Option | None:
        return next((o for o in self._choices if o.value == value), None)

    def threshold_for(self, value: float) -> Threshold | None:
        """The highest threshold a number reaches, if any."""
        reached = [t for t in self.thresholds or [] if value >= t.at_least]
        return reached[-1] if reached else None

    def number_risk(self, value: float) -> RiskLevel | None:
        """The risk of a number answer under the thresholds (None when it has none; below
        the first threshold, none)."""
        if not self.thresholds:
            return None
        reached = self.threshold_for(value)
        return reached.risk if reached else RiskLevel.none

    def teaching_notes_for(self, scenario_id: str | None) -> tuple[str, ...]:
        """The teaching notes that fit a scenario: the general note, then those given for
        it. The one rule, for the walkthrough and the trainer edition alike."""
        notes = [self.teaching_note] if self.teaching_note else []
        notes += [n.note for n in self.scenario_notes if scenario_id in n.scenarios]
        return tuple(note.strip() for note in notes)

    def use_choice_list(self, choice_lists: Mapping[str, list[Option]]) -> None:
        """Offer the options of the shared list this question names with `choices`; the
        checklist that holds the lists calls it once, when it is validated."""
        if self.choices is not None and self.choices in choice_lists:
            self._choices = list(choice_lists[self.choices])


_TYPED_KEYS = (
    "options", "choices", "risk", "mitigation", "thresholds", "unit", "minimum", "maximum",
    "integer",
)  # fmt: skip
"""The keys that belong to some types of question only."""

_TYPE_KEYS: dict[str, frozenset[str]] = {
    "yesno": frozenset({"risk", "mitigation"}),
    "single": frozenset({"options", "choices"}),
    "multi": frozenset({"options", "choices"}),
    "text": frozenset(),
    "number": frozenset({"thresholds", "unit", "minimum", "maximum", "integer"}),
    "date": frozenset(),
}


class Section(StrictModel):
    """A group of questions, shown together and scored together."""

    id: Id
    title: Text
    intro: Text | None = None
    weight: Annotated[float, Field(ge=0, le=100)] = 1.0
    when: Condition | None = None
    groups: dict[Id, Text] = {}
    """Shared stems, by id: questions that name one with `group` complete its sentence,
    e.g. `training: "Does the training programme cover:"`."""
    questions: list[Question] = Field(min_length=1)


class RedFlagRule(StrictModel):
    """A condition over answers that raises a red flag of some severity."""

    id: Id
    title: Text
    severity: Severity
    when: Condition
    message: Text
    cites: list[Id] = []
    frameworks: list[str] = []
    mitigation: Text | None = None
    verdict_at_least: Verdict | None = None
    """The verdict this flag forces at the least; a critical flag always forces decline."""


class ScoringPolicy(StrictModel):
    """How section risks and flags become a verdict."""

    proceed_below: Annotated[int, Field(ge=0, le=100)] = 25
    conditions_below: Annotated[int, Field(ge=0, le=100)] = 50
    escalate_below: Annotated[int, Field(ge=0, le=100)] = 75
    """Overall risk (0-100) under each bound gives that verdict; at or above the last, decline."""
    severity_verdicts: dict[Severity, Verdict] = {
        Severity.low: Verdict.proceed,
        Severity.medium: Verdict.proceed_with_conditions,
        Severity.high: Verdict.escalate,
        Severity.critical: Verdict.decline,
    }
    outcome: Literal["verdict", "gaps"] = "verdict"
    """What the assessment ends in: a verdict (proceed ... decline), or, for a review that
    decides nothing, the list of gaps to close (no verdict is stated)."""
    gap_at_least: RiskLevel = RiskLevel.medium
    """With outcome gaps: the risk from which an answer is a gap (unknowns always are)."""
    labels: dict[Verdict, Annotated[str, StringConstraints(min_length=1, max_length=80)]] = {}
    """What each verdict is called in this checklist's outputs, e.g. `escalate: Escalate to
    the board`; the four codes themselves stay fixed in files and JSON."""

    def label(self, verdict: Verdict) -> str:
        """The verdict as this checklist names it (else its default name)."""
        return self.labels.get(verdict) or verdict.label

    @model_validator(mode="after")
    def _ordered(self) -> ScoringPolicy:
        if not self.proceed_below <= self.conditions_below <= self.escalate_below:
            raise ValueError("need proceed_below <= conditions_below <= escalate_below")
        if self.severity_verdicts.get(Severity.critical, Verdict.decline) != Verdict.decline:
            raise ValueError("a critical red flag must always lead to decline")
        return self


class Checklist(StrictModel):
    """`checklists/<id>.yaml`: the questions, and the data scoring needs."""

    id: Id
    version: Annotated[str, StringConstraints(pattern=r"^\d+(\.\d+){0,2}$")]
    title: Text
    description: Text
    kind: Literal["decision", "self-assessment"] = "decision"
    """What its report reads as: a decision on one matter (a sale, a partnership: go
    ahead or not, on what conditions), or a self-assessment of a programme, whose report
    recommends improvements."""
    case: Id | None = None
    """The case whose passages questions cite; none for a checklist that stands alone."""
    choice_lists: dict[Id, list[Option]] = {}
    rationale: RationaleRule | None = None
    """When an answer needs a rationale, for questions that set no rule of their own."""
    sections: list[Section] = Field(min_length=1)
    red_flags: list[RedFlagRule] = []
    scoring: ScoringPolicy = ScoringPolicy()
    _by_id: dict[str, tuple[Section, Question]] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _index(self) -> Checklist:
        """Resolve shared choice lists and index the questions by id, once: lookups are on
        every scoring and rendering path. A checklist is not changed after loading; to
        make a different one, validate new data (`Checklist.model_validate`)."""
        for section in self.sections:
            for question in section.questions:
                question.use_choice_list(self.choice_lists)
        self._by_id = {q.id: (s, q) for s in self.sections for q in s.questions}
        return self

    def questions(self) -> list[tuple[Section, Question]]:
        """Every question in order, with its section."""
        return list(self._by_id.values())

    def question(self, question_id: str) -> Question | None:
        found = self._by_id.get(question_id)
        return found[1] if found else None

    def section_of(self, question_id: str) -> Section | None:
        found = self._by_id.get(question_id)
        return found[0] if found else None

    def stem(self, question: Question) -> str | None:
        """The shared stem of the question's group, if it has one."""
        section = self.section_of(question.id)
        if section is None or question.group is None:
            return None
        return section.groups.get(question.group)

    def rationale_rule(self, question: Question) -> RationaleRule | None:
        """When an answer to `question` needs a rationale: its own rule, else the
        checklist's, else never."""
        return question.rationale or self.rationale
