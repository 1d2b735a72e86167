"""Helpers for the report tests: render in-process, read PDFs back with pypdf."""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from diligence.assessment.load import assessment_from_bytes
from diligence.content.library import Library, load_library
from diligence.content.yamlio import dump_yaml, parse_yaml
from diligence.report.model import Edition, Report
from diligence.report.render import build

from conftest import SAMPLE

REFERENCE = SAMPLE / "case_studies" / "sample" / "reference" / "early.yaml"
EPOCH = 1767312000  # 2026-01-02T00:00:00Z
GENERATED = datetime.fromtimestamp(EPOCH, UTC)


def sample_library() -> Library:
    return load_library([SAMPLE])


def sample_report(
    path: Path = REFERENCE,
    *,
    trainer: bool = False,
    library: Library | None = None,
    edition: Edition = "full",
) -> tuple[Report, bytes]:
    """The report model of an answers file against the sample content, and its bytes (the
    full memo unless told otherwise: it holds everything the model gathers)."""
    library = library or sample_library()
    data = path.read_bytes()
    assessment = assessment_from_bytes(data, path, path.name, library)
    report, _ = build(
        assessment, data, library, generated=GENERATED, trainer=trainer, edition=edition
    )
    return report, data


def write_answers(path: Path, changes: Mapping[str, Any]) -> Path:
    """A copy of the sample reference answers with top-level keys or answers changed."""
    data = parse_yaml(REFERENCE.read_text(), "reference").data
    for key, value in changes.items():
        if key.startswith("answers."):
            data["answers"][key.removeprefix("answers.")] = value
        else:
            data[key] = value
    path.write_text(dump_yaml(data), encoding="utf-8")
    return path


def copy_sample(target: Path) -> Path:
    shutil.copytree(SAMPLE, target)
    return target


def reader(pdf: bytes | Path) -> PdfReader:
    return PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf)


def page_texts(pdf: bytes | Path) -> list[str]:
    return [page.extract_text() or "" for page in reader(pdf).pages]


def flat(text: str) -> str:
    """Text with every run of whitespace made one space (line breaks vary with layout)."""
    return " ".join(text.split())


def font_names(pdf: bytes | Path) -> set[str]:
    """The base names of every font the pages use, without the subset prefix."""
    names: set[str] = set()
    for page in reader(pdf).pages:
        resources: Any = page["/Resources"].get_object()
        fonts = resources.get("/Font", {})
        for ref in fonts.get_object().values():
            base = str(ref.get_object()["/BaseFont"]).lstrip("/")
            names.add(re.sub(r"^[A-Z]{6}\+", "", base))
    return names
