"""Security, in one place: what users type is text, never markup; the renderer fetches
nothing but its own assets; YAML cannot construct objects; oversized input is refused.

Every field a user controls is attacked: the assessor's name, notes, free-text answers and
file names, in the PDF, HTML and Markdown reports and in the class report."""

from __future__ import annotations

import re
import socket
from pathlib import Path
from typing import Any

import pytest

from diligence.report import ASSETS
from diligence.report.fetcher import AssetFetcher, RefusedURL
from diligence.report.html import render_html
from diligence.report.markdown import render_markdown
from diligence.report.pdf import PdfFormat
from diligence.report.templates import environment

from conftest import SAMPLE, run_cli
from reporting import REFERENCE, flat, page_texts, reader, sample_report, write_answers

ATTACKS = [
    '<img src="file:///etc/passwd">',
    '<link rel="attachment" href="file:///etc/passwd">',
    "@import url(http://127.0.0.1:9/x.css)",
    "{{ 7*7 }}",
]
HOSTILE = " ".join(ATTACKS)


@pytest.fixture
def hostile_answers(tmp_path: Path) -> Path:
    return write_answers(
        tmp_path / "hostile.yaml",
        {
            "assessor": '<b>Mallory</b> <img src="file:///etc/passwd">',
            "answers.W1": {
                "value": "yes",
                "note": "Line one.\n" + "\n".join(ATTACKS) + "\n<style>body{display:none}</style>",
                "cites": ["p-one"],
            },
            "answers.W2": {"value": "broker", "note": HOSTILE},
            "answers.T2": {"value": "Free text: " + HOSTILE},
        },
    )


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Record (and refuse) every attempt to open a network connection."""
    attempts: list[object] = []

    def refuse(_socket: socket.socket, address: object) -> None:
        attempts.append(address)
        raise OSError("network refused by the test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


@pytest.mark.pdf
def test_hostile_notes_come_out_as_literal_text_and_nothing_is_fetched(
    hostile_answers: Path, no_network: list[object]
) -> None:
    report, data = sample_report(hostile_answers)
    fetcher = AssetFetcher()
    pdf = PdfFormat(data, fetcher).render(report)
    text = flat(" ".join(page_texts(pdf.data)))
    for attack in ATTACKS:
        assert attack in text, attack
    assert "<b>Mallory</b>" in text  # the assessor's name, tags and all, as typed
    assert "<style>body{display:none}</style>" in text
    # Only font files were read, all from the asset folder; nothing else was asked for.
    assert fetcher.outside_requests == []
    assert fetcher.refused == []
    assert fetcher.requests and all(u.endswith(".ttf") for u in fetcher.requests)
    assert no_network == []
    assert pdf.warnings == ()
    attachments = reader(pdf.data).attachments
    assert sorted(attachments) == ["answers.yaml", "score.json"]
    assert b"root:" not in attachments["answers.yaml"][0]


@pytest.mark.pdf
def test_hostile_assessor_in_pdf_metadata_is_plain_text(hostile_answers: Path) -> None:
    report, data = sample_report(hostile_answers)
    info: Any = reader(PdfFormat(data).render(report).data).metadata
    assert info is not None
    assert info["/Author"] == '<b>Mallory</b> <img src="file:///etc/passwd">'


def test_html_escapes_everything_a_user_typed(hostile_answers: Path) -> None:
    report, _ = sample_report(hostile_answers)
    html = render_html(report)
    assert "<img" not in html and "<link" not in html and "<b>" not in html
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html
    assert "&lt;b&gt;Mallory&lt;/b&gt;" in html
    assert "&lt;style&gt;body{display:none}&lt;/style&gt;" in html
    # Text without markup characters stays as it is, in a paragraph, outside any style sheet.
    style = html[html.index("<style>") : html.index("</style>")]
    assert "@import" not in style
    assert html.count("<style>") == 1
    assert "{{ 7*7 }}" in html  # shown, not evaluated: no 49 in its place
    assert ">49<" not in html


def test_markdown_escapes_everything_a_user_typed(hostile_answers: Path) -> None:
    report, _ = sample_report(hostile_answers)
    md = render_markdown(report)
    assert "<img" not in md and "<link" not in md and "<style" not in md
    assert '&lt;img src="file:///etc/passwd"&gt;' in md
    assert "\\{\\{ 7\\*7 \\}\\}" in md  # shows as {{ 7*7 }} on a forge


def test_every_template_autoescapes() -> None:
    env = environment()
    names = env.list_templates()
    assert "report.html.j2" in names
    for name in names:
        assert env.autoescape is True or (callable(env.autoescape) and env.autoescape(name)), name
    assert str(env.from_string("{{ x }}").render(x="<b>")) == "&lt;b&gt;"


# ------------------------------------------------------------------ the fetcher


def test_fetcher_reads_asset_files_and_data_urls() -> None:
    fetcher = AssetFetcher()
    font = ASSETS / "fonts" / "NotoSans-Regular.ttf"
    response = fetcher.fetch(font.as_uri())
    assert response.read()[:4] == font.read_bytes()[:4]
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"
    assert fetcher.outside_requests == []


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.css",
        "https://example.com/font.ttf",
        "ftp://127.0.0.1/x",
        "file://otherhost" + str(ASSETS / "report.css"),
        (ASSETS / "fonts" / ".." / ".." / "fetcher.py").as_uri(),  # .. out of the folder
        (ASSETS / "fonts").as_uri(),  # a folder, not a file
        (ASSETS / "missing.css").as_uri(),
    ],
)
def test_fetcher_refuses_everything_else(url: str, no_network: list[object]) -> None:
    fetcher = AssetFetcher()
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused == [url]
    assert no_network == []


def test_fetcher_resolves_symlinks_before_checking(tmp_path: Path) -> None:
    root = tmp_path / "assets"
    root.mkdir()
    (root / "ok.css").write_text("p {}")
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    (root / "link.css").symlink_to(secret)
    fetcher = AssetFetcher(root)
    assert fetcher.fetch((root / "ok.css").as_uri()).read() == b"p {}"
    with pytest.raises(RefusedURL):
        fetcher.fetch((root / "link.css").as_uri())
    assert fetcher.outside_requests == [(root / "link.css").as_uri()]


def test_refusals_are_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("WARNING", logger="diligence.report"), pytest.raises(RefusedURL):
        AssetFetcher().fetch("file:///etc/passwd")
    assert "refused to fetch file:///etc/passwd" in caplog.text


@pytest.mark.pdf
def test_cli_report_of_hostile_answers_has_only_our_attachments(
    hostile_answers: Path, tmp_path: Path, no_network: list[object]
) -> None:
    out = tmp_path / "hostile.pdf"
    result = run_cli("report", hostile_answers, "-o", out, "--content", SAMPLE)
    assert result.code == 0, result.err
    assert "warning" not in result.err
    assert sorted(reader(out).attachments) == ["answers.yaml", "score.json"]
    assert no_network == []


@pytest.mark.pdf
def test_free_text_answers_are_text_everywhere(hostile_answers: Path) -> None:
    report, data = sample_report(hostile_answers)
    html = render_html(report)
    assert "Free text: &lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html
    md = render_markdown(report)
    assert "Free text: &lt;img" in md and "<img" not in md
    text = flat(" ".join(page_texts(PdfFormat(data).render(report).data)))
    assert "Free text: " + ATTACKS[0] in text


def test_hostile_file_names_are_text(hostile_answers: Path, tmp_path: Path) -> None:
    named = tmp_path / '<img src="x">{{ 7*7 }}.yaml'
    named.write_bytes(hostile_answers.read_bytes())
    out = tmp_path / "named.html"
    result = run_cli("--content", SAMPLE, "report", named, "-o", out)
    assert result.code == 0, result.err
    html = out.read_text()
    assert '<img src="x">' not in html
    assert "&lt;img src=&#34;x&#34;&gt;{{ 7*7 }}.yaml" in html


def test_class_report_escapes_names_and_file_names(hostile_answers: Path, tmp_path: Path) -> None:
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "<script>alert(1).yaml").write_bytes(hostile_answers.read_bytes())
    (folder / "<b>broken.yaml").write_text("answers: [\n")
    out = tmp_path / "class.html"
    result = run_cli("--content", SAMPLE, "class", folder, "-o", out)
    assert result.code == 0, result.err
    html = out.read_text()
    assert "<script>" not in html and "<b>" not in html and "<img" not in html
    assert "&lt;b&gt;Mallory&lt;/b&gt;" in html
    assert "&lt;b&gt;broken.yaml" in html


def test_python_tags_in_answers_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "tagged.yaml"
    path.write_text(
        "format: 1\nchecklist: {id: sample-vetting, version: '1.0'}\ncase: sample\n"
        "assessor: !!python/object/apply:os.system ['echo pwned > /tmp/pwned']\nanswers: {}\n"
    )
    commands: list[list[str | Path]] = [
        ["report", path, "-o", tmp_path / "r.pdf"],
        ["score", path],
        ["validate", path],
    ]
    for command in commands:
        result = run_cli("--content", SAMPLE, *command)
        assert result.code == 2
        assert f"{path}:4: tag !!python/object/apply:os.system is not allowed" in result.err
    assert not (tmp_path / "r.pdf").exists()


def test_oversized_answers_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"format: 1\nassessor: " + b"a" * (5 * 1024 * 1024) + b"\n")
    commands: list[list[str | Path]] = [["report", path, "-o", tmp_path / "r.pdf"], ["score", path]]
    for command in commands:
        result = run_cli("--content", SAMPLE, *command)
        assert result.code == 2
        assert result.err.strip() == f"{path}: is 5.0 MB; content files are limited to 4 MB"


# ------------------------------------------------------------------ the terminal

ESCAPES = "\x1b]2;PWNED\x07\x1b[41m\x1b[2J\x9b31m\x07\x08\r"


def assert_printable(text: str) -> None:
    """Nothing a terminal would act on: no C0 or C1 control character but newline and tab."""
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", text), repr(text)


def test_printable_drops_controls_and_whole_escape_sequences() -> None:
    from diligence.environment import printable

    assert printable(f"a{ESCAPES}b") == "ab"
    assert printable("line one\n\tline two") == "line one\n\tline two"
    assert printable("José 名前 ✓") == "José 名前 ✓"
    assert printable("\x1bP1;2|secret\x1b\\x \x1b(B y") == "x  y"


def test_a_problem_prints_without_control_characters() -> None:
    from diligence.errors import Problem

    shown = str(Problem(f"bad{ESCAPES}.yaml", 3, f"got '{ESCAPES}x'"))
    assert shown == "bad.yaml:3: got 'x'"


def test_escaped_control_characters_in_yaml_are_refused_with_their_line(tmp_path: Path) -> None:
    path = tmp_path / "esc.yaml"
    text = REFERENCE.read_text().replace('version: "1.0"', 'version: "2.0\\e]2;PWNED\\a"')
    assert text != REFERENCE.read_text()
    path.write_text(text)
    commands: list[list[str | Path]] = [
        ["report", path, "-o", tmp_path / "r.md"],
        ["validate", path],
    ]
    for command in commands:
        result = run_cli("--content", SAMPLE, *command)
        assert result.code == 2
        assert result.err == f"{path}:2: contains the control character #x001b; remove it\n"


def test_an_escaped_nul_is_refused_and_never_reaches_a_report(tmp_path: Path) -> None:
    path = write_answers(tmp_path / "nul.yaml", {"assessor": "a\x00b"})
    assert "\\0" in path.read_text()
    result = run_cli("--content", SAMPLE, "report", path, "-o", tmp_path / "r.html")
    assert (result.code, result.err) == (
        2,
        f"{path}:7: contains a NUL character (\\0); remove it\n",
    )
    assert not (tmp_path / "r.html").exists()


def test_file_names_with_escapes_reach_the_terminal_without_them(tmp_path: Path) -> None:
    named = tmp_path / f"x{ESCAPES}.yaml"
    named.write_text("answers: [\n")
    result = run_cli("--content", SAMPLE, "score", named)
    assert result.code == 2
    assert result.err.startswith(f"{tmp_path}/x.yaml:")
    assert_printable(result.err)


def test_rich_output_keeps_its_styles_and_drops_escapes_from_text() -> None:
    import io

    from rich.text import Text

    from diligence.environment import Environment

    out = io.StringIO()
    env = Environment(stdout=out, stderr=io.StringIO(), stdin_isatty=False, stdout_isatty=True)
    console = env.console()
    console.print(Text(f"note{ESCAPES}end", style="bold"))
    printed = out.getvalue()
    assert "\x1b[1m" in printed  # rich's own style is kept
    assert "PWNED" not in printed and "\x1b]" not in printed and "\x1b[2J" not in printed
    assert "noteend" in printed
