"""One module per CLI command: `register(subparsers)` and `run(args, env) -> int`.

Import only light modules at the top of a command module; heavy ones go inside `run`.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from diligence.content.library import Library


def library_for(args: argparse.Namespace, *, lint: bool = True) -> Library:
    """Load the content the command line asks for (built-in plus --content folders)."""
    from diligence.content.library import load_library

    extra: list[Path] = getattr(args, "content", [])
    return load_library(extra, lint=lint)
