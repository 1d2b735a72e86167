"""Names from the case and from any language render with the bundled fonts, on any machine."""

from __future__ import annotations

from pathlib import Path

from fontTools.ttLib import TTFont

from diligence.report import ASSETS

from conftest import SAMPLE, run_cli
from reporting import flat, font_names, page_texts, write_answers

NAMES = "Joaquín Guzmán Loera, Enrique Peña Nieto, Carmen Aristegui, Émile Zoë Ørsted"
HEBREW = "שלום עולם"
ARABIC = "أحمد منصور"
FONTS = ASSETS / "fonts"


def test_bundled_fonts_are_small_open_licensed_and_cover_the_names() -> None:
    files = sorted(FONTS.glob("*.ttf"))
    assert len(files) >= 8
    assert all(f.stat().st_size < 2_000_000 for f in files)
    assert sum(f.stat().st_size for f in files) < 5_000_000
    assert "SIL OPEN FONT LICENSE Version 1.1" in (FONTS / "OFL.txt").read_text()
    covered: set[int] = set()
    for f in files:
        covered |= set(TTFont(f)["cmap"].getBestCmap())
    missing = {ch for ch in NAMES + HEBREW + ARABIC if not ch.isspace() and ord(ch) not in covered}
    assert missing == set()


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
    assert result.err == ""
    names = font_names(out)
    assert {"DD-Serif", "DD-Hebrew", "DD-Arabic"} <= names
    assert not any("DejaVu" in n for n in names), names
    assert all(n.startswith("DD-") for n in names), names
    text = flat(" ".join(page_texts(out)))
    assert "Joaquín Guzmán Loera, Enrique Peña Nieto" in text
    assert "Émile Zoë Ørsted" in text
