"""Check a PDF report against the answers embedded in it.

A report PDF carries the answers file (`answers.yaml`, byte for byte), a summary of what the
report states (`score.json`), and the answers' SHA-256 printed on its last page. Verifying
means: the printed hash, the summary's hash and the embedded file's hash agree; and the
embedded answers, re-scored with the current content, give the verdict, overall risk and red
flags the report states. Anything else is a difference, reported one per line.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from diligence.errors import AnswersError, NotAReport, UsageError
from diligence.report import ANSWERS_ATTACHMENT, HASH_LABEL, SUMMARY_ATTACHMENT

if TYPE_CHECKING:
    from diligence.content.library import Library

_HEX64 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class ReportContents:
    """What a report PDF holds: its attachments, its stated summary, its printed hash."""

    answers: bytes
    stated: dict[str, Any]
    printed_sha256: str | None


@dataclass
class Verification:
    sha256: str
    stated: dict[str, Any]
    verdict: str | None = None
    overall: int | None = None
    red_flags: list[str] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences


def read_report(path: Path, display: str) -> ReportContents:
    """The attachments and printed hash of a report PDF; NotAReport when it is not one."""
    from pypdf import PdfReader

    pypdf_log = logging.getLogger("pypdf")
    saved = pypdf_log.level
    pypdf_log.setLevel(logging.CRITICAL)  # a broken file is reported once, by us
    try:
        try:
            with path.open("rb") as handle:
                if handle.read(5) != b"%PDF-":
                    raise NotAReport(f"{display}: not a PDF file")
            reader = PdfReader(path, strict=False)
            attachments = reader.attachments
            answers = _single(attachments.get(ANSWERS_ATTACHMENT), display)
            summary = _single(attachments.get(SUMMARY_ATTACHMENT), display)
            if answers is None or summary is None:
                raise NotAReport(
                    f"{display}: not a diligence report (no embedded {ANSWERS_ATTACHMENT} "
                    f"and {SUMMARY_ATTACHMENT})"
                )
            pages = list(reader.pages)
            printed = None
            for page in reversed(pages):  # printed on the last page; look back if moved
                printed = printed_hash(page.extract_text() or "")
                if printed:
                    break
        except NotAReport:
            raise
        except FileNotFoundError:
            raise NotAReport(f"{display}: no such file") from None
        except OSError as exc:
            raise NotAReport(f"{display}: cannot be read: {exc.strerror or exc}") from None
        except Exception as exc:  # pypdf raises many kinds on a damaged file
            raise NotAReport(f"{display}: broken PDF ({type(exc).__name__}: {exc})") from None
    finally:
        pypdf_log.setLevel(saved)
    try:
        stated = json.loads(summary.decode("utf-8"))
        if not isinstance(stated, dict):
            raise ValueError("not an object")
    except (UnicodeDecodeError, ValueError) as exc:
        raise NotAReport(f"{display}: its {SUMMARY_ATTACHMENT} is not valid ({exc})") from None
    return ReportContents(answers, stated, printed)


def printed_hash(text: str) -> str | None:
    """The 64-hex-digit hash printed after the label, whatever whitespace extraction added."""
    squeezed = re.sub(r"\s+", "", text)
    label = re.sub(r"\s+", "", HASH_LABEL)
    at = squeezed.find(label)
    if at < 0:
        return None
    match = _HEX64.match(squeezed, at + len(label))
    return match.group(0) if match else None


def verify(path: Path, display: str, library: Library) -> Verification:
    """Compare a report with its embedded answers re-scored under the current content."""
    from diligence.assessment.load import assessment_from_bytes
    from diligence.scoring import score

    contents = read_report(path, display)
    actual = hashlib.sha256(contents.answers).hexdigest()
    check = Verification(sha256=actual, stated=contents.stated)
    check.differences += _hash_differences(contents, actual)
    _require_content(contents.answers, display, library)
    try:
        assessment = assessment_from_bytes(
            contents.answers, Path(ANSWERS_ATTACHMENT), f"{display}#{ANSWERS_ATTACHMENT}", library
        )
    except AnswersError as exc:
        check.differences += [
            f"the embedded answers no longer load with the current content: {line}"
            for line in exc.lines()
        ]
        return check
    result = score(assessment.checklist, assessment.answers)
    check.verdict = result.verdict.value
    check.overall = result.overall
    check.red_flags = [f.id for f in result.red_flags]
    check.differences += _stated_differences(check, result.checklist, result.version)
    return check


def _require_content(answers: bytes, display: str, library: Library) -> None:
    """The checklist and case the embedded answers name must be loaded: without them
    nothing can be compared, which is missing content (exit 2), not a difference."""
    from diligence.assessment.answers import parse_answers

    try:
        named = parse_answers(answers, Path(ANSWERS_ATTACHMENT), display).model
    except AnswersError:
        return  # unreadable embedded answers are a difference, reported by `verify`
    missing = []
    if named.checklist.id not in library.checklists:
        missing.append(f"checklist '{named.checklist.id}'")
    if named.case is not None and named.case not in library.cases:
        missing.append(f"case '{named.case}'")
    if missing:
        raise UsageError(
            f"{display}: its answers are for {' and '.join(missing)}, which "
            f"{'is' if len(missing) == 1 else 'are'} not loaded, so it cannot be checked; "
            "add the content it was written with (--content DIR)"
        )


def _hash_differences(contents: ReportContents, actual: str) -> list[str]:
    """The printed hash and the summary's hash must both be the embedded answers' hash."""
    differences = []
    if contents.printed_sha256 is None:
        differences.append("no answers hash is printed on its last page")
    elif contents.printed_sha256 != actual:
        differences.append(
            f"hash: the report prints {contents.printed_sha256[:16]}…, but the embedded "
            f"answers hash to {actual[:16]}…"
        )
    stated_hash = (contents.stated.get("answers") or {}).get("sha256")
    if stated_hash != actual:
        differences.append(
            f"hash: {SUMMARY_ATTACHMENT} records {str(stated_hash)[:16]}…, but the embedded "
            f"answers hash to {actual[:16]}…"
        )
    return differences


def _stated_differences(check: Verification, checklist: str, version: str) -> list[str]:
    """What the report states against what re-scoring gives: version, verdict, overall
    risk and red flags."""
    stated, differences = check.stated, []
    stated_checklist = stated.get("checklist") or {}
    if stated_checklist.get("version") not in (None, version):
        differences.append(
            f"checklist: the report used {checklist} {stated_checklist.get('version')}, "
            f"the content now has {version}"
        )
    if stated.get("verdict") != check.verdict:
        differences.append(
            f"verdict: the report states {stated.get('verdict')}; re-scoring gives {check.verdict}"
        )
    if stated.get("overall") != check.overall:
        differences.append(
            f"overall risk: the report states {stated.get('overall')}/100; re-scoring gives "
            f"{check.overall}/100"
        )
    stated_flags = stated.get("red_flags")
    if not isinstance(stated_flags, list) or sorted(map(str, stated_flags)) != sorted(
        check.red_flags
    ):
        shown = ", ".join(map(str, stated_flags)) if isinstance(stated_flags, list) else "?"
        differences.append(
            f"red flags: the report states {shown or 'none'}; re-scoring gives "
            f"{', '.join(check.red_flags) or 'none'}"
        )
    return differences


def _single(found: list[bytes] | None, display: str) -> bytes | None:
    if not found:
        return None
    if len(found) > 1:
        raise NotAReport(f"{display}: holds more than one attachment of the same name")
    return found[0]
