"""`diligence serve` in a real browser (Debian's chromium through Playwright): a student
by keyboard alone, a server killed mid-assessment, a class of three with the trainer
watching and downloading, refused forgeries, and axe-core on every page type."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pypdfium2
import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from browser import ServeProcess

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]

ROOT = Path(__file__).resolve().parents[1]
SHOTS = os.environ.get("DILIGENCE_SCREENSHOTS")
"""Set to a folder (e.g. docs) to keep the README's screenshots."""
DESKTOP: ViewportSize = {"width": 1200, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[ServeProcess]:
    server = ServeProcess(tmp_path / "class", None, "--scenario", "mexico-2017").start()
    yield server
    server.stop()


def _join(page: Page, serve: ServeProcess, name: str) -> None:
    page.goto(serve.join_url)
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Join and start").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mexico")


def _answer_one(page: Page, note: str = "") -> bool:
    """Answer the question on screen with the mouse; False once at the review."""
    if "/review" in page.url:
        return False
    options = page.locator("input[name=value]")
    if options.count():
        options.first.check()
    else:
        page.get_by_label("Your answer").fill("In our own words.")
    if note:
        page.get_by_label("Your reasoning (rationale)").fill(note)
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_load_state()
    return True


def _finish(page: Page) -> None:
    """Finish from the review; asked once about uncited answers, finish anyway."""
    page.get_by_role("button", name="Finish: mark the assessment complete").click()
    page.wait_for_load_state()
    if "confirm=1" in page.url:
        expect(page.get_by_role("alert")).to_contain_text("cite no passage")
        page.get_by_role("button", name="Finish anyway").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your assessment is complete")


def _tab_to(page: Page, selector: str, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector} on {page.url}")


def test_a_student_completes_the_assessment_by_keyboard_alone(
    serve: ServeProcess, page: Page
) -> None:
    page.goto(serve.join_url)
    _tab_to(page, "#name")
    page.keyboard.type("Kim Keyboard")
    _tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Start answering")).to_be_visible()
    _tab_to(page, "a[href='/q']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/q/**")
    for _ in range(80):
        if "/review" in page.url:
            break
        if page.locator("input[name=value]").count():
            _tab_to(page, "input[name=value]")
            page.keyboard.press("Space")
        else:
            _tab_to(page, "textarea#value")
            page.keyboard.type("Typed with the keyboard.")
        _tab_to(page, "button[value=next]")
        with page.expect_navigation():
            page.keyboard.press("Enter")
    assert "/review" in page.url
    for _ in range(2):  # finish; asked once about uncited answers, finish anyway
        _tab_to(page, "button[type=submit]", limit=150)  # past every answer's link
        with page.expect_navigation():
            page.keyboard.press("Enter")
        if "confirm=1" not in page.url:
            break
    expect(page.get_by_role("heading", name="Your assessment is complete")).to_be_visible()
    saved = yaml.safe_load(next((serve.folder).glob("*.yaml")).read_text())
    assert saved["status"] == "complete"
    assert saved["assessor"] == "Kim Keyboard"


def test_a_killed_server_restarts_with_every_acknowledged_answer(
    tmp_path: Path, browser: Browser
) -> None:
    server = ServeProcess(tmp_path / "class", None, "--scenario", "mexico-2017").start()
    context = browser.new_context()
    page = context.new_page()
    _join(page, server, "Ana")
    link = page.locator("#private-link").input_value()
    page.goto(server.base + "/q")
    for number in range(2):  # ID1 and ID2, both choices
        assert page.locator("input[name=value]").count() > 1, (page.url, page.content()[-3000:])
        page.locator("input[name=value]").nth(1).check()
        expect(page.locator("#status")).to_have_text("Saved.")  # acknowledged: on disk
        page.get_by_label("Your reasoning (rationale)").fill(f"reason {number}")
        page.get_by_role("button", name="Save and continue").click()
        page.wait_for_load_state()
    asked = page.url
    server.kill()
    again = ServeProcess(tmp_path / "class", server.port).start()
    try:
        page.goto(server.base + "/q")
        assert page.url == asked  # the same cookie, the next open question
        page.goto(server.base + "/q/ID1")
        expect(page.locator("input[name=value]").nth(1)).to_be_checked()
        expect(page.get_by_label("Your reasoning (rationale)")).to_have_value("reason 0")
        other = browser.new_context().new_page()
        other.goto(link)
        assert other.url == asked
    finally:
        again.stop()
        context.close()


