"""Reports: a report model, one renderer per format, and the WeasyPrint adapter.

Light on purpose: importing this package loads neither Jinja2 nor WeasyPrint.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
ASSETS = PACKAGE / "assets"
"""CSS and fonts: the only files the PDF renderer may read."""
TEMPLATES = PACKAGE / "templates"
