"""Generate synthetic content of any size, for benchmarks: a case, a checklist, answers.

`python bench/synthetic.py DIR --questions 1000` writes a content folder (usable with
`--content DIR`) and `DIR/answers.yaml`, a complete answers file for it.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from diligence.content.yamlio import dump_yaml

SECTIONS = 10
RISKS = ["none", "low", "medium", "high", "critical"]


def write_content(folder: Path, questions: int, seed: int = 1) -> Path:
    """Write a synthetic checklist with `questions` questions; return the answers file path."""
    rng = random.Random(seed)
    case_dir = folder / "case_studies" / "synthetic"
    (case_dir / "reference").mkdir(parents=True, exist_ok=True)
    (folder / "checklists").mkdir(parents=True, exist_ok=True)
    passages = [
        {
            "id": f"p{i}",
            "title": f"Passage {i}",
            "summary": "A synthetic passage summarised in a few words for the benchmark. " * 2,
        }
        for i in range(max(10, questions // 10))
    ]
    case = {
        "id": "synthetic",
        "title": "Synthetic case",
        "summary": "Generated for benchmarks.",
        "bibliography": [
            {"id": "synthetic-source", "kind": "fictional", "citation": "Synthetic source"}
        ],
        "chapters": [
            {"id": "all", "title": "All", "source": "synthetic-source", "passages": passages}
        ],
        "scenarios": [
            {
                "id": "bench",
                "title": "Benchmark",
                "checklist": "synthetic",
                "as_of": "2020",
                "decision": "Whether to proceed.",
                "briefing": "A synthetic briefing.",
                "passages": [p["id"] for p in passages],
            }
        ],
    }
    (case_dir / "case.yaml").write_text(dump_yaml(case))
    frameworks = {
        "frameworks": [
            {
                "id": "synthetic-framework",
                "cite_as": "SYN",
                "title": "Synthetic framework",
                "citation": "Synthetic framework",
                "provisions": [{"id": "1", "title": "One"}],
            }
        ]
    }
    (folder / "checklists" / "synthetic-frameworks.yaml").write_text(dump_yaml(frameworks))
    per_section = max(1, questions // SECTIONS)
    sections = []
    answers = {}
    number = 0
    for s in range(SECTIONS):
        section_questions = []
        count = per_section if s < SECTIONS - 1 else questions - per_section * (SECTIONS - 1)
        for _ in range(count):
            number += 1
            qid = f"Q{number}"
            risk = {v: rng.choice(RISKS) for v in ("yes", "no", "partial")}
            section_questions.append(
                {
                    "id": qid,
                    "text": f"Synthetic question {number}: is the safeguard in place?",
                    "type": "yesno",
                    "help": "Synthetic help text for a synthetic question.",
                    "risk": risk,
                    "mitigation": {"no": f"Put safeguard {number} in place."},
                    "frameworks": ["SYN 1"],
                    "cites": [passages[number % len(passages)]["id"]],
                    "teaching_note": "Synthetic teaching note.",
                }
            )
            answers[qid] = {
                "value": rng.choice(["yes", "no", "partial", "unknown"]),
                "note": "A short synthetic rationale.",
                "cites": [passages[number % len(passages)]["id"]],
            }
        sections.append({"id": f"s{s}", "title": f"Section {s}", "questions": section_questions})
    checklist = {
        "id": "synthetic",
        "version": "1.0",
        "title": f"Synthetic checklist ({questions} questions)",
        "description": "Generated for benchmarks.",
        "case": "synthetic",
        "sections": sections,
        "red_flags": [
            {
                "id": "RF1",
                "title": "Many unknowns",
                "severity": "high",
                "when": {"unknowns_at_least": max(1, questions // 4)},
                "message": "A quarter of the questions are unknown.",
                "frameworks": ["SYN 1"],
            }
        ],
    }
    (folder / "checklists" / "synthetic.yaml").write_text(dump_yaml(checklist))
    answers_file = folder / "answers.yaml"
    answers_file.write_text(
        dump_yaml(
            {
                "format": 1,
                "checklist": {"id": "synthetic", "version": "1.0"},
                "case": "synthetic",
                "scenario": "bench",
                "assessor": "Benchmark",
                "created": "2026-01-01T00:00:00Z",
                "updated": "2026-01-01T00:00:00Z",
                "status": "complete",
                "answers": answers,
            }
        )
    )
    return answers_file


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--questions", type=int, default=250)
    args = parser.parse_args()
    print(write_content(args.folder, args.questions))


if __name__ == "__main__":
    main()
