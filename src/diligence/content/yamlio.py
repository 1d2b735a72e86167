"""Safe YAML reading that remembers where every value came from.

The document is built from the parser's event stream without recursion, so one pass can:
- refuse every tag that would construct a Python object (`!!python/...`);
- refuse duplicate keys, which plain PyYAML silently overwrites;
- bound nesting depth and alias expansion (alias bombs), so hostile files fail fast;
- record the line of every key and item, so errors can say `file:line`.

Booleans follow YAML 1.2 (`true`/`false` only): `yes`, `no` and `on` stay strings, because
they are answer values here. Dates stay strings, and pydantic parses them where a date is due.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from diligence.errors import ContentError, Problem
from diligence.files import NotAFile, TooLarge, read_bounded

MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 250_000

Loc = tuple[str | int, ...]

_BOOL = "tag:yaml.org,2002:bool"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_SAFE_SCALAR_TAGS = {
    _STR,
    _BOOL,
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:null",
}
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


class _ContentResolver(Resolver):
    """YAML 1.1 resolution minus yes/no booleans and timestamps."""


_ContentResolver.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in (_BOOL, _TIMESTAMP)]
    for first, resolvers in Resolver.yaml_implicit_resolvers.items()
}
_ContentResolver.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class _ContentLoader(
    yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, _ContentResolver
):
    """Parser and resolver only: documents are built by `_Builder`, never by a constructor."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        _ContentResolver.__init__(self)


