"""The Debian packages diligence needs, checked (and installed, as root) before anything runs.

This table is the one list of system packages: `make demo` and `make test` run this file
with the system Python before they build `.venv` (so it imports nothing but the standard
library), and the report renderer reads the font files it names from here.

    python3 src/diligence/syscheck.py demo|test [--install]

Each package is probed by what it provides (a shared library, a command or a file), so the
check also passes on a machine that provides the same things another way. A *required*
package that is missing stops the command with the exact `sudo apt-get install` line (exit
2); a *recommended* one only earns a note. With `--install`, run as root where `apt-get`
exists, the missing packages of both kinds are installed first.
"""

from __future__ import annotations

import ctypes.util
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Package:
    """A Debian package, what diligence uses it for, and how to tell it is there."""

    name: str
    why: str
    required_for: tuple[str, ...] = ()
    """The profiles (`demo`, `test`) that cannot run without it; recommended elsewhere."""
    library: str | None = None
    command: str | None = None
    files: tuple[str, ...] = ()

    def present(self) -> bool:
        if self.library and ctypes.util.find_library(self.library) is None:
            return False
        if self.command and shutil.which(self.command) is None:
            return False
        return all(Path(f).is_file() for f in self.files)


CJK_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
)

PACKAGES = (
    Package(
        "libpango-1.0-0",
        "WeasyPrint lays out the PDF reports with Pango",
        required_for=("demo", "test"),
        library="pango-1.0",
    ),
    Package(
        "libpangoft2-1.0-0",
        "WeasyPrint loads the report fonts through Pango's FreeType backend",
        required_for=("demo", "test"),
        library="pangoft2-1.0",
    ),
    Package(
        "libharfbuzz-subset0",
        "subsets the PDF fonts faster (without it fontTools does the same, more slowly)",
        library="harfbuzz-subset",
    ),
    Package(
        "fonts-noto-cjk",
        "prints Chinese, Japanese and Korean names and text in PDF reports",
        required_for=("test",),
        files=CJK_FONTS,
    ),
    Package(
        "chromium",
        "runs the browser tests of `diligence serve` (Playwright drives it; no browser download)",
        required_for=("test",),
        command="chromium",
    ),
)
PROFILES = ("demo", "test")


def missing(profile: str) -> tuple[list[Package], list[Package]]:
    """The required and the recommended packages of a profile that are not there."""
    absent = [p for p in PACKAGES if not p.present()]
    required = [p for p in absent if profile in p.required_for]
    return required, [p for p in absent if p not in required]


def can_install() -> bool:
    return os.geteuid() == 0 and shutil.which("apt-get") is not None


def install(packages: list[Package]) -> bool:
    """Install packages with apt-get, quietly; True when it worked."""
    say(f"installing Debian packages: {' '.join(p.name for p in packages)}")
    update = _apt("update", "-qq")
    done = _apt("install", "-y", "-qq", "--no-install-recommends", *(p.name for p in packages))
    if done.returncode != 0:
        reason = (done.stderr or update.stderr).strip().splitlines()
        say(f"apt-get could not install them: {reason[-1] if reason else 'unknown error'}")
        return False
    return True


def _apt(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    return subprocess.run(
        ["apt-get", *args],
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )


def sudo_line(packages: list[Package]) -> str:
    return f"sudo apt-get install -y {' '.join(p.name for p in packages)}"


def say(text: str) -> None:
    print(f"diligence: {text}", file=sys.stderr)


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    if len(args) != 1 or args[0] not in PROFILES:
        say(f"usage: syscheck.py {{{','.join(PROFILES)}}} [--install]")
        return 2
    profile = args[0]
    required, recommended = missing(profile)
    if (required or recommended) and "--install" in argv and can_install():
        install(required + recommended)
        required, recommended = missing(profile)
    if required:
        needs = "; ".join(f"{p.name} ({p.why})" for p in required)
        say(f"missing Debian packages: {needs}. Install them with: {sudo_line(required)}")
        return 2
    if recommended:
        wants = "; ".join(f"{p.name} {p.why}" for p in recommended)
        say(f"note: recommended: {wants}. Install with: {sudo_line(recommended)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
