"""The one content-loading policy, for every command and every front end.

Content that fails to load (invalid YAML, a file that does not validate, an id defined
twice) stops everything: its problems are raised, each once, with its file and line. So
no later message can stand in for the cause; without this rule a YAML error in a
checklist surfaced as "answers are for checklist 'x', which is not loaded".

Cross-file checks (`lint`, about 10 ms for the shipped content) run in every command
that loads content, so none of them quietly scores or renders with content that
`validate` rejects (a condition that reads a later question, an undefined flag): each
problem is shown once, with its file and line, and the command stops. Only `validate`
with named files leaves the loaded content's own checks out (it checks those files).
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