def test_three_students_and_the_trainer_watching_and_downloading(
    serve: ServeProcess, browser: Browser
) -> None:
    trainer_context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    trainer = trainer_context.new_page()
    trainer.goto(serve.trainer_url)
    expect(trainer.get_by_role("heading", name="Class view")).to_be_visible()
    students: list[tuple[BrowserContext, Page]] = []
    for name in ("Ana", "Ben", "Chloé"):
        context = browser.new_context(viewport=DESKTOP)
        page = context.new_page()
        _join(page, serve, name)
        page.goto(serve.base + "/q")
        students.append((context, page))
    # In parallel: one question each in turn, as three people in a room would.
    going = list(students)
    while going:
        going = [(c, p) for c, p in going if _answer_one(p, note="because of the case")]
    for _, page in students:
        _finish(page)
    # The live view refreshes itself (no reload) until all three are complete.
    expect(trainer.locator("table.roster td", has_text="complete")).to_have_count(3, timeout=20_000)
    trainer.evaluate("document.getElementById('roster-title').scrollIntoView()")
    _screenshot(trainer, "serve-class-view")
    with trainer.expect_download() as got:
        trainer.get_by_role("link", name="Class report (PDF)").click()
    text = _pdf_text(got.value.path())
    assert "SUBMISSIONS" in text and "Chloé" in text
    with trainer.expect_download() as got:
        trainer.get_by_role("link", name="All answers files (ZIP)").click()
    names = zipfile.ZipFile(got.value.path()).namelist()
    assert sorted(names) == [
        "mexico-2017-ana.yaml",
        "mexico-2017-ben.yaml",
        "mexico-2017-chloe.yaml",
    ]
    trainer.get_by_role("button", name="Render every student’s PDF").click()
    expect(trainer.get_by_role("link", name="Download 3 reports (ZIP)")).to_be_visible(
        timeout=300_000  # three full reports, on a loaded 2-core machine
    )
    with trainer.expect_download() as got:
        trainer.get_by_role("link", name="Download 3 reports (ZIP)").click()
    reports = zipfile.ZipFile(got.value.path())
    assert sorted(reports.namelist()) == [f"mexico-2017-{n}.pdf" for n in ("ana", "ben", "chloe")]
    assert "Ben" in _pdf_text_bytes(reports.read("mexico-2017-ben.pdf"))
    for context, _ in students:
        context.close()
    trainer_context.close()


def test_a_form_from_another_site_is_refused(serve: ServeProcess, page: Page) -> None:
    _join(page, serve, "Ana")
    before = next(serve.folder.glob("*.yaml")).read_bytes()
    page.set_content(
        f'<form method="post" action="{serve.base}/q/ID1"><input name="value" value="new">'
        "<button>go</button></form>"
    )
    with page.expect_navigation():
        page.click("button")
    assert page.locator("h1").inner_text() in ("Refused", "This page is out of date", "Start first")
    assert next(serve.folder.glob("*.yaml")).read_bytes() == before


def _axe(page: Page) -> list[str]:
    results = Axe().run(page)
    return [f"{v['id']} ({len(v['nodes'])})" for v in results.response["violations"]]


def test_every_page_type_passes_axe_at_desktop_and_phone_width(
    serve: ServeProcess, browser: Browser
) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    trainer = browser.new_context(viewport=DESKTOP).new_page()
    trainer.goto(serve.trainer_url)
    _join(page, serve, "Ana")
    pages = {
        "join": serve.join_url,
        "briefing": serve.base + "/briefing",
        "case": serve.base + "/case",
        "question": serve.base + "/q/ID2",
        "review": serve.base + "/review",
        "error": serve.base + "/no/such/page",
    }
    page.goto(serve.base + "/q/ID1")
    page.locator("input[name=value]").nth(1).check()
    page.get_by_role("button", name="Save and continue").click()
    found: dict[str, list[str]] = {}
    for viewport, suffix in ((DESKTOP, ""), (PHONE, "-phone")):
        page.set_viewport_size(viewport)
        trainer.set_viewport_size(viewport)
        for name, url in pages.items():
            page.goto(url)
            if name == "question":
                page.locator("details.evidence summary").click()
                _screenshot(page, f"serve-question{suffix}")
            found[name + suffix] = _axe(page)
        for name, url in (
            ("trainer", serve.base + "/trainer"),
            ("present", serve.base + "/trainer/present/ID3?class=1"),
            ("present-end", serve.base + "/trainer/present/end"),
        ):
            trainer.goto(url)
            _screenshot(trainer, f"serve-{name}{suffix}")
            found[name + suffix] = _axe(trainer)
    page.goto(serve.base + "/q")
    while _answer_one(page):
        pass
    page.goto(serve.base + "/review")
    page.get_by_role("button", name="Finish: mark the assessment complete").click()
    expect(page.get_by_role("button", name="Finish anyway")).to_be_visible()
    found["review-confirm"] = _axe(page)
    page.get_by_role("button", name="Finish anyway").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your assessment is complete")
    found["done"] = _axe(page)
    page.goto(serve.base + "/section/identity")
    found["section"] = _axe(page)
    assert {name: v for name, v in found.items() if v} == {}


def test_the_presentation_steps_with_enter_b_and_j(serve: ServeProcess, page: Page) -> None:
    page.goto(serve.trainer_url)
    page.goto(serve.base + "/trainer/present")
    expect(page.locator("h1")).to_contain_text("ID1")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("ID2")
    page.keyboard.press("b")
    expect(page.locator("h1")).to_contain_text("ID1")
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.id") == "section"


def _screenshot(page: Page, name: str) -> None:
    folder = Path(SHOTS) if SHOTS else None
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"{name}.png"), full_page=False)


def _pdf_text(path: Path) -> str:
    return _pdf_text_bytes(path.read_bytes())


def _pdf_text_bytes(data: bytes) -> str:
    pdf = pypdfium2.PdfDocument(io.BytesIO(data))
    return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
