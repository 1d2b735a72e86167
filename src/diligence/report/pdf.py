"""The WeasyPrint adapter: HTML in, a tagged PDF with fonts and attachments out.

`write_pdf` is shared by every report that becomes a PDF. It gives WeasyPrint:
- our fonts only (assets/fonts.css, and fontconfig limited to the fonts in fonts.py), and
  a warning naming the text those fonts cannot print, instead of WeasyPrint's log lines;
- a URL fetcher that reads only `data:` URLs and the asset folder (see fetcher.py);
- PDF/UA-1 (tagged, with the document language and title), which WeasyPrint 70 combines
  with embedded files: PDF/UA allows attachments, unlike PDF/A-1/2;
- fixed dates, so that equal input gives equal bytes. No file identifier (/ID, optional
  unless encrypted): pydyf computes it by serialising and compressing every object a second
  time, which costs a tenth of the render.

WeasyPrint is imported inside the functions, never at module import time.
"""

from __future__ import annotations

import gc
import json
import logging
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from diligence.dates import SOURCE_DATE_EPOCH, iso_utc
from diligence.errors import MissingSystemLibrary
from diligence.report import ANSWERS_ATTACHMENT, ASSETS, SUMMARY_ATTACHMENT, RenderOptions
from diligence.report.formats import Rendered, ReportFormat

if TYPE_CHECKING:
    from diligence.report.fetcher import AssetFetcher
    from diligence.report.model import Report

PDF_VARIANT = "pdf/ua-1"
PDF_OPTIONS: dict[str, Any] = {"pdf_variant": PDF_VARIANT}
"""The options every report PDF is written with (the benchmark passes the same ones)."""
FONTS_CSS = ASSETS / "fonts.css"
WEASYPRINT_CLI_OPTIONS = ("--pdf-variant", PDF_VARIANT, "--stylesheet", str(FONTS_CSS))
"""The same options as `weasyprint` command-line flags, for benchmarks: the PDF variant and
the bundled fonts (the HTML report itself names no font file)."""

SUMMARY_FORMAT = 1


@dataclass(frozen=True)
class EmbeddedFile:
    """A file to attach to the PDF."""

    name: str
    data: bytes
    description: str


def write_pdf(
    html: str,
    *,
    attachments: Sequence[EmbeddedFile] = (),
    created: datetime,
    fetcher: AssetFetcher | None = None,
) -> Rendered:
    """Render HTML (whose relative URLs resolve inside the asset folder) to PDF bytes.

    WeasyPrint's own log lines are kept as `Rendered.diagnostics`, never printed: the known
    ones are harmless (fontTools subsetting when libharfbuzz-subset is missing; .notdef
    glyphs, which `missing_glyph_warnings` reports in the user's terms).
    """
    from diligence.report.fonts import use_report_fonts

    use_report_fonts()
    weasyprint = _import_weasyprint()
    from weasyprint.text.fonts import FontConfiguration

    from diligence.report.fetcher import AssetFetcher

    fetcher = fetcher or AssetFetcher()
    stamp = created.astimezone(UTC).replace(tzinfo=None)
    with _collect_warnings() as warnings, _fewer_collections(), _font_dates(created):
        font_config = FontConfiguration()
        fonts = weasyprint.CSS(
            string=FONTS_CSS.read_text(encoding="utf-8"),
            base_url=FONTS_CSS.as_uri(),
            url_fetcher=fetcher,
            font_config=font_config,
        )
        document = weasyprint.HTML(
            string=html, base_url=ASSETS.as_uri() + "/", url_fetcher=fetcher
        ).render(font_config=font_config, stylesheets=[fonts], **PDF_OPTIONS)
        data = document.write_pdf(
            attachments=[
                weasyprint.Attachment(
                    string=a.data,
                    name=a.name,
                    description=a.description,
                    created=stamp,
                    modified=stamp,
                    url_fetcher=fetcher,
                )
                for a in attachments
            ],
            **PDF_OPTIONS,
        )
    return Rendered(data, pages=len(document.pages), diagnostics=tuple(warnings))


