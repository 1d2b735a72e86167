"""`diligence serve`: the assessment (and with --class, a class session) in the browser."""

from __future__ import annotations

import argparse
import ipaddress
import socket
from pathlib import Path
from typing import TYPE_CHECKING

from diligence.commands import library_for
from diligence.environment import Environment
from diligence.errors import UsageError

if TYPE_CHECKING:
    from diligence.commands import Subparsers
    from diligence.content.library import Library
    from diligence.web.workspace import Workspace

DEFAULT_PORT = 8000
EPILOG = """\
Without --class, anyone who opens the page starts an assessment; answers are saved to
answers/ (as `assess` does). With --class DIR, DIR is the class folder: one answers file
per student, the files `diligence class DIR` reads. Start-up prints the students' join
link with a short class code, and a secret trainer link for the class view, presentation
and downloads. Everything lives in files: stop the server any way and start it again,
and every student's link and answers are still there.
"""


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="assess in the browser; with --class, run a class session (trainers)",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--class", dest="class_dir", type=Path, metavar="DIR", help="the class folder"
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: this computer only)",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"port (default {DEFAULT_PORT}; 0 picks a free one)",
    )
    parser.add_argument("--checklist", metavar="ID", help="the class's checklist")
    parser.add_argument("--case", metavar="ID", help="the class's case study")
    parser.add_argument(
        "--scenario",
        metavar="ID",
        help="the class's scenario (else the first student to join picks it)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, env: Environment) -> int:
    import uvicorn

    from diligence.web.app import create_app
    from diligence.web.server import Server
    from diligence.web.workers import Renderer
    from diligence.web.workspace import Workspace

    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port} is not a port number (0-65535)")
    if args.class_dir is None and (args.scenario or args.checklist or args.case):
        raise UsageError(
            "--scenario, --checklist and --case set a class's assessment; add --class DIR"
        )
    library = library_for(args, env, lint=True)
    folder = args.class_dir or Path("answers")
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is a file, not a folder; give --class a folder")
    workspace = Workspace.open(folder, is_class=args.class_dir is not None)
    if workspace.is_class:
        _class_target(args, library, workspace)
    sock = _bind(args.host, args.port)
    port = sock.getsockname()[1]
    _tell(env, workspace, args.host, port)
    env.stdout.flush()  # the links must show now, even through a pipe
    server = Server(library, workspace, Renderer(library))
    config = uvicorn.Config(
        create_app(server), log_level="warning", access_log=False, lifespan="on"
    )
    uvicorn.Server(config).run(sockets=[sock])
    env.out("Stopped. Every answer is saved.")
    return 0


def _class_target(args: argparse.Namespace, library: Library, workspace: Workspace) -> None:
    """The class's checklist and scenario: given, kept from before, or the most common
    among the files already in the folder; else the first student to join picks it."""
    from diligence.assessment.select import select
    from diligence.web.workspace import Target

    target = workspace.state.target
    if args.scenario or args.checklist or args.case:
        checklist, case, scenario = select(
            library,
            checklist_id=args.checklist,
            case_id=args.case,
            scenario_id=args.scenario,
            pick=None,
        )
        if case is None:
            raise UsageError(
                f"checklist {checklist.id} has no case, and the browser assesses a case's "
                f"scenarios; assess it in the terminal: diligence assess --checklist {checklist.id}"
            )
        wanted = Target(
            checklist=checklist.id, case=case.id, scenario=scenario.id if scenario else None
        )
        if target is not None and target != wanted:
            raise UsageError(
                f"{workspace.folder} is a class for scenario {target.scenario} "
                f"({target.checklist}); leave out --scenario, or use another folder"
            )
        workspace.set_target(wanted)
        return
    if target is None:
        files = sorted(workspace.folder.glob("*.yaml"))
        if files:
            from diligence.errors import DiligenceError
            from diligence.trainer.aggregate import collect

            try:
                found = collect(files, library)
            except DiligenceError:
                return
            workspace.set_target(
                Target(checklist=found.checklist.id, case=found.case_id, scenario=found.scenario_id)
            )


def _bind(host: str, port: int) -> socket.socket:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise UsageError(f"--host {host}: no such address on this computer") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        if port and exc.errno in (98, 48):  # EADDRINUSE on Linux, macOS
            raise UsageError(
                f"port {port} is in use (another server?); choose another with --port"
            ) from None
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def _tell(env: Environment, workspace: Workspace, host: str, port: int) -> None:
    shown = _shown_host(host)
    base = f"http://{shown}:{port}"
    from diligence.files import display_path

    if workspace.is_class:
        state = workspace.state
        target = state.target
        env.out(
            f"Class folder: {display_path(workspace.folder)} "
            f"({len(state.members)} student(s) so far)"
        )
        if target is not None:
            env.out(f"Scenario: {target.scenario} ({target.checklist})")
        else:
            env.out(
                "Scenario: not set yet; the first student to join picks it "
                "(or start with --scenario ID)"
            )
        env.out(
            f"Students join at:  {base}/join/{state.class_code}   (class code {state.class_code})"
        )
        env.out(f"Trainer (keep it private): {base}/trainer/enter/{state.trainer_token}")
    else:
        env.out(
            f"Open {base}/ in a browser. Answers are saved in {display_path(workspace.folder)}/."
        )
    if not _loopback(host):
        env.warn(
            f"listening on {host}: the class is now reachable on the network, by anyone who can "
            "reach this computer; use the default (127.0.0.1) unless the class needs it"
        )
    env.out("Stop with Ctrl-C; answers are saved after every change.")


def _shown_host(host: str) -> str:
    if host in ("0.0.0.0", "::"):
        return socket.gethostname()
    return f"[{host}]" if ":" in host else host


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
