"""Load content files into models, turning every failure into `path:line: message`."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from diligence.content.kinds import DETECTION_ORDER, KINDS, Kind, model_of
from diligence.content.models import AnswersFile
from diligence.content.suggest import did_you_mean
from diligence.content.yamlio import Document, Loc, load_yaml
from diligence.errors import AnswersError, ContentError, Problem, unique_problems

M = TypeVar("M", bound=BaseModel)


def detect_kind(doc: Document) -> Kind:
    """Which kind of content file a parsed document is, from its top-level keys."""
    if doc.data is None:
        raise ContentError.at(
            doc.path, 1, "is empty; expected a checklist, case study or answers file"
        )
    if not isinstance(doc.data, dict):
        got = type(doc.data).__name__.replace("str", "text").replace("list", "a list")
        raise ContentError.at(
            doc.path, 1, f"holds {got} at the top level; expected a mapping of keys"
        )
    for kind in DETECTION_ORDER:
        if kind.key in doc.data:
            return kind.name
    first, *others = KINDS
    keys = ", ".join(
        [f"{first.described} has '{first.key}'"] + [f"{k.described} '{k.key}'" for k in others]
    )
    raise ContentError.at(doc.path, 1, f"is not a diligence file: {keys}")


def validate_document(doc: Document, model: type[M], error: type[ContentError] = ContentError) -> M:
    """Validate parsed data against a model; every pydantic error becomes one `Problem`."""
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        problems = [_problem(doc, detail, model) for detail in exc.errors(include_url=False)]
        raise error(unique_problems(problems)) from None
    except RecursionError:
        raise error([doc.problem((), "is nested too deeply to validate")]) from None


def load_document(path: Path, display: str | None = None) -> tuple[Kind, Document, BaseModel]:
    """Load any content file, recognising its kind."""
    doc = load_yaml(path, display)
    kind = detect_kind(doc)
    error = AnswersError if kind == "answers" else ContentError
    return kind, doc, validate_document(doc, model_of(kind), error)


def load_as(path: Path, model: type[M], display: str | None = None) -> tuple[Document, M]:
    """Load a file that must be of one kind."""
    doc = load_yaml(path, display)
    error = AnswersError if model is AnswersFile else ContentError
    if doc.data is None or not isinstance(doc.data, dict):
        detect_kind(doc)  # raises the clear message for empty / non-mapping files
    return doc, validate_document(doc, model, error)


MISSING_HINTS = {
    ("scenarios", "checklist"): "name the checklist it is assessed with, e.g. "
    "'checklist: customer-vetting' (see 'diligence list')",
    ("questions", "frameworks"): "every question names the frameworks it rests on, e.g. "
    "'frameworks: [UNGP 17]'",
    ("", "bibliography"): "a case names its sources: an episode, a report, a book or "
    "fictional teaching material (see docs/authoring.md)",
}
"""What to add, for keys authors most often leave out: (the list or file it is in, key)."""


def _problem(doc: Document, detail: ErrorDetails, model: type[BaseModel]) -> Problem:
    loc = _clean_loc(detail["loc"])
    kind = detail["type"]
    where = _describe(doc.data, loc[:-1]) if loc else "the file"
    if kind == "extra_forbidden":
        known = allowed_keys(model, loc[:-1])
        hint = did_you_mean(str(loc[-1]), known) if known else ""
        message = f"unknown key '{loc[-1]}' in {where}; remove it or check its spelling{hint}"
    elif kind == "missing":
        container = next((str(p) for p in reversed(loc[:-1]) if isinstance(p, str)), "")
        add = MISSING_HINTS.get((container, str(loc[-1])))
        message = f"{where} is missing '{loc[-1]}'" + (f": {add}" if add else "")
    else:
        text = detail["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
        field = _describe(doc.data, loc) if loc else "the file"
        given = detail.get("input")
        shown = ""
        if kind not in ("value_error", "assertion_error") and _is_plain(given):
            shown = f" (got {_short(given)})"
        message = f"{field}: {text[:1].lower()}{text[1:]}{shown}"
    return doc.problem(loc, message)


def allowed_keys(model: type[BaseModel], loc: Loc) -> list[str]:
    """The keys the mapping at `loc` may hold, from the model's JSON Schema (empty when the
    place cannot be told): what a mistyped key is compared with."""
    schema = _schema(model)
    node: dict[str, Any] | None = schema
    for part in loc:
        node = _child(schema, node, part)
        if node is None:
            return []
    found = _object_of(schema, node) if node is not None else None
    return list(found.get("properties", {})) if found else []


@functools.cache
def _schema(model: type[BaseModel]) -> dict[str, Any]:
    schema: dict[str, Any] = model.model_json_schema(by_alias=True)
    return schema


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _object_of(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any] | None:
    """The object (or array) schema in a node, looking through references and unions."""
    node = _resolve(schema, node)
    if "properties" in node or "items" in node or "additionalProperties" in node:
        return node
    for option in node.get("anyOf", []):
        found = _object_of(schema, option)
        if found is not None:
            return found
    return None


def _child(
    schema: dict[str, Any], node: dict[str, Any] | None, part: str | int
) -> dict[str, Any] | None:
    node = _object_of(schema, node) if node is not None else None
    if node is None:
        return None
    if isinstance(part, int):
        items = node.get("items")
        return items if isinstance(items, dict) else None
    if part in node.get("properties", {}):
        child: dict[str, Any] = node["properties"][part]
        return child
    extra = node.get("additionalProperties")
    return extra if isinstance(extra, dict) else None


def _clean_loc(loc: tuple[str | int, ...]) -> Loc:
    """Drop pydantic's union-branch markers such as 'str' or 'list[str]' from a location."""
    cleaned: list[str | int] = []
    for part in loc:
        if isinstance(part, str) and ("[" in part or part in {"str", "int", "float", "bool"}):
            continue
        cleaned.append(part)
    return tuple(cleaned)


def _describe(data: Any, loc: Loc) -> str:
    """A readable name for the value at `loc`, using ids where items have them."""
    parts: list[str] = []
    node = data
    for part in loc:
        if isinstance(part, int) and isinstance(node, list) and 0 <= part < len(node):
            item = node[part]
            ident = item.get("id") if isinstance(item, dict) else None
            parts.append(f"{ident}" if isinstance(ident, str) else f"item {part + 1}")
            node = item
        else:
            parts.append(str(part))
            node = node.get(part) if isinstance(node, dict) else None
    return "/".join(parts) if parts else "the file"


def _is_plain(value: Any) -> bool:
    return isinstance(value, str | int | float | bool) or value is None


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
