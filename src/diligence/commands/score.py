"""`diligence score FILE`: findings, red flags and the verdict, with the answers behind them."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from diligence.commands import library_for
from diligence.environment import Environment

if TYPE_CHECKING:
    from rich.console import Console

    from diligence.commands import Subparsers
    from diligence.scoring import ScoreResult

JSON_HELP = """\
--json prints one object with these keys:
  outcome      verdict | gaps: a checklist whose outcome is gaps states no verdict
  verdict      proceed | proceed_with_conditions | escalate | decline (null with gaps);
               verdict_label names it as the checklist does
  provisional  true for a draft (required questions unanswered): the verdict may change
  overall      {score: 0-100, level: none|low|medium|high|critical}
  sections     [{id, title, score (null if nothing answered), level, answered, relevant,
                unknowns}]
  red_flags    [{id, title, severity, message, verdict, answers (the question ids that
                make its rule true, also through the red flags it builds on), causes
                ([{kind: answer|flag|unknowns, questions, flag, values, inner}], branch by
                branch), cites (passage ids), frameworks, mitigation}]
  pending_red_flags  [{id, title, severity, verdict, settle}]  rules a draft leaves
                undecided: neither raised nor cleared until the 'settle' questions are
                answered
  unknowns     [{question, section, text}]  (each "unknown" is a finding in its own right)
  conditions   [{text, source (question or red-flag id), risk}]
  reasons      [{verdict, text, answers}]  the verdict's chain of reasons, worst first
  complete     false when required questions are unanswered; missing lists them
  inactive     answered questions that are no longer relevant (kept, not scored)
  not_applicable  questions answered "not applicable" (answered, not scored)
  gaps         [{question, section, text, answer, risk, actions}]  with outcome gaps: every
               answer at the checklist's gap level or above, and every unknown
"""


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser(
        "score",
        help="score an answers file: section risks, red flags, verdict",
        epilog=JSON_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="an answers file")
    parser.add_argument("--json", action="store_true", help="print the documented JSON form")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, env: Environment) -> int:
    from diligence.assessment.load import load_assessment
    from diligence.scoring import score

    assessment = load_assessment(args.file, library_for(args, env, lint=True))
    result = score(assessment.checklist, assessment.answers)
    if args.json:
        env.out(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    else:
        print_result(result, assessment.display, env)
    return 0


def print_result(result: ScoreResult, source: str, env: Environment) -> None:
    """The readable form: verdict and reasons, sections, flags, unknowns, conditions."""
    from rich.markup import escape as e
    from rich.table import Table

    console = env.console(width=110)
    console.print(f"[bold]{e(source)}[/]: {result.checklist} v{result.version}")
    if not result.complete:
        console.print(
            f"[bold yellow]INCOMPLETE[/]: {len(result.missing)} required question(s) unanswered "
            f"({', '.join(result.missing)}); scored what is there"
        )
    _print_outcome(result, console)
    table = Table(title="Section risk", title_justify="left", expand=False)
    for column in ("section", "risk", "level", "answered", "unknown"):
        table.add_column(column, justify="right" if column != "section" else "left")
    for s in result.sections:
        table.add_row(
            e(s.title),
            "-" if s.score is None else str(s.score),
            s.level.value if s.level else "-",
            f"{s.answered}/{s.relevant}",
            str(s.unknowns),
        )
    console.print()
    console.print(table)
    _print_flags(result, console)
    if result.unknowns:
        console.print("\n[bold]Unknowns[/] (each is a finding: do not self-blind)")
        for q in result.unknowns:
            console.print(f"  {q.id}: {e(q.text)}")
    if result.conditions and result.states_verdict:
        console.print("\n[bold]Conditions and mitigations[/]")
        for c in result.conditions:
            console.print(f"  - {e(c.text)} ({c.source}, {c.risk.value})")
    if result.inactive:
        console.print(f"\nInactive answers kept but not scored: {', '.join(result.inactive)}")


def _print_outcome(result: ScoreResult, console: Console) -> None:
    """The verdict and its reasons; or, for a checklist that states none, the gaps."""
    from rich.markup import escape as e

    risk = f"overall risk {result.overall}/100 ({result.overall_level.value})"
    if not result.states_verdict:
        console.print(f"\n[bold]Gaps to close: {len(result.gaps)}[/]   {risk}")
        for i, gap in enumerate(result.gaps, 1):
            console.print(
                f"  {i}. {gap.question} {e('[' + gap.risk.value + ']')} {e(gap.text)} "
                f"Answer: {e(gap.answer)}"
            )
            for action in gap.actions:
                console.print(f"     - {e(action)}")
        return
    provisional = "Provisional verdict" if result.provisional else "Verdict"
    console.print(f"\n[bold]{provisional}: {e(result.verdict_label.upper())}[/]   {risk}")
    for i, reason in enumerate(result.reasons, 1):
        console.print(f"  {i}. {e(result.label(reason.verdict).lower())}: {e(reason.text)}")


def _print_flags(result: ScoreResult, console: Console) -> None:
    """The raised red flags with their causes, then the pending ones of a draft."""
    from rich.markup import escape as e

    from diligence.scoring import causes_line

    if result.red_flags:
        console.print("\n[bold]Red flags[/]")
        for flag in result.red_flags:
            console.print(
                f"  {flag.id} {e('[' + flag.severity.value + ']')} {e(flag.title)}: "
                f"{e(flag.message)} (raised by: {e(causes_line(flag.causes)) or '-'})"
            )
    if result.pending:
        console.print("\n[bold]Pending red flags[/] (not raised: open questions decide them)")
        for pending in result.pending:
            console.print(
                f"  {pending.id} {e('[' + pending.severity.value + ']')} {e(pending.title)}: "
                f"pending: {e(pending.settle_text())}"
            )