if getattr(yaml, "__with_libyaml__", False):
    from yaml._yaml import CParser

    class _FastContentLoader(CParser, _ContentResolver):
        """LibYAML's C parser with our resolver: the same events, about ten times faster."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _ContentResolver.__init__(self)

    _Loader: type = _FastContentLoader
else:  # pragma: no cover - PyYAML built without LibYAML
    _Loader = _ContentLoader

_scalar_constructor = SafeConstructor()


@dataclass
class Document:
    """A parsed YAML file: its data and the line of every value in it."""

    path: str
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)

    def line_of(self, loc: Loc) -> int:
        """The line of the value at `loc`, or of its nearest ancestor that has one."""
        for end in range(len(loc), -1, -1):
            line = self.lines.get(tuple(loc[:end]))
            if line:
                return line
        return 1

    def problem(self, loc: Loc, message: str) -> Problem:
        return Problem(self.path, self.line_of(loc), message)


@dataclass
class _Frame:
    container: dict[Any, Any] | list[Any]
    loc: Loc
    anchor: str | None
    line: int
    size: int = 1
    key: Any = None
    has_key: bool = False


class _Builder:
    def __init__(self, path: str) -> None:
        self.path = path
        self.lines: dict[Loc, int] = {}
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.stack: list[_Frame] = []
        self.nodes = 0
        self.root: Any = None
        self.documents = 0

    def fail(self, line: int, message: str) -> ContentError:
        return ContentError.at(self.path, line, message)

    def build(self, text: str) -> Any:
        loader = _Loader(text)
        try:
            while loader.check_event():
                self._handle(loader, loader.get_event())
        finally:
            loader.dispose()
        return self.root

    def _handle(self, loader: _ContentLoader, event: yaml.Event) -> None:
        line = event.start_mark.line + 1 if event.start_mark else 1
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise self.fail(line, "holds more than one YAML document; keep one per file")
        elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            self._open(event, line)
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            frame = self.stack.pop()
            if frame.anchor:
                self.anchors[frame.anchor] = (frame.container, frame.size)
            self._place(frame.container, frame.size, frame.line)
        elif isinstance(event, yaml.ScalarEvent):
            value = self._scalar(loader, event, line)
            if event.anchor:
                self.anchors[event.anchor] = (value, 1)
            self._count(1, line)
            self._place(value, 1, line)
        elif isinstance(event, yaml.AliasEvent):
            if event.anchor not in self.anchors:
                raise self.fail(line, f"alias *{event.anchor} has no anchor before it")
            value, size = self.anchors[event.anchor]
            self._count(size, line)  # an alias repeats every value under its anchor
            self._place(value, size, line)

    def _open(self, event: yaml.CollectionStartEvent, line: int) -> None:
        is_map = isinstance(event, yaml.MappingStartEvent)
        tag = event.tag
        if tag not in (None, "!", _MAP if is_map else _SEQ):
            raise self.fail(
                line, f"tag {_short_tag(tag)} is not allowed; content files hold plain data"
            )
        if len(self.stack) >= MAX_DEPTH:
            raise self.fail(line, _too_deep())
        self._count(1, line)
        loc = self._child_loc()
        self.stack.append(_Frame({} if is_map else [], loc, event.anchor, line))

    def _child_loc(self) -> Loc:
        if not self.stack:
            return ()
        parent = self.stack[-1]
        if isinstance(parent.container, list):
            return (*parent.loc, len(parent.container))
        if parent.has_key:
            return (*parent.loc, parent.key)
        return parent.loc  # a mapping key that is itself a collection: refused in _place

    def _scalar(self, loader: _ContentLoader, event: yaml.ScalarEvent, line: int) -> Any:
        control = _ESCAPED_CONTROL.search(event.value)
        if control:  # written as an escape ("\e", "\0"): raw ones never get this far
            raise self.fail(line, _control_message(control.group()))
        tag = event.tag
        if tag in (None, "!"):
            tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
        elif tag not in _SAFE_SCALAR_TAGS:
            raise self.fail(
                line, f"tag {_short_tag(tag)} is not allowed; content files hold plain data"
            )
        if tag == _MERGE:  # a plain `<<` key; a quoted '<<' is just text
            raise self.fail(line, "merge keys (<<) are not supported; write the keys out")
        if tag == _STR:
            return event.value
        node = yaml.ScalarNode(tag, event.value)
        try:
            return _scalar_constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError) as exc:
            raise self.fail(
                line, f"'{event.value}' is not a valid {tag.rsplit(':', 1)[-1]}"
            ) from exc

    def _count(self, values: int, line: int) -> None:
        """Count values as the document would hold them, each once: a scalar or a
        collection when it starts, and everything under an anchor again at each alias."""
        self.nodes += values
        if self.nodes > MAX_NODES:
            raise self.fail(
                line, f"expands to more than {MAX_NODES:,} values (aliases?); simplify the file"
            )

    def _place(self, value: Any, size: int, line: int) -> None:
        """Put a finished value into its parent; `size` is how many values it holds."""
        if not self.stack:
            self.root = value
            self.lines[()] = line
            return
        parent = self.stack[-1]
        parent.size += size
        if isinstance(parent.container, list):
            self.lines[(*parent.loc, len(parent.container))] = line
            parent.container.append(value)
        elif not parent.has_key:
            if isinstance(value, dict | list):
                raise self.fail(line, "a mapping key must be a plain value, not a list or mapping")
            if value in parent.container:
                first = self.lines.get((*parent.loc, value), 0)
                raise self.fail(
                    line,
                    f"duplicate key '{value}' (first at line {first}); keep only one",
                )
            parent.key, parent.has_key = value, True
            self.lines[(*parent.loc, value)] = line
        else:
            parent.container[parent.key] = value
            parent.has_key = False


_ESCAPED_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x84\x86-\x9f]")
"""Control characters a quoted scalar can spell as escapes: C0 but tab and newline, DEL,
and C1 but NEL (a YAML line break). The reader refuses the same characters written raw."""


def _control_message(character: str) -> str:
    if character == "\x00":
        return "contains a NUL character (\\0); remove it"
    return f"contains the control character #x{ord(character):04x}; remove it"


def _short_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def read_bytes(path: Path, display: str, error: type[ContentError] = ContentError) -> bytes:
    """A content file's exact bytes, at most `MAX_FILE_BYTES` of them; only a regular file
    is read (`files.read_bounded`), so `/dev/zero` or a FIFO cannot fill memory or hang."""
    try:
        return read_bounded(path, MAX_FILE_BYTES)
    except NotAFile as exc:
        raise error.at(display, 0, f"is {exc.kind}, not a file; give a YAML file") from None
    except TooLarge as exc:
        shown = f"{exc.size / 1_048_576:.1f} MB" if exc.size > MAX_FILE_BYTES + 1 else "over 4 MB"
        raise error.at(
            display,
            0,
            f"is {shown}; content files are limited to {MAX_FILE_BYTES // 1_048_576} MB",
        ) from None
    except FileNotFoundError:
        raise error.at(display, 0, "no such file") from None
    except OSError as exc:
        raise error.at(display, 0, f"cannot be read: {exc.strerror or exc}") from exc


def decode_text(raw: bytes, display: str, error: type[ContentError] = ContentError) -> str:
    """Bytes as UTF-8 text, refusing UTF-16, other encodings and binary files with a line."""
    if raw.startswith(b"%PDF-"):
        raise error.at(
            display, 1, "is a PDF, not a YAML file (to check a report, use 'diligence verify')"
        )
    if raw.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html")):
        raise error.at(display, 1, "is an HTML file, not a YAML file")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise error.at(display, 1, "is UTF-16 encoded; save it as UTF-8")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error.at(
            display, line, f"is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8"
        ) from exc
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise error.at(display, line, "contains a NUL byte; is it a binary file?")
    return text.removeprefix("\ufeff")


def read_text(path: Path, display: str) -> str:
    """Read a content file as UTF-8 text."""
    return decode_text(read_bytes(path, display), display)


def _too_deep() -> str:
    return f"nesting is deeper than {MAX_DEPTH} levels; flatten the file"


def parse_yaml(text: str, display: str) -> Document:
    """Parse YAML text into a `Document`, raising `ContentError` with a line on any problem."""
    builder = _Builder(display)
    try:
        data = builder.build(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and exc.problem and "end of stream" in exc.problem:
            mark = exc.context_mark  # an unclosed quote: where it opens, not the file's end
        line = mark.line + 1 if mark else 1
        if exc.problem and "maximum nesting depth" in exc.problem:
            # LibYAML (0.2.6 and later) stops deep flow nesting in its scanner, before our
            # own depth check sees an event: say the same as that check does.
            raise ContentError.at(display, line, _too_deep()) from exc
        what = exc.problem or exc.context or "invalid YAML"
        if exc.problem and exc.context and exc.context_mark:
            what += f" {exc.context} that starts at line {exc.context_mark.line + 1}"
        lines = text.splitlines()
        source_line = lines[line - 1] if 0 < line <= len(lines) else ""
        raise ContentError.at(
            display, line, f"invalid YAML: {what}{_syntax_hint(exc, source_line)}"
        ) from exc
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        raise ContentError.at(display, line, _control_message(chr(exc.character))) from exc
    except yaml.YAMLError as exc:
        raise ContentError.at(display, 1, f"invalid YAML: {exc}") from exc
    return Document(display, data, builder.lines)


COLON_HINT = (
    "; text that holds ': ' must be quoted, e.g. title: \"Mexico: the first sale\", or "
    "written as a block: the key, then >- and the text on the lines below, indented"
)


def _syntax_hint(exc: yaml.MarkedYAMLError, source_line: str) -> str:
    """How to mend the commonest YAML mistakes in content: tabs, and text with a colon."""
    if "\t" in source_line:
        return "; indent with spaces, not tabs"
    problem = exc.problem or ""
    text = source_line.split(":", 1)[1] if ":" in source_line else ""
    if "mapping values are not allowed" in problem or (
        "could not find expected ':'" in problem and ": " in text
    ):
        return COLON_HINT
    return ""


def load_yaml(path: Path, display: str | None = None) -> Document:
    """Read and parse one YAML file."""
    shown = display or str(path)
    return parse_yaml(read_text(path, shown), shown)


def comments(text: str) -> list[str]:
    """The comments of a YAML text (`# ...` to the end of its line), in order: every `#`
    that starts a line or follows a space outside any value (a quoted or block scalar may
    hold `#` as text). Empty for text that does not parse."""
    try:
        spans = [
            (token.start_mark.index, token.end_mark.index)
            for token in yaml.scan(text, Loader=_SCAN_LOADER)
            if token.start_mark.index < token.end_mark.index
        ]
    except yaml.YAMLError:
        return []
    found: list[str] = []
    at = 0
    for start, end in [*spans, (len(text), len(text))]:
        found += (match.group(1).rstrip() for match in _COMMENT.finditer(text, at, start))
        at = max(at, end)
    return found


_COMMENT = re.compile(r"(?:^|(?<=[ \t]))(#[^\n]*)", re.MULTILINE)
_SCAN_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def dump_yaml(data: Any) -> str:
    """Write plain data as readable block YAML that `parse_yaml` reads back identically."""
    return yaml.dump(
        data,
        Dumper=_ContentDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )


class _ContentDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Quotes strings that YAML 1.1 readers would take for booleans (yes, no, on, off).

    libyaml's emitter when PyYAML has it: an answers file is written after every answer
    (60 students at once in `serve`), and the pure-Python emitter took 5x as long. Both
    emit the same YAML, read back identically (tests/test_answers_file.py)."""


_BREAKS = {"\x85", "\u2028", "\u2029", "\r"}


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if _BREAKS & set(value):  # line breaks only some parsers honour: escape them
        return dumper.represent_scalar(_STR, value, style='"')
    if "\n" in value:
        return dumper.represent_scalar(_STR, value, style="|")
    if value.lower() in {"yes", "no", "on", "off", "y", "n"}:
        return dumper.represent_scalar(_STR, value, style="'")
    return dumper.represent_scalar(_STR, value)


_ContentDumper.add_representer(str, _represent_str)
