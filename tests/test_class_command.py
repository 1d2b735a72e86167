"""`diligence class` on generated classes of the real scenarios: the numbers, the debrief,
anonymity that holds, the gradebook and each student's PDF."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfReader

from diligence.assessment.load import load_assessment
from diligence.content.library import load_library
from diligence.content.models import UNKNOWN
from diligence.content.yamlio import dump_yaml, load_yaml
from diligence.scoring import score
from diligence.trainer.gradebook import COLUMNS, KEY_COLUMNS
from diligence.trainer.render_each import pdf_targets

from classgen import NAMES, write_class
from conftest import ROOT, run_cli

REFERENCE = ROOT / "case_studies" / "pegasus" / "reference" / "mexico-2011.yaml"
REFERENCE_2017 = ROOT / "case_studies" / "pegasus" / "reference" / "mexico-2017.yaml"


@pytest.fixture(scope="module")
def klass(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("class")
    write_class(REFERENCE, folder, 30, broken=3)
    return folder


@pytest.fixture(scope="module")
def named_class(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The issue's class: 30 students named in their file names, 2 incomplete, 2 broken."""
    folder = tmp_path_factory.mktemp("named")
    write_class(REFERENCE_2017, folder, 30, broken=2, incomplete=2, names=True)
    return folder


def identifying(folder: Path) -> list[str]:
    """Everything that could tell who a student is: file names and stems, names, and each
    word of a name that the case itself does not use (the case names an "Omar")."""
    case_words = set(re.findall(r"\w+", (ROOT / "case_studies" / "pegasus").joinpath(
        "case.yaml").read_text().lower()))  # fmt: skip
    found = []
    for path in folder.iterdir():
        found += [path.name, path.stem]
    for name in NAMES[:30]:
        found.append(name)
        found += [w for w in name.split() if w.lower() not in case_words]
    return found


def leaks(text: str, folder: Path) -> list[str]:
    flat = " ".join(text.split()).lower()
    return [
        word
        for word in identifying(folder)
        if re.search(r"(?<!\w)" + re.escape(word.lower()) + r"(?!\w)", flat)
    ]


def _value(answer: dict[str, object] | None) -> object:
    value = answer.get("value") if answer else None
    return tuple(sorted(value)) if isinstance(value, list) else value


def test_json_numbers_match_an_independent_count(klass: Path, tmp_path: Path) -> None:
    folder = klass
    out = tmp_path / "class.json"
    result = run_cli("class", folder, "-o", out)
    assert result.code == 0, result.err
    data = json.loads(out.read_text())
    assert data["submissions"] == 30
    assert sorted(Path(r["file"]).name for r in data["rejected"]) == [
        "broken-empty.yaml",
        "broken-question.yaml",
        "broken-syntax.yaml",
    ]
    assert "broken-question.yaml:" in result.err and "NOPE9" in result.err
    assert f"set aside: {folder / 'broken-syntax.yaml'}:2: invalid YAML" in result.err
    # Recompute every student's verdict, and each question's distribution, independently.
    library = load_library()
    checklist = library.checklist("customer-vetting")
    reference = load_assessment(REFERENCE, library)
    ref_result = score(checklist, reference.answers)
    verdicts: Counter[str] = Counter()
    flags: Counter[str] = Counter()
    per_question: dict[str, Counter[object]] = {q.id: Counter() for _, q in checklist.questions()}
    for number in range(1, 31):
        assessment = load_assessment(folder / f"student-{number:02d}.yaml", library)
        result_n = score(checklist, assessment.answers)
        verdicts[result_n.verdict.value] += 1
        flags.update(f.id for f in result_n.red_flags)
        for q in result_n.questions:
            if q.relevant and q.answered:
                per_question[q.id][_value({"value": q.value})] += 1
    assert {k: v for k, v in data["verdicts"].items() if v} == dict(verdicts)
    assert data["reference_verdict"] == ref_result.verdict.value == "escalate"
    assert {f["id"]: f["raised"] for f in data["red_flags"] if f["raised"]} == dict(flags)
    assert [f["id"] for f in data["red_flags"] if f["reference"]] == [
        f.id for f in ref_result.red_flags
    ]
    for question in data["questions"]:
        expected = per_question[question["id"]]
        assert question["answered"] == sum(expected.values()), question["id"]
        ref = ref_result.question(question["id"])
        ref_value = _value({"value": ref.value}) if ref and ref.relevant else None
        if ref_value is not None and question["answered"]:
            share = expected.get(ref_value, 0) / question["answered"]
            assert question["agreement"] == pytest.approx(share, abs=1e-4), question["id"]
        if checklist.question(question["id"]).type != "multi":  # type: ignore[union-attr]
            assert question["answers"] == {
                ("+".join(k) if isinstance(k, tuple) else k): v for k, v in expected.items()
            }, question["id"]


