"""`make bench`: time whole processes side by side in one run and write bench/RESULTS.md.

Every row compares two commands measured in the same run (median of N after a warm-up),
because these machines are noisy: ratios are meaningful, absolute seconds less so.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DILIGENCE = str(BIN / "diligence")
sys.path.insert(0, str(ROOT / "bench"))

from synthetic import write_content  # noqa: E402


@dataclass(frozen=True)
class Bench:
    """What every benchmark may use: how many timed runs, and a scratch folder."""

    runs: int
    work: Path


@dataclass
class Row:
    what: str
    against: str
    goal: str
    measured: str
    met: bool


def timed(command: Sequence[str], runs: int, env: dict[str, str] | None = None) -> float:
    """Median wall time of `runs` runs of a whole process, after one warm-up run."""
    subprocess.run(command, check=True, capture_output=True, env=env)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=env)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def peak_rss_mb(command: Sequence[str]) -> float:
    """Peak resident memory of one run of a command, in MB.

    Measured from a fresh wrapper process: RUSAGE_CHILDREN reports the largest child a
    process ever waited for, so asking from here would report an earlier, bigger row."""
    probe = (
        "import resource, subprocess, sys; "
        "subprocess.run(sys.argv[1:], check=True, capture_output=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, *command], check=True, capture_output=True, text=True
    )
    return int(done.stdout.strip()) / 1024


def reference_answers(scenario: str = "mexico-2011") -> Path:
    return ROOT / "case_studies" / "pegasus" / "reference" / f"{scenario}.yaml"


def bench_help(bench: Bench) -> Row:
    helped = timed([DILIGENCE, "--help"], bench.runs)
    imported = timed([sys.executable, "-c", "import diligence"], bench.runs)
    probe = (
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from diligence.cli import main; main(['--help']); "
                "print('weasyprint' in sys.modules)",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    ok = probe == "False" and helped < 0.25
    return Row(
        "`diligence --help`",
        "`python -c 'import diligence'`",
        "WeasyPrint not imported; median < 0.25 s",
        f"{helped:.3f} s vs {imported:.3f} s ({helped / imported:.2f}x); "
        f"WeasyPrint imported: {probe}",
        ok,
    )


def bench_report_vs_weasyprint(bench: Bench) -> Row:
    answers = reference_answers()
    html = bench.work / "report.html"
    pdf = bench.work / "report.pdf"
    subprocess.run(
        [DILIGENCE, "report", str(answers), "-o", str(html)], check=True, capture_output=True
    )
    ours = timed([DILIGENCE, "report", str(answers), "-o", str(pdf)], bench.runs)
    bare = timed(
        [str(BIN / "weasyprint"), *weasyprint_options(), str(html), str(bench.work / "bare.pdf")],
        bench.runs,
    )
    ratio = ours / bare
    return Row(
        "`diligence report` (mexico-2011 reference)",
        "bare `weasyprint` on the same HTML",
        "at most 1.15x",
        f"{ours:.2f} s vs {bare:.2f} s = {ratio:.2f}x",
        ratio <= 1.15,
    )


def weasyprint_options() -> list[str]:
    """The PDF options the report renderer uses, as weasyprint command-line flags; and the
    same fonts: fontconfig limited to ours, inherited by every command timed from here on."""
    from diligence.report.fonts import use_report_fonts
    from diligence.report.pdf import WEASYPRINT_CLI_OPTIONS

    use_report_fonts()

    return list(WEASYPRINT_CLI_OPTIONS)


def bench_synthetic(bench: Bench) -> Row:
    small, large = bench.work / "syn250", bench.work / "syn1000"
    small_answers = write_content(small, 250)
    large_answers = write_content(large, 1000)

    def pipeline(folder: Path, answers: Path) -> list[str]:
        script = (
            f"{DILIGENCE} --content {folder} validate {folder} && "
            f"{DILIGENCE} --content {folder} score {answers} >/dev/null && "
            f"{DILIGENCE} --content {folder} report {answers} -o {folder / 'r.pdf'}"
        )
        return ["bash", "-c", script]

    t_small = timed(pipeline(small, small_answers), max(3, bench.runs // 2))
    t_large = timed(pipeline(large, large_answers), max(3, bench.runs // 2))
    ratio = t_large / t_small
    return Row(
        "validate + score + report, 1,000-question synthetic checklist",
        "the same at 250 questions",
        "linear growth, no worse (at most 4x)",
        f"{t_large:.2f} s vs {t_small:.2f} s = {ratio:.2f}x",
        ratio <= 4.0,
    )


def bench_memory(bench: Bench) -> Row:
    peak = peak_rss_mb(
        [DILIGENCE, "report", str(reference_answers()), "-o", str(bench.work / "mem.pdf")]
    )
    return Row(
        "peak memory (RSS) of the reference report",
        "-",
        "at most 250 MB",
        f"{peak:.0f} MB",
        peak <= 250,
    )


def bench_class_jobs(bench: Bench) -> Row:
    students = make_students(bench.work / "class40", 40)

    def command(jobs: int) -> list[str]:
        out = bench.work / f"each{jobs}"
        return [
            DILIGENCE,
            "class",
            str(students),
            "-o",
            str(bench.work / f"class{jobs}.pdf"),
            "--render-each",
            str(out),
            "--jobs",
            str(jobs),
        ]

    return jobs_row(bench, command, "`diligence class --render-each` of 40 files", 1.8)


def jobs_row(bench: Bench, command: Callable[[int], list[str]], what: str, goal: float) -> Row:
    """A command with `--jobs 2` against the same with `--jobs 1`, in one run."""
    one = timed(command(1), max(1, bench.runs // 5))
    two = timed(command(2), max(1, bench.runs // 5))
    speedup = one / two
    return Row(
        f"{what}, `--jobs 2`",
        "the same with `--jobs 1`",
        f"at least {goal}x faster",
        f"{two:.1f} s vs {one:.1f} s = {speedup:.2f}x faster",
        speedup >= goal,
    )


def bench_class_summary(bench: Bench) -> Row:
    students = make_students(bench.work / "class500", 500)
    summary = timed(
        [DILIGENCE, "class", str(students), "-o", str(bench.work / "c500.pdf")],
        max(3, bench.runs // 2),
    )
    single = timed(
        [DILIGENCE, "report", str(reference_answers()), "-o", str(bench.work / "single.pdf")],
        max(3, bench.runs // 2),
    )
    ratio = summary / single
    return Row(
        "class summary of 500 answer files, no per-student PDFs",
        "one single report",
        "at most 2x",
        f"{summary:.2f} s vs {single:.2f} s = {ratio:.2f}x",
        ratio <= 2.0,
    )


def bench_demo_jobs(bench: Bench) -> Row:
    """All seven reference reports: two processes against one."""

    def command(jobs: int) -> list[str]:
        return [DILIGENCE, "demo", "-o", str(bench.work / f"demo{jobs}"), "--jobs", str(jobs)]

    return jobs_row(bench, command, "`diligence demo` of all 7 scenarios", 1.7)


def make_students(folder: Path, count: int) -> Path:
    """Write `count` varied copies of the mexico-2011 reference answers."""
    sys.path.insert(0, str(ROOT / "tests"))
    from classgen import write_class

    folder.mkdir(parents=True, exist_ok=True)
    write_class(reference_answers(), folder, count, broken=0)
    return folder


def _hardening() -> dict[str, Callable[[Bench], Row]]:
    from hardening import bench_class_2000, bench_verify

    return {"verify": bench_verify, "class-2000": bench_class_2000}


BENCHES: dict[str, Callable[[Bench], Row]] = {
    "help": bench_help,
    "report": bench_report_vs_weasyprint,
    "class-jobs": bench_class_jobs,
    "class-summary": bench_class_summary,
    "demo-jobs": bench_demo_jobs,
    "synthetic": bench_synthetic,
    "memory": bench_memory,
    **_hardening(),
}


def render(rows: list[Row], runs: int) -> str:
    machine = (
        f"{platform.node()}: {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.platform()}"
    )
    lines = [
        "# Benchmark results",
        "",
        f"Measured {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')} on {machine}.",
        f"Whole processes, median of {runs} runs after a warm-up, both sides of each row in "
        "the same run (`make bench`).",
        "",
        "| what is measured | against | goal | measured | met |",
        "| --- | --- | --- | --- | --- |",
    ]
    lines += [
        f"| {r.what} | {r.against} | {r.goal} | {r.measured} | {'yes' if r.met else 'NO'} |"
        for r in rows
    ]
    return "\n".join(lines) + "\n"


def _cells(r: Row) -> str:
    return f"| {r.what} | {r.against} | {r.goal} | {r.measured} | {'yes' if r.met else 'NO'} |"


def merge_rows(previous: str, rows: list[Row]) -> str:
    """Replace the re-measured rows of an earlier RESULTS.md and say when they were taken."""
    fresh = {r.what: r for r in rows}
    lines = []
    for line in previous.rstrip("\n").split("\n"):
        what = line.split(" | ")[0].removeprefix("| ").strip() if line.startswith("| ") else ""
        if what in fresh:
            r = fresh.pop(what)
            line = _cells(r)
        lines.append(line)
    if fresh:  # rows the earlier file did not have go at the end of its table
        last = max(i for i, line in enumerate(lines) if line.startswith("| "))
        lines[last + 1 : last + 1] = [_cells(r) for r in fresh.values()]
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    names = ", ".join(r.what for r in rows)
    lines += ["", f"Re-measured {stamp} with `bench/run.py --only`: {names}."]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command (min 5)")
    parser.add_argument("--only", nargs="*", choices=sorted(BENCHES), help="run only these rows")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args()
    runs = max(5, args.runs)
    rows = []
    with tempfile.TemporaryDirectory(prefix="diligence-bench-") as tmp:
        for name in args.only or BENCHES:
            work = Path(tmp) / name
            work.mkdir()
            print(f"measuring {name} ...", file=sys.stderr, flush=True)
            row = BENCHES[name](Bench(runs, work))
            rows.append(row)
            print(f"  {row.measured}  goal: {row.goal}  met: {row.met}", file=sys.stderr)
    text = render(rows, runs)
    print(text)
    if args.only and args.output.exists():
        text = merge_rows(args.output.read_text(), rows)
    args.output.write_text(text)
    print(f"wrote {args.output.relative_to(ROOT)}", file=sys.stderr)
    shutil.rmtree(ROOT / "bench" / "out", ignore_errors=True)
    return 0 if all(r.met for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
