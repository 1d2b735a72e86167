"""The trainer's pages: roster, live class view, presentation, anonymise, downloads.

Every page needs the trainer's cookie, given once by the secret trainer link printed at
start-up. The class view is `trainer.aggregate.collect` over the class folder, the same
code `diligence class` runs, kept until a file in the folder changes; the presentation is
the walkthrough's `slide`/`ending` over the reference answers' `Flow`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from diligence.assessment.engine import Flow
from diligence.assessment.load import load_assessment
from diligence.errors import DiligenceError
from diligence.trainer.aggregate import ClassSummary, QuestionStats, collect
from diligence.trainer.walkthrough import ending, slide
from diligence.web.pages import PageError, checked_form, render
from diligence.web.server import Server, server_of
from diligence.web.workers import zip_files


def trainer_of(request: Request) -> Server:
    server = server_of(request)
    if not server.workspace.is_class:
        raise PageError(
            404,
            "No class here",
            "This server was started without --class, so it has no trainer pages.",
        )
    if request.session.get("trainer") != server.workspace.state.trainer_token:
        raise PageError(
            403,
            "Trainer pages",
            "These pages need the trainer link printed when the server started.",
        )
    return server


async def enter(request: Request) -> Response:
    """The secret trainer link: this browser becomes the trainer's."""
    server = server_of(request)
    token = str(request.path_params["token"])
    if not server.workspace.is_class or not server.workspace.check_trainer(token):
        raise PageError(403, "Wrong link", "This is not the trainer link of this server.")
    request.session["trainer"] = server.workspace.state.trainer_token
    return RedirectResponse("/trainer", status_code=303)


# --------------------------------------------------------------------------- the class


def class_files(server: Server) -> list[Path]:
    folder = server.workspace.folder
    return sorted(p for p in folder.glob("*.yaml") if p.is_file() and not p.name.startswith("."))


def summary(server: Server) -> ClassSummary | None:
    """The class as `diligence class` sees it; recomputed only when a file changed."""
    files = class_files(server)
    anonymize = server.workspace.state.anonymize
    key = (anonymize, tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in files))
    if server.cache.get("key") == key:
        cached: ClassSummary | None = server.cache["summary"]
        return cached
    try:
        result = collect(files, server.library, anonymize=anonymize) if files else None
    except DiligenceError:
        result = None
    server.cache.update(key=key, summary=result)
    return result


def roster(server: Server, found: ClassSummary | None) -> list[dict[str, Any]]:
    """One row per answers file in the class: who, how far, verdict so far."""
    names = {m.file: m.name for m in server.workspace.state.members}
    rows = []
    for submission in found.submissions if found else ():
        result = submission.result
        answered = sum(s.answered for s in result.sections)
        relevant = sum(s.relevant for s in result.sections)
        rows.append(
            {
                "student": submission.student
                if server.workspace.state.anonymize
                else names.get(submission.path.name, submission.student),
                "answered": answered,
                "relevant": relevant,
                "percent": round(100 * answered / relevant) if relevant else 0,
                "status": "complete"
                if submission.assessment.answers.status == "complete"
                else "in progress",
                "verdict": result.verdict,
                "flags": len(result.red_flags),
            }
        )
    return rows


def live_context(server: Server) -> dict[str, Any]:
    found = summary(server)
    import markupsafe

    from diligence.trainer.class_charts import answer_bar

    bars = {q.id: markupsafe.Markup(answer_bar(q)) for q in found.questions} if found else {}
    raised = [f for f in found.flags if f.raised + f.raised_incomplete] if found else []
    return {
        "summary": found,
        "roster": roster(server, found),
        "bars": bars,
        "flags": sorted(raised, key=lambda f: -(f.raised + f.raised_incomplete)),
        "anonymize": server.workspace.state.anonymize,
    }


async def dashboard(request: Request) -> Response:
    server = trainer_of(request)
    context = await run_in_threadpool(live_context, server)
    return render(
        request,
        "trainer.html.j2",
        server=server,
        join=str(request.base_url).rstrip("/") + f"/join/{server.workspace.state.class_code}",
        batch=server.renderer.batch,
        **context,
    )


async def live(request: Request) -> Response:
    """The live part of the dashboard alone, for the script to refresh in place."""
    server = trainer_of(request)
    context = await run_in_threadpool(live_context, server)
    return render(request, "trainer_live.html.j2", **context)


async def anonymize(request: Request) -> Response:
    server = trainer_of(request)
    form = await checked_form(request)
    await run_in_threadpool(server.workspace.set_anonymize, form.get("anonymize") == "1")
    return RedirectResponse("/trainer", status_code=303)


# --------------------------------------------------------------------------- presenting


def reference_flow(server: Server) -> Flow:
    target = server.workspace.state.target
    if target is None or target.scenario is None:
        raise PageError(
            409,
            "No scenario yet",
            "The class has no scenario yet: it is set when the first student joins, or "
            "with serve --scenario.",
        )
    reference = server.library.reference_for(target.case, target.scenario)
    if reference is None:
        raise PageError(
            404,
            "No reference answers",
            f"Scenario {target.scenario} has no reference answers to present.",
        )
    assessment = load_assessment(reference.path, server.library)
    return Flow(
        assessment.checklist,
        assessment.answers,
        case=assessment.case,
        scenario=assessment.scenario,
        frameworks=server.library.frameworks,
    )


