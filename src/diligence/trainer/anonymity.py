"""Anonymity that holds when a class report is projected: numbers no one can read off
names, and students' own text cleared of the class's names.

Numbers are a stable shuffle keyed by the class itself: each file's place is the hash of
the whole class's contents with its own, so the same files always get the same numbers,
but neither the file names nor their alphabetical order tell who is who. The tool's code
is public, so a key made of names alone could be recomputed by any student; the contents
of the others' files are what a student does not have.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

STUDENT = "Student"
"""How an anonymised report names a student: "Student 7"."""

NAME_PLACEHOLDER = "[name]"
"""What a class member's name becomes in a student's text under --anonymize."""

_FILE_WORDS = frozenset(
    {
        "answers",
        "answer",
        "student",
        "students",
        "final",
        "draft",
        "copy",
        "class",
        "report",
        "assessment",
        "submission",
        "version",
        "yaml",
        "yml",
    }
)
"""Words of file names that are not names: left alone in students' text."""


def class_numbers(contents: Sequence[tuple[Path, bytes]]) -> dict[Path, int]:
    """Each file's student number, 1..n, in an order keyed by the class's contents."""
    digests = [(path, hashlib.sha256(data).digest()) for path, data in contents]
    class_key = hashlib.sha256(b"".join(sorted(d for _, d in digests))).digest()
    ranked = sorted(
        digests,
        key=lambda item: (hashlib.sha256(class_key + item[1]).digest(), str(item[0])),
    )
    return {path: number for number, (path, _) in enumerate(ranked, 1)}


def student_label(number: int) -> str:
    return f"{STUDENT} {number}"


def number_width(count: int) -> int:
    """Digits a student number is written with in file names: student-07.pdf."""
    return max(2, len(str(count)))


class Redactor:
    """Replaces the names of a class's members in a text: every word of each assessor's
    name, and the words of the file names that are not the scenario's or common ones.

    Short words (two or three letters) match only as written, capitalised, so that a name
    like "May" does not blank every "may"; longer ones match in any case."""

    def __init__(self, names: Iterable[str], files: Iterable[Path], common: Iterable[str] = ()):
        skip = _FILE_WORDS | {w.lower() for w in common}
        words = {w for name in names for w in _words(name)}
        words |= {
            w if len(w) > 3 else w.capitalize()
            for path in files
            for w in _words(path.stem)
            if w.lower() not in skip and w.isalpha()
        }
        long = sorted((w for w in words if len(w) > 3), key=len, reverse=True)
        short = sorted((w for w in words if 2 <= len(w) <= 3), key=len, reverse=True)
        patterns = []
        if long:
            patterns.append(r"(?i:" + "|".join(re.escape(w) for w in long) + r")")
        if short:
            patterns.append("|".join(re.escape(w) for w in short))
        self._pattern = (
            re.compile(r"(?<!\w)(?:" + "|".join(patterns) + r")(?!\w)") if patterns else None
        )

    def __call__(self, text: str) -> str:
        if self._pattern is None:
            return text
        return self._pattern.sub(NAME_PLACEHOLDER, text)


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[\W_]+", text) if len(w) >= 2 and not w.isdigit()]
