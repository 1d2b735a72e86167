"""Helpers for the real-browser tests: a `diligence serve` process, and Debian's chromium.

The server runs as users run it, in its own process (so a test can SIGKILL it); the
browser is Debian's `chromium` (syscheck.py installs it for `make test`), driven by
Playwright through `executable_path`: no browser is downloaded.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",  # tests run as root
    # Nothing may call out of this closed network (its refusals would stall the browser).
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.fail(
            "Debian's chromium is missing: run python3 src/diligence/syscheck.py test --install"
        )
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class ServeProcess:
    """`diligence serve --class FOLDER --port PORT` in a process of its own."""

    def __init__(self, folder: Path, port: int | None = None, *extra: str) -> None:
        self.folder, self.port, self.extra = folder, port or free_port(), extra
        self.process: subprocess.Popen[str] | None = None
        self.lines: list[str] = []

    def start(self) -> ServeProcess:
        command = [sys.executable, "-m", "diligence", "serve", "--class", str(self.folder)]
        command += ["--port", str(self.port), *self.extra]
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "SOURCE_DATE_EPOCH": "1700000000"}
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
        )
        assert self.process.stdout is not None
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                raise AssertionError(f"serve stopped: {''.join(self.lines)}")
            self.lines.append(line)
            if line.startswith("Stop with"):
                self._wait_listening(deadline)
                return self
        raise AssertionError(f"serve did not start: {''.join(self.lines)}")

    def _wait_listening(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise AssertionError("serve does not accept connections")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def link(self, pattern: str) -> str:
        text = "".join(self.lines)
        found = re.search(pattern, text)
        assert found, text
        return found.group(1)

    @property
    def join_url(self) -> str:
        return self.link(r"join at:\s+(\S+)")

    @property
    def trainer_url(self) -> str:
        return self.link(r"private\): (\S+)")

    def kill(self) -> None:
        """SIGKILL: no clean-up of any kind."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
