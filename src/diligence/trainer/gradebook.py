"""The trainer's CSV files: the gradebook, and the private key of an anonymised class.

The gradebook has one row per student, for a spreadsheet, Moodle or Canvas:
`gradebook_rows` is the one definition of its columns (`diligence class --format csv` and
the browser's trainer view both use it). The key (`key.csv` beside the PDFs of
`--render-each --anonymize`) ties each "Student N" to a file and an assessor. A cell a
student controls (the name they typed, the file name) that starts like a formula is
written with a leading apostrophe, so no spreadsheet runs it (CSV injection).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import astuple, dataclass, fields

from diligence.trainer.aggregate import ClassSummary, Submission
from diligence.trainer.anonymity import student_label


@dataclass(frozen=True)
class GradebookRow:
    """One student. The field names are the CSV's column names, in order."""

    student: str
    """The assessor's name as they typed it, or "Student N" under --anonymize."""
    file: str
    """The answers file; empty under --anonymize (the key file names it)."""
    complete: str
    """"yes" or "no": an incomplete file's verdict is provisional."""
    verdict: str
    """The verdict's label: Proceed, Proceed with conditions, Escalate to the ethics
    committee, Decline."""
    agreement: int | None
    """Percent (0-100) of the reference's answered choice questions answered alike."""
    red_flags: int
    red_flag_ids: str
    """The red flags raised, by id, separated by spaces."""
    without_rationale: int
    """Answered choice questions with no note giving a reason."""
    citations: int
    """Case passages cited, counted once per answer."""
    overall_risk: int


COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(GradebookRow))

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet may read as the start of a formula (OWASP, CSV injection)."""


def gradebook_rows(summary: ClassSummary) -> list[GradebookRow]:
    """Every submission of the class, in the order of the class report's student list."""
    return [_row(s, summary.anonymized) for s in summary.submissions]


def _row(submission: Submission, anonymized: bool) -> GradebookRow:
    agreement = submission.agreement
    return GradebookRow(
        student=submission.student,
        file="" if anonymized else submission.display,
        complete="yes" if submission.complete else "no",
        verdict=submission.result.verdict_label,
        agreement=None if agreement is None else round(agreement * 100),
        red_flags=len(submission.red_flags),
        red_flag_ids=" ".join(submission.red_flags),
        without_rationale=submission.without_rationale,
        citations=submission.citations,
        overall_risk=submission.result.overall,
    )


def safe_cell(value: object) -> str:
    """A cell's text that no spreadsheet reads as a formula; numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(columns: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A CSV file (comma-separated, RFC 4180 quoting, CRLF line ends) with every cell
    made safe: the one CSV writer of the trainer's files."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([safe_cell(v) for v in row] for row in rows)
    return out.getvalue()


def gradebook_csv(summary: ClassSummary) -> str:
    return csv_text(COLUMNS, [astuple(row) for row in gradebook_rows(summary)])


KEY_FILE = "key.csv"
KEY_COLUMNS = ("number", "student", "file", "assessor", "report")


def key_csv(summary: ClassSummary, reports: Mapping[str, str] | None = None) -> str:
    """Every numbered file of the class (set-aside files too) with its student number,
    label and assessor, and the name of its PDF in `reports` (by file display path)."""
    assessors = {s.display: s.assessor for s in summary.submissions}
    reports = reports or {}
    rows = [
        (
            number,
            student_label(number),
            display,
            assessors.get(display, ""),
            reports.get(display, ""),
        )
        for display, number in sorted(summary.numbers, key=lambda item: item[1])
    ]
    return csv_text(KEY_COLUMNS, rows)
