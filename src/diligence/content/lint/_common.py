"""What every linter does: ids defined once, references that resolve, with their line."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from diligence.content.models import FrameworkRegistry
from diligence.content.suggest import did_you_mean
from diligence.content.yamlio import Document, Loc
from diligence.errors import Problem


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


def unique_ids(doc: Document, items: Sequence[_HasId], key: str, what: str) -> list[Problem]:
    """Each item of the list at `key` has its own id: "<what> 'x' is defined twice"."""
    seen: dict[str, int] = {}
    problems: list[Problem] = []
    for i, item in enumerate(items):
        problems += duplicate(doc, seen, item.id, (key, i, "id"), what)
    return problems


def framework_refs(
    doc: Document, loc: Loc, references: list[str], registry: FrameworkRegistry, what: str
) -> list[Problem]:
    """Every framework reference at `loc` names a framework (and provision) of the registry."""
    problems = []
    for k, reference in enumerate(references):
        if registry.resolve(reference) is None:
            problems.append(
                doc.problem(
                    (*loc, k),
                    f"{what} cites framework '{reference}', which "
                    "no framework registry defines; check checklists/frameworks.yaml"
                    + did_you_mean(reference, registry.references()),
                )
            )
    return problems


def refs(
    doc: Document,
    loc: Loc,
    ids: Iterable[str],
    known: Iterable[str] | dict[str, object],
    what: str,
    kind: str,
    case_id: str | None,
) -> list[Problem]:
    """Every id at `loc` is one of `known` ("<what> cites <kind> x, which ... does not define")."""
    known_set = set(known)
    owner = f"case '{case_id}'" if case_id else "the file"
    return [
        doc.problem(
            (*loc, k),
            f"{what} cites {kind} {ref}, which {owner} does not define"
            + did_you_mean(ref, known_set),
        )
        for k, ref in enumerate(ids)
        if ref not in known_set
    ]


def duplicate(doc: Document, seen: dict[str, int], key: str, loc: Loc, what: str) -> list[Problem]:
    """`key` is not in `seen` (id -> line) yet; it is recorded there."""
    line = doc.line_of(loc)
    if key in seen:
        return [doc.problem(loc, f"{what} '{key}' is defined twice (first at line {seen[key]})")]
    seen[key] = line
    return []
