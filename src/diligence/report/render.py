"""From an answers file to a rendered report: read once, score, build the model, render.

The answers file is read exactly once and everything (the hash, the attachment, the score)
comes from those bytes, so a report can never state the score of one version of the file
and embed another, even if the file changes while it renders.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from diligence.errors import AnswersError, OutputError, UsageError
from diligence.files import display_path, write_atomically
from diligence.report.formats import REPORT_FORMATS, names

if TYPE_CHECKING:
    from collections.abc import Mapping

    from diligence.assessment.load import Assessment
    from diligence.content.library import Library
    from diligence.report.formats import Rendered, ReportFormat
    from diligence.report.model import Edition, Report
    from diligence.scoring import ScoreResult

SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"


@dataclass(frozen=True)
class RenderedReport:
    report: Report
    result: ScoreResult
    output: Rendered


def report_date(environ: Mapping[str, str]) -> datetime:
    """The report's date: SOURCE_DATE_EPOCH when set (reproducible builds), else now."""
    raw = environ.get(SOURCE_DATE_EPOCH, "").strip()
    if not raw:
        return datetime.now(UTC).replace(microsecond=0)
    try:
        return datetime.fromtimestamp(int(raw), UTC)
    except (ValueError, OverflowError, OSError):
        raise UsageError(
            f"{SOURCE_DATE_EPOCH}={raw!r} is not a number of seconds since 1970"
        ) from None


def read_answers(path: Path) -> bytes:
    """The exact bytes of an answers file."""
    from diligence.content.yamlio import read_bytes

    return read_bytes(path, display_path(path), AnswersError)


def build(
    assessment: Assessment,
    data: bytes,
    library: Library,
    *,
    generated: datetime,
    trainer: bool = False,
    edition: Edition = "student",
) -> tuple[Report, ScoreResult]:
    """Score an assessment and gather its report model (the student edition unless told
    otherwise)."""
    from diligence.report.build import build_report
    from diligence.scoring import score

    result = score(assessment.checklist, assessment.answers)
    report = build_report(
        assessment,
        result,
        library.frameworks,
        answers_bytes=data,
        generated=generated,
        trainer=trainer,
        edition=edition,
    )
    return report, result


def render_answers(
    path: Path,
    library: Library,
    fmt: str,
    *,
    generated: datetime,
    trainer: bool = False,
    edition: Edition = "student",
) -> RenderedReport:
    """Read, check, score and render one answers file."""
    from diligence.assessment.load import assessment_from_bytes

    data = read_answers(path)

    assessment = assessment_from_bytes(data, path, display_path(path), library)
    report, result = build(
        assessment, data, library, generated=generated, trainer=trainer, edition=edition
    )
    return RenderedReport(report, result, report_format(fmt, answers=data).render(report))


def write_output(path: Path, data: bytes) -> None:
    """Write a rendered file whole or not at all; on failure raise `OutputError`."""
    try:
        write_atomically(path, data)
    except OSError as exc:
        raise OutputError(f"cannot write {display_path(path)}: {exc.strerror or exc}") from None


def report_format(name: str, *, answers: bytes) -> ReportFormat:
    """The report format of that name (its module is imported now); `answers` are the
    answers file's exact bytes, which the PDF embeds."""
    if name == "pdf":
        from diligence.report.pdf import PdfFormat

        return PdfFormat(answers)
    if name == "html":
        from diligence.report.html import HtmlFormat

        return HtmlFormat()
    if name == "md":
        from diligence.report.markdown import MarkdownFormat

        return MarkdownFormat()
    if name == "json":
        from diligence.report.json import JsonFormat

        return JsonFormat()
    raise ValueError(f"no report format {name!r}; known: {', '.join(names(REPORT_FORMATS))}")
