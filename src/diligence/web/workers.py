"""Rendering in worker processes, so a PDF never blocks the server's event loop.

WeasyPrint holds the CPU for a second or more per report; the server hands every render
(a student's PDF or HTML, the class PDF, every student's PDF at once) to a pool of
processes and awaits the result. The pool is started with `spawn`, not `fork`: the server
runs threads by then, and forking a threaded process can deadlock the child. Each worker
receives the loaded content once, through the pool's initializer.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import io
import multiprocessing
import os
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from diligence.content.library import Library
from diligence.errors import DiligenceError

T = TypeVar("T")

_library: list[Library] = []
"""This worker's content, set once by `_start` in the worker itself."""


def _start(library: Library) -> None:
    _library.append(library)


@dataclass(frozen=True)
class Made:
    """A rendered file, or why not (one line, for the page)."""

    data: bytes | None
    error: str | None = None


@dataclass
class BatchJob:
    """Every student's PDF, rendered one by one in the pool: how far it got."""

    total: int
    done: int = 0
    failed: list[str] = field(default_factory=list)
    archive: bytes | None = None
    finished: bool = False


class Renderer:
    """The pool of rendering processes; started at the first render, closed with the app."""

    def __init__(self, library: Library, jobs: int | None = None) -> None:
        self.library = library
        self.jobs = jobs or max(1, min(4, os.cpu_count() or 1))
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None
        self.batch: BatchJob | None = None

    def _executor(self) -> concurrent.futures.ProcessPoolExecutor:
        if self._pool is None:
            self._pool = concurrent.futures.ProcessPoolExecutor(
                max_workers=self.jobs,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start,
                initargs=(self.library,),
            )
        return self._pool

    async def run(self, function: Any, *args: Any) -> Any:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor(), function, *args)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    async def report(self, path: Path, fmt: str) -> Made:
        made: Made = await self.run(report_file, path, fmt)
        return made

    async def class_pdf(self, paths: Sequence[Path], anonymize: bool) -> Made:
        made: Made = await self.run(class_file, list(paths), anonymize)
        return made

    def start_batch(self, paths: Sequence[Path], names: Sequence[str]) -> BatchJob:
        """Render every student's PDF in the background; `self.batch` tells how far."""
        job = BatchJob(total=len(paths))
        self.batch = job
        asyncio.get_running_loop().create_task(self._run_batch(job, list(paths), list(names)))
        return job

    async def _run_batch(self, job: BatchJob, paths: list[Path], names: list[str]) -> None:
        """Every file submitted at once (the pool keeps each process busy), counted as
        each one finishes; one failure never stops the others."""
        loop = asyncio.get_running_loop()
        pool = self._executor()

        async def one(path: Path, name: str) -> tuple[str, Made]:
            try:
                made: Made = await loop.run_in_executor(pool, report_file, path, "pdf")
            except Exception as exc:  # a worker that died: say so, go on
                made = Made(None, f"{type(exc).__name__}: {exc}")
            return name, made

        tasks = [asyncio.ensure_future(one(p, n)) for p, n in zip(paths, names, strict=True)]
        files: dict[str, bytes] = {}
        try:
            for finished in asyncio.as_completed(tasks):
                name, made = await finished
                job.done += 1
                if made.data is None:
                    job.failed.append(f"{name}: {made.error}")
                else:
                    files[f"{name}.pdf"] = made.data
            job.archive = await asyncio.to_thread(zip_files, files)
        finally:
            job.finished = True


def zip_files(files: dict[str, bytes]) -> bytes:
    """A ZIP archive of named files, in name order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            archive.writestr(name, files[name])
    return buffer.getvalue()


# --------------------------------------------------------------------------- in the worker


def report_file(path: Path, fmt: str) -> Made:
    """One answers file's report, rendered in this worker."""
    from diligence.report.render import render_answers, report_date

    try:
        done = render_answers(path, _library[0], fmt, generated=report_date(os.environ))
    except DiligenceError as exc:
        return Made(None, exc.lines()[0] if exc.lines() else str(exc))
    return Made(done.output.data)


def class_file(paths: list[Path], anonymize: bool) -> Made:
    """The class report PDF, rendered in this worker."""
    from diligence.report.render import report_date
    from diligence.trainer.aggregate import collect
    from diligence.trainer.class_report import render_pdf

    try:
        summary = collect(paths, _library[0], anonymize=anonymize)
        return Made(render_pdf(summary, report_date(os.environ)).data)
    except DiligenceError as exc:
        return Made(None, exc.lines()[0] if exc.lines() else str(exc))
