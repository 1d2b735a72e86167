"""One error hierarchy for everything a user can get wrong.

The CLI maps these to exit codes; nothing else reaches the user as a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from diligence.environment import printable


class DiligenceError(Exception):
    """Base class of every error the CLI reports as a one-line message (exit 2)."""

    exit_code = 2

    def lines(self) -> list[str]:
        """The one-line messages to print, one per problem."""
        return [str(self)]


@dataclass(frozen=True)
class Problem:
    """One problem in one file, at one line (0 when the line is unknown)."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        """`path:line: message` on one line, whatever the source said, and nothing a
        terminal would act on (a file name or a quoted value may hold escapes)."""
        message = " ".join(printable(self.message).split())
        path = " ".join(printable(self.path).split())
        if self.line:
            return f"{path}:{self.line}: {message}"
        return f"{path}: {message}"


def unique_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems in their order, each once: several checks may find the same one."""
    return list(dict.fromkeys(problems))


class ContentError(DiligenceError):
    """One or more problems in content files (checklists, case studies, answers)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    @classmethod
    def at(cls, path: str | Path, line: int, message: str) -> ContentError:
        return cls([Problem(str(path), line, message)])

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


class AnswersError(ContentError):
    """A problem with an answers file: its content, or how it matches its checklist."""


class UsageError(DiligenceError):
    """The command line asks for something that does not exist or does not fit."""


class OutputError(DiligenceError):
    """A file could not be written (read-only folder, disk full, ...)."""


class LockedError(DiligenceError):
    """Another process is working on the same answers file."""


class MissingSystemLibrary(DiligenceError):
    """A system library that rendering needs is not installed."""


class VerificationFailed(DiligenceError):
    """A report does not match the answers embedded in it (exit 1)."""

    exit_code = 1


class Interrupted(DiligenceError):
    """The user pressed Ctrl-C; the answers were saved first (exit 130)."""

    exit_code = 130


class NotAReport(DiligenceError):
    """A file given as a report is broken, or not a report diligence wrote (exit 2)."""
