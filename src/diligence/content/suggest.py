"""'Did you mean ...?': the closest known names to a mistyped one, for every message that
names something unknown (an id, a key, a choice)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

CUTOFF = 0.6
"""How alike (0-1, difflib's ratio) a known name must be to be suggested."""
MARGIN = 0.08
"""Only names nearly as alike as the best are suggested with it."""


def close_matches(name: str, known: Iterable[str], limit: int = 3) -> list[str]:
    """The known names closest to `name`, best first; case is ignored when comparing."""
    folded = name.casefold()
    scored: dict[str, float] = {}
    for candidate in known:
        matcher = difflib.SequenceMatcher(None, folded, candidate.casefold())
        if matcher.real_quick_ratio() >= CUTOFF and matcher.quick_ratio() >= CUTOFF:
            ratio = matcher.ratio()
            if ratio >= CUTOFF and candidate != name:
                scored[candidate] = max(ratio, scored.get(candidate, 0.0))
    if not scored:
        return []
    best = max(scored.values())
    ranked = sorted(scored, key=lambda c: (-scored[c], c))
    return [c for c in ranked if scored[c] >= best - MARGIN][:limit]


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """'; did you mean 'x'?' (or "'x' or 'y'"), or nothing when no name is close."""
    found = close_matches(name, known)
    if not found:
        return ""
    quoted = [f"'{f}'" for f in found]
    listed = quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"
    return f"; did you mean {listed}?"
