"""The one content-loading policy, for every command and every front end.

Content that fails to load (invalid YAML, a file that does not validate, an id defined
twice) stops everything: its problems are raised, each once, with its file and line. So
no later message can stand in for the cause; without this rule a YAML error in a
checklist surfaced as "answers are for checklist 'x', which is not loaded".

Cross-file checks (`lint`, about 10 ms for the shipped content) run in every command
that loads content, so none of them quietly scores or renders with content that
`validate` rejects (a condition that reads a later question, an undefined flag): each
problem is shown once, with its file and line, and the command stops. Only `validate`
with named files leaves the loaded content's own checks out (it checks those files), and
`new` and `upgrade`, which write the files a trainer or student is about to fix.

Reference answers written for an older version of their checklist never block a student:
outside `validate` (`strict`) they are warnings (`Library.warnings`), and the commands
that use a reference bring a copy up to date in memory (`assessment.load`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from diligence.content.library import (
    CONTENT_ENV,
    NO_BUILTIN_ENV,
    Library,
    Loaded,
    load_library,
)
from diligence.content.lint import lint_library
from diligence.content.lint.answers import is_stale
from diligence.content.models import AnswersFile
from diligence.errors import ContentError, UsageError


def load_content(
    extra_roots: Sequence[Path] = (),
    environ: Mapping[str, str] | None = None,
    *,
    lint: bool,
    builtin: bool | None = None,
    allow_empty: bool = False,
    strict: bool = False,
) -> Library:
    """Every content root, loaded; with `lint`, checked across files. Raises
    `ContentError` with every problem found, load problems first. `builtin` False hides
    the shipped content (None: as `DILIGENCE_NO_BUILTIN` says); with nothing left to load
    that is a usage error, unless `allow_empty` (files named on the command line are the
    content). Stale reference answers are warnings, unless `strict`."""
    library = load_library(extra_roots, environ, builtin=builtin)
    if not library.roots and not allow_empty:
        raise UsageError(
            "no content to load: the shipped content is hidden (--no-builtin or "
            f"{NO_BUILTIN_ENV}=1), so name your own with --content DIR or {CONTENT_ENV}"
        )
    problems = list(library.problems)
    if lint and not problems:
        found = lint_library(library)
        stale = set() if strict else {r.doc.path for r in stale_references(library)}
        library.warnings = [p for p in found if p.path in stale]
        problems += [p for p in found if p.path not in stale]
    if problems:
        raise ContentError(problems)
    return library


def stale_references(library: Library) -> list[Loaded[AnswersFile]]:
    """Reference answers written for another version of their (loaded) checklist."""
    return [
        r
        for r in library.references
        if r.model.checklist.id in library.checklists
        and is_stale(r.model, library.checklists[r.model.checklist.id].model)
    ]
