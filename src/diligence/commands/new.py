"""`diligence new {case,checklist,answers}`: write a commented skeleton that validates as
written, never over an existing file. The skeletons are `diligence.content.skeletons`."""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path
from typing import TYPE_CHECKING

from diligence.commands import library_for
from diligence.environment import Environment
from diligence.errors import OutputError, UsageError

if TYPE_CHECKING:
    from diligence.commands import Subparsers
    from diligence.content.library import Library

EPILOG = """\
  diligence new checklist my-vetting            # checklists/my-vetting.yaml (and frameworks)
  diligence new checklist my-icp --self-assessment
  diligence new case my-case --checklist my-vetting   # case_studies/my-case/case.yaml
  diligence new answers --case my-case --scenario first-sale -o answers/first-sale.yaml

case and checklist write into a content folder (-o DIR, default: the current folder),
which --content DIR then loads; answers write one file (-o FILE). A file that exists is
never overwritten. docs/authoring.md walks through a whole case.
"""


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser(
        "new",
        help="write a commented skeleton of a case, checklist or answers file",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    kinds = parser.add_subparsers(dest="what", metavar="KIND", required=True)
    case = kinds.add_parser("case", help="a case study with one scenario")
    case.add_argument("id", metavar="ID", help="the case's id (letters, digits, - _ .)")
    case.add_argument("--checklist", metavar="ID", help="the checklist its scenario uses")
    checklist = kinds.add_parser("checklist", help="a checklist (and a framework registry)")
    checklist.add_argument("id", metavar="ID", help="the checklist's id")
    checklist.add_argument("--case", metavar="ID", help="the case whose passages it cites")
    checklist.add_argument(
        "--self-assessment",
        action="store_true",
        help="a programme self-assessment without a case, ending in a list of gaps",
    )
    answers = kinds.add_parser("answers", help="an answers file listing every question")
    answers.add_argument("--case", metavar="ID", required=True, help="the case")
    answers.add_argument("--scenario", metavar="ID", help="the scenario of the case")
    answers.add_argument(
        "--checklist", metavar="ID", help="the checklist (default: the scenario's)"
    )
    for sub in (case, checklist):
        sub.add_argument(
            "-o", "--output", metavar="DIR", type=Path, default=Path("."),
            help="the content folder to write into (default: the current folder)",
        )  # fmt: skip
    answers.add_argument(
        "-o", "--output", metavar="FILE", type=Path,
        help="where to write (default: answers/<scenario or checklist>.yaml)",
    )  # fmt: skip
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, env: Environment) -> int:
    if args.what in ("case", "checklist"):
        _check_id(args.id)
        _must_be_new(_target(args))  # before loading: the file may be anything
        folder = args.output
        content = list(getattr(args, "content", []))
        is_content = (folder / "checklists").is_dir() or (folder / "case_studies").is_dir()
        if is_content and folder.resolve() not in [c.resolve() for c in content]:
            args.content = [*content, folder]  # what is written there is read with it
    library = library_for(args, env, lint=False, allow_empty=args.what != "answers")
    if args.what == "checklist":
        return _checklist(args, env, library)
    if args.what == "case":
        return _case(args, env, library)
    return _answers(args, env, library)


def _checklist(args: argparse.Namespace, env: Environment, library: Library) -> int:
    from diligence.content.skeletons import checklist_skeleton, frameworks_skeleton

    if args.self_assessment and args.case:
        raise UsageError("a self-assessment stands without a case; leave out --case")
    passages: list[str] = []
    if args.case:
        passages = list(library.case(args.case).passages())
    target = _target(args)
    text = checklist_skeleton(
        args.id, case_id=args.case, passages=passages, self_assessment=args.self_assessment
    )
    _write(target, text, env)
    registry = args.output / "checklists" / "frameworks.yaml"
    if not registry.exists():
        _write(registry, frameworks_skeleton(_shipped_frameworks(["ungp"])), env)
    env.out(f"Next: edit it, then: {_validate_command(args, env)}")
    return 0


def _case(args: argparse.Namespace, env: Environment, library: Library) -> int:
    from diligence.content.skeletons import case_skeleton

    target = _target(args)
    checklist_id = args.checklist or _only_checklist(library, args.id)
    checklist = library.checklist(checklist_id)
    if checklist.case not in (None, args.id):
        raise UsageError(
            f"checklist {checklist.id} cites case '{checklist.case}', so it cannot assess a "
            f"scenario of case '{args.id}'; name a checklist without a case, or create one "
            f"with '{env.program_name} new checklist ID'"
        )
    _write(target, case_skeleton(args.id, checklist.id), env)
    env.out(f"Next: edit it, then: {_validate_command(args, env)}")
    return 0


