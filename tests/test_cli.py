"""The CLI's listing, schema, version and fast --help."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from diligence import __version__

from conftest import SAMPLE, run_cli


def test_version() -> None:
    result = run_cli("--version")
    assert result.code == 0
    assert result.out.strip() == f"diligence {__version__}"


def test_list_json_has_the_documented_shape() -> None:
    result = run_cli("list", "--json", "--content", SAMPLE)
    assert result.code == 0, result.err
    data = json.loads(result.out)
    sample = next(c for c in data["checklists"] if c["id"] == "sample-vetting")
    assert sample == {
        "id": "sample-vetting",
        "version": "1.0",
        "title": "Sample vetting",
        "sections": 2,
        "questions": 5,
    }
    case = next(c for c in data["case_studies"] if c["id"] == "sample")
    assert case == {
        "id": "sample",
        "title": "A sample case",
        "passages": 3,
        "timeline": 2,
        "scenarios": [
            {
                "id": "early",
                "title": "An early decision",
                "as_of": "2011",
                "checklist": "sample-vetting",
            }
        ],
    }


def test_content_env_variable_adds_a_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DILIGENCE_CONTENT", str(SAMPLE))
    data = json.loads(run_cli("list", "--json").out)
    assert "sample-vetting" in [c["id"] for c in data["checklists"]]


def test_schema_lists_condition_keys() -> None:
    result = run_cli("schema", "checklist")
    assert result.code == 0
    schema = json.loads(result.out)
    condition = schema["$defs"]["Condition"]["properties"]
    assert {"question", "is", "in", "not_in", "all", "any", "not", "flag"} <= set(condition)
    assert schema["$defs"]["Question"]["additionalProperties"] is False


def test_unknown_command_is_a_one_line_usage_error() -> None:
    result = run_cli("frobnicate")
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert "invalid choice" in result.err


def test_help_does_not_import_weasyprint() -> None:
    code = (
        "import sys; from diligence.cli import main; "
        "rc = main(['--help']); "
        "heavy = [m for m in ('weasyprint', 'questionary', 'rich', 'pydantic') "
        "if m in sys.modules]; "
        "print('HEAVY=' + ','.join(heavy))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "usage: diligence" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "HEAVY="


def test_python_dash_m_runs() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "diligence", "--version"], capture_output=True, text=True
    )
    assert done.returncode == 0
    assert done.stdout.strip() == f"diligence {__version__}"


def test_output_folder_by_trailing_slash_and_format_mismatch(tmp_path: Path) -> None:
    from conftest import ROOT

    answers = ROOT / "case_studies" / "pegasus" / "reference" / "mexico-2011.yaml"
    folder = tmp_path / "new-folder"
    result = run_cli("report", answers, "-o", f"{folder}/", "--format", "md")
    assert result.code == 0, result.err
    assert (folder / "mexico-2011.md").is_file()
    clash = run_cli("report", answers, "-o", tmp_path / "memo.pdf", "--format", "md")
    assert clash.code == 2
    assert "'memo.pdf' is named like pdf but --format is md" in clash.err
    assert not (tmp_path / "memo.pdf").exists()


def test_class_format_sets_the_default_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conftest import ROOT

    monkeypatch.chdir(tmp_path)
    answers = ROOT / "case_studies" / "pegasus" / "reference" / "mexico-2011.yaml"
    result = run_cli("class", answers, "--format", "json")
    assert result.code == 0, result.err
    assert json.loads((tmp_path / "reports" / "class.json").read_text())["submissions"] == 1
    assert not (tmp_path / "reports" / "class.pdf").exists()


def test_content_folder_must_hold_content(tmp_path: Path) -> None:
    (tmp_path / "loose.yaml").write_text("id: x\n")
    result = run_cli("--content", tmp_path, "validate")
    assert result.code == 2
    assert "has no checklists/ or case_studies/ inside" in result.err


def test_a_pdf_where_yaml_belongs_says_so(tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    result = run_cli("score", pdf)
    assert result.code == 2
    assert result.err.strip() == (
        f"{pdf}:1: is a PDF, not a YAML file (to check a report, use 'diligence verify')"
    )
