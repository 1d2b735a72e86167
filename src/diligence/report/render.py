"""From an answers file to a rendered report: read once, score, build the model, render.

The answers file is read exactly once and everything (the hash, the attachment, the score)
comes from those bytes, so a report can never state the score of one version of the file
and embed another, even if the file changes while it renders.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from diligence.errors import AnswersError, OutputError, UsageError

if TYPE_CHECKING:
    from collections.abc import Mapping

    from diligence.assessment.load import Assessment
    from diligence.content.library import Library
    from diligence.report.formats import Rendered
    from diligence.report.model import Report
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
    from diligence.content.library import display_path
    from diligence.content.yamlio import MAX_FILE_BYTES

    display = display_path(path)
    try:
        if path.is_dir():
            raise UsageError(f"{display} is a folder; give an answers file")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise AnswersError.at(display, 0, f"is {size / 1_048_576:.1f} MB; too large")
        return path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{display}: no such file") from None
    except OSError as exc:
        raise UsageError(f"{display}: cannot be read: {exc.strerror or exc}") from None


def assessment_from_bytes(data: bytes, path: Path, display: str, library: Library) -> Assessment:
    """Load and check an answers file from its bytes (what `load_assessment` does for a path)."""
    from diligence.assessment.load import Assessment
    from diligence.content.library import Loaded
    from diligence.content.lint import lint_answers
    from diligence.content.loader import validate_document
    from diligence.content.models import AnswersFile
    from diligence.content.yamlio import parse_yaml

    text = _decode(data, display)
    doc = parse_yaml(text, display)
    if not isinstance(doc.data, dict):
        raise AnswersError.at(display, 1, "is not an answers file (expected a mapping of keys)")
    answers = validate_document(doc, AnswersFile, AnswersError)
    problems = lint_answers(Loaded(path, doc, answers), library)
    if problems:
        raise AnswersError(problems)
    case = library.case(answers.case)
    return Assessment(
        path=path,
        doc=doc,
        answers=answers,
        checklist=library.checklist(answers.checklist.id),
        case=case,
        scenario=case.scenario(answers.scenario) if answers.scenario else None,
    )


def build(
    assessment: Assessment,
    data: bytes,
    library: Library,
    *,
    generated: datetime,
    trainer: bool = False,
) -> tuple[Report, ScoreResult]:
    """Score an assessment and gather its report model."""
    from diligence.report.model import build_report
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
    from diligence.content.library import display_path
    from diligence.report.formats import get_format

    data = read_answers(path)
    assessment = assessment_from_bytes(data, path, display_path(path), library)
    report, result = build(assessment, data, library, generated=generated, trainer=trainer)
    return RenderedReport(report, result, get_format(fmt).render(report, data))


def write_atomically(path: Path, data: bytes) -> None:
    """Write a file whole or not at all (temporary file, then rename)."""
    from diligence.content.library import display_path

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.chmod(tmp, 0o666 & ~_umask())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise OutputError(f"cannot write {display_path(path)}: {exc.strerror or exc}") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _decode(data: bytes, display: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise AnswersError.at(display, 1, "is UTF-16 encoded; save it as UTF-8")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise AnswersError.at(display, line, "is not UTF-8 text") from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise AnswersError.at(display, line, "contains a NUL byte; is it a binary file?")
    return text.removeprefix("\ufeff")
