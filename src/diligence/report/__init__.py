"""Reports: a report model, one renderer per format, and the WeasyPrint adapter.

Light on purpose: importing this package loads neither Jinja2 nor WeasyPrint.
"""

from __future__ import annotations

from pathlib import Path

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
