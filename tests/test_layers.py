"""The layering the README promises, checked: a pure core, and no import cycles at all."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"

PURE = [
    "diligence.assessment.interface",
    "diligence.assessment.engine",
    "diligence.assessment.drive",
    "diligence.scoring",
    "diligence.report.model",
    "diligence.report.build",
    "diligence.report.citations",
    "diligence.report.reading",
    "diligence.report.chapters",
    "diligence.content.models",
    "diligence.content.rules",
    "diligence.content.conditions",
]
"""The core a front end builds on: models, engine, scoring and the report model."""

FORBIDDEN = [
    "questionary",
    "prompt_toolkit",
    "rich",
    "weasyprint",
    "jinja2",
    "pypdf",
    "yaml",
    "diligence.content.library",
    "diligence.content.yamlio",
    "diligence.content.lint",
    "diligence.tui",
]
"""Terminal, PDF, template and YAML libraries, and file discovery: adapters' business."""


@pytest.mark.parametrize("module", PURE)
def test_the_core_loads_no_adapter_library(module: str) -> None:
    probe = f"import sys, {module}; print(' '.join(m for m in {FORBIDDEN!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", f"importing {module} loads {done.stdout.strip()}"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, known: set[str]) -> set[str]:
    """Every diligence module `path` imports anywhere: top level, inside functions, and under
    TYPE_CHECKING (a cycle of types is still a cycle of meaning)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name in known}
        elif isinstance(node, ast.ImportFrom) and node.module in known:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if submodule in known else node.module)
    return found


def import_graph() -> dict[str, set[str]]:
    files = {_module_name(p): p for p in (SRC / "diligence").rglob("*.py")}
    known = set(files)
    return {name: _imports(path, known) - {name} for name, path in files.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_no_import_cycles() -> None:
    assert _cycles(import_graph()) == []


def test_the_cycle_check_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_only_adapters_import_the_terminal() -> None:
    graph = import_graph()
    terminal = {"diligence.tui", "diligence.tui.prompter", "diligence.tui.panels"}
    terminal |= {"diligence.tui.walkthrough"}
    users = {name for name, targets in graph.items() if targets & terminal}
    assert all(u.startswith(("diligence.tui", "diligence.commands")) for u in users), users
