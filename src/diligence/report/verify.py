"""Check a PDF report against the answers embedded in it: is it what those answers give?

A report PDF carries the answers file (`answers.yaml`, byte for byte), what the report
states and how it was rendered (`score.json`: verdict, overall risk, red flags, the date and
the `RenderOptions`), and the answers' SHA-256 printed on its last page. Verifying means:

- the printed hash, the summary's hash and the embedded file's hash agree;
- the embedded answers, re-scored with the current content, give what the summary states;
- the report rendered again from those answers (same date, same options) reads the same as
  the PDF on every page: as many pages, the same text on each (hidden text counts), and
  nothing drawn that the render does not draw (a box painted over the verdict, an image).
  Identical bytes prove all of that at once; otherwise the pages are compared.

What it cannot tell is who made the report: there is no signature. Every read is bounded:
the PDF itself (`MAX_REPORT_BYTES`), its embedded answers (the 4 MB of any answers file,
checked while decompressing) and its summary.
"""

from __future__ import annotations

import difflib
import hashlib
import io
import logging
import re
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, ValidationError

from diligence.content.yamlio import MAX_FILE_BYTES
from diligence.errors import AnswersError, NotAReport, UsageError
from diligence.files import NotAFile, TooLarge, read_bounded
from diligence.report import ANSWERS_ATTACHMENT, HASH_LABEL, SUMMARY_ATTACHMENT, RenderOptions

if TYPE_CHECKING:
    from diligence.assessment.load import Assessment
    from diligence.content.library import Library

MAX_REPORT_BYTES = 64 * 1024 * 1024
"""The largest PDF `verify` reads (a report of every note at its limit is a few MB)."""
MAX_SUMMARY_BYTES = 64 * 1024
MAX_SHOWN_PAGES = 5
"""Pages that differ beyond this many are counted, not described."""

_HEX64 = re.compile(r"[0-9a-f]{64}")


class _Answers(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)
    sha256: str
    file: str = ANSWERS_ATTACHMENT
    """The answers file's own name, which the report prints (older reports lack it)."""


class _Checklist(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)
    id: str
    version: str


class Stated(BaseModel):
    """What a report's score.json must hold, with its types (older keys may be missing)."""

    model_config = ConfigDict(extra="ignore", strict=True)
    generator: str
    generated: datetime
    answers: _Answers
    checklist: _Checklist
    verdict: str
    overall: int
    red_flags: list[str]
    options: dict[str, Any] = {}


@dataclass(frozen=True)
class ReportContents:
    """What a report PDF holds: its bytes, attachments, stated summary and printed hash."""

    data: bytes
    answers: bytes
    stated: Stated
    options: RenderOptions
    printed_sha256: str | None


@dataclass
class Verification:
    sha256: str
    stated: Stated
    verdict: str | None = None
    overall: int | None = None
    red_flags: list[str] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences


def verify(path: Path, display: str, library: Library) -> Verification:
    """Compare a report with its embedded answers, re-scored and rendered again under the
    current content; every difference is one line of `Verification.differences`. Content
    the answers name that is not loaded is a `UsageError`, not a difference."""
    from diligence.assessment.load import assessment_from_bytes
    from diligence.scoring import score

    contents = read_report(path, display)
    actual = hashlib.sha256(contents.answers).hexdigest()
    check = Verification(sha256=actual, stated=contents.stated)
    check.differences += _hash_differences(contents, actual)
    _require_content(contents.answers, display, library)
    named = Path(Path(contents.stated.answers.file).name or ANSWERS_ATTACHMENT)
    try:
        assessment = assessment_from_bytes(
            contents.answers, named, f"{display}#{ANSWERS_ATTACHMENT}", library
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
    check.differences += _page_differences(contents, assessment, library, display)
    return check


# --------------------------------------------------------------------------- reading


def read_report(path: Path, display: str) -> ReportContents:
    """The attachments, summary and printed hash of a report PDF; `NotAReport` when the
    file is not one (or not one that can be read within the limits)."""
    data = _read_pdf(path, display)
    with _quiet_pypdf():
        try:
            from pypdf import PdfReader

            reader = PdfReader(io.BytesIO(data), strict=False)
            found = _attachments(reader.trailer["/Root"], display)
        except NotAReport:
            raise
        except Exception as exc:  # pypdf raises many kinds on a damaged file
            raise NotAReport(f"{display}: broken PDF ({type(exc).__name__}: {exc})") from None
    answers, summary = found.get(ANSWERS_ATTACHMENT), found.get(SUMMARY_ATTACHMENT)
    if answers is None or summary is None:
        raise NotAReport(
            f"{display}: not a diligence report (no embedded {ANSWERS_ATTACHMENT} "
            f"and {SUMMARY_ATTACHMENT})"
        )
    stated, options = _stated(summary, display)
    return ReportContents(data, answers, stated, options, printed_hash(_last_page_text(data)))


def _read_pdf(path: Path, display: str) -> bytes:
    try:
        data = read_bounded(path, MAX_REPORT_BYTES)
    except NotAFile as exc:
        raise NotAReport(f"{display}: is {exc.kind}, not a file; give a report PDF") from None
    except TooLarge:
        limit = MAX_REPORT_BYTES // 1_048_576
        raise NotAReport(f"{display}: is over {limit} MB; reports are smaller") from None
    except FileNotFoundError:
        raise NotAReport(f"{display}: no such file") from None
    except OSError as exc:
        raise NotAReport(f"{display}: cannot be read: {exc.strerror or exc}") from None
    if not data.startswith(b"%PDF-"):
        raise NotAReport(f"{display}: not a PDF file")
    return data


def _attachments(root: Any, display: str) -> dict[str, bytes]:
    """The two files verify reads, from the PDF's embedded-files name tree, each
    decompressed only up to its limit (a zip bomb stops there)."""
    names = root.get("/Names")
    tree = names.get_object().get("/EmbeddedFiles") if names else None
    found: dict[str, bytes] = {}
    for name, spec in _name_tree(tree.get_object() if tree else None, depth=0):
        if name not in (ANSWERS_ATTACHMENT, SUMMARY_ATTACHMENT):
            continue
        if name in found:
            raise NotAReport(f"{display}: holds more than one attachment of the same name")
        limit = MAX_FILE_BYTES if name == ANSWERS_ATTACHMENT else MAX_SUMMARY_BYTES
        stream = spec.get_object()["/EF"]["/F"].get_object()
        found[name] = _inflate(stream, limit, name, display)
    return found


def _name_tree(node: Any, depth: int) -> Iterator[tuple[str, Any]]:
    if node is None or depth > 8:
        return
    pairs = list(node.get("/Names", []))
    for i in range(0, len(pairs) - 1, 2):
        yield str(pairs[i]), pairs[i + 1]
    for kid in node.get("/Kids", []):
        yield from _name_tree(kid.get_object(), depth + 1)


def _inflate(stream: Any, limit: int, name: str, display: str) -> bytes:
    """An embedded file's bytes, never more than `limit` of them decompressed."""
    raw: bytes = stream._data  # the stored bytes, before any filter (pypdf keeps them here)
    filters = stream.get("/Filter")
    if isinstance(filters, list) and len(filters) == 1:
        filters = filters[0]
    if filters is None:
        data = raw[: limit + 1]
    elif filters == "/FlateDecode" and "/DecodeParms" not in stream:
        try:
            data = zlib.decompressobj().decompress(raw, limit + 1)
        except zlib.error as exc:
            raise NotAReport(f"{display}: its {name} is damaged ({exc})") from None
    else:
        raise NotAReport(f"{display}: its {name} is stored in a way reports never use")
    if len(data) > limit:
        if name == ANSWERS_ATTACHMENT:
            mb = limit // 1_048_576
            raise NotAReport(
                f"{display}: its embedded {name} is over {mb} MB; answers files are limited "
                f"to {mb} MB"
            )
        raise NotAReport(f"{display}: its embedded {name} is over {limit // 1024} KB")
    return data


def _stated(summary: bytes, display: str) -> tuple[Stated, RenderOptions]:
    """The summary, checked for its shape and types before anything reads it."""
    from diligence.report.render import LATEST_EPOCH

    try:
        stated = Stated.model_validate_json(summary)
        options = RenderOptions.from_json(stated.options)
    except ValidationError as exc:
        problem = exc.errors(include_url=False)[0]
        where = "/".join(map(str, problem["loc"])) or "the file"
        raise NotAReport(
            f"{display}: its {SUMMARY_ATTACHMENT} is not valid ({where}: {problem['msg']})"
        ) from None
    except ValueError as exc:
        raise NotAReport(f"{display}: its {SUMMARY_ATTACHMENT} is not valid ({exc})") from None
    generated = stated.generated
    if generated.tzinfo is None or not 0 <= generated.timestamp() <= LATEST_EPOCH:
        raise NotAReport(
            f"{display}: its {SUMMARY_ATTACHMENT} is not valid (generated: no report can "
            "carry that date)"
        )
    return stated, options


def printed_hash(text: str) -> str | None:
    """The 64-hex-digit hash printed after the label, whatever whitespace extraction added."""
    squeezed = re.sub(r"\s+", "", text)
    label = re.sub(r"\s+", "", HASH_LABEL)
    at = squeezed.find(label)
    if at < 0:
        return None
    match = _HEX64.match(squeezed, at + len(label))
    return match.group(0) if match else None


# --------------------------------------------------------------------------- comparing


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
    stated_hash = contents.stated.answers.sha256
    if stated_hash != actual:
        differences.append(
            f"hash: {SUMMARY_ATTACHMENT} records {stated_hash[:16]}…, but the embedded "
            f"answers hash to {actual[:16]}…"
        )
    return differences


def _stated_differences(check: Verification, checklist: str, version: str) -> list[str]:
    """What the report states against what re-scoring gives: version, verdict, overall
    risk and red flags."""
    stated, differences = check.stated, []
    if stated.checklist.version != version:
        differences.append(
            f"checklist: the report used {checklist} {stated.checklist.version}, "
            f"the content now has {version}"
        )
    if stated.verdict != check.verdict:
        differences.append(
            f"verdict: the report states {stated.verdict}; re-scoring gives {check.verdict}"
        )
    if stated.overall != check.overall:
        differences.append(
            f"overall risk: the report states {stated.overall}/100; re-scoring gives "
            f"{check.overall}/100"
        )
    if sorted(stated.red_flags) != sorted(check.red_flags):
        differences.append(
            f"red flags: the report states {', '.join(stated.red_flags) or 'none'}; "
            f"re-scoring gives {', '.join(check.red_flags) or 'none'}"
        )
    return differences


def _page_differences(
    contents: ReportContents, assessment: Assessment, library: Library, display: str
) -> list[str]:
    """Render the embedded answers again as the report says it was rendered, and compare
    what a reader sees, page by page."""
    from diligence.report.model import GENERATOR
    from diligence.report.pdf import PdfFormat
    from diligence.report.render import build

    generated = contents.stated.generated.astimezone(UTC)
    report, _ = build(
        assessment,
        contents.answers,
        library,
        generated=generated,
        **contents.options.as_json(),
    )
    again = PdfFormat(contents.answers).render(report).data
    if again == contents.data:
        return []
    differences = compare_pages(contents.data, again, display)
    if differences and contents.stated.generator != GENERATOR:
        differences.append(
            f"generator: the report was rendered by {contents.stated.generator}, this is "
            f"{GENERATOR}; check it with that version"
        )
    return differences


@dataclass(frozen=True)
class _Page:
    words: list[str]
    drawing: Counter[str]
    """What else the page draws: shapes, images, forms, shadings, and hidden text."""


def compare_pages(report: bytes, rendered: bytes, display: str) -> list[str]:
    """What differs between a report and a render of its answers, as a reader sees them:
    the page count, then each page's text and what it draws besides text."""
    import pypdfium2 as pdfium

    try:
        theirs, ours = pdfium.PdfDocument(report), pdfium.PdfDocument(rendered)
    except pdfium.PdfiumError as exc:
        raise NotAReport(f"{display}: broken PDF ({exc})") from None
    differences = []
    if len(theirs) != len(ours):
        differences.append(
            f"pages: the report has {len(theirs)}; a render of its embedded answers has {len(ours)}"
        )
    differing = 0
    for number in range(min(len(theirs), len(ours))):
        said = _page_difference(_page(theirs[number]), _page(ours[number]))
        if said is None:
            continue
        differing += 1
        if differing <= MAX_SHOWN_PAGES:
            differences.append(f"page {number + 1}: {said}")
    if differing > MAX_SHOWN_PAGES:
        differences.append(f"... and {differing - MAX_SHOWN_PAGES} more pages differ")
    return differences


def _page(page: Any) -> _Page:
    import pypdfium2.raw as pdfium_c

    kinds = {
        pdfium_c.FPDF_PAGEOBJ_PATH: "shapes",
        pdfium_c.FPDF_PAGEOBJ_IMAGE: "images",
        pdfium_c.FPDF_PAGEOBJ_SHADING: "shadings",
        pdfium_c.FPDF_PAGEOBJ_FORM: "forms",
    }
    drawing: Counter[str] = Counter()
    for item in page.get_objects(max_depth=4):
        if item.type in kinds:
            drawing[kinds[item.type]] += 1
        elif item.type == pdfium_c.FPDF_PAGEOBJ_TEXT:
            mode = pdfium_c.FPDFTextObj_GetTextRenderMode(item.raw)
            if mode == pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE:
                drawing["hidden text"] += 1
    text = page.get_textpage().get_text_range()
    return _Page(text.split(), drawing)


def _page_difference(theirs: _Page, ours: _Page) -> str | None:
    """How one page of the report differs from the same page of a render, in words."""
    if theirs.words != ours.words:
        return _text_difference(theirs.words, ours.words)
    if theirs.drawing != ours.drawing:
        added = theirs.drawing - ours.drawing
        missing = ours.drawing - theirs.drawing
        parts = [f"{n} more {kind}" for kind, n in sorted(added.items())]
        parts += [f"{n} fewer {kind}" for kind, n in sorted(missing.items())]
        return (
            "the same text, but drawn differently from a render of its embedded answers "
            f"({', '.join(parts)}): something may be painted over it"
        )
    return None


def _text_difference(theirs: list[str], ours: list[str]) -> str:
    """The first place the words differ, with a little context on each side."""
    matcher = difflib.SequenceMatcher(None, theirs, ours, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag != "equal":
            return (
                f"the report reads {_quote(theirs, a1, a2)} where a render of its embedded "
                f"answers reads {_quote(ours, b1, b2)}"
            )
    return "the text differs"  # pragma: no cover - unequal lists have an opcode


def _quote(words: list[str], start: int, end: int, room: int = 12) -> str:
    shown = words[max(start - 2, 0) : min(end, start + room) + 2]
    if not words[start:end]:
        return f"nothing ('{' '.join(shown)}' around it)" if shown else "nothing"
    more = "…" if end - start > room else ""
    return f"'{' '.join(shown)}{more}'"


def _last_page_text(data: bytes) -> str:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
        return str(document[len(document) - 1].get_textpage().get_text_range())
    except (pdfium.PdfiumError, IndexError):
        return ""


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """A broken file is reported once, by us, not in pypdf's log lines as well."""
    log = logging.getLogger("pypdf")
    saved = log.level
    log.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        log.setLevel(saved)
