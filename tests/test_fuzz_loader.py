"""Fuzzing the loader: any input is either accepted or refused with our own path:line error.

The quick profile runs in `make test`; `make soak` runs the same tests with many more examples
(HYPOTHESIS_PROFILE=soak).
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diligence.content.loader import load_document
from diligence.content.yamlio import dump_yaml, parse_yaml
from diligence.errors import ContentError

pytestmark = pytest.mark.slow

settings.register_profile(
    "quick", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "soak", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))

LINE = re.compile(r"^.+?:(\d+: )?.+$")
TIME_LIMIT = 5.0

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=40),
    st.sampled_from(["yes", "no", "on", "2021-07-18", "1.0", "~", "&a", "*a", "!!python/none"]),
)
plain = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(st.text(max_size=12), children, max_size=5),
    ),
    max_leaves=40,
)
# Structures shaped like our files, so validation (not just parsing) gets exercised.
shaped = st.fixed_dictionaries(
    {},
    optional={
        "id": scalars,
        "sections": plain,
        "chapters": plain,
        "answers": plain,
        "frameworks": plain,
        "version": scalars,
        "checklist": plain,
        "case": scalars,
        "format": scalars,
    },
)


def _load(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(content)
    started = time.monotonic()
    try:
        load_document(path)
    except ContentError as exc:
        assert exc.problems
        for line in exc.lines():
            assert line.startswith(str(path)), line
            assert LINE.match(line), line
    assert time.monotonic() - started < TIME_LIMIT


@given(data=st.one_of(plain, shaped))
def test_any_yaml_structure(tmp_path_factory: pytest.TempPathFactory, data: object) -> None:
    text = yaml.safe_dump(data, allow_unicode=True)
    _load(tmp_path_factory.mktemp("f"), text.encode())


@given(content=st.binary(max_size=2000))
def test_random_bytes(tmp_path_factory: pytest.TempPathFactory, content: bytes) -> None:
    _load(tmp_path_factory.mktemp("f"), content)


@given(text=st.text(max_size=400))
def test_random_text(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    _load(tmp_path_factory.mktemp("f"), text.encode("utf-8", "surrogatepass"))


@given(depth=st.integers(min_value=1, max_value=30_000), flow=st.booleans())
def test_deep_nesting(tmp_path_factory: pytest.TempPathFactory, depth: int, flow: bool) -> None:
    if flow:
        content = "sections: " + "[" * depth + "]" * depth
    else:
        content = "".join("  " * i + "- \n" for i in range(min(depth, 3000)))
    _load(tmp_path_factory.mktemp("f"), content.encode())


@given(width=st.integers(min_value=2, max_value=12), levels=st.integers(min_value=1, max_value=12))
def test_alias_bombs(tmp_path_factory: pytest.TempPathFactory, width: int, levels: int) -> None:
    lines = ["a0: &a0 [x]"]
    for level in range(1, levels + 1):
        refs = ", ".join([f"*a{level - 1}"] * width)
        lines.append(f"a{level}: &a{level} [{refs}]")
    _load(tmp_path_factory.mktemp("f"), ("\n".join(lines) + "\n").encode())


@given(size=st.integers(min_value=0, max_value=6_000_000))
@settings(max_examples=8)
def test_huge_strings(tmp_path_factory: pytest.TempPathFactory, size: int) -> None:
    _load(tmp_path_factory.mktemp("f"), b"id: x\ndescription: " + b"a" * size + b"\n")


# What the tool writes: text without control characters but tab and newline (the reader
# refuses them, and content.rules.typed keeps typed text free of them).
_CONTROLS = "".join(chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)])
saved_text = st.text(
    st.characters(exclude_categories=["Cs"], exclude_characters=_CONTROLS), max_size=40
)
saved = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False),
        saved_text,
        st.sampled_from(["yes", "no", "on", "2021-07-18", "1.0", "~", "&a", "*a", "<<"]),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(
            st.text(
                st.characters(exclude_categories=["Cs"], exclude_characters=_CONTROLS), max_size=12
            ),
            children,
            max_size=5,
        ),
    ),
    max_leaves=40,
)


@given(data=saved)
def test_dump_then_parse_round_trips(data: object) -> None:
    """What the answers file writer writes, the reader reads back: a refusal is a bug too
    (as it was for a quoted '<<' key, once refused as a merge key)."""
    assert parse_yaml(dump_yaml(data), "round-trip.yaml").data == data
