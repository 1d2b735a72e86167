"""`diligence serve` under a class's load, on 127.0.0.1 only, and the cost of a page.

    python bench/serve_load.py [--students 60] [--output bench/RESULTS.md]

1. Start-up: from launching `diligence serve --class` to the first page served.
2. Load: N simulated students (concurrent HTTP clients) each join and answer the
   mexico-2017 reference answers question by question as the server asks them, one save
   per second (the browser's autosave: a POST acknowledged only once the file is on
   disk). p50 and p95 save latency; afterwards every acknowledged save must be in its
   student's file.
3. The same with the server SIGKILLed in the middle of the run and started again at once:
   saves in flight fail and are retried; every save acknowledged before (and after) the
   kill must be on disk.
4. A question page against `diligence score` of the same answers in process (load and
   check the file, score it), both timed in this run.

Traffic goes only to 127.0.0.1; every loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx2 as httpx
import yaml

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "case_studies" / "pegasus" / "reference" / "mexico-2017.yaml"
MARK = "<!-- serve_load.py -->"
TIME_LIMIT = 600.0
"""No run goes on longer than this, whatever happens."""


@dataclass
class Server:
    folder: Path
    port: int
    process: subprocess.Popen[bytes] | None = None
    code: str = ""

    def start(self) -> float:
        """Start the server; seconds until it served its first page."""
        began = time.perf_counter()
        command = [sys.executable, "-m", "diligence", "serve", "--class", str(self.folder)]
        command += ["--port", str(self.port), "--scenario", "mexico-2017"]
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        assert self.process.stdout is not None
        for raw in self.process.stdout:
            line = raw.decode()
            found = re.search(r"class code (\w+)", line)
            if found:
                self.code = found.group(1)
            if line.startswith("Stop with"):
                break
        while time.perf_counter() - began < 30:
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/", timeout=1).status_code == 200:
                    return time.perf_counter() - began
            except httpx.HTTPError:
                time.sleep(0.02)
        raise SystemExit("the server did not start")

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            self.process.wait(timeout=20)


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    acknowledged: dict[str, dict[str, object]] = field(default_factory=dict)
    """Student name -> question id -> the value the server acknowledged."""
    retries: int = 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def reference_values() -> dict[str, object]:
    data = yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))
    return {q: a["value"] for q, a in data["answers"].items() if a.get("value") is not None}


async def student(
    name: str, server: Server, values: dict[str, object], tally: Tally, delay: float
) -> None:
    """Join, then answer one question a second until the review."""
    base = f"http://127.0.0.1:{server.port}"
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        await asyncio.sleep(delay)
        page = (await _retry(client, tally, "GET", "/")).text
        csrf = _csrf(page)
        data = {"csrf": csrf, "code": server.code, "name": name, "scenario": "pegasus/mexico-2017"}
        await _retry(client, tally, "POST", "/start", data=data)
        where = (await _retry(client, tally, "GET", "/q")).headers.get("location", "")
        mine = tally.acknowledged.setdefault(name, {})
        deadline = time.monotonic() + TIME_LIMIT
        while where.startswith("/q/") and time.monotonic() < deadline:
            question = where.split("/")[2].split("?")[0]
            value = values.get(question, "unknown")
            form: dict[str, object] = {"csrf": csrf, "intent": "next", "value": value}
            form["note"] = f"{name}'s reason for {question}."
            began = time.perf_counter()
            response = await _retry(client, tally, "POST", f"/q/{question}", data=form)
            if response.status_code == 303:
                tally.latencies.append(time.perf_counter() - began)
                mine[question] = value
                where = response.headers["location"]
            else:
                where = (await _retry(client, tally, "GET", "/q")).headers.get("location", "")
            await asyncio.sleep(max(0.0, 1.0 - (time.perf_counter() - began)))


async def _retry(
    client: httpx.AsyncClient, tally: Tally, method: str, url: str, **kwargs: object
) -> httpx.Response:
    """Send until the server answers (it may be restarting); at most a minute."""
    for _ in range(600):
        try:
            return await client.request(method, url, **kwargs)  # type: ignore[arg-type]
        except httpx.TransportError:
            tally.retries += 1
            await asyncio.sleep(0.1)
    raise SystemExit(f"{url}: no answer for a minute")


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found
    return found.group(1)


async def load(server: Server, count: int, kill_after: float | None) -> Tally:
    tally = Tally()
    values = reference_values()
    tasks = [
        asyncio.create_task(student(f"Student {i:02d}", server, values, tally, i / count))
        for i in range(count)
    ]
    if kill_after is not None:
        await asyncio.sleep(kill_after)
        server.kill()
        await asyncio.to_thread(server.start)
    await asyncio.gather(*tasks)
    return tally


def lost_saves(folder: Path, tally: Tally) -> int:
    """Acknowledged answers that are not in their student's file."""
    files = {}
    for path in folder.glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        files[data["assessor"]] = data.get("answers", {})
    lost = 0
    for name, answers in tally.acknowledged.items():
        saved = files.get(name, {})
        lost += sum(1 for q, v in answers.items() if saved.get(q, {}).get("value") != v)
    return lost


