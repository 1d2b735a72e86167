"""`diligence list`: the checklists and case studies available."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from diligence.commands import library_for
from diligence.environment import Environment

if TYPE_CHECKING:
    from diligence.commands import Subparsers
    from diligence.content.library import Library


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser("list", help="list checklists and case studies")
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")
    parser.set_defaults(run=run)


def summary(library: Library) -> dict[str, list[dict[str, Any]]]:
    """The listing as plain data (the documented `--json` form)."""
    return {
        "checklists": [
            {
                "id": c.model.id,
                "version": c.model.version,
                "title": c.model.title,
                "sections": len(c.model.sections),
                "questions": len(c.model.questions()),
            }
            for c in library.checklists.values()
        ],
        "case_studies": [
            {
                "id": c.model.id,
                "title": c.model.title,
                "passages": len(c.model.passages()),
                "timeline": len(c.model.timeline),
                "scenarios": [s.id for s in c.model.scenarios],
            }
            for c in library.cases.values()
        ],
    }


def run(args: argparse.Namespace, env: Environment) -> int:
    library = library_for(args, env, lint=True)
    data = summary(library)
    if args.json:
        env.out(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    env.out("Checklists")
    for c in data["checklists"]:
        env.out(
            f"  {c['id']:<22} v{c['version']:<6} {c['sections']:>2} sections "
            f"{c['questions']:>3} questions  {c['title']}"
        )
    env.out("")
    env.out("Case studies")
    for case in data["case_studies"]:
        env.out(
            f"  {case['id']:<22} {case['passages']:>3} passages {case['timeline']:>3} timeline "
            f"events  {case['title']}"
        )
        for scenario_id in case["scenarios"]:
            env.out(f"      scenario {scenario_id}")
    return 0
