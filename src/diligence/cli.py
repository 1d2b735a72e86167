"""The command line: parse, call the core, map errors to exit codes. Nothing else.

Each command lives in `diligence.commands.<name>` with `register(subparsers)` and
`run(args, env) -> int`. Command modules import heavy libraries (WeasyPrint, rich,
questionary) inside `run`, so `diligence --help` stays fast.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import keyword
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from diligence import __version__
from diligence.environment import Environment
from diligence.errors import ContentError, DiligenceError

COMMANDS = [
    "list", "case", "assess", "score", "report", "verify", "demo", "class", "serve", "validate",
    "schema", "new", "upgrade",
]  # fmt: skip
"""Command modules under `diligence.commands`, in the order `--help` shows them."""

EXIT_OK, EXIT_USAGE, EXIT_INTERRUPTED = 0, 2, 130


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors through our own error path (exit 2, one line)."""

    def error(self, message: str) -> NoReturn:
        raise _UsageProblem(f"{self.prog}: {message} (see '{self.prog} --help')")


class _UsageProblem(Exception):
    pass


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="diligence",
        description=(
            "Export-control and human-rights due diligence, taught through NSO Group's sales "
            "of the Pegasus spyware to governments."
        ),
        epilog="Start with 'diligence demo' or 'diligence assess'. Exit codes: 0 ok, "
        "1 a report does not match its answers (verify), 2 bad input, 130 interrupted "
        "(answers saved).",
    )
    parser.add_argument("--version", action="version", version=f"diligence {__version__}")
    _add_content_option(parser, default=[])
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        module_name = name + "_" if keyword.iskeyword(name) else name.replace("-", "_")
        module = importlib.import_module(f"diligence.commands.{module_name}")
        module.register(subparsers)
    helps = {action.dest: action.help for action in subparsers._choices_actions}
    for name, subparser in subparsers.choices.items():
        # Accepted after the command too: `diligence validate --content DIR`.
        _add_content_option(subparser, default=argparse.SUPPRESS)
        text = helps.get(name)
        if subparser.description is None and text:
            subparser.description = f"{text[:1].upper()}{text[1:]}."
    return parser


def _add_content_option(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument(
        "--content",
        metavar="DIR",
        action="append",
        type=Path,
        default=default,
        help="also load content from DIR, which holds checklists/*.yaml and "
        "case_studies/<id>/case.yaml (repeatable; or set DILIGENCE_CONTENT)",
    )
    parser.add_argument(
        "--no-builtin",
        action="store_true",
        default=argparse.SUPPRESS if default is argparse.SUPPRESS else False,
        help="hide the shipped content: only what --content names (or DILIGENCE_NO_BUILTIN=1)",
    )


def main(argv: Sequence[str] | None = None, env: Environment | None = None) -> int:
    """Run one command and return its exit code; never lets a traceback reach the user."""
    env = env or Environment()
    try:
        parser = build_parser()
        with contextlib.redirect_stdout(env.stdout):  # --help and --version print here
            args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
        if args.command is None:
            parser.print_help(env.stdout)
            return EXIT_OK
        code: int = args.run(args, env)
        return code
    except SystemExit as exc:  # --help and --version
        return int(exc.code or 0)
    except _UsageProblem as exc:
        env.err(str(exc))
        return EXIT_USAGE
    except ContentError as exc:
        for line in exc.lines():
            env.err(line)
        return exc.exit_code
    except DiligenceError as exc:
        for line in exc.lines():
            env.error(line)
        return exc.exit_code
    except KeyboardInterrupt:
        env.err("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:
        if env.environ.get("DILIGENCE_DEBUG"):
            raise
        env.error(
            f"internal error: {type(exc).__name__}: {exc} "
            "(set DILIGENCE_DEBUG=1 for details, and please report it)"
        )
        return 1
