"""The content formats: case studies, checklists, framework registry and answers files.

These pydantic models are the single definition of each file format. Unknown keys are
errors, so a typo in a content file is reported instead of silently ignored. Cross-file
checks (does a cited passage exist?) live in `lint.py`, where line numbers are known.
"""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    model_validator,
)

Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=80)]
"""A stable identifier: letters, digits, '.', '_' and '-'; cited by other files."""

Text = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
IsoDate = Annotated[str, StringConstraints(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")]
"""A date as precise as the record: 2021, 2021-07 or 2021-07-18."""


def after_date(date: str, as_of: str) -> bool:
    """Whether `date` is certainly after `as_of`, compared at their shared precision
    (so 2018 is not after 2018-10-01): the rule against hindsight in scenarios."""
    length = min(len(date), len(as_of))
    return date[:length] > as_of[:length]


UNKNOWN = "unknown"
"""The answer value every choice question accepts: "I could not establish this"."""


class StrictModel(BaseModel):
    """Base for file formats: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class RiskLevel(StrEnum):
    """How much an answer adds to the risk of a transaction."""

    none = "none"
    low = "low"
    medium = "medium"
    high = "high"
    critical = "critical"

    @property
    def score(self) -> int:
        """The level on the 0-100 scale used by section scores."""
        return _RISK_SCORES[self]

    @classmethod
    def from_score(cls, score: float) -> RiskLevel:
        """The level a 0-100 score falls into."""
        if score >= 87.5:
            return cls.critical
        if score >= 62.5:
            return cls.high
        if score >= 37.5:
            return cls.medium
        if score > 0:
            return cls.low
        return cls.none


_RISK_SCORES = {
    RiskLevel.none: 0,
    RiskLevel.low: 25,
    RiskLevel.medium: 50,
    RiskLevel.high: 75,
    RiskLevel.critical: 100,
}


class Severity(StrEnum):
    """How serious a red flag is."""

    low = "low"
    medium = "medium"
    high = "high"
    critical = "critical"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)


class Verdict(StrEnum):
    """The four-step ladder, from best to worst."""

    proceed = "proceed"
    proceed_with_conditions = "proceed_with_conditions"
    escalate = "escalate"
    decline = "decline"

    @property
    def rank(self) -> int:
        return list(Verdict).index(self)

    @property
    def label(self) -> str:
        return _VERDICT_LABELS[self]


_VERDICT_LABELS = {
    Verdict.proceed: "Proceed",
    Verdict.proceed_with_conditions: "Proceed with conditions",
    Verdict.escalate: "Escalate to the ethics committee",
    Verdict.decline: "Decline",
}


class CriterionArea(StrEnum):
    """The eight areas of customer vetting a case passage can bear on."""

    customer_identity = "customer-identity"
    destination_risk = "destination-risk"
    licensing = "licensing"
    governance = "governance"
    contract = "contract"
    oversight = "oversight"
    remedy = "remedy"
    transparency = "transparency"


# --------------------------------------------------------------------------- conditions

AnswerValue = str | list[str]


class Condition(StrictModel):
    """A declarative condition over answers and raised flags. Never evaluated as code.

    Exactly one form per condition:
    - `{question: A1, is: yes}`, `{question: A1, in: [no, unknown]}`,
      `{question: A1, not_in: [yes]}`, `{question: A1, answered: true}`,
      `{question: M1, includes: resellers}` (multiple choice),
      `{question: A1, risk_at_least: high}`;
    - `{all: [...]}`, `{any: [...]}`, `{not: {...}}`;
    - `{flag: R1}`: an earlier red-flag rule was raised;
    - `{unknowns_at_least: 2}`, optionally with `sections: [A, B]`.
    """

    question: Id | None = None
    is_: str | None = Field(default=None, alias="is")
    in_: list[str] | None = Field(default=None, alias="in")
    not_in: list[str] | None = None
    answered: bool | None = None
    includes: str | None = None
    risk_at_least: RiskLevel | None = None
    all: list[Condition] | None = None
    any: list[Condition] | None = None
    not_: Condition | None = Field(default=None, alias="not")
    flag: Id | None = None
    unknowns_at_least: Annotated[int, Field(ge=1)] | None = None
    sections: list[Id] | None = None

    @model_validator(mode="after")
    def _one_form(self) -> Condition:
        tests = [
            name
            for name in ("is_", "in_", "not_in", "answered", "includes", "risk_at_least")
            if getattr(self, name) is not None
        ]
        forms = [
            name
            for name in ("question", "all", "any", "not_", "flag", "unknowns_at_least")
            if getattr(self, name) is not None
        ]
        if len(forms) != 1:
            raise ValueError(
                "a condition needs exactly one of: question, all, any, not, flag, "
                f"unknowns_at_least (found {', '.join(_key(f) for f in forms) or 'none'})"
            )
        if self.question is not None and len(tests) != 1:
            raise ValueError(
                f"condition on question {self.question} needs exactly one test: is, in, "
                "not_in, answered, includes or risk_at_least"
            )
        if self.question is None and tests:
            raise ValueError(f"'{_key(tests[0])}' only goes with 'question'")
        if self.sections is not None and self.unknowns_at_least is None:
            raise ValueError("'sections' only goes with 'unknowns_at_least'")
        return self

    def questions(self) -> list[str]:
        """Every question id this condition reads, in order."""
        found: list[str] = []
        if self.question:
            found.append(self.question)
        for child in (self.all or []) + (self.any or []) + ([self.not_] if self.not_ else []):
            found.extend(child.questions())
        return found

    def flags(self) -> list[str]:
        """Every red-flag id this condition reads."""
        found = [self.flag] if self.flag else []
        for child in (self.all or []) + (self.any or []) + ([self.not_] if self.not_ else []):
            found.extend(child.flags())
        return found


def _key(field_name: str) -> str:
    return field_name.rstrip("_")


# --------------------------------------------------------------------------- frameworks


class Provision(StrictModel):
    """One citable part of a framework, e.g. UNGP 19 or EU 2021/821 Art. 5(2)."""

    id: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    title: Text


class Framework(StrictModel):
    """A framework or law that criteria rest on."""

    id: Id
    cite_as: Annotated[str, StringConstraints(min_length=1, max_length=60)]
    """The prefix references use, e.g. 'UNGP' in 'UNGP 19'."""
    title: Text
    citation: Text
    date: IsoDate | None = None
    certainty: Literal["confirmed", "reported"] = "confirmed"
    provisions: list[Provision] = []


class FrameworkRegistry(StrictModel):
    """`checklists/frameworks.yaml`: every framework a checklist may cite."""

    frameworks: list[Framework]

    def resolve(self, reference: str) -> tuple[Framework, Provision | None] | None:
        """The framework and provision a reference such as 'UNGP 19' names, if any."""
        best: tuple[Framework, Provision | None] | None = None
        best_len = -1
        for framework in self.frameworks:
            prefix = framework.cite_as
            if reference != prefix and not reference.startswith(prefix + " "):
                continue
            rest = reference[len(prefix) :].strip()
            if not rest:
                found: tuple[Framework, Provision | None] | None = (framework, None)
            else:
                provision = next((p for p in framework.provisions if p.id == rest), None)
                found = (framework, provision) if provision else None
            if found and len(prefix) > best_len:
                best, best_len = found, len(prefix)
        return best


# --------------------------------------------------------------------------- case studies


class EpisodeSource(StrictModel):
    """The podcast episode a case is built from."""

    id: Id
    show: Text
    season: int
    episode: int
    title: Text
    host: Text
    publisher: Text
    citation: Text
    short: Text
    """How evidence boxes name it, e.g. "Malicious Life S3E227"."""


class BibEntry(StrictModel):
    """A document beyond the episode that a passage or timeline event relies on."""

    id: Id
    citation: Text
    date: IsoDate | None = None
    certainty: Literal["confirmed", "reported"] = "confirmed"


class Quote(StrictModel):
    """A short verbatim quotation from the source, always attributed."""

    text: Annotated[str, StringConstraints(min_length=1, max_length=600)]
    speaker: Text


class Passage(StrictModel):
    """One citable piece of the case, summarised in our own words."""

    id: Id
    title: Text
    summary: Text
    quote: Quote | None = None
    date: IsoDate | None = None
    """When the events it describes took place or became public, if known."""
    known_from: IsoDate | None = None
    """When what the passage says became public, where that is later than `date` or `date`
    is unknown: e.g. a link between two people revealed months after the event. Before this
    date the passage is hindsight, whatever its `date`."""
    sources: list[Id] = []
    """Bibliography entries; required for passages outside the episode's chapters."""
    certainty: Literal["confirmed", "reported"] = "confirmed"
    criteria: list[CriterionArea] = Field(min_length=1)

    @model_validator(mode="after")
    def _known_after_it_happened(self) -> Passage:
        if self.known_from and self.date and after_date(self.date, self.known_from):
            raise ValueError(
                f"passage {self.id} is known_from {self.known_from}, before its date {self.date}"
            )
        return self

    def public_date(self) -> str | None:
        """The date from which the passage could be known: `known_from`, else `date`."""
        return self.known_from or self.date

    def hindsight_for(self, as_of: str | None) -> bool:
        """Whether a decision taken at `as_of` could not have known this passage: the one
        rule against hindsight, for the lint, the assessment's evidence and the report."""
        known = self.public_date()
        return known is not None and as_of is not None and after_date(known, as_of)


class Chapter(StrictModel):
    """A group of passages: one of the episode's chapters, or the public record."""

    id: Id
    title: Text
    in_episode: bool = True
    passages: list[Passage] = Field(min_length=1)


class TimelineEvent(StrictModel):
    """A dated event, with the passages or documents that support it."""

    id: Id
    date: IsoDate
    event: Text
    passages: list[Id] = []
    sources: list[Id] = []
    certainty: Literal["confirmed", "reported"] = "confirmed"

    @model_validator(mode="after")
    def _supported(self) -> TimelineEvent:
        if not self.passages and not self.sources:
            raise ValueError(f"timeline event {self.id} needs 'passages' or 'sources'")
        return self


class Actor(StrictModel):
    """A person or body in the case."""

    id: Id
    name: Text
    kind: Literal["person", "company", "government", "organisation"]
    role: Text
    passages: list[Id] = []


class Scenario(StrictModel):
    """A decision a student assesses, briefed with what was known at the time."""

    id: Id
    title: Text
    checklist: Id = "customer-vetting"
    as_of: IsoDate
    """The moment of the decision; the briefing's passages must not be dated, or become
    public, later (no hindsight: `Passage.hindsight_for`)."""
    decision: Text
    briefing: Text
    passages: list[Id] = Field(min_length=1)
    teaching_notes: list[Text] = []


class CaseStudy(StrictModel):
    """`case_studies/<id>/case.yaml`."""

    id: Id
    title: Text
    summary: Text
    source: EpisodeSource
    bibliography: list[BibEntry] = []
    chapters: list[Chapter] = Field(min_length=1)
    timeline: list[TimelineEvent] = []
    actors: list[Actor] = []
    scenarios: list[Scenario] = []

    def passages(self) -> dict[str, tuple[Chapter, Passage]]:
        """Every passage by id, with its chapter."""
        return {p.id: (c, p) for c in self.chapters for p in c.passages}

    def scenario(self, scenario_id: str) -> Scenario | None:
        return next((s for s in self.scenarios if s.id == scenario_id), None)

    def source_line(self, chapter: Chapter, passage: Passage) -> str:
        """Where a passage comes from, as evidence cites it: the episode and chapter, e.g.
        "Malicious Life S3E227, 'Is NSO Evil? Part 1', chapter 'Casa Blanca'", or the
        bibliography entries of a passage from the public record."""
        if chapter.in_episode:
            return f"{self.source.short}, '{self.source.title}', chapter '{chapter.title}'"
        bib = {b.id: b.citation.strip() for b in self.bibliography}
        return "; ".join(bib.get(s, s) for s in passage.sources) or chapter.title


# --------------------------------------------------------------------------- checklists

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
    _indexed: tuple[tuple[int, int], ...] = PrivateAttr(default=())

    @model_validator(mode="after")
    def _resolve_choice_lists(self) -> Checklist:
        for section in self.sections:
            for question in section.questions:
                if question.choices is not None and question.choices in self.choice_lists:
                    question._choices = list(self.choice_lists[question.choices])
        return self

    def questions(self) -> list[tuple[Section, Question]]:
        """Every question in order, with its section."""
        return list(self._index().values())

    def question(self, question_id: str) -> Question | None:
        found = self._index().get(question_id)
        return found[1] if found else None

    def section_of(self, question_id: str) -> Section | None:
        found = self._index().get(question_id)
        return found[0] if found else None

    def _index(self) -> dict[str, tuple[Section, Question]]:
        """Questions by id, rebuilt only when the sections change: lookups are on every
        scoring and rendering path."""
        fingerprint = tuple((id(s.questions), len(s.questions)) for s in self.sections)
        if fingerprint != self._indexed:
            self._by_id = {q.id: (s, q) for s in self.sections for q in s.questions}
            self._indexed = fingerprint
        return self._by_id


# --------------------------------------------------------------------------- answers

ANSWERS_FORMAT: Literal[1] = 1


class ChecklistRef(StrictModel):
    id: Id
    version: str
    questions: list[Id] = []
    """The question ids of that version, so a later version can name what it added or removed."""


class Answer(StrictModel):
    """One answer, with the assessor's note and the passages it relies on."""

    value: str | list[str] | None = None
    note: Annotated[str, StringConstraints(max_length=20_000)] | None = None
    cites: list[Id] = []
    inactive: bool = False
    """Kept, but its question is no longer relevant given the other answers."""
    answered_at: datetime | None = None


class AnswersFile(StrictModel):
    """The assessor's answers: written atomically after every answer."""

    format: Literal[1] = ANSWERS_FORMAT
    checklist: ChecklistRef
    case: Id
    scenario: Id | None = None
    assessor: Annotated[str, StringConstraints(max_length=200)] = ""
    created: datetime | None = None
    updated: datetime | None = None
    status: Literal["in_progress", "complete"] = "in_progress"
    answers: dict[Id, Answer] = {}


def schema_for(kind: str) -> dict[str, Any]:
    """The JSON Schema of one file kind, for editors."""
    models: dict[str, type[BaseModel]] = {
        "checklist": Checklist,
        "case": CaseStudy,
        "answers": AnswersFile,
        "frameworks": FrameworkRegistry,
    }
    model = models[kind]
    schema = model.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"diligence {kind} file"
    return schema


def slug(text: str) -> str:
    """A file-name-safe form of free text."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "untitled"
