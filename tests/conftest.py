"""Shared test helpers: run the CLI in-process and build content file trees."""

from __future__ import annotations

import io
import os
import shutil
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import pytest

from diligence.cli import main
from diligence.environment import Environment

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE = FIXTURES / "sample"
ROOT = Path(__file__).resolve().parents[1]

for _setting in ("DILIGENCE_NO_BUILTIN", "DILIGENCE_CONTENT"):
    os.environ.pop(_setting, None)  # a user's own settings must not change what tests load


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_cli(*argv: str | Path, isatty: bool = False) -> Result:
    """Run `diligence ARGV` in-process with captured streams; `isatty`: as if on a terminal."""
    out, err = io.StringIO(), io.StringIO()
    env = Environment(stdout=out, stderr=err, stdin_isatty=isatty, stdout_isatty=False)
    code = main([str(a) for a in argv], env)
    return Result(code, out.getvalue(), err.getvalue())


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Rendering a PDF, driving a real terminal or a real browser take seconds: all count
    as slow, so `pytest -m "not slow"` is the quick loop."""
    for item in items:
        if any(item.get_closest_marker(m) for m in ("pdf", "pty", "browser")):
            item.add_marker(pytest.mark.slow)
    # Playwright's sync API keeps an event loop running on the main thread until the
    # session ends, and the terminal tests' asyncio.run refuses to start under it: the
    # browser tests go last.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture
def cli() -> type[Result]:
    return Result


@pytest.fixture(autouse=True)
def _no_content_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DILIGENCE_CONTENT", raising=False)


class Keyboard(StrEnum):
    """Key codes a terminal sends, for prompt_toolkit pipe input and pexpect."""

    UP = "\x1b[A"
    DOWN = "\x1b[B"
    ENTER = "\r"
    SPACE = " "
    ESC_ENTER = "\x1b\r"  # saves a multi-line text prompt
    CTRL_C = "\x03"
    CTRL_D = "\x04"
    BACKSPACE = "\x7f"
    PAGE_UP = "\x1b[5~"
    PAGE_DOWN = "\x1b[6~"


def as_unprivileged(command: list[str]) -> list[str]:
    """`command` without the right to ignore file permissions, even when tests run as root."""
    if os.geteuid() != 0:
        return command
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: root may write to read-only folders")
    caps = "-dac_override,-dac_read_search,-fowner"
    return [setpriv, f"--inh-caps={caps}", f"--bounding-set={caps}", *command]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, object]) -> dict[str, object]:
    """pytest-playwright drives Debian's chromium (tests/browser.py), never a download."""
    from browser import CHROMIUM_ARGS, chromium

    return {**browser_type_launch_args, "executable_path": chromium(), "args": CHROMIUM_ARGS}