def test_anonymised_html_and_json_name_no_student_and_no_file(
    named_class: Path, tmp_path: Path
) -> None:
    for suffix in ("html", "json"):
        out = tmp_path / f"class.{suffix}"
        result = run_cli("class", named_class, "-o", out, "--anonymize")
        assert result.code == 0, result.err
        text = out.read_text()
        assert leaks(text, named_class) == [], suffix
        assert "Student 1" in text or '"Student 1"' in text
        assert str(named_class) not in text
        # The console is the trainer's: it still says which file is which number.
        assert (
            "broken-syntax.yaml:2: invalid YAML" in result.err and "(shown as Student" in result.err
        )
    named = tmp_path / "named.html"
    assert run_cli("class", named_class, "-o", named).code == 0
    assert "Kwame Mensah" in named.read_text() and "broken-syntax.yaml" in named.read_text()
    assert len(leaks(named.read_text(), named_class)) > 30, "the check can see names"


def test_the_debrief_shows_flags_sections_and_rationales_with_hindsight_marked(
    named_class: Path, tmp_path: Path
) -> None:
    out = tmp_path / "class.html"
    assert run_cli("class", named_class, "-o", out, "--anonymize").code == 0
    html = out.read_text()
    for heading in (
        "Red flags: the class against the reference",
        "Most often missed",
        "Most often added",
        "Section risk across the class",
        "Where the class disagreed most",
        "Relied on by the reference, cited by no student",
    ):
        assert heading in html, heading
    assert html.count('class="excerpt"') >= 8, "students' rationales beside each answer"
    assert "The reference</div>" in html and "Cited most:" in html
    assert "+ 2 in incomplete files" in html
    # Mexico, June 2017: the October 2018 Abdulaziz passage is hindsight, and marked so
    # wherever it is quoted.
    blocks = re.findall(r'<div class="passage">.*?</div>', html, re.S)
    blocks += re.findall(r'<div class="cited">.*?</div>', html, re.S)
    quoted = [b for b in blocks if "record-2018-abdulaziz" in b]
    assert quoted, "the class cites it"
    assert all("after the decision" in b for b in quoted)
    early = [b for b in blocks if "record-2017-reckless-exploit" in b and "abdulaziz" not in b]
    assert early and not any("after the decision" in b for b in early)


@pytest.mark.pdf
def test_anonymised_pdf_names_no_student_and_shows_the_debrief(
    named_class: Path, tmp_path: Path
) -> None:
    out = tmp_path / "class.pdf"
    result = run_cli("class", named_class, "-o", out, "--anonymize")
    assert result.code == 0, result.err
    reader = PdfReader(out)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert leaks(text + str(reader.metadata), named_class) == []
    flat = " ".join(text.split())
    assert re.search(r"Set aside: Student \d+: line 2: invalid YAML", flat)
    assert re.search(r"Included, incomplete: Student \d+: incomplete", flat)
    assert "Red flags: the class against the reference" in flat
    assert "Section risk across the class" in flat and "ref 76" in flat
    assert "as settling it" in flat or "points this way" in flat, "rationale excerpts"
    assert "THE 3 MOST DISPUTED QUESTIONS" in flat.upper()
    first = reader.pages[0].extract_text()
    assert "30" in first and "28" in first and "Decline" in first, "headline figures on the cover"


