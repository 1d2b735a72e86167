"""Markdown text: escaping what users and files wrote, and the small blocks every chapter
uses (framework references, evidence passages). Every piece of text from a file or a user
goes through `text()`, so a note can never become a link, an image, raw HTML or a heading;
its line breaks are kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from diligence.report.model import Citation, FrameworkReference

Add = Callable[[str], None]
"""Append one line to the document."""

_INLINE = re.compile(r"([\\`*_{}\[\]()#+!|~])")
_LINE_START = re.compile(r"^(\s*)([-+=>])")
_ORDERED = re.compile(r"^(\s*\d+)([.)])")
"""`1. x` is escaped as `1\\. x`: a backslash before the digit is no escape and shows."""
_INDENT = re.compile(r"^[ \t]+")
_NBSP = "\u00a0"


def _kept_indent(match: re.Match[str]) -> str:
    """Leading spaces and tabs as no-break spaces: the line shows indented as typed,
    instead of becoming a code block that shows every escape."""
    return match.group().replace("\t", _NBSP * 4).replace(" ", _NBSP)


def text(value: str | None) -> str:
    """Plain text as Markdown that shows exactly that text (line breaks kept)."""
    if not value:
        return ""
    lines = []
    for line in value.strip().splitlines():
        line = line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        line = _INLINE.sub(r"\\\1", line.rstrip())
        line = _ORDERED.sub(r"\1\\\2", _LINE_START.sub(r"\1\\\2", line))
        line = _INDENT.sub(_kept_indent, line)
        lines.append(line)
    # A blank line stays a paragraph break; a single line break becomes a hard break.
    out: list[str] = []
    for i, line in enumerate(lines):
        following = lines[i + 1] if i + 1 < len(lines) else ""
        out.append(line + ("\\" if line and following else ""))
    return "\n".join(out)


def cell(value: str | None) -> str:
    """Text for a table cell: one line, pipes escaped."""
    return text(value).replace("\\\n", " ").replace("\n", " ")


def bar(score: int | None, width: int = 10) -> str:
    if score is None:
        return ""
    eighths = round(score * width * 8 / 100)
    full, part = divmod(eighths, 8)
    return "█" * full + (" ▏▎▍▌▋▊▉"[part] if part else "")


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def indent(block: str, prefix: str) -> str:
    return "\n".join(prefix + line if line else prefix.rstrip() for line in block.splitlines())


def frameworks(add: Add, refs: Iterable[FrameworkReference]) -> None:
    for ref in refs:
        provision = f": {text(ref.provision)}" if ref.provision else ""
        reported = " *(reported)*" if ref.certainty == "reported" else ""
        add(f"- **{text(ref.reference)}**: {text(ref.framework)}{provision}{reported}")


def evidence(add: Add, citations: Iterable[Citation]) -> None:
    for c in citations:
        date = f" · {c.date}" if c.date else ""
        notes = []
        if c.certainty == "reported":
            notes.append("reported")
        if c.after_decision:
            notes.append("after the decision date")
        flag = f" *({', '.join(notes)})*" if notes else ""
        add(f"- **{c.passage}** · *{text(c.title)}*{date}{flag}\\")
        add(indent(text(c.summary), "  "))
        if c.quote:
            add("")
            add(indent(f"“{text(c.quote)}”\\\n— {text(c.speaker)}", "  > "))
        add("")
        source = text(c.source) if c.chapter_source else f"{text(c.chapter)}: {text(c.source)}"
        add(f"  Source: {source}")
    add("")