def summary_json(report: Report) -> bytes:
    """`score.json`: what the report states, and when and how it was rendered (date,
    generator, `RenderOptions`), for `diligence verify` to compare and to render again."""
    summary = {
        "format": SUMMARY_FORMAT,
        "generator": report.generator,
        "generated": iso_utc(report.generated),
        "answers": {
            "name": ANSWERS_ATTACHMENT,
            "file": report.answers.name,
            "sha256": report.answers.sha256,
        },
        "checklist": {"id": report.checklist_id, "version": report.checklist_version},
        "case": report.case_id,
        "scenario": report.scenario.id if report.scenario else None,
        "verdict": report.verdict,
        "overall": report.overall,
        "overall_level": report.overall_level,
        "red_flags": [f.id for f in report.red_flags],
        "complete": report.complete,
        "options": RenderOptions.of(report).as_json(),
    }
    return (json.dumps(summary, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


class PdfFormat(ReportFormat):
    """The report as a tagged PDF that embeds its answers file and what it states."""

    def __init__(self, answers: bytes, fetcher: AssetFetcher | None = None) -> None:
        self.answers = answers
        """The answers file's exact bytes, embedded as the attachment."""
        self.fetcher = fetcher

    def render(self, subject: Report) -> Rendered:
        from diligence.report.fonts import missing_glyph_warnings
        from diligence.report.html import render_html

        report = subject
        rendered = write_pdf(
            render_html(report, "pdf"),
            attachments=[
                EmbeddedFile(
                    ANSWERS_ATTACHMENT,
                    self.answers,
                    f"The answers file this report was rendered from ({report.answers.name})",
                ),
                EmbeddedFile(
                    SUMMARY_ATTACHMENT,
                    summary_json(report),
                    "What this report states: verdict, overall risk and red flags",
                ),
            ],
            created=report.generated,
            fetcher=self.fetcher,
        )
        return replace(rendered, warnings=tuple(missing_glyph_warnings(report)))


def _import_weasyprint() -> Any:
    try:
        import weasyprint
    except OSError as exc:  # a shared library (Pango, ...) is missing
        raise MissingSystemLibrary(
            f"WeasyPrint cannot load a system library ({exc}); run 'python -m "
            "diligence.syscheck demo' to see which Debian package to install"
        ) from None
    return weasyprint


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Let the cyclic garbage collector run far less often while WeasyPrint lays out.

    Layout allocates millions of short-lived objects, so with the default thresholds the
    collector runs thousands of times, each time walking every live object, including the
    loaded content and models (frozen here, so they are not walked at all). Measured on the
    reference report: a fifth of the render time, for about 3 MB more peak memory.
    """
    saved = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(100_000, 50, 1000)
    try:
        yield
    finally:
        gc.set_threshold(*saved)
        gc.unfreeze()


@contextmanager
def _font_dates(created: datetime) -> Iterator[None]:
    """Date the fonts fontTools subsets (without libharfbuzz-subset) with the report's own
    date: fontTools reads SOURCE_DATE_EPOCH from the process, else the clock, so without
    this two renders of one report differ and `verify` cannot compare bytes."""
    saved = os.environ.get(SOURCE_DATE_EPOCH)
    os.environ[SOURCE_DATE_EPOCH] = str(int(created.timestamp()))
    try:
        yield
    finally:
        if saved is None:
            del os.environ[SOURCE_DATE_EPOCH]
        else:
            os.environ[SOURCE_DATE_EPOCH] = saved


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _collect_warnings() -> Iterator[list[str]]:
    """Gather WeasyPrint's warnings instead of letting them reach stderr raw."""
    logger = logging.getLogger("weasyprint")
    collector = _Collector()
    saved = logger.propagate
    logger.addHandler(collector)
    logger.propagate = False
    try:
        yield collector.messages
    finally:
        logger.removeHandler(collector)
        logger.propagate = saved
