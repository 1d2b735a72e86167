"""Render each student's report PDF, in several processes, without one failure stopping the rest.

The processes are forked when the pool opens, before the caller starts any thread (a
progress display has one): forking a process that runs threads can deadlock it. Each worker
receives the loaded content once, through the pool's initializer, so nothing is reloaded
and the parent never writes any state for its workers.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from diligence.content.library import Library
from diligence.errors import DiligenceError, OutputError
from diligence.files import display_path

if TYPE_CHECKING:
    from diligence.report.model import Edition


@dataclass(frozen=True)
class Outcome:
    """What became of one answers file: its PDF, or why not."""

    display: str
    target: str
    error: str | None
    pages: int | None = None
    verdict: str = ""
    """The verdict as the report states it, e.g. "Decline (57/100)"."""
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Job:
    library: Library
    generated: datetime
    trainer: bool = False
    force: bool = False
    """Replace existing files diligence did not write (--force)."""
    edition: Edition = "student"


_worker_job: list[_Job] = []
"""This worker process's job, set once by `_start_worker` in the worker itself."""


class EachRenderer:
    """A pool of `jobs` rendering processes (none when `jobs` is 1), open as a context."""

    def __init__(
        self,
        library: Library,
        *,
        jobs: int,
        generated: datetime,
        trainer: bool = False,
        force: bool = False,
        reserved: Collection[str] = (),
        edition: Edition = "student",
    ) -> None:
        self.job = _Job(library, generated, trainer, force, edition)
        self.jobs = jobs
        self.reserved = reserved
        """PDF names (stems) the students' PDFs must not take: the class report's."""
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None

    def __enter__(self) -> EachRenderer:
        if self.jobs > 1:
            self._pool = concurrent.futures.ProcessPoolExecutor(
                max_workers=self.jobs,
                mp_context=multiprocessing.get_context("fork"),
                initializer=_start_worker,
                initargs=(self.job,),
            )
            self._pool.submit(_ready).result()  # forks every worker now, not on first use
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=error is not None)

    def render(
        self,
        paths: Sequence[Path],
        folder: Path,
        advance: Callable[[], None],
        stems: Sequence[str] | None = None,
    ) -> list[Outcome]:
        """Each answers file's PDF in `folder`, named after its stem (or `stems`, e.g.
        student-07), in the order of `paths`; `advance` after each one."""
        prepare_folder(folder)
        return self.render_targets(pdf_targets(paths, folder, stems, self.reserved), advance)

    def render_targets(
        self, targets: Sequence[tuple[Path, Path]], advance: Callable[[], None]
    ) -> list[Outcome]:
        """Each (answers file, PDF) pair, in their order; `advance` after each one. The
        largest files go to the pool first, so no worker is left with a long one last."""
        if self._pool is None:
            outcomes = []
            for path, target in targets:
                outcomes.append(render_one(self.job, path, target))
                advance()
            return outcomes
        order = sorted(range(len(targets)), key=lambda i: -_size(targets[i][0]))
        futures = {self._pool.submit(_render_in_worker, *targets[i]): i for i in order}
        done: dict[int, Outcome] = {}
        for future in concurrent.futures.as_completed(futures):
            done[futures[future]] = future.result()
            advance()
        return [done[i] for i in range(len(targets))]


def pdf_targets(
    paths: Sequence[Path],
    folder: Path,
    stems: Sequence[str] | None = None,
    reserved: Collection[str] = (),
) -> list[tuple[Path, Path]]:
    """One PDF per answers file, named after its stem (or `stems`), never two alike: the
    first of a repeated name keeps it, the next ones take the first free `-2`, `-3`, ...
    that no other file of the run is named (so x/a, y/a and a-2 give a, a-3 and a-2), nor
    a `reserved` name (the class report's, in the same folder). Names are compared
    case-folded, as some file systems do. The one place PDF names are chosen."""
    wanted = list(stems) if stems is not None else [p.stem for p in paths]
    taken = {w.casefold() for w in wanted}
    given = {r.casefold() for r in reserved}
    targets = []
    for path, stem in zip(paths, wanted, strict=True):
        name, n = stem, 1
        while name.casefold() in given or (n > 1 and name.casefold() in taken):
            n += 1
            name = f"{stem}-{n}"
        given.add(name.casefold())
        targets.append((path, folder / f"{name}.pdf"))
    return targets


def prepare_folder(folder: Path) -> None:
    """Make the folder the students' PDFs go into, or raise `OutputError` saying why not;
    `class` calls it before writing anything."""
    shown = display_path(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"cannot make the folder {shown}: a file of that name exists")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot make the folder {shown}: {exc.strerror or exc}") from None


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def render_one(job: _Job, path: Path, target: Path) -> Outcome:
    """Render one answers file's PDF; any failure becomes the outcome's one-line error."""
    from diligence.report.render import render_answers, write_output

    display = display_path(path)
    try:
        done = render_answers(
            path,
            job.library,
            "pdf",
            generated=job.generated,
            trainer=job.trainer,
            edition=job.edition,
        )
        write_output(target, done.output.data, force=job.force, inputs=[path])
    except DiligenceError as exc:
        return Outcome(display, str(target), exc.lines()[0] if exc.lines() else str(exc))
    except Exception as exc:
        return Outcome(display, str(target), f"{type(exc).__name__}: {exc}")
    verdict = f"{done.report.outcome_label} ({done.report.overall}/100)"
    return Outcome(display, str(target), None, done.output.pages, verdict, done.output.warnings)


def _start_worker(job: _Job) -> None:
    _worker_job.append(job)


def _ready() -> None:
    """Nothing: a first task, so the pool forks its workers when it opens."""


def _render_in_worker(path: Path, target: Path) -> Outcome:
    return render_one(_worker_job[0], path, target)
