"""The kinds of content file, in one table: their names, how each is recognised, its model.

Light on purpose: the table names each model by its class in `diligence.content.models`,
imported only when a file is validated or a schema printed, so `diligence schema --help`
lists the kinds without loading pydantic.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from pydantic import BaseModel

Kind = Literal["checklist", "case", "answers", "frameworks"]


@dataclass(frozen=True)
class FileKind:
    name: Kind
    key: str
    """The top-level key that tells this kind apart from the others."""
    model: str
    """The model's class name in `diligence.content.models`."""
    described: str
    """How messages name a file of this kind."""


KINDS: tuple[FileKind, ...] = (
    FileKind("checklist", "sections", "Checklist", "a checklist"),
    FileKind("case", "chapters", "CaseStudy", "a case study"),
    FileKind("answers", "answers", "AnswersFile", "an answers file"),
    FileKind("frameworks", "frameworks", "FrameworkRegistry", "a framework registry"),
)
"""Every kind, in the order `diligence schema` lists them."""

KIND_NAMES: tuple[Kind, ...] = tuple(kind.name for kind in KINDS)

SchemaKind = Literal["checklist", "case", "answers", "frameworks", "reference"]
SCHEMA_KINDS: tuple[SchemaKind, ...] = (*KIND_NAMES, "reference")
"""What `diligence schema` prints: every kind of file, and reference answers (an answers
file in a case's `reference/` folder, with the rules reference answers keep)."""

DETECTION_ORDER: tuple[FileKind, ...] = tuple(sorted(KINDS, key=lambda k: k.name != "answers"))
"""The order kinds are tried in: an answers file first, its `answers` key being the most
specific."""


def model_of(kind: Kind) -> type[BaseModel]:
    """The model that validates files of one kind."""
    from diligence.content import models

    model: type[BaseModel] = getattr(models, next(k.model for k in KINDS if k.name == kind))
    return model


def schema_for(kind: SchemaKind) -> dict[str, Any]:
    """The JSON Schema of one file kind, for editors: the model's shape with the rules the
    models check that JSON Schema can say (per question type, required frameworks; for
    reference answers, status complete and a note beside every answer)."""
    schema = model_of("answers" if kind == "reference" else kind).model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"diligence {kind} file"
    if kind == "reference":
        schema["title"] = "diligence reference answers (case_studies/<case>/reference/*.yaml)"
        schema["properties"]["status"] = {"const": "complete"}
        schema["required"] = sorted({*schema.get("required", []), "status"})
        answer = schema["$defs"]["Answer"]
        answer["if"] = {"required": ["value"], "properties": {"value": {"not": {"type": "null"}}}}
        answer["then"] = {
            "required": ["note"],
            "properties": {"note": {"type": "string", "minLength": 1, "pattern": "\\S"}},
        }
    return schema
