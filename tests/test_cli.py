"""The CLI's listing, schema, version and fast --help."""

from __future__ import annotations

import json
import subprocess
import sys

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
        "scenarios": ["early"],
    }


def test_content_env_variable_adds_a_folder(monkeypatch) -> None:  # type: ignore[no-untyped-def]
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
