"""The student's pages: start or join, briefing, case, questions, review, finish, downloads.

Every handler works on the student in the signed session cookie: no file name or path is
ever taken from a request, so a student can read and write only their own file. Work that
touches the disk runs in a thread (`run_in_threadpool`), renders in worker processes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from diligence.assessment.answers import new_answers, parse_answers, save_answers
from diligence.assessment.engine import Flow
from diligence.assessment.load import check_answers
from diligence.content.yamlio import MAX_FILE_BYTES
from diligence.errors import DiligenceError, OutputError
from diligence.web import assess
from diligence.web.pages import PageError, checked_form, flash, render
from diligence.web.server import Server, member_of, server_of
from diligence.web.views import case_page, question_page, section_page
from diligence.web.workspace import NAME_LIMIT, Member

UPLOAD_LIMIT = MAX_FILE_BYTES + 64 * 1024


# --------------------------------------------------------------------------- starting


async def home(request: Request) -> Response:
    server = server_of(request)
    member = server.workspace.member(request.session.get("student"))
    return render(
        request,
        "home.html.j2",
        server=server,
        member=member,
        code=request.path_params.get("code", ""),
        scenarios=server.scenario_options(),
        name_limit=NAME_LIMIT,
    )


async def start(request: Request) -> Response:
    """Start an assessment (or join the class) with a name and, unless the class has
    one, a scenario."""
    server = server_of(request)
    form = await checked_form(request)
    name = str(form.get("name", "")).strip()
    if server.workspace.is_class and not server.code_matches(str(form.get("code", ""))):
        raise PageError(
            400,
            "Wrong class code",
            "That class code is not this class's; check it with your trainer and try again.",
        )
    if not name:
        raise PageError(
            400,
            "Your name is missing",
            "Type your name: it goes on your report. Go back and try again.",
        )
    if len(name) > NAME_LIMIT:
        raise PageError(400, "Name too long", f"A name may have at most {NAME_LIMIT} characters.")
    checklist, case, scenario = server.pick(str(form.get("scenario", "")))
    answers = new_answers(checklist, case.id, scenario.id if scenario else None, name)
    member = await run_in_threadpool(
        server.workspace.enrol, name, scenario.id if scenario else checklist.id
    )
    await _save_new(server, member, answers)
    request.session["student"] = member.id
    flash(request, "Your answers file is made. Keep your private link to continue later.")
    return RedirectResponse("/briefing", status_code=303)


async def upload(request: Request) -> Response:
    """Continue an answers file begun elsewhere (the terminal, another server): it is
    checked like `assess --resume` and saved as a new file of this student's."""
    server = server_of(request)
    form = await checked_form(request, limit=UPLOAD_LIMIT)
    sent = form.get("file")
    if sent is None or isinstance(sent, str):
        raise PageError(400, "No file", "Choose your answers file (.yaml) and send it again.")
    data = await sent.read(MAX_FILE_BYTES + 1)
    display = Path(sent.filename or "answers.yaml").name
    if len(data) > MAX_FILE_BYTES:
        raise PageError(
            413,
            "File too large",
            f"{display} is over {MAX_FILE_BYTES // 1_048_576} MB; answers files are never "
            "that large.",
        )
    if server.workspace.is_class and not server.code_matches(str(form.get("code", ""))):
        raise PageError(
            400,
            "Wrong class code",
            "That class code is not this class's; check it with your trainer.",
        )
    try:
        loaded = parse_answers(data, Path(display), display)
        check_answers(loaded, server.library)
    except DiligenceError as exc:
        raise PageError(
            400, "This answers file has a problem", "; ".join(exc.lines()[:5])
        ) from None
    answers = loaded.model
    server.check_fits_class(answers)
    name = answers.assessor or str(form.get("name", "")).strip() or "student"
    member = await run_in_threadpool(
        server.workspace.enrol, name[:NAME_LIMIT], answers.scenario or answers.checklist.id
    )
    await _save_new(server, member, answers)
    request.session["student"] = member.id
    flash(request, f"Continuing {display}: everything you answered is here.")
    return RedirectResponse("/q", status_code=303)


async def resume(request: Request) -> Response:
    """The private link: this browser becomes the student's again."""
    server = server_of(request)
    member = server.workspace.by_resume(str(request.path_params["token"]))
    if member is None:
        raise PageError(
            404,
            "Unknown link",
            "This link does not belong to any assessment on this server. Check that you "
            "copied all of it.",
        )
    request.session["student"] = member.id
    flash(request, "Welcome back: everything you answered is here.")
    return RedirectResponse("/q", status_code=303)


