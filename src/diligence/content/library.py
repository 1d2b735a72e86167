"""Find and load all content: checklists, case studies, frameworks and reference answers.

Content comes from the built-in folder (shipped in the wheel, or the repository in a
checkout), then every folder given by `--content` or the `DILIGENCE_CONTENT` variable.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import BaseModel

from diligence.content.loader import load_document
from diligence.content.models import (
    AnswersFile,
    CaseStudy,
    Checklist,
    FrameworkRegistry,
    Scenario,
)
from diligence.content.suggest import did_you_mean
from diligence.content.yamlio import Document, load_yaml
from diligence.errors import ContentError, Problem, UsageError
from diligence.files import display_path

M = TypeVar("M", bound=BaseModel)
CONTENT_ENV = "DILIGENCE_CONTENT"
NO_BUILTIN_ENV = "DILIGENCE_NO_BUILTIN"
"""Set to 1 to hide the shipped content, as `--no-builtin` does."""


@dataclass
class Loaded(Generic[M]):
    """A validated model with the file it came from, for errors that need a line."""

    path: Path
    doc: Document
    model: M

    @property
    def display(self) -> str:
        return self.doc.path

    @property
    def is_reference(self) -> bool:
        """A case's shipped reference answers (in its `reference/` folder)."""
        return self.path.parent.name == "reference"


@dataclass
class Library:
    """Everything that loaded, and every problem found on the way."""

    roots: list[Path]
    checklists: dict[str, Loaded[Checklist]] = field(default_factory=dict)
    cases: dict[str, Loaded[CaseStudy]] = field(default_factory=dict)
    framework_files: list[Loaded[FrameworkRegistry]] = field(default_factory=list)
    references: list[Loaded[AnswersFile]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    """What the loading policy lets pass but the user should hear: reference answers
    written for an older checklist version (an error only in `validate`)."""
    failed: dict[str, str] = field(default_factory=dict)
    """Ids that files which failed to load probably define (from the file's `id`, or its
    name) -> the file: a link to one of them is not reported again as "not loaded", the
    file's own problem being the cause."""

    def failed_to_load(self, content_id: str) -> bool:
        """Whether a file that may define this id failed to load (and was reported)."""
        return content_id in self.failed

    @property
    def frameworks(self) -> FrameworkRegistry:
        """All frameworks from every registry file, merged."""
        return FrameworkRegistry(
            frameworks=[f for loaded in self.framework_files for f in loaded.model.frameworks]
        )

    def checklist(self, checklist_id: str) -> Checklist:
        if checklist_id not in self.checklists:
            raise UsageError(_no("no checklist", checklist_id, list(self.checklists)))
        return self.checklists[checklist_id].model

    def case(self, case_id: str) -> CaseStudy:
        if case_id not in self.cases:
            raise UsageError(_no("no case study", case_id, list(self.cases)))
        return self.cases[case_id].model

    def scenario(self, case_id: str, scenario_id: str) -> Scenario:
        case = self.case(case_id)
        scenario = case.scenario(scenario_id)
        if scenario is None:
            known = [s.id for s in case.scenarios]
            raise UsageError(_no(f"case '{case_id}' has no scenario", scenario_id, known))
        return scenario

    def reference_for(self, case_id: str, scenario_id: str) -> Loaded[AnswersFile] | None:
        """The shipped reference answers of one scenario, if any."""
        return next(
            (
                r
                for r in self.references
                if r.model.case == case_id and r.model.scenario == scenario_id
            ),
            None,
        )


def _no(what: str, wanted: str, available: list[str]) -> str:
    """ "no checklist 'x'; available: ...; did you mean 'y'?"."""
    listed = ", ".join(available) or "none"
    return f"{what} '{wanted}'; available: {listed}{did_you_mean(wanted, available)}"


def builtin_root() -> Path:
    """The shipped content: inside the installed package, or the checkout's top folder."""
    packaged = Path(__file__).resolve().parent.parent / "_content"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3]


def builtin_hidden(environ: Mapping[str, str] | None = None) -> bool:
    """Whether `DILIGENCE_NO_BUILTIN` asks to hide the shipped content."""
    value = (os.environ if environ is None else environ).get(NO_BUILTIN_ENV, "")
    return value.strip().lower() not in ("", "0", "false", "no")


def content_roots(
    extra: Sequence[Path] = (),
    environ: Mapping[str, str] | None = None,
    *,
    builtin: bool | None = None,
) -> list[Path]:
    """Built-in content first (unless `builtin` is False, or, when it is None,
    `DILIGENCE_NO_BUILTIN` is set), then `DILIGENCE_CONTENT` folders, then `--content`
    folders."""
    if builtin is None:
        builtin = not builtin_hidden(environ)
    roots = [builtin_root()] if builtin else []
    env = (os.environ if environ is None else environ).get(CONTENT_ENV, "")
    roots += [Path(p) for p in env.split(os.pathsep) if p]
    roots += list(extra)
    unique: list[Path] = []
    for root in roots:
        if root.resolve() not in [u.resolve() for u in unique]:
            unique.append(root)
    return unique


def content_files(root: Path) -> list[Path]:
    """The content files of one root, in a stable order."""
    files = sorted((root / "checklists").glob("*.yaml"))
    for case_dir in sorted(p for p in (root / "case_studies").glob("*") if p.is_dir()):
        files += sorted(case_dir.glob("*.yaml"))
        files += sorted((case_dir / "reference").glob("*.yaml"))
    return files


