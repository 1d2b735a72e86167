"""The streams, terminal facts and variables a command runs with (httpie's `Environment`),
and the one way to talk to the user on them (hatch's `Terminal`).

Every command gets one `Environment`: tests pass their own streams and variables, so the
CLI runs in-process. Messages go through `error`/`warn`/`note`, which add the program's
prefix; rich output goes through `console()`/`error_console()`, configured here and
nowhere else. Light on purpose: rich is imported only when a console is asked for.
"""

from __future__ import annotations

import functools
import os
import re
import shlex
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.console import Console

PREFIX = "diligence"
"""What every message of ours starts with (`diligence: warning: ...`)."""

_ESCAPE_SEQUENCE = re.compile(
    r"""
      \x1b\[ [0-?]* [ -/]* [@-~]?             # CSI: colours, cursor moves, clearing the screen
    | \x1b\] [^\x07\x1b\x9c]* (?:\x07|\x1b\\|\x9c)?    # OSC: window titles, links
    | \x1b[PX^_] [^\x1b\x9c]* (?:\x1b\\|\x9c)?      # DCS, SOS, PM, APC strings
    | \x1b [ -/]* [0-~]?                      # two-character and character-set escapes
    | \x9b [0-?]* [ -/]* [@-~]?               # CSI and OSC in their 8-bit forms
    | \x9d [^\x07\x1b\x9c]* (?:\x07|\x9c)?
    """,
    re.VERBOSE,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""C0 and C1 control characters and DEL: everything but newline and tab."""


def _tolerate_narrow_encoding(stream: TextIO) -> None:
    """On a stream that cannot encode every character (`PYTHONIOENCODING=ascii`, a Latin-1
    terminal), write what it cannot as `\\xfc` escapes instead of failing: a name like
    'José' must never turn a finished command into an internal error."""
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None and encoding and not encoding.startswith("utf"):
        reconfigure(errors="backslashreplace")


def printable(text: str) -> str:
    """Text as it may reach a terminal: without control characters (newline and tab
    kept) and without whole escape sequences, so a string from a file or a PDF cannot set
    the window title, clear the screen or fake output. The one filter; `Environment` output,
    `errors.Problem` and every rich console of ours apply it."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", text))


@dataclass
class Environment:
    """Where a command writes, what the terminal is, and the variables it sees."""

    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    stdin_isatty: bool = field(default_factory=lambda: _isatty(sys.stdin))
    """Whether someone can be asked: standard input is a terminal."""
    stdout_isatty: bool | None = None
    stderr_isatty: bool | None = None
    environ: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    argv0: str = field(default_factory=lambda: sys.argv[0] if sys.argv else "")
    """How this process was started, for `program_name`."""
    _consoles: dict[tuple[bool, int | None], Console] = field(
        default_factory=dict, init=False, repr=False
    )

    def __post_init__(self) -> None:
        for stream in (self.stdout, self.stderr):
            _tolerate_narrow_encoding(stream)
        if self.stdout_isatty is None:
            self.stdout_isatty = _isatty(self.stdout)
        if self.stderr_isatty is None:
            self.stderr_isatty = _isatty(self.stderr)

    # ---------------------------------------------------------------- plain lines

    def out(self, text: str = "") -> None:
        """Print a line to standard output (without control characters: `printable`)."""
        print(printable(text), file=self.stdout)

    def err(self, text: str) -> None:
        """Print a line to standard error as it is (e.g. `path:line: message`), but for
        control characters (`printable`)."""
        print(printable(text), file=self.stderr)

    def error(self, text: str) -> None:
        """`diligence: text` on standard error: why the command stopped."""
        self.err(f"{PREFIX}: {text}")

    def warn(self, text: str) -> None:
        """`diligence: warning: text`: something went wrong, and the command went on."""
        self.err(f"{PREFIX}: warning: {text}")

    def note(self, text: str) -> None:
        """`diligence: note: text`: something worth knowing, nothing wrong."""
        self.err(f"{PREFIX}: note: {text}")

    # ---------------------------------------------------------------- rich

    def console(self, *, width: int | None = None) -> Console:
        """The rich console on standard output (one per width asked for)."""
        return self._console(error=False, width=width)

    def error_console(self) -> Console:
        """The rich console on standard error: progress, where it must not mix with data."""
        return self._console(error=True, width=None)

    def _console(self, *, error: bool, width: int | None) -> Console:
        key = (error, width)
        if key not in self._consoles:
            tty = bool(self.stderr_isatty if error else self.stdout_isatty)
            self._consoles[key] = _safe_console_class()(
                file=self.stderr if error else self.stdout,
                width=width,
                highlight=False,  # colour carries meaning only: no automatic number colours
                force_terminal=tty,
                no_color=not tty,
            )
        return self._consoles[key]

    # ---------------------------------------------------------------- the program

    @functools.cached_property
    def program_name(self) -> str:
        """How to run diligence again, for the commands we suggest: plain `diligence` when
        that is on PATH and is this same program, else the path it was started by (e.g.
        .venv/bin/diligence)."""
        from diligence.files import display_path

        started = Path(self.argv0) if self.argv0 else None
        if started is None or started.name != PREFIX:
            return PREFIX  # python -m diligence, or tests
        on_path = shutil.which(PREFIX, path=self.environ.get("PATH"))
        if on_path and Path(on_path).resolve() == started.resolve():
            return PREFIX
        return shlex.quote(display_path(started))


@functools.cache
def _safe_console_class() -> type[Console]:
    """A rich `Console` whose text passes through `printable` after layout: the styles
    are rich's own, the text never carries a control character (rich's `Text` keeps ESC)."""
    from rich.console import Console, ConsoleOptions, RenderableType
    from rich.segment import Segment

    class SafeConsole(Console):
        def render(
            self, renderable: RenderableType, options: ConsoleOptions | None = None
        ) -> Iterator[Segment]:
            for segment in super().render(renderable, options):
                if segment.control or not _CONTROL.search(segment.text):
                    yield segment
                else:
                    yield Segment(printable(segment.text), segment.style)

    return SafeConsole


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
