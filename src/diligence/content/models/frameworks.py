"""`checklists/frameworks.yaml`: the frameworks and laws that questions rest on."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import StringConstraints

from diligence.content.models.base import Id, IsoDate, StrictModel, Text


class Provision(StrictModel):
    """One citable part of a framework, e.g. UNGP 19 or EU 2021/821 Art. 5(2)."""

    id: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    title: Text


class Framework(StrictModel):
    """A framework or law that questions rest on."""

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

    def references(self) -> list[str]:
        """Every reference the registry resolves: each `cite_as`, alone and with each of its
        provisions ("UNGP", "UNGP 19"), for suggestions when one is mistyped."""
        found = []
        for framework in self.frameworks:
            found.append(framework.cite_as)
            found += [f"{framework.cite_as} {p.id}" for p in framework.provisions]
        return found

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