def page_vs_score(server: Server, runs: int = 40) -> tuple[float, float]:
    """Median seconds: a question page of a complete file, and `score` of it in process."""
    from diligence.assessment.load import load_assessment
    from diligence.content.policy import load_content
    from diligence.scoring import score

    base = f"http://127.0.0.1:{server.port}"
    path = next(server.folder.glob("*.yaml"))
    token = re.search(r"/resume/(\S+)", (server.folder / ".diligence-serve.json").read_text())
    with httpx.Client(base_url=base, timeout=30) as client:
        state = yaml.safe_load((server.folder / ".diligence-serve.json").read_text())
        member = next(m for m in state["members"] if m["file"] == path.name)
        client.get(f"/resume/{member['resume']}")
        client.get("/q/ID5")
        pages = []
        for _ in range(runs):
            began = time.perf_counter()
            assert client.get("/q/ID5").status_code == 200
            pages.append(time.perf_counter() - began)
    del token
    library = load_content(lint=False)
    scores = []
    for _ in range(runs):
        began = time.perf_counter()
        assessment = load_assessment(path, library)
        score(assessment.checklist, assessment.answers)
        scores.append(time.perf_counter() - began)
    return statistics.median(pages), statistics.median(scores)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def row(what: str, goal: str, measured: str, met: bool) -> str:
    return f"| {what} | {goal} | {measured} | {'yes' if met else 'no'} |"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=60)
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rows = calm_rows(Path(tmp) / "calm", args.students)
        rows.append(killed_row(Path(tmp) / "killed", args.students))
    table = "\n".join(
        [
            MARK,
            "## `diligence serve` under load (`python bench/serve_load.py`)",
            "",
            f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on "
            f"{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}; "
            "clients and server on 127.0.0.1, both sides of each row in the same run.",
            "",
            "| what is measured | goal | measured | met |",
            "| --- | --- | --- | --- |",
            *rows,
            MARK,
        ]
    )
    print(table)
    write_table(args.output, table)
    return 0


def calm_rows(folder: Path, students: int) -> list[str]:
    """Start-up, the load without a kill, and a page against `score`."""
    server = Server(folder, free_port())
    startup = server.start()
    rows = [
        row(
            "`diligence serve --class` start-up to first page",
            "under 2 s",
            f"{startup:.2f} s",
            startup < 2,
        )
    ]
    tally = asyncio.run(load(server, students, None))
    p50, p95 = percentile(tally.latencies, 0.5), percentile(tally.latencies, 0.95)
    lost = lost_saves(server.folder, tally)
    rows.append(
        row(
            f"{students} students, one save a second each: save latency",
            "p95 at most 100 ms, 0 lost",
            f"{len(tally.latencies)} saves: p50 {p50 * 1000:.0f} ms, "
            f"p95 {p95 * 1000:.0f} ms; {lost} lost",
            p95 <= 0.1 and lost == 0,
        )
    )
    page, scored = page_vs_score(server)
    rows.append(
        row(
            "a question page (HTTP, complete 46-answer file)",
            "at most 3x `score` of the same answers in process",
            f"{page * 1000:.1f} ms vs {scored * 1000:.1f} ms = {page / scored:.2f}x",
            page <= 3 * scored,
        )
    )
    server.stop()
    return rows


def killed_row(folder: Path, students: int) -> str:
    """The load with the server SIGKILLed after 20 s and started again at once."""
    killed = Server(folder, free_port())
    killed.start()
    tally = asyncio.run(load(killed, students, kill_after=20.0))
    lost = lost_saves(killed.folder, tally)
    p95 = percentile(tally.latencies, 0.95)
    killed.stop()
    return row(
        "the same, the server SIGKILLed after 20 s and restarted",
        "0 acknowledged saves lost",
        f"{len(tally.latencies)} saves acknowledged, {tally.retries} requests retried while "
        f"it restarted; {lost} lost; p95 {p95 * 1000:.0f} ms",
        lost == 0,
    )


def write_table(output: Path, table: str) -> None:
    """Replace this script's table in RESULTS.md (between its marks), or append it."""
    previous = output.read_text(encoding="utf-8") if output.exists() else ""
    if MARK in previous:
        before, _, rest = previous.partition(MARK)
        _, _, after = rest.partition(MARK)
        previous = before.rstrip() + "\n\n" + after.lstrip()
    output.write_text(previous.rstrip() + "\n\n" + table + "\n", encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
