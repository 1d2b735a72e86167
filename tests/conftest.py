"""Shared test helpers: run the CLI in-process and build content file trees."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pytest

from diligence.cli import main
from diligence.environment import Environment

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE = FIXTURES / "sample"
ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_cli(*argv: str | Path, stdin: str = "", isatty: bool = False) -> Result:
    """Run `diligence ARGV` in-process with captured streams."""
    out, err = io.StringIO(), io.StringIO()
    env = Environment(
        stdin=io.StringIO(stdin), stdout=out, stderr=err, stdin_isatty=isatty, stdout_isatty=False
    )
    code = main([str(a) for a in argv], env)
    return Result(code, out.getvalue(), err.getvalue())


@pytest.fixture
def cli() -> type[Result]:
    return Result


@pytest.fixture(autouse=True)
def _no_content_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DILIGENCE_CONTENT", raising=False)
