"""Names in any script render with fonts the project names, and only with those.

The bundled fonts cover Latin, Hebrew, Arabic, Devanagari, Thai, symbols and emoji; the
Debian package fonts-noto-cjk (installed by `make test`) covers Chinese, Japanese and Korean.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fontTools.ttLib import TTCollection, TTFont

from diligence.report import ASSETS, fonts
from diligence.report.pdf import PdfFormat
from diligence.syscheck import CJK_FONTS

from conftest import SAMPLE, run_cli
from reporting import flat, font_names, page_texts, sample_report, write_answers

pytestmark = pytest.mark.pdf

NAMES = "Joaquín Guzmán Loera, Enrique Peña Nieto, Carmen Aristegui, Émile Zoë Ørsted"
HEBREW = "שלום עולם"
ARABIC = "أحمد منصور"
DEVANAGARI = "अनुराधा शर्मा"
THAI = "สมชาย ใจดี"
CJK = "陈伟 山田太郎 김민준"
EMOJI = "👍 ✓ ∑ ⊕"
FONTS = ASSETS / "fonts"


def test_bundled_fonts_are_small_open_licensed_and_cover_the_names() -> None:
    files = sorted(FONTS.glob("*.ttf"))
    assert len(files) >= 15
    assert all(f.stat().st_size < 2_000_000 for f in files)
    assert sum(f.stat().st_size for f in files) < 8_000_000
    assert "SIL OPEN FONT LICENSE Version 1.1" in (FONTS / "OFL.txt").read_text()
    covered: set[int] = set()
    for f in files:
        covered |= set(TTFont(f)["cmap"].getBestCmap())
    text = NAMES + HEBREW + ARABIC + DEVANAGARI + THAI + EMOJI
    assert {ch for ch in text if not ch.isspace() and ord(ch) not in covered} == set()


def _named_families() -> set[str]:
    """The family of every font the project names, as PDFs spell them ("Noto-Sans-Thai")."""
    faces = [TTFont(path, lazy=True) for path in FONTS.glob("*.ttf")]
    for path in CJK_FONTS:
        faces += TTCollection(path, lazy=True).fonts
    names = {"DD"}  # the bundled fonts' private @font-face names: DD-Serif, DD-Sans, ...
    return names | {str(face["name"].getDebugName(1)).replace(" ", "-") for face in faces}


def test_names_in_every_script_print_as_glyphs_from_fonts_the_project_named(
    tmp_path: Path,
) -> None:
    assert all(Path(f).is_file() for f in CJK_FONTS), "run 'make test': it installs fonts-noto-cjk"
    everyone = f"{CJK} {DEVANAGARI} {THAI} {EMOJI}"
    answers = write_answers(
        tmp_path / "scripts.yaml",
        {"assessor": everyone, "answers.W1": {"value": "yes", "note": f"Met {everyone}."}},
    )
    out = tmp_path / "scripts.pdf"
    result = run_cli("report", answers, "-o", out, "--content", SAMPLE)
    assert result.code == 0, result.err
    assert "warning" not in result.err
    used = font_names(out)
    named = _named_families()
    assert all(any(n == f or n.startswith(f + "-") for f in named) for n in used), used
    assert {"Noto-Sans-Devanagari", "Noto-Sans-Thai", "Noto-Emoji"} <= used
    assert any(n.startswith("Noto-Sans-CJK") for n in used), used
    text = flat(" ".join(page_texts(out)))
    assert "陈伟 山田太郎 김민준" in text


def test_text_no_font_can_print_is_named_once_for_each_kind_of_text(tmp_path: Path) -> None:
    hieroglyphs = "\U00013000\U00013001"
    answers = write_answers(
        tmp_path / "egypt.yaml",
        {
            "assessor": f"Ana {hieroglyphs}",
            "answers.W1": {"value": "yes", "note": "Seen \U00013080 twice: \U00013080"},
            "answers.W2": {"value": "broker", "note": "And here \U00013080."},
        },
    )
    result = run_cli("report", answers, "-o", tmp_path / "egypt.pdf", "--content", SAMPLE)
    assert result.code == 0, result.err
    assert result.err.splitlines() == [
        f"diligence: warning: 2 characters in the assessor's name ({hieroglyphs}) have no "
        "glyph in the report fonts",
        "diligence: warning: 1 character in the notes on W1, W2 (\U00013080) has no glyph in "
        "the report fonts",
    ]


def test_without_the_cjk_package_the_warning_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(fonts, "system_fonts", list)
    monkeypatch.setattr(fonts, "_system_coverage", frozenset)
    answers = write_answers(tmp_path / "chen.yaml", {"assessor": "陈伟"})
    report, _ = sample_report(answers)
    assert fonts.missing_glyph_warnings(report) == [
        "2 characters in the assessor's name (陈伟) have no glyph in the report fonts; "
        "install the Debian package fonts-noto-cjk to print them"
    ]


def test_the_stylesheet_is_clean() -> None:
    report, data = sample_report()
    rendered = PdfFormat(data).render(report)
    harmless = "Using fontTools instead of HarfBuzz-Subset"  # no libharfbuzz-subset0 here
    assert [d for d in rendered.diagnostics if harmless not in d] == []
    assert rendered.warnings == ()


def test_pdf_without_harfbuzz_subset(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """As on a machine without libharfbuzz-subset0: fontTools subsets, and nobody is told."""
    import weasyprint.pdf.fonts

    monkeypatch.setattr(weasyprint.pdf.fonts, "harfbuzz_subset", None)
    report, data = sample_report()
    rendered = PdfFormat(data).render(report)
    assert any("fontTools" in d for d in rendered.diagnostics)  # the other path did run
    assert rendered.warnings == ()
    assert "Escalate to the board" in flat(page_texts(rendered.data)[0])
    out = tmp_path / "nohb.pdf"
    result = run_cli(
        "report", write_answers(tmp_path / "a.yaml", {}), "-o", out, "--content", SAMPLE
    )
    assert result.code == 0, result.err
    assert result.err == ""
    assert {"DD-Serif", "DD-Sans-Bold"} <= font_names(out)


def test_accented_hebrew_and_arabic_names_use_only_bundled_fonts(tmp_path: Path) -> None:
    answers = write_answers(
        tmp_path / "names.yaml",
        {
            "assessor": f"{NAMES} {HEBREW} {ARABIC}",
            "answers.W1": {"value": "yes", "note": f"Met {NAMES}.\n{HEBREW}\n{ARABIC}"},
        },
    )
    out = tmp_path / "names.pdf"
    result = run_cli("report", answers, "-o", out, "--content", SAMPLE)
    assert result.code == 0, result.err
    assert "warning" not in result.err
    names = font_names(out)
    assert {"DD-Serif", "DD-Hebrew", "DD-Arabic"} <= names
    assert not any("DejaVu" in n for n in names), names
    assert all(n.startswith("DD-") for n in names), names
    text = flat(" ".join(page_texts(out)))
    assert "Joaquín Guzmán Loera, Enrique Peña Nieto" in text
    assert "Émile Zoë Ørsted" in text
