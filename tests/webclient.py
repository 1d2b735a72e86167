"""Helpers for the browser front end's tests: an app over a folder, and a student's forms.

`make_app` builds the same app `diligence serve` runs, over a class folder or an answers
folder; `Student` drives it with Starlette's TestClient the way a browser without
JavaScript does: read a page, send its form with the page's CSRF token, follow the
redirect.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

import httpx2 as httpx
from starlette.testclient import TestClient

from diligence.content.library import Library
from diligence.content.policy import load_content
from diligence.web.app import create_app
from diligence.web.server import Server
from diligence.web.workers import Renderer
from diligence.web.workspace import Workspace

BASE = "http://127.0.0.1:8000"
_library: list[Library] = []


def library() -> Library:
    if not _library:
        _library.append(load_content(lint=False))
    return _library[0]


def make_app(folder: Path, *, is_class: bool = True) -> tuple[TestClient, Server]:
    """A fresh app over `folder` (as after a restart: everything comes from the folder)."""
    workspace = Workspace.open(folder, is_class=is_class)
    server = Server(library(), workspace, Renderer(library(), jobs=1))
    client = TestClient(create_app(server), base_url=BASE, raise_server_exceptions=False)
    return client, server


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, "the page has no CSRF token"
    return found.group(1)


def question_id(url: str) -> str | None:
    found = re.search(r"/q/([A-Za-z0-9._-]+)", url)
    return found.group(1) if found else None


Chooser = Callable[[str, list[str]], dict[str, str | list[str]]]
"""Given a question id and its choice values, the form fields to send."""


def first_choice(question: str, values: list[str]) -> dict[str, str | list[str]]:
    if values:
        return {"value": values[0], "note": f"My reason for {question}."}
    return {"value": f"Free text for {question}.", "note": ""}


class Student:
    """One browser without JavaScript: a client with its own cookies."""

    def __init__(self, client: TestClient, server: Server) -> None:
        self.client = client
        self.server = server
        self.page = ""

    def get(self, url: str) -> str:
        response = self.client.get(url, follow_redirects=True)
        self.page = response.text
        return str(response.url)

    def join(self, name: str, scenario: str = "pegasus/mexico-2017") -> None:
        self.get("/")
        code = self.server.workspace.state.class_code
        response = self.client.post(
            "/start",
            data={"csrf": csrf_of(self.page), "code": code, "name": name, "scenario": scenario},
        )
        assert response.status_code == 200, response.text
        self.page = response.text

    def send(
        self, question: str, fields: dict[str, str | list[str]], walk: bool = False
    ) -> httpx.Response:
        data: dict[str, str | list[str]] = {
            "csrf": csrf_of(self.page),
            "walk": "1" if walk else "0",
        }
        data |= fields
        return self.client.post(f"/q/{question}", data=data, follow_redirects=False)

    def choices(self) -> list[str]:
        return [html.unescape(v) for v in re.findall(r'name="value" value="([^"]+)"', self.page)]

    def complete(self, choose: Chooser = first_choice, limit: int = 80) -> int:
        """Answer every question the server asks until the review; returns how many."""
        url = self.get("/q")
        for count in range(limit):
            current = question_id(url)
            if current is None:
                return count
            response = self.send(current, {"intent": "next", **choose(current, self.choices())})
            assert response.status_code == 303, response.text
            url = self.get(response.headers["location"])
        raise AssertionError("the assessment did not end")

    def finish(self) -> str:
        """Finish from the review; asked once about gaps in the argument, finish anyway."""
        self.get("/review")
        response = self.client.post("/finish", data={"csrf": csrf_of(self.page)})
        if "/review?confirm=1" in str(response.url):
            response = self.client.post(
                "/finish", data={"csrf": csrf_of(response.text), "confirm": "1"}
            )
        self.page = response.text
        return str(response.url)
