"""The gradebook: one row per student, for a learning platform (Moodle, Canvas).

Built from the class aggregation (`aggregate.collect`), so `diligence class` and the
browser's trainer view give the same rows. Columns, in order:

    student            the assessor, or "Student N" when anonymised
    file               the answers file ("" when anonymised)
    complete           yes / no: every required question answered
    verdict            proceed | proceed_with_conditions | escalate | decline
    agreement          share of the reference's answers given alike, 0-100 ("" without a reference)
    red_flags          how many red flags the answers raise
    without_rationale  answered questions that carry no note (rationale)
    citations          case passages cited, over all answers
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from diligence.trainer.aggregate import ClassSummary, Submission

COLUMNS = (
    "student",
    "file",
    "complete",
    "verdict",
    "agreement",
    "red_flags",
    "without_rationale",
    "citations",
)


def rows(summary: ClassSummary, *, anonymize: bool = False) -> Iterable[tuple[str, ...]]:
    """One row per submission, in the order of the class report."""
    for submission in summary.submissions:
        yield _row(submission, anonymize)


def _row(submission: Submission, anonymize: bool) -> tuple[str, ...]:
    result = submission.result
    answered = [q for q in result.questions if q.relevant and q.answered]
    agreement = submission.agreement
    return (
        submission.student,
        "" if anonymize else submission.display,
        "yes" if submission.complete else "no",
        result.verdict.value,
        "" if agreement is None else str(round(agreement * 100)),
        str(len(result.red_flags)),
        str(sum(1 for q in answered if not (q.note or "").strip())),
        str(sum(len(q.cites) for q in answered)),
    )


def to_csv(summary: ClassSummary, *, anonymize: bool = False) -> str:
    """The gradebook as CSV text (a header row, then one row per student)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows(summary, anonymize=anonymize):
        writer.writerow(_safe(cell) for cell in row)
    return buffer.getvalue()


def _safe(cell: str) -> str:
    """A spreadsheet never runs a cell as a formula (CSV injection): a leading =, +, -,
    @ or tab gets a quote mark before it."""
    return f"'{cell}" if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell
