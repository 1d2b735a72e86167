"""The report as JSON: the report model itself, keys documented in docs/report-json.md."""

from __future__ import annotations

import json

from diligence.report.formats import Rendered, ReportFormat
from diligence.report.model import Report


def render_json(report: Report) -> str:
    return json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n"


class JsonFormat(ReportFormat):
    def render(self, subject: Report) -> Rendered:
        return Rendered(render_json(subject).encode("utf-8"))
