"""The fonts a PDF report may use, a fontconfig set-up that admits no other, and a check
that names the text the fonts cannot print.

WeasyPrint finds fonts through fontconfig, which normally sees every font on the machine:
a glyph missing from our fonts would silently come from whatever the system has (DejaVu,
Liberation), so output would depend on the machine. Instead, `use_report_fonts()` points
fontconfig at a configuration of our own (`FONTCONFIG_FILE`) that lists exactly:
- the bundled fonts in `assets/fonts/` (Latin, Greek, Cyrillic, Hebrew, Arabic,
  Devanagari, Thai, symbols, mathematics, monochrome emoji), and
- the named Debian font files in `syscheck.CJK_FONTS` (Noto Sans CJK, from
  `fonts-noto-cjk`), when installed, linked into a private folder one by one.
Chinese, Japanese and Korean come from the Debian package because a font that covers them
is about 20 MB; a bundled subset would either be as large or leave names uncovered.

Importing this module imports neither WeasyPrint nor fontTools.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields, is_dataclass
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from diligence.report import ASSETS
from diligence.syscheck import CJK_FONTS

BUNDLED = ASSETS / "fonts"
CJK_PACKAGE = "fonts-noto-cjk"
FONTCONFIG_FILE = "FONTCONFIG_FILE"

# Code points that need the CJK font: radicals, punctuation, kana, Hangul, ideographs.
_CJK_RANGES = (
    (0x1100, 0x11FF),
    (0x2E80, 0x2FDF),
    (0x3000, 0x33FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xA960, 0xA97F),
    (0xAC00, 0xD7FF),
    (0xF900, 0xFAFF),
    (0xFE30, 0xFE4F),
    (0xFF00, 0xFFEF),
    (0x20000, 0x3FFFF),
)


def system_fonts() -> list[Path]:
    """The named system font files that are installed."""
    return [Path(f) for f in CJK_FONTS if Path(f).is_file()]


@cache
def use_report_fonts() -> Path:
    """Point fontconfig at our fonts only, once per process; returns the configuration file.

    Must run before WeasyPrint creates its font configuration (it reads `FONTCONFIG_FILE`
    then). The configuration lives in a folder named after what it lists, under the user's
    cache folder, so every process (and every worker of a process pool) shares one and
    nothing is left behind per run; without a writable cache folder, a temporary one is
    used and removed at exit.
    """
    fonts = system_fonts()
    key = hashlib.sha256("\n".join(map(str, [BUNDLED, *fonts])).encode()).hexdigest()[:16]
    cache_home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    folder = Path(cache_home) / "diligence" / f"fonts-{key}"
    try:
        if not (folder / "fonts.conf").is_file():
            folder.parent.mkdir(parents=True, exist_ok=True)
            built = Path(tempfile.mkdtemp(prefix=".fonts-", dir=folder.parent))
            _write_config(fonts, built, final=folder)
            _publish(built, folder)
    except OSError:
        folder = Path(tempfile.mkdtemp(prefix="diligence-fonts-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        _write_config(fonts, folder, final=folder)
    os.environ[FONTCONFIG_FILE] = str(folder / "fonts.conf")
    return folder / "fonts.conf"


def _write_config(fonts: list[Path], folder: Path, *, final: Path) -> None:
    """Fill `folder` with `fonts.conf` and a link to each system font, as it will read
    once moved to `final`."""
    (folder / "system").mkdir()
    for font in fonts:
        (folder / "system" / font.name).symlink_to(font)
    dirs = "".join(f"<dir>{escape(str(d))}</dir>" for d in (BUNDLED, final / "system"))
    (folder / "fonts.conf").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        f"<fontconfig>{dirs}</fontconfig>\n",
        encoding="utf-8",
    )


def _publish(built: Path, folder: Path) -> None:
    """Move a finished folder into place; when another process got there first, keep its."""
    try:
        built.rename(folder)
    except OSError:
        shutil.rmtree(built, ignore_errors=True)
        if not (folder / "fonts.conf").is_file():
            raise


# --------------------------------------------------------------------------- coverage


@cache
def _bundled_coverage() -> frozenset[int]:
    return _coverage(tuple(sorted(BUNDLED.glob("*.ttf"))))


@cache
def _system_coverage() -> frozenset[int]:
    return _coverage(tuple(system_fonts()))


def _coverage(files: tuple[Path, ...]) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    covered: set[int] = set()
    for path in files:
        font = TTFont(path, fontNumber=0, lazy=True)
        covered.update(font.getBestCmap() or {})
        font.close()
    return frozenset(covered)


def uncovered(text: str) -> str:
    """The characters of `text` that no report font can print, each once, in order."""
    candidates = [ch for ch in dict.fromkeys(text) if _printable(ch)]
    first = _bundled_coverage()
    left = [ch for ch in candidates if ord(ch) not in first]
    if not left:
        return ""
    second = _system_coverage()
    return "".join(ch for ch in left if ord(ch) not in second)


def _printable(ch: str) -> bool:
    """Characters that take a glyph: not spaces, controls, joiners or variation selectors."""
    if ch.isspace():
        return False
    category = unicodedata.category(ch)
    return category not in ("Cc", "Cf", "Cs", "Co", "Cn") and not 0xFE00 <= ord(ch) <= 0xFE0F


def _needs_cjk(chars: str) -> bool:
    return any(low <= ord(ch) <= high for ch in chars for low, high in _CJK_RANGES)


# --------------------------------------------------------------------------- the report's text


@dataclass(frozen=True)
class _Place:
    """Where a piece of report text comes from, in words a user recognises."""

    kind: str
    """assessor | note | answer | other"""
    question: str | None = None


def missing_glyph_warnings(report: Any) -> list[str]:
    """One warning per kind of text with characters the report fonts cannot print, e.g.
    "2 characters in the assessor's name (陈伟) have no glyph in the report fonts"."""
    missing: dict[str, str] = {}
    questions: dict[str, list[str]] = {}
    for place, text in _texts(report):
        chars = uncovered(text)
        if not chars:
            continue
        missing[place.kind] = "".join(dict.fromkeys(missing.get(place.kind, "") + chars))
        if place.question and place.question not in questions.setdefault(place.kind, []):
            questions[place.kind].append(place.question)
    warnings = []
    for kind, chars in missing.items():
        count = len(chars)
        shown = chars if count <= 20 else chars[:20] + "…"
        verb = "has" if count == 1 else "have"
        hint = ""
        if _needs_cjk(chars) and not system_fonts():
            hint = f"; install the Debian package {CJK_PACKAGE} to print them"
        warnings.append(
            f"{count} character{'s' if count != 1 else ''} in {_where(kind, questions)} "
            f"({shown}) {verb} no glyph in the report fonts{hint}"
        )
    return warnings


def _where(kind: str, questions: dict[str, list[str]]) -> str:
    ids = ", ".join(questions.get(kind, []))
    return {
        "assessor": "the assessor's name",
        "note": f"the notes on {ids}" if ids else "the notes",
        "answer": f"the answers to {ids}" if ids else "the answers",
    }.get(kind, "the report's text")


def _texts(report: Any) -> Iterator[tuple[_Place, str]]:
    """Every string in the report model, with where it comes from."""
    yield _Place("assessor"), getattr(report, "assessor", "")
    seen: set[int] = set()
    for finding in _findings(report):
        seen.add(id(finding))
        question = getattr(finding, "question", None)
        yield _Place("note", question), getattr(finding, "note", None) or ""
        yield _Place("answer", question), getattr(finding, "answer", "") or ""
    for value in _strings(report, skip=seen):
        yield _Place("other"), value


def _findings(report: Any) -> Iterable[Any]:
    for section in getattr(report, "sections", ()):
        yield from getattr(section, "findings", ())
    yield from getattr(report, "unanswered", ())
    yield from getattr(report, "inactive", ())


def _strings(value: Any, skip: set[int]) -> Iterator[str]:
    if id(value) in skip:
        return
    if isinstance(value, str):
        yield value
    elif is_dataclass(value) and not isinstance(value, type):
        for f in fields(value):
            if f.name != "assessor":
                yield from _strings(getattr(value, f.name), skip)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item, skip)
