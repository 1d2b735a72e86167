"""Pages and the rules every response keeps: templates, CSRF, security headers, error pages.

Templates render in the report's Jinja2 environment (autoescaping on for every template,
undefined names are errors), overlaid with a loader for the web templates: user text is
data, never markup, on every page as in every report. Every page carries a CSRF token
bound to the browser's signed session; every state-changing request is checked against
it, and against the Origin header when the browser sends one.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

if TYPE_CHECKING:
    import jinja2

WEB = Path(__file__).resolve().parent
TEMPLATES = WEB / "templates"
STATIC = WEB / "static"

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
"""No inline script or style anywhere: the pages use only the package's own files."""
# `same-origin` referrers: other sites never see a page's URL (resume links are secrets),
# and the browser still sends this site its Origin, which `checked_form` compares.
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
}
FORM_LIMIT = 256 * 1024
"""The largest form a page posts: two text fields at the file's limit, with room."""


class PageError(Exception):
    """Something the user did that a page explains: status, title and what to do."""

    def __init__(self, status: int, title: str, message: str) -> None:
        super().__init__(message)
        self.status, self.title, self.message = status, title, message


@functools.cache
def environment() -> jinja2.Environment:
    """The report environment with the web templates in front of the report's."""
    import jinja2

    from diligence.report.templates import environment as report_environment

    base = report_environment()
    assert base.loader is not None
    return base.overlay(
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(TEMPLATES), base.loader])
    )


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A page: the template with the request's CSRF token and flash messages."""
    flashes = request.session.pop("flash", []) if "session" in request.scope else []
    context.setdefault("error", None)
    html = (
        environment()
        .get_template(template)
        .render(
            request=request,
            csrf=csrf_token(request),
            flashes=flashes,
            root=request.scope.get("root_path", ""),
            **context,
        )
    )
    return HTMLResponse(html, status_code=status, headers={"cache-control": "no-store"})


def flash(request: Request, text: str) -> None:
    """A message for the next page (after a redirect), shown in its status region."""
    request.session.setdefault("flash", []).append(text)


# --------------------------------------------------------------------------- CSRF


def _secret(request: Request) -> bytes:
    secret: str = request.app.state.workspace.state.secret
    return secret.encode()


def session_id(request: Request) -> str:
    """The browser's session id, made on first sight and kept in the signed cookie."""
    sid = request.session.get("sid")
    if not isinstance(sid, str):
        sid = secrets.token_urlsafe(18)
        request.session["sid"] = sid
    return sid


def csrf_token(request: Request) -> str:
    if "session" not in request.scope:
        return ""
    digest = hmac.new(_secret(request), session_id(request).encode(), hashlib.sha256)
    return digest.hexdigest()


async def checked_form(request: Request, limit: int = FORM_LIMIT) -> FormData:
    """The posted form, refused when too large, from another site, or without this
    session's CSRF token."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        raise PageError(
            413,
            "Too much at once",
            f"The form sent {int(length):,} bytes; at most {limit:,} are accepted. "
            "Shorten the text and send it again.",
        )
    origin = request.headers.get("origin")
    if origin and origin != _own_origin(request):
        raise PageError(403, "Refused", "This form was sent from another site.")
    form = await request.form(max_files=1, max_fields=200, max_part_size=limit)
    token = form.get("csrf")
    if not isinstance(token, str) or not hmac.compare_digest(token, csrf_token(request)):
        raise PageError(
            403,
            "This page is out of date",
            "The form could not be checked (it came from an old page or another "
            "browser). Go back, reload the page and send it again; nothing was changed.",
        )
    return form


def _own_origin(request: Request) -> str:
    host = request.headers.get("host", "")
    return f"{request.url.scheme}://{host}"


# --------------------------------------------------------------------------- headers


class SecurityHeaders:
    """Adds the security headers (CSP without unsafe-inline, nosniff, no referrer, no
    framing) to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                for name, value in HEADERS.items():
                    if name.encode() not in present:
                        headers.append((name.encode(), value.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)
