"""`diligence verify REPORT.pdf`: does a report match the answers embedded in it?"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from diligence.commands import library_for
from diligence.environment import Environment
from diligence.errors import VerificationFailed

if TYPE_CHECKING:
    from diligence.commands import Subparsers


EPILOG = """\
A report PDF embeds its answers file (answers.yaml) and what it states (score.json), and
prints the answers' SHA-256 on its last page. verify checks that the three agree, re-scores
the answers with the current content, and renders the report again from them (with the
date and options it records): every page must read the same, with nothing painted over it
and no page added or removed.

It proves that the report is the one these answers give with this version of diligence
and this content. It cannot prove who made it: there is no signature.

exit codes: 0 the report matches; 1 it does not (each difference on its own line);
            2 the file is not a readable diligence report (or is over 64 MB).
"""


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser(
        "verify",
        help="check a PDF report against the answers embedded in it",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("report", type=Path, metavar="REPORT.pdf", help="a PDF report")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, env: Environment) -> int:
    from diligence.files import display_path
    from diligence.report.verify import verify

    display = display_path(args.report)
    library = library_for(args, env, lint=True)
    check = verify(args.report, display, library)
    if not check.ok:
        raise VerificationFailed(
            f"{display} does NOT match its embedded answers:\n"
            + "\n".join(f"  - {d}" for d in check.differences)
        )
    env.out(f"ok: {display} matches its embedded answers, page by page")
    env.out(f"  answers    SHA-256 {check.sha256} (as printed on the last page)")
    env.out(f"  verdict    {check.verdict}")
    env.out(f"  overall    {check.overall}/100")
    env.out(f"  red flags  {', '.join(check.red_flags) or 'none'}")
    return 0
