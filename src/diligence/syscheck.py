"""Check the system libraries WeasyPrint needs, and name the Debian packages when missing.

Run by `make demo` and `make test` before anything renders, so a missing library reads as
an instruction instead of a traceback. Exit 2 when a required library is missing.
"""

from __future__ import annotations

import ctypes.util
import sys

REQUIRED = {
    "pango-1.0": "libpango-1.0-0",
    "pangoft2-1.0": "libpangoft2-1.0-0",
    "fontconfig": "libfontconfig1",
    "harfbuzz": "libharfbuzz0b",
}
RECOMMENDED = {"harfbuzz-subset": "libharfbuzz-subset0"}


def missing(libraries: dict[str, str]) -> list[str]:
    """The Debian packages of the libraries the dynamic loader cannot find."""
    return [package for lib, package in libraries.items() if ctypes.util.find_library(lib) is None]


def main() -> int:
    required = missing(REQUIRED)
    if required:
        print(
            "diligence: WeasyPrint needs system libraries that are missing; install them with:\n"
            f"  sudo apt-get install -y {' '.join(required)}",
            file=sys.stderr,
        )
        return 2
    recommended = missing(RECOMMENDED)
    if recommended:
        print(
            "diligence: note: for smaller PDFs install "
            f"'{' '.join(recommended)}' (sudo apt-get install -y {' '.join(recommended)})",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
