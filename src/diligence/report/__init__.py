"""Reports: a report model, one renderer per format, and the WeasyPrint adapter.

Light on purpose: importing this package loads neither Jinja2 nor WeasyPrint.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).resolve().parent
ASSETS = PACKAGE / "assets"
"""CSS and fonts: the only files the PDF renderer may read."""
TEMPLATES = PACKAGE / "templates"

ANSWERS_ATTACHMENT = "answers.yaml"
"""The answers file as a report PDF embeds it, byte for byte."""
SUMMARY_ATTACHMENT = "score.json"
"""What a report PDF states (verdict, overall risk, red flags), embedded for `verify`."""
HASH_LABEL = "SHA-256 of the answers file"
"""The words before the printed hash on a report's last page: `verify` finds it by them."""


@dataclass(frozen=True)
class RenderOptions:
    """How a report was asked for, beyond its answers, its content and its date: the one
    list of them. A PDF records them in its score.json (`"options"`) and `verify` renders
    again with the same ones, so a trainer edition is checked as a trainer edition.

    Each field is a keyword argument of `render.build` and an attribute of the report
    model of the same name, with a default for reports that predate it: add an option
    here and it is recorded and verified.
    """

    trainer: bool = False

    @classmethod
    def of(cls, report: object) -> RenderOptions:
        """The options a report model (`model.Report`) was built with."""
        return cls(**{f.name: getattr(report, f.name) for f in fields(cls)})

    def as_json(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RenderOptions:
        """Options as a summary records them; `ValueError` names what does not fit."""
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise ValueError(f"options this version does not know: {', '.join(unknown)}")
        for name, value in data.items():
            default = known[name].default
            if type(value) is not type(default):
                raise ValueError(f"option {name} is {value!r}, not a {type(default).__name__}")
        return cls(**data)