def yaml_files(inputs: Sequence[str | Path]) -> list[Path]:
    """Files, folders (every .yaml/.yml inside) and glob patterns: sorted, without repeats."""
    found: list[Path] = []
    for item in inputs:
        matches = glob_paths(str(item)) or [Path(item)]
        for path in matches:
            if path.is_dir():
                inside = [p for p in path.rglob("*") if p.suffix in (".yaml", ".yml")]
                if not inside:
                    raise UsageError(f"{item}: no .yaml files in this folder")
                found += inside
            elif path.exists():
                found.append(path)
            else:
                raise UsageError(f"{item}: no such file or folder (nor files matching it)")
    return sorted({p.resolve(): p for p in found}.values(), key=lambda p: str(p))


_WILDCARD = re.compile(r"[*?[]")


def glob_paths(pattern: str) -> list[Path]:
    """What a shell-style pattern matches (`*`, `?`, `[...]`, and `**` for any number of
    folders), sorted; nothing when it has no wildcard. `**` never enters a symbolic link to
    a folder, so a link loop (`d/l -> .`) cannot make it run for ever, as `glob.glob` does."""
    parts = Path(pattern).parts
    if not any(_WILDCARD.search(part) for part in parts):
        return []
    fixed = next(i for i, part in enumerate(parts) if _WILDCARD.search(part))
    found: dict[Path, None] = {}
    _match(Path(*parts[:fixed]) if fixed else Path(), parts[fixed:], found)
    return sorted(found)


def _match(folder: Path, parts: Sequence[str], found: dict[Path, None]) -> None:
    first, rest = parts[0], parts[1:]
    if first == "**":
        if rest:
            _match(folder, rest, found)  # no folder at all
        for entry in _entries(folder, hidden=False):
            if entry.is_dir(follow_symlinks=False):
                _match(folder / entry.name, parts, found)
        return
    for entry in _entries(folder, hidden=first.startswith(".")):
        if not fnmatch.fnmatchcase(entry.name, first):
            continue
        if not rest:
            found[folder / entry.name] = None
        elif entry.is_dir():  # a link named by the pattern itself is followed, once
            _match(folder / entry.name, rest, found)


def _entries(folder: Path, *, hidden: bool) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as entries:
            return [e for e in entries if hidden or not e.name.startswith(".")]
    except OSError:
        return []


def load_library(
    extra_roots: Sequence[Path] = (),
    environ: Mapping[str, str] | None = None,
    *,
    builtin: bool | None = None,
) -> Library:
    """Load every content root; problems are collected in `Library.problems`, not raised.

    Front ends load through `diligence.content.policy.load_content`, which decides what
    those problems mean; this is the loading alone (no cross-file checks).
    """
    roots = content_roots(extra_roots, environ, builtin=builtin)
    builtin_folder = builtin_root().resolve()
    for root in roots:
        if root.resolve() == builtin_folder:
            continue
        if not root.is_dir():
            raise UsageError(f"content folder {root} does not exist")
        if not (root / "checklists").is_dir() and not (root / "case_studies").is_dir():
            raise UsageError(
                f"content folder {root} has no checklists/ or case_studies/ inside: put "
                f"checklists in {root / 'checklists'}/ and case studies in "
                f"{root / 'case_studies'}/<id>/case.yaml"
            )
    library = Library(roots)
    files: list[Path] = []
    for root in roots:
        inside, outside = _inside(root, content_files(root))
        files += inside
        library.problems += outside
    add_files(library, files)
    return library


def _inside(root: Path, files: list[Path]) -> tuple[list[Path], list[Problem]]:
    """The files that are in the content folder, and a problem for each link out of it:
    following one would read (and echo in errors) a file the folder does not hold."""
    home = root.resolve()
    inside, outside = [], []
    for path in files:
        target = path.resolve()
        if target.is_relative_to(home):
            inside.append(path)
        else:
            outside.append(
                Problem(
                    display_path(path),
                    0,
                    f"is a link to {target}, outside the content folder {display_path(root)}; "
                    "copy the file into it instead",
                )
            )
    return inside, outside


def add_files(library: Library, paths: Iterable[Path]) -> list[Loaded[BaseModel]]:
    """Load files into the library by their kind; returns what loaded."""
    loaded_now: list[Loaded[BaseModel]] = []
    for path in paths:
        display = display_path(path)
        try:
            _, doc, model = load_document(path, display)
        except ContentError as exc:
            library.problems += exc.problems
            for guess in _ids_of_broken(path, display):
                library.failed.setdefault(guess, display)
            continue
        item: Loaded[BaseModel] = Loaded(path, doc, model)
        loaded_now.append(item)
        if isinstance(model, Checklist):
            _register(library.checklists, model.id, Loaded(path, doc, model), library, "checklist")
        elif isinstance(model, CaseStudy):
            _register(library.cases, model.id, Loaded(path, doc, model), library, "case study")
        elif isinstance(model, FrameworkRegistry):
            library.framework_files.append(Loaded(path, doc, model))
        elif isinstance(model, AnswersFile) and item.is_reference:
            library.references.append(Loaded(path, doc, model))
    return loaded_now


def _ids_of_broken(path: Path, display: str) -> list[str]:
    """The ids a file that failed to load may define: its `id`, when the YAML parses; the
    id its place implies (`checklists/<id>.yaml`, `case_studies/<id>/case.yaml`)."""
    guesses = []
    try:
        data = load_yaml(path, display).data
    except ContentError:
        data = None
    if isinstance(data, dict) and isinstance(data.get("id"), str):
        guesses.append(data["id"])
    if path.name == "case.yaml":
        guesses.append(path.parent.name)
    elif path.parent.name == "checklists":
        guesses.append(path.stem)
    return guesses


def _register(
    registry: dict[str, Loaded[M]], key: str, item: Loaded[M], library: Library, what: str
) -> None:
    if key in registry:
        first = registry[key].display
        library.problems.append(
            item.doc.problem(("id",), f"{what} id '{key}' is already defined in {first}")
        )
        return
    registry[key] = item
