"""From an answers file to a rendered report: read once, score, build the model, render.

The answers file is read exactly once and everything (the hash, the attachment, the score)
comes from those bytes, so a report can never state the score of one version of the file
and embed another, even if the file changes while it renders.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from diligence.dates import SOURCE_DATE_EPOCH
from diligence.errors import AnswersError, OutputError, UsageError
from diligence.files import display_path, real_target, write_atomically
from diligence.report.formats import REPORT_FORMATS, names

if TYPE_CHECKING:
    from collections.abc import Mapping

    from diligence.assessment.load import Assessment
    from diligence.content.library import Library
    from diligence.report.formats import Rendered, ReportFormat
    from diligence.report.model import Report
    from diligence.scoring import ScoreResult


@dataclass(frozen=True)
class RenderedReport:
    report: Report
    result: ScoreResult
    output: Rendered


LATEST_EPOCH = 253_402_300_799
"""9999-12-31T23:59:59Z: the last second every part of a report can date."""


def report_date(environ: Mapping[str, str]) -> datetime:
    """The report's date: SOURCE_DATE_EPOCH when set (reproducible builds), else now.

    Only 0 (1970) to the end of 9999 is accepted: before 1904 fontTools cannot date a font
    it subsets, and the PDF's dates need four-digit years.
    """
    raw = environ.get(SOURCE_DATE_EPOCH, "").strip()
    if not raw:
        return datetime.now(UTC).replace(microsecond=0)
    if not (raw.isascii() and raw.isdigit()) or int(raw) > LATEST_EPOCH:
        raise UsageError(
            f"{SOURCE_DATE_EPOCH}={raw!r} is not a number of seconds since 1970 between 0 "
            f"and {LATEST_EPOCH} (the end of 9999)"
        )
    return datetime.fromtimestamp(int(raw), UTC)


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
) -> tuple[Report, ScoreResult]:
    """Score an assessment and gather its report model."""
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
    )
    return report, result


def render_answers(
    path: Path,
    library: Library,
    fmt: str,
    *,
    generated: datetime,
    trainer: bool = False,
) -> RenderedReport:
    """Read, check, score and render one answers file."""
    from diligence.assessment.load import assessment_from_bytes

    data = read_answers(path)

    assessment = assessment_from_bytes(data, path, display_path(path), library)
    report, result = build(assessment, data, library, generated=generated, trainer=trainer)
    return RenderedReport(report, result, report_format(fmt, answers=data).render(report))


def write_output(
    path: Path, data: bytes, *, force: bool = False, inputs: Collection[Path] = ()
) -> None:
    """Write a rendered file (report, class report) whole or not at all, or raise
    `OutputError` saying why not.

    An existing file is replaced only when diligence wrote it (`written_by_diligence`), so
    re-rendering, `make demo` twice and `--render-each` again just work, or with `force`
    (`--force`); a file the output is rendered from (`inputs`) never is. `/dev/null`,
    `/dev/stdout` and pipes are written to as they are (`files.write_atomically`).
    """
    shown = display_path(path)
    target = real_target(path)
    if target.is_file():
        if any(_same_file(target, source) for source in inputs):
            what = "the answers file this report is rendered from"
            raise OutputError(f"{shown} is {what}; choose another -o")
        if not force and not (written_by_diligence(target) or _same_csv(target, data)):
            raise OutputError(
                f"{shown} exists and is not a report diligence wrote; choose another -o, "
                "or add --force to replace it"
            )
    try:
        write_atomically(path, data, devices=True)
    except OSError as exc:
        raise OutputError(f"cannot write {shown}: {exc.strerror or exc}") from None


def _same_csv(target: Path, data: bytes) -> bool:
    """A CSV (a gradebook, a key file) has no room for a mark: an existing one with the
    very header line about to be written is an earlier run's."""
    if target.suffix.lower() != ".csv" or b"\n" not in data:
        return False
    header = data.split(b"\n", 1)[0] + b"\n"
    try:
        with target.open("rb") as stream:
            return stream.read(len(header)) == header
    except OSError:
        return False


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


_PEEK = 64 * 1024
_MARKS = (
    re.compile(rb'<meta name="generator" content="diligence[ "]'),  # HTML, and PDF sources
    re.compile(rb'"generator": "diligence[ "]'),  # JSON, the report's and the class's
    re.compile(rb"Rendered on [^\n]{1,60} by diligence \S+ from the answers file"),  # Markdown
)


def written_by_diligence(path: Path) -> bool:
    """Whether an existing file is a report or class report diligence wrote (any version):
    a PDF whose creator is diligence, or text with the generator mark each format writes.
    Reads at most the file's first and last 64 KB (and a PDF's document information)."""
    try:
        with path.open("rb") as stream:
            head = stream.read(_PEEK)
            size = os.fstat(stream.fileno()).st_size
            stream.seek(max(size - _PEEK, len(head)))
            tail = stream.read(_PEEK)
    except OSError:
        return False
    if head.startswith(b"%PDF-"):
        return _pdf_creator(path).startswith("diligence")
    return any(mark.search(head) or mark.search(tail) for mark in _MARKS)


def _pdf_creator(path: Path) -> str:
    import logging

    from pypdf import PdfReader

    log = logging.getLogger("pypdf")
    saved = log.level
    log.setLevel(logging.CRITICAL)  # a damaged file is simply not one of ours
    try:
        with contextlib.suppress(Exception):  # pypdf raises many kinds on a damaged file
            metadata = PdfReader(path, strict=False).metadata
            return str(metadata.get("/Creator") or "") if metadata else ""
        return ""
    finally:
        log.setLevel(saved)


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
