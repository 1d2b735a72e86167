"""How much `diligence report` costs over the bare `weasyprint` command on the same HTML.

Goal (issue 6): at most 1.15x. Both sides are whole processes timed in the same run,
alternating, after a warm-up of each, and compared by their medians:

- ours: `diligence report FILE -o ours.pdf` (load content, check and score the answers,
  build the model, render HTML, lay it out and write the PDF);
- bare: `weasyprint` with the same PDF options (PDF/UA-1, the bundled fonts' stylesheet, the
  same two attachments) on the HTML that `diligence report FILE --format html` wrote.

    .venv/bin/python bench/report_vs_weasyprint.py [--answers FILE] [--content DIR] [--runs N]

Without --answers it uses the Pegasus mexico-2011 reference answers, or the test fixture's
when the Pegasus content is not there. Exit 1 when the ratio is above the goal.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

from diligence.report.fonts import use_report_fonts
from diligence.report.pdf import WEASYPRINT_CLI_OPTIONS

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PEGASUS = ROOT / "case_studies" / "pegasus" / "reference" / "mexico-2011.yaml"
SAMPLE = ROOT / "tests" / "fixtures" / "sample"
SAMPLE_ANSWERS = SAMPLE / "case_studies" / "sample" / "reference" / "early.yaml"
GOAL = 1.15


def run(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=Path, help="the answers file to render")
    parser.add_argument("--content", type=Path, action="append", default=[], metavar="DIR")
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each (at least 5)")
    args = parser.parse_args()
    runs = max(5, args.runs)
    answers, content = args.answers, list(args.content)
    if answers is None:
        answers = PEGASUS if PEGASUS.is_file() else SAMPLE_ANSWERS
        if answers == SAMPLE_ANSWERS:
            content.append(SAMPLE)
    content_args = [a for c in content for a in ("--content", str(c))]
    diligence = str(BIN / "diligence")
    weasyprint = str(BIN / "weasyprint")
    use_report_fonts()  # the bare run sees the same fonts as ours (FONTCONFIG_FILE)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767312000"}

    with tempfile.TemporaryDirectory(prefix="diligence-bench-") as tmp:
        work = Path(tmp)
        html, ours_pdf, bare_pdf = work / "report.html", work / "ours.pdf", work / "bare.pdf"
        subprocess.run(
            [diligence, *content_args, "report", str(answers), "--format", "html", "-o", str(html)],
            check=True,
            capture_output=True,
            env=env,
        )
        ours = [diligence, *content_args, "report", str(answers), "-o", str(ours_pdf)]
        run(ours, env)  # warm-up, and the attachments the bare side embeds too
        attached = []
        for name, files in PdfReader(ours_pdf).attachments.items():
            (work / name).write_bytes(files[0])
            attached += ["--attachment", str(work / name)]
        bare = [weasyprint, *WEASYPRINT_CLI_OPTIONS, *attached, str(html), str(bare_pdf)]
        run(bare, env)  # warm-up
        ours_times, bare_times = [], []
        for _ in range(runs):  # alternate, so drift on a noisy machine hits both sides
            ours_times.append(run(ours, env))
            bare_times.append(run(bare, env))
        pages = (len(PdfReader(ours_pdf).pages), len(PdfReader(bare_pdf).pages))

    ours_median, bare_median = statistics.median(ours_times), statistics.median(bare_times)
    ratio = ours_median / bare_median
    shown = answers.relative_to(ROOT) if answers.is_relative_to(ROOT) else answers
    print(f"answers      {shown} ({pages[0]} pages; bare weasyprint: {pages[1]})")
    print(f"diligence    median {ours_median:.2f} s  ({', '.join(f'{t:.2f}' for t in ours_times)})")
    print(f"weasyprint   median {bare_median:.2f} s  ({', '.join(f'{t:.2f}' for t in bare_times)})")
    print(
        f"ratio        {ratio:.3f}x (goal: at most {GOAL}x) {'ok' if ratio <= GOAL else 'TOO SLOW'}"
    )
    return 0 if ratio <= GOAL else 1


if __name__ == "__main__":
    raise SystemExit(main())
