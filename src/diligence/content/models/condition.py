"""The condition language: declarative tests over answers and raised flags, never code."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from pydantic import Field, model_validator

from diligence.content.models.base import Id, StrictModel
from diligence.content.models.levels import RiskLevel


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

    def children(self) -> list[Condition]:
        """The conditions directly inside this one (of `all`, `any` and `not`)."""
        return [*(self.all or []), *(self.any or []), *([self.not_] if self.not_ else [])]

    def walk(self) -> Iterator[Condition]:
        """This condition and every condition inside it, depth first, in file order: the
        one tree walk that readers of conditions (lint, scoring) share."""
        stack: list[Condition] = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children()))

    def questions(self) -> list[str]:
        """Every question id this condition reads, in order."""
        return [node.question for node in self.walk() if node.question]

    def flags(self) -> list[str]:
        """Every red-flag id this condition reads."""
        return [node.flag for node in self.walk() if node.flag]


def _key(field_name: str) -> str:
    return field_name.rstrip("_")
