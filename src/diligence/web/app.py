"""The ASGI app: routes, the signed session cookie, security headers, error pages.

`create_app(server)` is all a test needs (Starlette's TestClient) and all `diligence
serve` runs under uvicorn. Nothing a user sends ever comes back as a traceback: errors
the user can fix get a page saying what is wrong (`PageError`), anything else a plain
"something went wrong" page, and the details only in the server's log.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from diligence.web import student, trainer
from diligence.web.pages import STATIC, PageError, SecurityHeaders, render
from diligence.web.server import Server

COOKIE = "diligence"
COOKIE_AGE = 180 * 24 * 3600
"""Half a year: a course's length; the private link works after that too."""
BODY_LIMIT = 5 * 1024 * 1024
"""No request body is larger: an answers file upload at its limit, with room."""

log = logging.getLogger("diligence.serve")


def create_app(server: Server) -> Starlette:
    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            server.renderer.close()

    app = Starlette(
        routes=[
            *student.ROUTES,
            *trainer.ROUTES,
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ],
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(
                SessionMiddleware,
                secret_key=server.workspace.state.secret,
                session_cookie=COOKIE,
                max_age=COOKIE_AGE,
                same_site="lax",
                https_only=False,
            ),
        ],
        exception_handlers={
            PageError: _page_error,
            HTTPException: _http_error,
            Exception: _internal_error,
        },
        lifespan=lifespan,
        max_body_size=BODY_LIMIT,
    )
    app.state.server = server
    app.state.workspace = server.workspace
    return app


async def _page_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PageError)
    return render(request, "error.html.j2", exc.status, title=exc.title, message=exc.message)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    titles = {404: "Not found", 405: "Not allowed", 413: "Too much at once"}
    messages = {
        404: "There is no such page on this server. Go back to the first page.",
        405: "This page cannot be used that way. Go back and use its buttons.",
        413: "What you sent is too large. Shorten it and try again.",
    }
    title = titles.get(exc.status_code, "Something went wrong")
    message = messages.get(exc.status_code, str(exc.detail))
    return render(request, "error.html.j2", exc.status_code, title=title, message=message)


async def _internal_error(request: Request, exc: Exception) -> Response:
    log.exception("internal error on %s %s", request.method, request.url.path, exc_info=exc)
    return render(
        request,
        "error.html.j2",
        500,
        title="Something went wrong",
        message="The server could not do that. Everything saved before is safe; go back "
        "and try again, and tell your trainer if it happens again.",
    )
