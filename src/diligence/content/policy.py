"""The one content-loading policy, for every command and every front end.

Content that fails to load (invalid YAML, a file that does not validate, an id defined
twice) stops everything: its problems are raised, each once, with its file and line. So
no later message can stand in for the cause; without this rule a YAML error in a
checklist surfaced as "answers are for checklist 'x', which is not loaded".

Cross-file checks (`lint`) are the caller's choice: `validate` runs them for all content,
`assess` and `class` before a session starts. Commands that only read what one answers
file names (`report`, `verify`, `demo`, `score`, `list`) leave them to `validate`: the
answers themselves are always checked against the content they name (`lint_answers`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from diligence.content.library import Library, load_library
from diligence.content.lint import lint_library
from diligence.errors import ContentError


def load_content(
    extra_roots: Sequence[Path] = (),
    environ: Mapping[str, str] | None = None,
    *,
    lint: bool,
) -> Library:
    """Every content root, loaded; with `lint`, checked across files. Raises
    `ContentError` with every problem found, load problems first."""
    library = load_library(extra_roots, environ)
    problems = list(library.problems)
    if lint and not problems:
        problems += lint_library(library)
    if problems:
        raise ContentError(problems)
    return library
