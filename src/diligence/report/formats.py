"""The output formats, in one registry, and the one small interface every format implements
(like pip-audit's `_format/`): a format turns its subject into bytes and looks nothing up.

Each format is listed once with its name and file suffixes, for the assessment report and
for the class report alike. What a format needs beyond its subject goes in its constructor
(the PDF takes the answers file to embed), so `render` takes the subject alone. Format
modules import this one and are imported only when used (`render.report_format`), so
asking for Markdown never loads WeasyPrint.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from diligence.report.model import Report

Subject = TypeVar("Subject")


@dataclass(frozen=True)
class Rendered:
    """A rendered report."""

    data: bytes
    pages: int | None = None
    """Page count, for paged formats."""
    warnings: tuple[str, ...] = field(default=())
    """Problems for the user, in their terms (none when all is well)."""
    diagnostics: tuple[str, ...] = field(default=())
    """What the rendering library logged, for tests and debugging; never shown to users."""


class Format(ABC, Generic[Subject]):
    """Renders one kind of subject (an assessment's report, a class) in one format."""

    @abstractmethod
    def render(self, subject: Subject) -> Rendered:
        """The rendered bytes."""


class ReportFormat(Format[Report]):
    """Renders an assessment's `Report`."""


@dataclass(frozen=True)
class FormatSpec:
    name: str
    suffixes: tuple[str, ...]
    """File suffixes that name this format; the first is the one written."""


REPORT_FORMATS: tuple[FormatSpec, ...] = (
    FormatSpec("pdf", (".pdf",)),
    FormatSpec("html", (".html", ".htm")),
    FormatSpec("md", (".md", ".markdown")),
    FormatSpec("json", (".json",)),
)
"""The formats of an assessment's report (`diligence report`)."""

CLASS_FORMATS: tuple[FormatSpec, ...] = (
    FormatSpec("pdf", (".pdf",)),
    FormatSpec("html", (".html", ".htm")),
    FormatSpec("json", (".json",)),
    FormatSpec("csv", (".csv",)),
)
"""The formats of a class comparison (`diligence class`; trainer/class_report.py); csv is
the gradebook (trainer/gradebook.py)."""


def names(specs: Sequence[FormatSpec]) -> list[str]:
    return [spec.name for spec in specs]


def suffix_of(specs: Sequence[FormatSpec]) -> dict[str, str]:
    """Format name -> the suffix a file of that format is written with."""
    return {spec.name: spec.suffixes[0] for spec in specs}


def format_of(specs: Sequence[FormatSpec]) -> dict[str, str]:
    """File suffix -> the format it names."""
    return {suffix: spec.name for spec in specs for suffix in spec.suffixes}
