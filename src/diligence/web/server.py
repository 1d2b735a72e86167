"""What every handler shares: the loaded content, the folder's session, the renderer.

One `Server` per app, on `app.state.server`. Choosing a scenario goes through the same
`select` as `assess`, so the browser offers exactly what the terminal would.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request

from diligence.assessment.select import select
from diligence.content.library import Library
from diligence.content.models import AnswersFile, CaseStudy, Checklist, Scenario
from diligence.errors import UsageError
from diligence.web.assess import AnswersCache
from diligence.web.pages import PageError
from diligence.web.workers import Renderer
from diligence.web.workspace import Member, Target, Workspace


@dataclass
class Server:
    library: Library
    workspace: Workspace
    renderer: Renderer
    answers: AnswersCache = field(default_factory=AnswersCache)
    """Each student's parsed answers, while their file is unchanged (`assess.AnswersCache`)."""
    cache: dict[str, Any] = field(default_factory=dict)
    """The class view, kept until a file in the folder changes (`trainer.summary`)."""

    # ---------------------------------------------------------------- choosing

    def scenario_options(self) -> list[tuple[str, str]]:
        """(value, label) of every scenario a student may start, or only the class's."""
        target = self.workspace.state.target
        options = []
        for loaded in self.library.cases.values():
            case = loaded.model
            for scenario in case.scenarios:
                if target is not None and (case.id, scenario.id) != (target.case, target.scenario):
                    continue
                label = f"{scenario.title} (as of {scenario.as_of})"
                options.append((f"{case.id}/{scenario.id}", label))
        return options

    def pick(self, value: str) -> tuple[Checklist, CaseStudy, Scenario | None]:
        """The checklist, case and scenario a start form names: one of `scenario_options`."""
        allowed = dict(self.scenario_options())
        if value not in allowed:
            if len(allowed) == 1:
                value = next(iter(allowed))
            else:
                raise PageError(
                    400, "Choose a scenario", "Pick one of the scenarios in the list, then start."
                )
        case_id, _, scenario_id = value.partition("/")
        try:
            checklist, case, scenario = select(
                self.library, checklist_id=None, case_id=case_id, scenario_id=scenario_id, pick=None
            )
        except UsageError as exc:
            raise PageError(400, "Choose a scenario", str(exc)) from None
        if case is None:
            raise PageError(
                400,
                "Choose a scenario",
                f"checklist {checklist.id} has no case: assess it in the terminal "
                f"(diligence assess --checklist {checklist.id})",
            )
        if self.workspace.is_class:
            self.workspace.set_target(
                Target(
                    checklist=checklist.id, case=case.id, scenario=scenario.id if scenario else None
                )
            )
        return checklist, case, scenario

    def check_fits_class(self, answers: AnswersFile) -> None:
        """An uploaded file must be for the class's checklist and scenario."""
        target = self.workspace.state.target
        if not self.workspace.is_class or target is None:
            return
        if (answers.checklist.id, answers.case, answers.scenario) != (
            target.checklist,
            target.case,
            target.scenario,
        ):
            raise PageError(
                400,
                "Another assessment",
                f"This file is for scenario {answers.scenario or '-'} ({answers.checklist.id}); "
                f"this class assesses {target.scenario or '-'} ({target.checklist}).",
            )

    def code_matches(self, code: str) -> bool:
        given = code.strip().upper().replace(" ", "")
        return secrets.compare_digest(given.encode(), self.workspace.state.class_code.encode())

    # ---------------------------------------------------------------- links

    def resume_link(self, request: Request, member: Member) -> str:
        return str(request.base_url).rstrip("/") + f"/resume/{member.resume}"


def server_of(request: Request) -> Server:
    server: Server = request.app.state.server
    return server


def member_of(request: Request) -> tuple[Server, Member]:
    """The server and the student this browser belongs to, else a page saying how to start."""
    server = server_of(request)
    member = server.workspace.member(request.session.get("student"))
    if member is None:
        raise PageError(
            401,
            "Start first",
            "This browser has no assessment on this server yet. Start one (or join your "
            "class) from the first page, or open your private link to continue yours.",
        )
    return server, member