def _present_context(server: Server, question_id: str | None, with_class: bool) -> dict[str, Any]:
    flow = reference_flow(server)
    if not flow.walk_from_start():
        raise PageError(404, "Nothing to present", "No question applies to the reference answers.")
    first = flow.current
    sections = []
    for status in flow.section_statuses():
        if status.relevant:
            flow.jump(status.id)
            sections.append((status, flow.current))
    if question_id is None:
        return {
            "ending": ending(flow),
            "slide": None,
            "previous": flow.relevant_ids()[-1],
            "next": None,
            "sections": sections,
            "with_class": with_class,
            "stats": None,
        }
    if not flow.relevant.get(question_id):
        raise PageError(
            404,
            "Not in this walkthrough",
            f"Question {question_id} does not apply to the reference answers.",
        )
    flow.goto(question_id, walk=True)
    shown = slide(flow)
    flow.step_forward()
    following = flow.current
    flow.goto(question_id, walk=True)
    previous = flow.current if flow.back() else None
    stats: QuestionStats | None = None
    if with_class:
        found = summary(server)
        stats = next((q for q in found.questions if q.id == question_id), None) if found else None
    return {
        "slide": shown,
        "ending": None,
        "previous": previous,
        "next": following or "end",
        "first": first,
        "sections": sections,
        "with_class": with_class,
        "stats": stats,
    }


async def present(request: Request) -> Response:
    server = trainer_of(request)
    question_id = request.path_params.get("qid")
    with_class = request.query_params.get("class") == "1"
    if question_id is None:
        flow = await run_in_threadpool(reference_flow, server)
        flow.walk_from_start()
        suffix = "?class=1" if with_class else ""
        return RedirectResponse(f"/trainer/present/{flow.current}{suffix}", status_code=303)
    if question_id == "jump":
        target = request.query_params.get("to", "")
        suffix = "?class=1" if with_class else ""
        return RedirectResponse(f"/trainer/present/{quote(target)}{suffix}", status_code=303)
    wanted = None if question_id == "end" else str(question_id)
    context = await run_in_threadpool(_present_context, server, wanted, with_class)
    return render(request, "present.html.j2", **context)


# --------------------------------------------------------------------------- downloads


async def download(request: Request) -> Response:
    server = trainer_of(request)
    kind = str(request.path_params["kind"])
    files = class_files(server)
    anonymous = server.workspace.state.anonymize
    if kind == "answers.zip":
        data = await run_in_threadpool(zip_files, {p.name: p.read_bytes() for p in files})
        return _attachment(data, "application/zip", "class-answers.zip")
    if kind == "gradebook.csv":
        from diligence.trainer.gradebook import gradebook_csv

        found = await run_in_threadpool(summary, server)
        if found is None:
            raise PageError(409, "No answers yet", "No student has an answers file that loads yet.")
        return _attachment(
            gradebook_csv(found).encode("utf-8"),
            "text/csv; charset=utf-8",
            "gradebook.csv",
        )
    if kind == "class.pdf":
        if not files:
            raise PageError(409, "No answers yet", "No student has an answers file yet.")
        made = await server.renderer.class_pdf(files, anonymous)
        if made.data is None:
            raise PageError(409, "The class report could not be made", made.error or "")
        return _attachment(made.data, "application/pdf", "class.pdf")
    if kind == "reports.zip":
        batch = server.renderer.batch
        if batch is None or batch.archive is None:
            raise PageError(
                409,
                "Not ready",
                "Render every student's PDF first; the ZIP is offered when they are done.",
            )
        return _attachment(batch.archive, "application/zip", "student-reports.zip")
    raise PageError(404, "Not here", "There is no such download.")


async def start_batch(request: Request) -> Response:
    server = trainer_of(request)
    await checked_form(request)
    batch = server.renderer.batch
    if batch is None or batch.finished:
        found = await run_in_threadpool(summary, server)
        submissions = found.submissions if found else ()
        names = [
            f"student-{i:02d}" if server.workspace.state.anonymize else s.path.stem
            for i, s in enumerate(submissions, 1)
        ]
        server.renderer.start_batch([s.path for s in submissions], names)
    return RedirectResponse("/trainer#reports", status_code=303)


async def batch_status(request: Request) -> Response:
    server = trainer_of(request)
    batch = server.renderer.batch
    if batch is None:
        return JSONResponse({"total": 0, "done": 0, "finished": False, "failed": []})
    return JSONResponse(
        {
            "total": batch.total,
            "done": batch.done,
            "finished": batch.finished,
            "failed": batch.failed,
        }
    )


def _attachment(data: bytes, media: str, name: str) -> Response:
    return Response(
        data,
        media_type=media,
        headers={
            "content-disposition": f'attachment; filename="{name}"',
            "cache-control": "no-store",
        },
    )


ROUTES = [
    Route("/trainer/enter/{token}", enter),
    Route("/trainer", dashboard),
    Route("/trainer/live", live),
    Route("/trainer/anonymize", anonymize, methods=["POST"]),
    Route("/trainer/present", present),
    Route("/trainer/present/{qid}", present),
    Route("/trainer/download/{kind}", download),
    Route("/trainer/reports", start_batch, methods=["POST"]),
    Route("/trainer/reports/status", batch_status),
]
