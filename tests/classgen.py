"""Generate a class of student answer files varied from a reference answers file.

Shared by the class-comparison tests and `make bench`. Deterministic for a given seed.
With `names`, files are named as `assess` names them (`<scenario>-<name>.yaml`) after
realistic, varied assessors, some of whom sign a note with their first name: the class an
anonymised report must not give away.
"""

from __future__ import annotations

import random
import unicodedata
from pathlib import Path
from typing import Any

from diligence.content.library import load_library
from diligence.content.models import UNKNOWN, Checklist, Question
from diligence.content.yamlio import dump_yaml, load_yaml

BROKEN = [
    ("broken-syntax.yaml", 'format: 1\nanswers: {ID1: "unterminated\n'),
    ("broken-empty.yaml", ""),
    ("broken-question.yaml", None),  # filled in from the reference with a bad question id
]

NAMES = [
    "Ana Díaz", "Kwame Mensah", "Sofia Rossi", "Ivan Petrov", "Wei Chen", "Fatima Zahra",
    "Yael Cohen", "Tomasz Nowak", "Amara Okafor", "Lucas Moreau", "Priya Raman",
    "Jonas Berg", "Mei Tanaka", "Omar Haddad", "Elena Popescu", "Diego Alvarez",
    "Aisha Bello", "Niamh Byrne", "Kenji Sato", "Leila Ahmadi", "Mateo Silva",
    "Zanele Dlamini", "Hugo Larsen", "Ines Ferreira", "Arjun Mehta", "Sara Lindqvist",
    "Tariq Aziz", "Camille Dubois", "Nikolai Volkov", "Grace Mwangi", "Rosa Jiménez",
    "Farid Karimi",
]  # fmt: skip

REASONS = [
    "The record shows it ({pid}: {title}), which is why I answered {label}.",
    "{label}: the briefing gives nothing better, and {pid} ({title}) points this way.",
    "I read {pid} ({title}) as settling it; the answer is {label}.",
    "Nothing on file rules this out. The closest evidence is {pid} ({title}), so {label}.",
    "{label}, because the case only offers {pid} ({title}), not enough to say more.",
]


def write_class(
    reference: Path,
    folder: Path,
    count: int,
    *,
    broken: int = 2,
    incomplete: int = 0,
    names: bool = False,
    keep: float = 0.7,
    seed: int = 2026,
    content: list[Path] | None = None,
) -> list[dict[str, Any]]:
    """Write `count` students (the last `incomplete` of them stopping halfway) and
    `broken` broken files; return each student's answers."""
    rng = random.Random(seed)
    library = load_library(content or [])
    base = load_yaml(reference).data
    checklist = library.checklist(base["checklist"]["id"])
    case = library.case(base["case"])
    scenario = case.scenario(base["scenario"]) if base.get("scenario") else None
    as_of = scenario.as_of if scenario else None
    titles = {  # what a student can cite: the passages known at the scenario's date
        pid: p.title for pid, (_, p) in case.passages().items() if not p.hindsight_for(as_of)
    }
    folder.mkdir(parents=True, exist_ok=True)
    students = []
    for number in range(1, count + 1):
        name = NAMES[(number - 1) % len(NAMES)] if names else f"Student Name {number:02d}"
        answers = _answers(checklist, base, (name, titles), rng, keep)
        data = {**base, "assessor": name, "answers": answers}
        if number > count - incomplete:
            data["answers"] = dict(list(answers.items())[: len(answers) // 2])
            data["status"] = "in_progress"
        stem = f"{base['scenario']}-{_slug(name)}" if names else f"student-{number:02d}"
        (folder / f"{stem}.yaml").write_text(dump_yaml(data))
        students.append(data["answers"])
    for file_name, text in BROKEN[:broken]:
        if text is None:
            bad = {**base, "answers": {**base["answers"], "NOPE9": {"value": "yes"}}}
            text = dump_yaml(bad)
        (folder / file_name).write_text(text)
    return students


def _answers(
    checklist: Checklist,
    base: dict[str, Any],
    who: tuple[str, dict[str, str]],
    rng: random.Random,
    keep: float,
) -> dict[str, Any]:
    """One student's answers: the reference's at rate `keep`, else random; most with a
    note, many with citations."""
    name, titles = who
    answers: dict[str, Any] = {}
    for _, question in checklist.questions():
        ref = base["answers"].get(question.id)
        if question.type == "text":
            if ref:
                answers[question.id] = {"value": f"{name.split()[-1]}'s own words."}
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
        answer: dict[str, Any] = {"value": value}
        cites = [c for c in _cites(question, ref, rng) if c in titles]
        if cites:
            answer["cites"] = cites
        if rng.random() < 0.85:
            answer["note"] = _note(question, value, cites, (name, titles), rng)
        answers[question.id] = answer
    return answers


def _cites(question: Question, ref: dict[str, Any] | None, rng: random.Random) -> list[str]:
    """Some students cite what the reference cites, some the question's own passages."""
    pool = list(dict.fromkeys([*(ref or {}).get("cites", []), *question.cites]))
    if not pool or rng.random() < 0.3:
        return []
    return rng.sample(pool, k=min(len(pool), rng.randint(1, 2)))


def _note(
    question: Question,
    value: Any,
    cites: list[str],
    who: tuple[str, dict[str, str]],
    rng: random.Random,
) -> str:
    name, titles = who
    label = "+".join(value) if isinstance(value, list) else str(value)
    pid = cites[0] if cites else (question.cites[0] if question.cites else "")
    title = titles.get(pid, "the briefing")
    text = rng.choice(REASONS).format(title=title, pid=pid, label=label)
    if rng.random() < 0.08:
        text += f" ({name.split()[0]})"
    return text


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "-".join(ascii_name.lower().split())
