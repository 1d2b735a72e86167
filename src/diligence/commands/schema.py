"""`diligence schema KIND`: the JSON Schema of a content file kind, for editors."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from diligence.content.kinds import SCHEMA_KINDS
from diligence.environment import Environment

if TYPE_CHECKING:
    from diligence.commands import Subparsers


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser(
        "schema",
        help="print the JSON Schema of a file kind (for editors)",
        epilog="Save it beside your files and name it on the first line of a YAML file, e.g. "
        "'# yaml-language-server: $schema=checklist.schema.json', for checking as you type. "
        "'reference' is an answers file in a case's reference/ folder.",
    )
    parser.add_argument("kind", choices=SCHEMA_KINDS)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, env: Environment) -> int:
    from diligence.content.kinds import schema_for

    env.out(json.dumps(schema_for(args.kind), indent=2, ensure_ascii=False))
    return 0
