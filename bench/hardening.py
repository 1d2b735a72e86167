"""Benchmarks of issue 14's hardening: `verify` (which now renders the report again) against
rendering it, and `class` over 2,000 JSON answers files against main before the hardening.

Both sides of each row run in the same `make bench` run (see run.py): ratios, not seconds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from run import Bench, Row

BASELINE = os.environ.get("DILIGENCE_BENCH_BASELINE", "e47e98b")
"""The commit `class` is compared with: main before issue 14 (override to re-measure)."""


def bench_verify(bench: Bench) -> Row:
    from run import DILIGENCE, Row, reference_answers, timed

    pdf = bench.work / "reference.pdf"
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767312000"}
    report = [DILIGENCE, "report", str(reference_answers()), "-o", str(pdf), "--force"]
    rendered = timed(report, bench.runs, env)
    verified = timed([DILIGENCE, "verify", str(pdf)], bench.runs, env)
    ratio = verified / rendered
    return Row(
        "`diligence verify` of the mexico-2011 reference PDF (renders it again, compares pages)",
        "rendering that report",
        "at most 1.5x",
        f"{verified:.2f} s vs {rendered:.2f} s = {ratio:.2f}x",
        ratio <= 1.5,
    )


def bench_class_2000(bench: Bench) -> Row:
    from run import DILIGENCE, Row, peak_rss_mb, timed

    students = json_students(bench.work / "class2000", 2000)
    baseline = baseline_tree(bench.work / "baseline")
    runs = max(1, bench.runs // 2)
    now = [DILIGENCE, "class", str(students), "-o", str(bench.work / "now.json"), "--force"]
    before = [
        *baseline_command(baseline),
        "class",
        str(students),
        "-o",
        str(bench.work / "before.json"),
    ]
    env = {**os.environ, "PYTHONPATH": str(baseline / "src")}
    new_time = timed(now, runs)
    old_time = timed(before, runs, env)
    peak = peak_rss_mb(now)
    ratio = new_time / old_time
    return Row(
        "`diligence class` of 2,000 JSON answers files (set aside copies, checks content)",
        f"the same at {BASELINE} (main before issue 14)",
        "under 2x, and under 400 MB peak",
        f"{new_time:.2f} s vs {old_time:.2f} s = {ratio:.2f}x; peak {peak:.0f} MB",
        ratio < 2 and peak < 400,
    )


def json_students(folder: Path, count: int) -> Path:
    """`count` varied answers files, written as JSON (the brief's class of 2,000)."""
    from run import make_students

    from diligence.content.yamlio import load_yaml

    made = make_students(folder.with_name(folder.name + "-yaml"), count)
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted(made.glob("*.yaml")):
        data = load_yaml(path).data
        (folder / f"{path.stem}.json").write_text(json.dumps(data, default=str))
    return folder


def baseline_tree(target: Path) -> Path:
    """The source and content of the baseline commit, unpacked (never committed)."""
    from run import ROOT

    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", BASELINE, "src", "checklists", "case_studies"],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target


def baseline_command(tree: Path) -> list[str]:
    return [sys.executable, "-m", "diligence", "--content", str(tree)]