def _answers(args: argparse.Namespace, env: Environment, library: Library) -> int:
    from diligence.content.skeletons import answers_skeleton
    from diligence.files import display_path

    scenario = library.scenario(args.case, args.scenario) if args.scenario else None
    scenarios = library.case(args.case).scenarios
    if scenario is None and args.checklist is None and len(scenarios) == 1:
        scenario = scenarios[0]  # the only scenario of the case
    checklist_id = args.checklist or (scenario.checklist if scenario else None)
    if checklist_id is None:
        raise UsageError("name the scenario (--scenario ID) or the checklist (--checklist ID)")
    if scenario is not None and scenario.checklist != checklist_id:
        raise UsageError(
            f"scenario {scenario.id} is assessed with checklist '{scenario.checklist}', "
            f"not '{checklist_id}'; leave out --checklist"
        )
    checklist = library.checklist(checklist_id)
    target = args.output or Path("answers") / f"{scenario.id if scenario else checklist.id}.yaml"
    reference = target.parent.name == "reference"
    _write(target, answers_skeleton(checklist, args.case, scenario, reference=reference), env)
    check = _validate_command(args, env, shlex.quote(display_path(target)))
    env.out(f"Next: fill in every value and note, then: {check}")
    return 0


def _target(args: argparse.Namespace) -> Path:
    """Where `new case` and `new checklist` write, in the content folder."""
    folder: Path = args.output
    if args.what == "case":
        return folder / "case_studies" / str(args.id) / "case.yaml"
    return folder / "checklists" / f"{args.id}.yaml"


def _only_checklist(library: Library, case_id: str) -> str:
    """The checklist a new case's scenario uses when none is named: the only one of the
    user's own content that fits it."""
    own = [
        loaded.model.id
        for loaded in library.checklists.values()
        if loaded.model.case in (None, case_id) and not _is_builtin(loaded.path)
    ]
    if len(own) == 1:
        return own[0]
    listed = ", ".join(own or list(library.checklists)) or "none"
    raise UsageError(
        f"name the checklist the case's scenario is assessed with: --checklist ID "
        f"(loaded: {listed}); or create one first with 'diligence new checklist ID'"
    )


def _is_builtin(path: Path) -> bool:
    from diligence.content.library import builtin_root

    return builtin_root().resolve() in path.resolve().parents


def _shipped_frameworks(ids: list[str]) -> str:
    """Entries of the shipped framework registry, as YAML list items to copy."""
    from diligence.content.library import builtin_root
    from diligence.content.models import FrameworkRegistry
    from diligence.content.yamlio import dump_yaml, load_yaml

    path = builtin_root() / "checklists" / "frameworks.yaml"
    registry = FrameworkRegistry.model_validate(load_yaml(path).data)
    chosen = [f.model_dump(mode="json", exclude_defaults=True) for f in registry.frameworks]
    text = dump_yaml([f for f in chosen if f["id"] in ids])
    return "".join(f"  {line}\n" if line else "\n" for line in text.splitlines())


def _check_id(value: str) -> None:
    import re

    from diligence.content.models.base import ID_PATTERN

    if not re.fullmatch(ID_PATTERN, value) or len(value) > 80:
        raise UsageError(
            f"'{value}' is not an id: use letters, digits, '.', '_' and '-', starting with a "
            "letter or digit"
        )


def _must_be_new(path: Path) -> None:
    from diligence.files import display_path

    if path.exists() or path.is_symlink():
        raise UsageError(
            f"{display_path(path)} exists; it is left as it is (choose another id or -o)"
        )


def _write(path: Path, text: str, env: Environment) -> None:
    """Write a new file; one that exists is never touched."""
    from diligence.files import display_path, write_atomically

    _must_be_new(path)
    try:
        write_atomically(path, text.encode("utf-8"))
    except OSError as exc:
        raise OutputError(f"cannot write {display_path(path)}: {exc.strerror or exc}") from None
    env.out(f"wrote {display_path(path)}")


def _validate_command(args: argparse.Namespace, env: Environment, path: str = "") -> str:
    """How to check what was written: validate with the same content options."""
    hidden = " --no-builtin" if getattr(args, "no_builtin", False) else ""
    folders = list(getattr(args, "content", []))
    if args.what != "answers":
        folders.append(args.output)
    content = "".join(f" --content {shlex.quote(str(f))}" for f in dict.fromkeys(folders))
    return f"{env.program_name}{hidden}{content} validate{' ' + path if path else ''}"
