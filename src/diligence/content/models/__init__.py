"""The content formats: case studies, checklists, framework registry and answers files.

These pydantic models are the single definition of each file format. Unknown keys are
errors, so a typo in a content file is reported instead of silently ignored. Cross-file
checks (does a cited passage exist?) live in `lint`, where line numbers are known.

One module per format; this package re-exports them all, so callers import from
`diligence.content.models` and never need to know which file a model lives in.
"""

from diligence.content.models.answers import (
    ANSWERS_FORMAT,
    NAME_LIMIT,
    NOT_APPLICABLE,
    NOTE_LIMIT,
    TEXT_ANSWER_LIMIT,
    UNKNOWN,
    Answer,
    AnswersFile,
    AnswerValue,
    ChecklistRef,
    Number,
    has_value,
)
from diligence.content.models.base import Id, IsoDate, StrictModel, Text, after_date
from diligence.content.models.case import (
    Actor,
    BibEntry,
    CaseStudy,
    Chapter,
    Passage,
    Quote,
    Scenario,
    SourceKind,
    TimelineEvent,
)
from diligence.content.models.checklist import (
    YESNO_LABELS,
    YESNO_VALUES,
    Checklist,
    Option,
    Question,
    QuestionType,
    RationaleRule,
    RedFlagRule,
    ScoringPolicy,
    Section,
    Threshold,
    YesNo,
    YesNoRisk,
)
from diligence.content.models.condition import Condition
from diligence.content.models.frameworks import Framework, FrameworkRegistry, Provision
from diligence.content.models.levels import RiskLevel, Severity, Verdict

__all__ = [
    "ANSWERS_FORMAT",
    "NAME_LIMIT",
    "NOTE_LIMIT",
    "NOT_APPLICABLE",
    "TEXT_ANSWER_LIMIT",
    "UNKNOWN",
    "YESNO_LABELS",
    "YESNO_VALUES",
    "Actor",
    "Answer",
    "AnswerValue",
    "AnswersFile",
    "BibEntry",
    "CaseStudy",
    "Chapter",
    "Checklist",
    "ChecklistRef",
    "Condition",
    "Framework",
    "FrameworkRegistry",
    "Id",
    "IsoDate",
    "Number",
    "Option",
    "Passage",
    "Provision",
    "Question",
    "QuestionType",
    "Quote",
    "RationaleRule",
    "RedFlagRule",
    "RiskLevel",
    "Scenario",
    "ScoringPolicy",
    "Section",
    "Severity",
    "SourceKind",
    "StrictModel",
    "Text",
    "Threshold",
    "TimelineEvent",
    "Verdict",
    "YesNo",
    "YesNoRisk",
    "after_date",
    "has_value",
]
