"""One module per CLI command: `register(subparsers)` and `run(args, env) -> int`.

Import only light modules at the top of a command module; heavy ones go inside `run`.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from diligence.environment import Environment
from diligence.errors import UsageError

if TYPE_CHECKING:
    from diligence.content.library import Library

    Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]
    """What `register(subparsers)` adds its command to."""


def library_for(
    args: argparse.Namespace,
    env: Environment,
    *,
    lint: bool,
    allow_empty: bool = False,
    strict: bool = False,
) -> Library:
    """The content the command line asks for (built-in, `DILIGENCE_CONTENT`, `--content`),
    under the one loading policy (`diligence.content.policy`): what fails to load, or
    (with `lint`, which every command but `validate FILE...` asks for) what the cross-file
    checks reject, stops the command with its file and line."""
    from diligence.content.policy import load_content

    extra: list[Path] = getattr(args, "content", [])
    builtin = False if getattr(args, "no_builtin", False) else None
    library = load_content(
        extra, env.environ, lint=lint, builtin=builtin, allow_empty=allow_empty, strict=strict
    )
    for warning in library.warnings:
        env.warn(str(warning))
    return library


def add_force_option(parser: argparse.ArgumentParser) -> None:
    """`--force`: the one way to let an output replace a file diligence did not write."""
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace an existing output file even if it is not a report diligence wrote",
    )


def resolve_output(
    raw: str | None,
    fmt: str | None,
    *,
    folder: Path,
    stem: str,
    suffix_of: Mapping[str, str],
    format_of: Mapping[str, str],
) -> tuple[Path, str]:
    """Where to write and in which format, from `-o` and `--format`.

    `-o` may name a file (its suffix gives the format) or a folder (existing, or written
    with a trailing slash), where the file is named `stem` plus the format's suffix.
    """
    if raw is not None and not (raw.endswith(("/", os.sep)) or Path(raw).is_dir()):
        path = Path(raw)
        suffix = path.suffix.lower()
        guessed = format_of.get(suffix)
        if fmt is None:
            if suffix and guessed is None:
                raise UsageError(
                    f"cannot tell the format from '{path.name}'; name it "
                    f"{', '.join(sorted(set(suffix_of.values())))}, or give --format"
                )
            fmt = guessed or "pdf"
        elif guessed is not None and guessed != fmt:
            raise UsageError(
                f"'{path.name}' is named like {guessed} but --format is {fmt}; "
                "make the name and the format agree"
            )
        return path, fmt
    fmt = fmt or "pdf"
    target_folder = Path(raw) if raw is not None else folder
    return target_folder / f"{stem}{suffix_of[fmt]}", fmt