def test_gradebook_csv_has_a_row_per_student(named_class: Path, tmp_path: Path) -> None:
    out = tmp_path / "grades.csv"
    result = run_cli("class", named_class, "-o", out)
    assert result.code == 0, result.err
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) == 30
    library = load_library()
    by_student = {r["student"]: r for r in rows}
    kwame = load_assessment(named_class / "mexico-2017-kwame-mensah.yaml", library)
    result_k = score(kwame.checklist, kwame.answers)
    row = by_student["Kwame Mensah"]
    assert row["file"].endswith("mexico-2017-kwame-mensah.yaml")
    assert row["verdict"] == result_k.verdict_label and row["complete"] == "yes"
    assert int(row["red_flags"]) == len(result_k.red_flags)
    assert row["red_flag_ids"].split() == [f.id for f in result_k.red_flags]
    choice = {q.id for _, q in kwame.checklist.questions() if q.is_choice}
    bare = sum(1 for q in result_k.questions if q.relevant and q.answered and not q.note)
    bare -= sum(1 for q in result_k.questions if q.relevant and q.answered and not q.note
                and q.id not in choice)  # fmt: skip
    assert int(row["without_rationale"]) == bare
    assert int(row["citations"]) == sum(len(q.cites) for q in result_k.questions if q.relevant)
    assert [r["complete"] for r in rows].count("no") == 2
    anonymous = tmp_path / "anonymous.csv"
    assert run_cli("class", named_class, "-o", anonymous, "--anonymize").code == 0
    assert leaks(anonymous.read_text(), named_class) == []