async def _save_new(server: Server, member: Member, answers: Any) -> None:
    path = server.workspace.file_of(member)
    try:
        await run_in_threadpool(save_answers, answers, path)
    except OutputError as exc:
        raise PageError(507, "Could not save", str(exc)) from None


# --------------------------------------------------------------------------- reading


async def briefing(request: Request) -> Response:
    server, member = member_of(request)
    flow = await _open(server, member)
    return render(
        request,
        "briefing.html.j2",
        flow=flow,
        member=member,
        link=server.resume_link(request, member),
    )


async def case(request: Request) -> Response:
    server, member = member_of(request)
    flow = await _open(server, member)
    assert flow.case is not None
    return render(request, "case.html.j2", member=member, **case_page(flow.case, flow.scenario))


# --------------------------------------------------------------------------- questions


async def current(request: Request) -> Response:
    server, member = member_of(request)
    flow = await _open(server, member)
    return RedirectResponse(_where(flow.current, walk=False), status_code=303)


async def question(request: Request) -> Response:
    server, member = member_of(request)
    flow = await _open(server, member)
    question_id = str(request.path_params["qid"])
    if not flow.relevant.get(question_id):
        flash(
            request,
            assess._gone(question_id)
            if flow.checklist.question(question_id)
            else f"There is no question {question_id}.",
        )
        return RedirectResponse(_where(flow.first_open(), walk=False), status_code=303)
    walk = request.query_params.get("walk") == "1"
    search = request.query_params.get("search", "")[:200]
    return render(
        request,
        "question.html.j2",
        member=member,
        **question_page(flow, question_id, walk=walk, search=search),
    )


async def answer(request: Request) -> Response:
    """One question's form: applied through the engine, saved, then on to the next page
    (or, for the script's autosave, a JSON "saved" sent only once the file is on disk)."""
    server, member = member_of(request)
    form = await checked_form(request)
    question_id = str(request.path_params["qid"])
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    ticked, cites, offered = (
        [v for v in form.getlist(name) if isinstance(v, str)]
        for name in ("value", "cite", "offered")
    )
    outcome, typed = await run_in_threadpool(
        _submit, server, member, question_id, fields, ticked, cites, offered
    )
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse(
            {
                "saved": outcome.error is None and outcome.changed,
                "error": outcome.error,
                "notices": outcome.notices,
            },
            status_code=200 if outcome.error is None else 409,
        )
    if outcome.error is not None:
        fresh = await _open(server, member)
        if typed is None or not fresh.relevant.get(question_id):
            flash(request, outcome.error)
            return RedirectResponse(_where(fresh.first_open(), walk=False), status_code=303)
        page = question_page(fresh, question_id, walk=typed.walk, typed=typed)
        return render(request, "question.html.j2", 400, member=member, error=outcome.error, **page)
    for line in outcome.notices:
        flash(request, line)
    if outcome.changed:
        flash(request, f"Saved your answer to {question_id}.")
    return RedirectResponse(_where(outcome.next, walk=outcome.walk), status_code=303)


def _submit(
    server: Server,
    member: Member,
    question_id: str,
    fields: dict[str, str],
    *lists: list[str],
) -> tuple[assess.Outcome, assess.Posted | None]:
    with server.workspace.file_lock(member):
        try:
            return assess.submit(
                server.workspace.file_of(member),
                server.library,
                server.answers,
                question_id,
                fields,
                *lists,
            )
        except DiligenceError as exc:
            return assess.Outcome(None, walk=False, error=_broken(exc)), None


async def section(request: Request) -> Response:
    """A whole section on one page (the other way to answer)."""
    server, member = member_of(request)
    flow = await _open(server, member)
    try:
        page = section_page(flow, str(request.path_params["sid"]))
    except ValueError as exc:
        raise PageError(404, "Not a section that applies", f"{str(exc).capitalize()}.") from None
    return render(request, "section.html.j2", member=member, **page)


async def answer_section(request: Request) -> Response:
    server, member = member_of(request)
    form = await checked_form(request)
    section_id = str(request.path_params["sid"])
    fields = {key: [v for v in form.getlist(key) if isinstance(v, str)] for key in form}

    def submitting() -> tuple[dict[str, assess.Posted], dict[str, str], list[str]]:
        with server.workspace.file_lock(member):
            path = server.workspace.file_of(member)
            return assess.submit_section(path, server.library, server.answers, section_id, fields)

    typed, problems, notices = await run_in_threadpool(submitting)
    flow = await _open(server, member)
    if problems:
        page = section_page(flow, section_id, typed, problems)
        first = next(iter(problems.values()))
        return render(request, "section.html.j2", 400, member=member, error=first, **page)
    for line in notices:
        flash(request, line)
    flash(request, "Saved this section.")
    following = form.get("next")
    if isinstance(following, str) and following:
        return RedirectResponse(f"/section/{quote(following)}", status_code=303)
    if form.get("intent") == "review":
        return RedirectResponse("/review", status_code=303)
    return RedirectResponse(f"/section/{quote(section_id)}", status_code=303)


