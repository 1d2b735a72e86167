"""`checklists/<id>.yaml`: questions with the risk of each answer, red-flag rules, policy."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Literal

from pydantic import Field, PrivateAttr, StringConstraints, model_validator

from diligence.content.models.base import Id, StrictModel, Text
from diligence.content.models.condition import Condition
from diligence.content.models.levels import RiskLevel, Severity, Verdict

QuestionType = Literal["yesno", "single", "multi", "text"]
YesNo = Literal["yes", "no", "partial"]
YESNO_VALUES: tuple[YesNo, ...] = ("yes", "no", "partial")
YESNO_LABELS = {"yes": "Yes", "no": "No", "partial": "Partly"}


class Option(StrictModel):
    """One answer a choice question offers, with the risk it carries."""

    value: Id
    label: Text
    risk: RiskLevel
    mitigation: Text | None = None
    """The condition or mitigation a risky choice calls for, e.g. 'add audit rights'."""


class Question(StrictModel):
    """One question. Choice questions always accept "unknown" as well."""

    id: Id
    text: Text
    type: QuestionType
    help: Text
    options: list[Option] | None = None
    """For single and multi: the choices (or name a shared list with `choices`)."""
    choices: Id | None = None
    risk: dict[Literal["yes", "no", "partial"], RiskLevel] | None = None
    """For yesno: the risk of each answer."""
    mitigation: dict[Literal["yes", "no", "partial"], Text] | None = None
    """For yesno: the condition or mitigation each risky answer calls for."""
    unknown_risk: RiskLevel = RiskLevel.high
    unknown_mitigation: Text | None = None
    required: bool = True
    weight: Annotated[float, Field(ge=0, le=100)] = 1.0
    when: Condition | None = None
    frameworks: list[str] = []
    cites: list[Id] = []
    teaching_note: Text | None = None
    _choices: list[Option] = PrivateAttr(default_factory=list)

    @model_validator(mode="after")
    def _shape(self) -> Question:
        if self.type == "yesno":
            if self.options is not None or self.choices is not None:
                raise ValueError(f"yesno question {self.id} takes 'risk', not options/choices")
            if self.risk is None or set(self.risk) != set(YESNO_VALUES):
                raise ValueError(
                    f"yesno question {self.id} needs 'risk' for each of yes, no and partial"
                )
            self._choices = [
                Option(
                    value=value,
                    label=YESNO_LABELS[value],
                    risk=self.risk[value],
                    mitigation=(self.mitigation or {}).get(value),
                )
                for value in YESNO_VALUES
            ]
        elif self.type in ("single", "multi"):
            if (self.options is None) == (self.choices is None):
                raise ValueError(f"{self.type} question {self.id} needs 'options' or 'choices'")
            if self.risk is not None or self.mitigation is not None:
                raise ValueError(f"'risk' and 'mitigation' maps only go with yesno ({self.id})")
            self._choices = list(self.options or [])
        else:
            if self.options or self.choices or self.risk or self.mitigation:
                raise ValueError(f"text question {self.id} takes no options or risk")
        return self

    @property
    def is_choice(self) -> bool:
        return self.type != "text"

    @property
    def choice_list(self) -> list[Option]:
        """The options offered, however they were written (not counting "unknown")."""
        return self._choices

    def option(self, value: str) -> Option | None:
        return next((o for o in self._choices if o.value == value), None)

    def use_choice_list(self, choice_lists: Mapping[str, list[Option]]) -> None:
        """Offer the options of the shared list this question names with `choices`; the
        checklist that holds the lists calls it once, when it is validated."""
        if self.choices is not None and self.choices in choice_lists:
            self._choices = list(choice_lists[self.choices])


class Section(StrictModel):
    """A group of questions, shown together and scored together."""

    id: Id
    title: Text
    intro: Text | None = None
    weight: Annotated[float, Field(ge=0, le=100)] = 1.0
    when: Condition | None = None
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
    case: Id | None = None
    """The case whose passages questions cite."""
    choice_lists: dict[Id, list[Option]] = {}
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
