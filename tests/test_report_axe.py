"""The HTML report and the HTML class report in a real browser: axe-core finds nothing
(contrast of the risk colours, links told apart from text, one main landmark)."""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from classgen import write_class
from conftest import ROOT, run_cli

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

REFERENCE = ROOT / "case_studies" / "pegasus" / "reference" / "mexico-2017.yaml"


def _violations(page: Page, path: Path) -> dict[int, list[str]]:
    found = {}
    for width in (1200, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(path.as_uri())
        response = Axe().run(page).response
        found[width] = [f"{v['id']} ({len(v['nodes'])})" for v in response["violations"]]
    return {width: v for width, v in found.items() if v}


def test_the_html_report_passes_axe(page: Page, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    assert run_cli("report", REFERENCE, "-o", out, "--trainer").code == 0
    assert _violations(page, out) == {}


def test_the_html_class_report_passes_axe(page: Page, tmp_path: Path) -> None:
    write_class(REFERENCE, tmp_path / "class", 6, broken=1)
    out = tmp_path / "class.html"
    assert run_cli("class", tmp_path / "class", "-o", out).code == 0
    assert _violations(page, out) == {}
