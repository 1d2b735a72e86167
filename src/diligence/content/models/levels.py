"""The scales answers and rules are measured on: risk levels, red-flag severities, verdicts."""

from __future__ import annotations

from enum import StrEnum


class _Ranked(StrEnum):
    """An enum whose members are ordered as declared, from least to most severe."""

    @property
    def rank(self) -> int:
        return list(type(self)).index(self)


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


class Severity(_Ranked):
    """How serious a red flag is."""

    low = "low"
    medium = "medium"
    high = "high"
    critical = "critical"


class Verdict(_Ranked):
    """The four-step ladder, from best to worst."""

    proceed = "proceed"
    proceed_with_conditions = "proceed_with_conditions"
    escalate = "escalate"
    decline = "decline"

    @property
    def label(self) -> str:
        return _VERDICT_LABELS[self]


_VERDICT_LABELS = {
    Verdict.proceed: "Proceed",
    Verdict.proceed_with_conditions: "Proceed with conditions",
    Verdict.escalate: "Escalate",
    Verdict.decline: "Decline",
}
