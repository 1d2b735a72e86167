"""Generate a class of student answer files varied from a reference answers file.

Shared by the class-comparison tests and `make bench`. Deterministic for a given seed.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from diligence.content.library import load_library
from diligence.content.models import UNKNOWN
from diligence.content.yamlio import dump_yaml, load_yaml

BROKEN = [
    ("broken-syntax.yaml", 'format: 1\nanswers: {ID1: "unterminated\n'),
    ("broken-empty.yaml", ""),
    ("broken-question.yaml", None),  # filled in from the reference with a bad question id
]


def write_class(
    reference: Path,
    folder: Path,
    count: int,
    *,
    broken: int = 2,
    keep: float = 0.7,
    seed: int = 2026,
    content: list[Path] | None = None,
) -> list[dict[str, Any]]:
    """Write `count` students (and `broken` broken files); return each student's answers."""
    rng = random.Random(seed)
    library = load_library(content or [])
    base = load_yaml(reference).data
    checklist = library.checklist(base["checklist"]["id"])
    folder.mkdir(parents=True, exist_ok=True)
    students = []
    for number in range(1, count + 1):
        answers: dict[str, Any] = {}
        for _, question in checklist.questions():
            ref = base["answers"].get(question.id)
            if question.type == "text":
                if ref:
                    answers[question.id] = {"value": f"Student {number}'s own words."}
                continue
            options = [o.value for o in question.choice_list] + [UNKNOWN]
            if ref and rng.random() < keep:
                value = ref["value"]
            elif question.type == "multi":
                picked = rng.sample(options[:-1], k=rng.randint(1, max(1, len(options) - 1)))
                alone = [o.value for o in question.choice_list if o.exclusive]
                if len(picked) > 1:  # an exclusive choice ("None documented") goes alone
                    picked = [v for v in picked if v not in alone]
                value = picked if rng.random() > 0.1 else UNKNOWN
            else:
                value = rng.choice(options)
            answers[question.id] = {"value": value, "note": f"Rationale {number}/{question.id}."}
        data = {**base, "assessor": f"Student Name {number:02d}", "answers": answers}
        (folder / f"student-{number:02d}.yaml").write_text(dump_yaml(data))
        students.append(answers)
    for name, text in BROKEN[:broken]:
        if text is None:
            bad = {**base, "answers": {**base["answers"], "NOPE9": {"value": "yes"}}}
            text = dump_yaml(bad)
        (folder / name).write_text(text)
    return students
