"""`diligence validate [PATH ...]`: check content and answers files, with file:line errors."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from diligence.commands import library_for
from diligence.environment import Environment
from diligence.errors import ContentError, Problem, unique_problems

if TYPE_CHECKING:
    from diligence.commands import Subparsers


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="check content and answers files (all shipped content when no PATH is given)",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="a folder, or a checklist, case study or answers file anywhere",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, env: Environment) -> int:
    from diligence.content.library import Library, add_files, content_files, yaml_files
    from diligence.content.lint import lint_loaded

    library = library_for(args, env, lint=not args.paths, allow_empty=bool(args.paths), strict=True)
    if not args.paths:
        count = sum(len(content_files(root)) for root in library.roots)
        env.out(f"ok: {count} files valid")
        return 0
    files = yaml_files(args.paths)
    # Load the named files into their own library, then lint each against the shipped
    # content, with the named files taking the place of shipped ones of the same id.
    named = Library(library.roots)
    loaded = add_files(named, files)
    combined = Library(
        library.roots,
        checklists={**library.checklists, **named.checklists},
        cases={**library.cases, **named.cases},
        framework_files=library.framework_files + named.framework_files,
        failed=named.failed,
    )
    problems: list[Problem] = list(named.problems)
    for item in loaded:
        problems += lint_loaded(item, combined)
    if problems:
        raise ContentError(unique_problems(problems))
    env.out(f"ok: {len(files)} file{'s' if len(files) != 1 else ''} valid")
    return 0