def _where(question_id: str | None, *, walk: bool) -> str:
    if question_id is None:
        return "/review"
    return f"/q/{question_id}" + ("?walk=1" if walk else "")


# --------------------------------------------------------------------------- review


async def review(request: Request) -> Response:
    server, member = member_of(request)
    flow = await _open(server, member)
    return render(
        request,
        "review.html.j2",
        confirm=request.query_params.get("confirm") == "1",
        member=member,
        flow=flow,
        review=flow.review(),
        link=server.resume_link(request, member),
    )


async def finish(request: Request) -> Response:
    server, member = member_of(request)
    form = await checked_form(request)
    confirmed = form.get("confirm") == "1"

    def finishing() -> tuple[list[str], str | None, bool]:
        with server.workspace.file_lock(member):
            path = server.workspace.file_of(member)
            return assess.finish(path, server.library, server.answers, confirmed=confirmed)

    missing, problem, ask = await run_in_threadpool(finishing)
    if ask:
        return RedirectResponse("/review?confirm=1", status_code=303)
    if problem:
        flash(request, problem)
        return RedirectResponse("/review", status_code=303)
    if missing:
        flash(request, f"Still unanswered: {', '.join(missing)}. Answer them to finish.")
        return RedirectResponse(_where(missing[0], walk=False), status_code=303)
    return RedirectResponse("/done", status_code=303)


async def done(request: Request) -> Response:
    server, member = member_of(request)
    flow = await _open(server, member)
    from diligence.scoring import score

    result = await run_in_threadpool(score, flow.checklist, flow.answers)
    return render(
        request,
        "done.html.j2",
        member=member,
        flow=flow,
        result=result,
        link=server.resume_link(request, member),
    )


DOWNLOADS = {
    "answers.yaml": ("application/yaml", None),
    "report.html": ("text/html; charset=utf-8", "html"),
    "report.pdf": ("application/pdf", "pdf"),
}


async def download(request: Request) -> Response:
    """The student's own answers file, or its report rendered in a worker process."""
    server, member = member_of(request)
    kind = str(request.path_params["kind"])
    if kind not in DOWNLOADS:
        raise PageError(404, "Not here", "There is no such download.")
    media, fmt = DOWNLOADS[kind]
    path = server.workspace.file_of(member)
    stem = Path(member.file).stem
    if fmt is None:
        data = await run_in_threadpool(path.read_bytes)
        name = member.file
    else:
        made = await server.renderer.report(path, fmt)
        if made.data is None:
            raise PageError(500, "The report could not be made", made.error or "")
        data, name = made.data, f"{stem}.{fmt}"
    return Response(
        data, media_type=media, headers={"content-disposition": f'attachment; filename="{name}"'}
    )


async def _open(server: Server, member: Member) -> Flow:
    def opening() -> Flow:
        with server.workspace.file_lock(member):
            path = server.workspace.file_of(member)
            return assess.open_flow(path, server.library, server.answers)

    try:
        return await run_in_threadpool(opening)
    except DiligenceError as exc:
        raise PageError(409, "Your answers file has a problem", _broken(exc)) from None


def _broken(exc: DiligenceError) -> str:
    return (
        "; ".join(exc.lines()[:3])
        + ". Ask your trainer, or continue from a good copy with “Continue an answers file”."
    )


async def no_icon(_: Request) -> Response:
    """Browsers ask for a favicon; there is none (and no 404 in their console)."""
    return Response(status_code=204)


ROUTES = [
    Route("/", home),
    Route("/favicon.ico", no_icon),
    Route("/join/{code}", home),
    Route("/start", start, methods=["POST"]),
    Route("/upload", upload, methods=["POST"]),
    Route("/resume/{token}", resume),
    Route("/briefing", briefing),
    Route("/case", case),
    Route("/q", current),
    Route("/q/{qid}", question),
    Route("/q/{qid}", answer, methods=["POST"]),
    Route("/section/{sid}", section),
    Route("/section/{sid}", answer_section, methods=["POST"]),
    Route("/review", review),
    Route("/finish", finish, methods=["POST"]),
    Route("/done", done),
    Route("/download/{kind}", download),
]
