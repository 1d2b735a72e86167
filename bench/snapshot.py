"""Render every shipped output into a folder, to compare two versions byte for byte.

    python bench/snapshot.py OUT              # write the snapshot into OUT (must not exist)
    python bench/snapshot.py --compare A B    # list the files that differ between two

A refactoring must not change what users get. The snapshot holds, for each shipped
reference answers file: the report in every format, the trainer edition (PDF and HTML),
`score --json` and `score` as text; then a generated class in every class format, and the
terminal output (exit code, stdout, stderr) of every command run. Everything renders with
`SOURCE_DATE_EPOCH` fixed, in-process, from inside OUT so printed paths are relative.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCES = sorted((ROOT / "case_studies" / "pegasus" / "reference").glob("*.yaml"))
EPOCH = "1700000000"
sys.path.insert(0, str(ROOT / "tests"))


def snapshot(out: Path) -> None:
    from diligence.cli import main
    from diligence.environment import Environment

    from classgen import write_class

    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    os.environ.pop("DILIGENCE_CONTENT", None)
    out.mkdir(parents=True)
    os.chdir(out)
    log: list[str] = []

    def run(*argv: str | Path, keep: str | None = None) -> None:
        stdout, stderr = io.StringIO(), io.StringIO()
        env = Environment(stdout=stdout, stderr=stderr, stdin_isatty=False, stdout_isatty=False)
        code = main([str(a) for a in argv], env)
        shown = " ".join(str(a).replace(str(ROOT), "ROOT") for a in argv)
        log.append(f"$ diligence {shown}\n[exit {code}]\n{stdout.getvalue()}{stderr.getvalue()}")
        if keep:
            Path(keep).write_text(stdout.getvalue(), encoding="utf-8")

    for reference in REFERENCES:
        stem = reference.stem
        for fmt in ("pdf", "html", "md", "json"):
            run("report", reference, "-o", f"{stem}.{fmt}")
        for fmt in ("pdf", "html"):
            run("report", reference, "--trainer", "-o", f"{stem}.trainer.{fmt}")
        run("score", reference, "--json", keep=f"{stem}.score.json")
        run("score", reference, keep=f"{stem}.score.txt")
        run("verify", f"{stem}.pdf")
    write_class(REFERENCES[1], Path("class-input"), 12, broken=3)
    for fmt in ("pdf", "html", "json"):
        run("class", "class-input", "-o", f"class.{fmt}")
    run("list")
    run("list", "--json")
    run("validate")
    run("schema", "answers")
    Path("commands.txt").write_text("\n".join(log), encoding="utf-8")


def compare(a: Path, b: Path) -> int:
    """Print the files that differ or exist on one side only; exit 1 if any."""
    names = sorted(
        {p.relative_to(a) for p in a.rglob("*") if p.is_file()}
        | {p.relative_to(b) for p in b.rglob("*") if p.is_file()}
    )
    different = [
        str(name)
        for name in names
        if not ((a / name).is_file() and (b / name).is_file())
        or (a / name).read_bytes() != (b / name).read_bytes()
    ]
    for name in different:
        print(name)
    print(f"{len(names) - len(different)} of {len(names)} files identical")
    return 1 if different else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, nargs="?")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("A", "B"))
    args = parser.parse_args()
    if args.compare:
        return compare(*args.compare)
    if args.out is None:
        parser.error("give OUT, or --compare A B")
    snapshot(args.out.resolve())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
