"""`diligence serve` over HTTP: a student's assessment, the class session, and the rules
every request keeps (CSRF, one's own file only, limits, escaping, no traceback)."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import socket
import zipfile
from pathlib import Path

import pytest
import yaml

from diligence.assessment.answers import answers_lock
from diligence.assessment.load import load_assessment
from diligence.scoring import score
from diligence.web.pages import CSP

from conftest import run_cli
from webclient import Student, csrf_of, make_app, question_id

REFERENCE = Path(__file__).resolve().parents[1] / "case_studies/pegasus/reference/mexico-2017.yaml"


def _student(folder: Path, name: str = "Ana Díaz") -> Student:
    client, server = make_app(folder)
    student = Student(client, server)
    student.join(name)
    return student


def _saved(student: Student) -> dict:  # type: ignore[type-arg]
    member = student.server.workspace.state.members[-1]
    data: dict = yaml.safe_load((student.server.workspace.folder / member.file).read_text())  # type: ignore[type-arg]
    return data


def test_a_full_assessment_in_the_browser_scores_as_the_file_does(tmp_path: Path) -> None:
    student = _student(tmp_path / "class")
    assert "Ana Díaz" in student.page or "Mexico, June 2017" in student.page
    answered = student.complete()
    assert answered > 30
    assert student.finish().endswith("/done")
    path = tmp_path / "class" / student.server.workspace.state.members[0].file
    assessment = load_assessment(path, student.server.library)
    result = score(assessment.checklist, assessment.answers)
    assert assessment.answers.status == "complete"
    assert assessment.answers.assessor == "Ana Díaz"
    assert f"Verdict: {result.verdict.label}" in student.page
    assert assessment.answers.answers["ID1"].note == "My reason for ID1."


def test_every_answer_is_on_disk_when_the_page_says_saved(tmp_path: Path) -> None:
    student = _student(tmp_path / "class")
    url = student.get("/q")
    first = question_id(url)
    assert first is not None
    response = student.client.post(
        f"/q/{first}",
        data={"csrf": csrf_of(student.page), "intent": "save", "value": student.choices()[1]},
        headers={"accept": "application/json"},
    )
    assert response.json() == {"saved": True, "error": None, "notices": []}
    assert _saved(student)["answers"][first]["value"] == student.choices()[1]


def test_skip_logic_back_and_jump_are_the_engines(tmp_path: Path) -> None:
    student = _student(tmp_path / "class")
    student.get("/q/ID1")
    response = student.send("ID1", {"intent": "next", "value": "new"})
    assert response.headers["location"] == "/q/ID2"
    student.get("/q/ID2")
    back = student.send("ID2", {"intent": "back", "walk": "0"})
    assert back.headers["location"] == "/q/ID1?walk=1"
    # Walking (after Back) goes on in order, answered or not.
    student.get("/q/ID1?walk=1")
    assert (
        student.send("ID1", {"intent": "next", "value": "new"}, walk=True).headers["location"]
        == "/q/ID2?walk=1"
    )
    # Jump: every section's first question that applies is a link.
    student.get("/q/ID2")
    assert 'href="/q/DST1?walk=1"' in student.page


def test_a_question_that_no_longer_applies_is_refused_politely(tmp_path: Path) -> None:
    student = _student(tmp_path / "class")
    student.get("/q/NOPE")
    assert "There is no question NOPE" in student.page


def test_without_an_answer_the_page_says_what_to_do_and_keeps_the_note(tmp_path: Path) -> None:
    student = _student(tmp_path / "class")
    student.get("/q/ID1")
    response = student.send("ID1", {"intent": "next", "note": "half a thought <b>"})
    assert response.status_code == 400
    assert 'role="alert"' in response.text
    assert "needs an answer" in response.text
    assert "half a thought &lt;b&gt;</textarea>" in response.text
    assert "ID1" not in _saved(student)["answers"]


def test_an_over_long_note_is_refused_before_the_file_is_written(tmp_path: Path) -> None:
    student = _student(tmp_path / "class")
    student.get("/q/ID1")
    note = "x" * 20_001
    response = student.send("ID1", {"intent": "next", "value": "new", "note": note})
    assert response.status_code == 400
    assert "longer than the 20,000 characters" in response.text
    assert note in response.text  # what was typed is still there
    assert "ID1" not in _saved(student)["answers"]


def test_a_file_open_in_the_terminal_is_not_written_behind_its_back(tmp_path: Path) -> None:
    student = _student(tmp_path / "class")
    path = student.server.workspace.file_of(student.server.workspace.state.members[0])
    student.get("/q/ID1")
    with answers_lock(path):
        response = student.send("ID1", {"intent": "next", "value": "new", "note": "kept"})
    assert response.status_code == 400
    assert "open in a terminal" in response.text
    assert "kept</textarea>" in response.text
    assert "ID1" not in _saved(student)["answers"]


def test_a_form_without_the_csrf_token_changes_nothing(tmp_path: Path) -> None:
    student = _student(tmp_path / "class")
    before = _saved(student)
    student.get("/q/ID1")
    response = student.client.post("/q/ID1", data={"intent": "next", "value": "new"})
    assert response.status_code == 403
    assert "out of date" in response.text
    forged = student.client.post(
        "/q/ID1",
        data={"csrf": csrf_of(student.page), "value": "new"},
        headers={"origin": "http://evil.example"},
    )
    assert forged.status_code == 403
    assert _saved(student) == before


def test_a_student_reaches_only_their_own_file(tmp_path: Path) -> None:
    ana = _student(tmp_path / "class", "Ana")
    client, server = make_app(tmp_path / "class")
    ben = Student(client, server)
    ben.join("Ben")
    ana.get("/q/ID1")
    ana.send("ID1", {"intent": "next", "value": "new", "note": "Ana's secret reason"})
    ben.get("/review")
    assert "Ana's secret reason" not in ben.page
    assert "Ana" not in ben.client.get("/download/answers.yaml").text
    for attempt in ("/download/../../etc/passwd", "/download/..%2f.diligence-serve.json"):
        response = ben.client.get(attempt)
        assert response.status_code == 404
        assert "trainer_token" not in response.text
    stranger = Student(*make_app(tmp_path / "class"))
    assert stranger.client.get("/review").status_code == 401
    assert stranger.client.get("/resume/not-a-real-token-at-all").status_code == 404


def test_the_resume_link_and_cookie_survive_a_restart(tmp_path: Path) -> None:
    student = _student(tmp_path / "class")
    student.get("/q/ID1")
    student.send("ID1", {"intent": "next", "value": "new", "note": "before the crash"})
    token = student.server.workspace.state.members[0].resume
    client, server = make_app(tmp_path / "class")  # a new server over the same folder
    again = Student(client, server)
    again.get(f"/resume/{token}")
    assert "before the crash" not in again.page  # at the next open question
    again.get("/q/ID1")
    assert "before the crash</textarea>" in again.page
    client.cookies = student.client.cookies  # the old cookie is valid for the new server
    assert client.get("/review").status_code == 200


def test_an_answers_file_from_the_terminal_continues_in_the_browser(tmp_path: Path) -> None:
    client, server = make_app(tmp_path / "class")
    student = Student(client, server)
    student.get("/")
    code = server.workspace.state.class_code
    response = client.post(
        "/upload",
        data={"csrf": csrf_of(student.page), "code": code},
        files={"file": ("mine.yaml", REFERENCE.read_bytes(), "application/yaml")},
    )
    assert response.status_code == 200, response.text
    student.page = response.text
    assert "Continuing mine.yaml" in response.text
    saved = server.workspace.folder / server.workspace.state.members[0].file
    assert yaml.safe_load(saved.read_text())["answers"]["ID1"]["value"] == "existing"
    broken = client.post(
        "/upload",
        data={"csrf": csrf_of(student.page), "code": code},
        files={"file": ("bad.yaml", b"format: 1\nchecklist: [\n", "application/yaml")},
    )
    assert broken.status_code == 400
    assert "bad.yaml:" in broken.text
    assert "Traceback" not in broken.text


def test_user_text_is_escaped_and_the_csp_allows_no_inline_code(tmp_path: Path) -> None:
    student = _student(tmp_path / "class", '<script>alert("x")</script>')
    client = student.client
    client.get(f"/trainer/enter/{student.server.workspace.state.trainer_token}")
    page = client.get("/trainer")
    assert "<script>alert" not in page.text
    assert "&lt;script&gt;alert" in page.text
    assert page.headers["content-security-policy"] == CSP
    assert "unsafe-inline" not in CSP
    assert "set-cookie" not in page.headers or "httponly" in page.headers["set-cookie"].lower()


def test_the_session_cookie_is_signed_httponly_and_samesite(tmp_path: Path) -> None:
    client, _ = make_app(tmp_path / "class")
    response = client.get("/")
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    client.cookies.set("diligence", "forged.value.here")
    assert client.get("/review").status_code == 401


def test_trainer_pages_need_the_trainer_link(tmp_path: Path) -> None:
    student = _student(tmp_path / "class")
    for page in ("/trainer", "/trainer/present", "/trainer/download/answers.zip"):
        assert student.client.get(page).status_code == 403
    assert student.client.get("/trainer/enter/wrong-token-wrong-token").status_code == 403


def test_the_trainer_sees_the_class_and_downloads_it(tmp_path: Path) -> None:
    folder = tmp_path / "class"
    for name in ("Ana", "Ben", "=HYPERLINK(1)"):
        student = Student(*make_app(folder))
        student.join(name)
        student.complete()
        student.finish()
    client, server = make_app(folder)
    client.get(f"/trainer/enter/{server.workspace.state.trainer_token}")
    page = client.get("/trainer").text
    assert page.count("complete</td>") == 3
    assert "Verdicts" in page
    grades = list(csv.reader(io.StringIO(client.get("/trainer/download/gradebook.csv").text)))
    assert grades[0][:4] == ["student", "file", "complete", "verdict"]
    assert {row[0] for row in grades[1:]} == {"Ana", "Ben", "'=HYPERLINK(1)"}
    archive = zipfile.ZipFile(io.BytesIO(client.get("/trainer/download/answers.zip").content))
    assert sorted(archive.namelist()) == sorted(p.name for p in folder.glob("*.yaml"))
    token = csrf_of(page)
    client.post("/trainer/anonymize", data={"csrf": token, "anonymize": "1"})
    anonymous = client.get("/trainer").text
    assert "Ana" not in anonymous and "Student 1" in anonymous
    assert json.loads(client.get("/trainer/reports/status").text)["total"] == 0


def test_the_presentation_walks_the_reference(tmp_path: Path) -> None:
    student = _student(tmp_path / "class")
    client = student.client
    client.get(f"/trainer/enter/{student.server.workspace.state.trainer_token}")
    first = client.get("/trainer/present", follow_redirects=False)
    assert first.headers["location"] == "/trainer/present/ID1"
    slide = client.get("/trainer/present/ID1?class=1").text
    assert "Reference answer" in slide and "An existing client" in slide
    assert 'rel="next" href="/trainer/present/ID2?class=1"' in slide
    assert "The class" in slide
    end = client.get("/trainer/present/end").text
    assert "Reference verdict: Decline" in end


@pytest.mark.parametrize("path", ["/", "/no/such/page", "/q"])
def test_errors_are_pages_never_tracebacks(tmp_path: Path, path: str) -> None:
    client, _ = make_app(tmp_path / "class")
    response = client.get(path)
    assert "<main" in response.text
    assert "Traceback" not in response.text


def test_citing_from_the_evidence_and_the_search_goes_through_the_engine(tmp_path: Path) -> None:
    student = _student(tmp_path / "class")
    student.get("/q/ID1")
    offered = re.findall(r'name="offered" value="([^"]+)"', student.page)
    assert offered, "the question offers its evidence to cite"
    response = student.client.post(
        "/q/ID1",
        data={
            "csrf": csrf_of(student.page),
            "intent": "save",
            "value": "existing",
            "cite": [offered[0]],
            "offered": offered,
        },
        headers={"accept": "application/json"},
    )
    assert response.json()["saved"] is True
    assert _saved(student)["answers"]["ID1"]["cites"] == [offered[0]]
    student.get("/q/ID1?search=Abdulaziz")  # October 2018: after the mexico-2017 decision
    assert "Nothing known by 2017-06-19" in student.page
    student.get("/q/ID1?search=El Chapo")
    found = re.findall(r'id="cite-found-[^"]+" name="cite" value="([^"]+)"', student.page)
    assert found
    later = student.client.post(
        "/q/ID1",
        data={"csrf": csrf_of(student.page), "intent": "save", "cite": ["intro-project-pegasus"]},
        headers={"accept": "application/json"},
    )
    assert later.status_code == 409
    assert "after 2017-06-19" in later.json()["error"]
    student.client.post(
        "/q/ID1",
        data={"csrf": csrf_of(student.page), "intent": "save", "offered": offered},
        headers={"accept": "application/json"},
    )
    assert "cites" not in _saved(student)["answers"]["ID1"]


def test_finishing_with_gaps_asks_once_and_never_blocks(tmp_path: Path) -> None:
    student = _student(tmp_path / "class")
    student.complete()
    student.get("/review")
    asked = student.client.post("/finish", data={"csrf": csrf_of(student.page)})
    assert str(asked.url).endswith("/review?confirm=1")
    assert "Finish anyway" in asked.text
    assert "without a citation" in asked.text
    done = student.client.post("/finish", data={"csrf": csrf_of(asked.text), "confirm": "1"})
    assert str(done.url).endswith("/done")
    assert _saved(student)["status"] == "complete"


def test_a_whole_section_on_one_page_applies_its_answers_in_order(tmp_path: Path) -> None:
    student = _student(tmp_path / "class")
    student.get("/section/identity")
    assert 'name="value-ID1"' in student.page
    response = student.client.post(
        "/section/identity",
        data={
            "csrf": csrf_of(student.page),
            "value-ID1": "existing",
            "note-ID1": "Mexico has been a client since 2011.",
            "value-ID2": "nonsense",
        },
    )
    assert response.status_code == 400
    assert "has no choice 'nonsense'" in html.unescape(response.text)
    saved = _saved(student)["answers"]
    assert saved["ID1"] == {
        "value": "existing",
        "note": "Mexico has been a client since 2011.",
        "answered_at": saved["ID1"]["answered_at"],
    }
    assert "ID2" not in saved


def test_serve_refuses_bad_options_in_one_line(tmp_path: Path) -> None:
    assert "is not a port number" in run_cli("serve", "--port", "70000").err
    needs_class = run_cli("serve", "--scenario", "mexico-2017")
    assert needs_class.code == 2 and "add --class DIR" in needs_class.err
    (tmp_path / "file").write_text("x")
    assert "is a file, not a folder" in run_cli("serve", "--class", tmp_path / "file").err
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        busy = run_cli("serve", "--class", tmp_path / "c", "--port", str(port))
    assert busy.code == 2
    assert (
        busy.err.strip()
        == f"diligence: port {port} is in use (another server?); choose another with --port"
    )


def test_listening_beyond_this_computer_is_said_out_loud(tmp_path: Path) -> None:
    from diligence.commands.serve import _tell
    from diligence.environment import Environment
    from diligence.web.workspace import Workspace

    workspace = Workspace.open(tmp_path / "c", is_class=True)
    out, err = io.StringIO(), io.StringIO()
    _tell(Environment(stdout=out, stderr=err), workspace, "0.0.0.0", 8000)
    assert "reachable on the network" in err.getvalue()
    assert f"/join/{workspace.state.class_code}" in out.getvalue()
    assert f"/trainer/enter/{workspace.state.trainer_token}" in out.getvalue()
    quiet = io.StringIO()
    _tell(Environment(stdout=io.StringIO(), stderr=quiet), workspace, "127.0.0.1", 8000)
    assert quiet.getvalue() == ""
    assert oct((tmp_path / "c" / ".diligence-serve.json").stat().st_mode & 0o777) == "0o600"


def test_a_session_file_changed_by_hand_stops_the_server_with_its_line(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / ".diligence-serve.json").write_text('{"format": 1,\n "secret": ]')
    result = run_cli("serve", "--class", folder, "--port", "0")
    assert result.code == 2
    assert ".diligence-serve.json:2: is not a valid session file" in result.err
