"""One small interface for every report format, one module per format (like pip-audit's
`_format/`). A format turns the report model into bytes; it looks nothing up itself.

Modules are imported only when their format is used, so asking for Markdown never loads
WeasyPrint.
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from diligence.report.model import Report


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


class ReportFormat(ABC):
    """Renders a `Report` in one format."""

    name: str
    suffix: str

    @abstractmethod
    def render(self, report: Report, answers: bytes) -> Rendered:
        """The rendered report; `answers` are the answers file's exact bytes (the PDF
        embeds them)."""


FORMATS: dict[str, tuple[str, str, str]] = {
    "pdf": ("diligence.report.pdf", "PdfFormat", ".pdf"),
    "html": ("diligence.report.html", "HtmlFormat", ".html"),
    "md": ("diligence.report.markdown", "MarkdownFormat", ".md"),
    "json": ("diligence.report.json", "JsonFormat", ".json"),
}
"""Format name -> (module, class, file suffix)."""

SUFFIXES = {
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
    ".md": "md",
    ".markdown": "md",
    ".json": "json",
}


def get_format(name: str) -> ReportFormat:
    """The format of that name (its module is imported now)."""
    module_name, class_name, _ = FORMATS[name]
    cls: type[ReportFormat] = getattr(importlib.import_module(module_name), class_name)
    return cls()


def format_for_path(path: str) -> str | None:
    """The format a file name's suffix names, if any."""
    lowered = path.lower()
    return next((name for suffix, name in SUFFIXES.items() if lowered.endswith(suffix)), None)