def test_gradebook_cells_never_become_formulas(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    monkeypatch.chdir(folder)
    for n, name in enumerate(['=HYPERLINK("http://x.example","y")', "+1", "-2", "@SUM(A1)"]):
        data = load_yaml(REFERENCE).data
        data["assessor"] = name
        (folder / f"s{n}.yaml").write_text(dump_yaml(data))
    (folder / "=cmd.yaml").write_text(dump_yaml(load_yaml(REFERENCE).data))
    out = tmp_path / "g.csv"
    assert run_cli("class", ".", "-o", out).code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert "'=cmd.yaml" in [r["file"] for r in rows]
    hyperlink = '\'=HYPERLINK("http://x.example","y")'
    reference = "Reference answers (diligence authors)"
    assert sorted(r["student"] for r in rows) == sorted(
        ["'+1", "'-2", hyperlink, "'@SUM(A1)", reference]
    )
    assert all(not r["file"].startswith(("=", "+", "-", "@")) for r in rows)
    assert all(r["agreement"].isdigit() for r in rows), "numbers stay numbers"


def test_pdf_names_never_collide() -> None:
    paths = [Path("x/a.yaml"), Path("y/a.yaml"), Path("a-2.yaml"), Path("z/A.yaml")]
    names = [t.name for _, t in pdf_targets(paths, Path("out"))]
    assert names == ["a.pdf", "a-3.pdf", "a-2.pdf", "A-4.pdf"]
    assert len({n.casefold() for n in names}) == 4
    stems = ["student-07", "student-12"]
    assert [t.name for _, t in pdf_targets(paths[:2], Path("o"), stems)] == [
        "student-07.pdf",
        "student-12.pdf",
    ]


@pytest.mark.pdf
@pytest.mark.timeout(300)
def test_render_each_keeps_going_past_a_broken_file(tmp_path: Path) -> None:
    folder = tmp_path / "small"
    write_class(REFERENCE, folder, 3, broken=1)
    each = tmp_path / "each"
    result = run_cli("class", folder, "-o", tmp_path / "c.html", "--render-each", each,
                     "--jobs", "2")  # fmt: skip
    assert result.code == 0, result.err
    assert sorted(p.name for p in each.iterdir()) == [
        "student-01.pdf",
        "student-02.pdf",
        "student-03.pdf",
    ]
    assert "set aside:" in result.err and "broken-syntax.yaml" in result.err
    assert f"{each}: 3 student reports" in result.out
    html = (tmp_path / "c.html").read_text()
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org", "")


@pytest.mark.pdf
@pytest.mark.timeout(300)
def test_render_each_anonymised_names_pdfs_by_number_and_writes_the_key(tmp_path: Path) -> None:
    folder = tmp_path / "named"
    write_class(REFERENCE_2017, folder, 3, broken=1, names=True)
    each = tmp_path / "each"
    result = run_cli("class", folder, "-o", tmp_path / "c.json", "--render-each", each,
                     "--jobs", "2", "--anonymize")  # fmt: skip
    assert result.code == 0, result.err
    key = list(csv.DictReader(io.StringIO((each / "key.csv").read_text())))
    assert tuple(key[0]) == KEY_COLUMNS
    assert sorted(int(r["number"]) for r in key) == [1, 2, 3, 4], "the broken file too"
    pdfs = sorted(p.name for p in each.iterdir() if p.suffix == ".pdf")
    assert pdfs == sorted(r["report"] for r in key if r["report"])
    assert all(re.fullmatch(r"student-0[1-4]\.pdf", p) for p in pdfs)
    ana = next(r for r in key if r["assessor"] == "Ana Díaz")
    assert ana["file"].endswith("mexico-2017-ana-diaz.yaml")
    assert ana["report"] == f"student-{int(ana['number']):02d}.pdf"
    assert ana["student"] == f"Student {ana['number']}"
    assert "key.csv" in result.out and "private" in result.out
    assert leaks((tmp_path / "c.json").read_text(), folder) == []


def test_no_valid_file_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("answers: [\n")
    result = run_cli("class", tmp_path, "-o", tmp_path / "c.json")
    assert result.code == 2
    assert "no valid answers files" in result.err


def test_unknown_counts_as_an_answer(tmp_path: Path) -> None:
    folder = tmp_path / "u"
    write_class(REFERENCE, folder, 2, broken=0, keep=0.0, seed=3)
    data = json.loads(
        run_cli("class", folder, "-o", tmp_path / "u.json").out
        and (tmp_path / "u.json").read_text()
    )
    assert any(UNKNOWN in q["answers"] for q in data["questions"])


def test_copies_and_hard_links_of_a_submission_count_once(tmp_path: Path) -> None:
    """Fault probe weak 8: a copy or a hard link of a file made one student count twice."""
    import os
    import shutil

    folder = tmp_path / "sub"
    write_class(REFERENCE, folder, 3, broken=0)
    first = sorted(folder.iterdir())[0]
    shutil.copy(first, folder / "zz-copy.yaml")
    os.link(first, folder / "zz-hard.yaml")
    out = tmp_path / "c.json"
    result = run_cli("class", folder, "-o", out)
    assert result.code == 0, result.err
    data = json.loads(out.read_text())
    assert data["submissions"] == 3
    assert sorted(r["file"].rsplit("/", 1)[-1] for r in data["rejected"]) == [
        "zz-copy.yaml",
        "zz-hard.yaml",
    ]
    assert "zz-copy.yaml: the same file as " in result.err


def test_anonymised_json_names_no_file(tmp_path: Path) -> None:
    """Fault probe weak 3: `--anonymize` still printed the default file names, which hold
    the students' names; a copy set aside must not name its twin either."""
    folder = tmp_path / "answers"
    folder.mkdir()
    text = REFERENCE.read_text()
    (folder / "mexico-2011-ana-garcia.yaml").write_text(text.replace("assessor: ", "assessor: A"))
    (folder / "mexico-2011-bo-li.yaml").write_text(text.replace("assessor: ", "assessor: B"))
    copy = folder / "mexico-2011-bo-li-copy.yaml"
    copy.write_bytes((folder / "mexico-2011-bo-li.yaml").read_bytes())
    (folder / "mexico-2011-cy-dee.yaml").write_text("format: [1\n")
    out = tmp_path / "class.json"
    result = run_cli("class", folder, "-o", out, "--anonymize")
    assert result.code == 0, result.err
    report = out.read_text()
    for name in ("ana-garcia", "bo-li", "cy-dee"):
        assert name not in report
    for name in ("bo-li", "cy-dee", "the same file as"):
        assert name in result.err  # the trainer's terminal still says which file
    assert "the same file as another file of the class (a copy?)" in report
    data = json.loads(report)
    assert len(data["students"]) == 2 and len(data["rejected"]) == 2
