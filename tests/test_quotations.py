"""Every quotation in the shipped content is verbatim from the episode, or says what it quotes.

The convention (README, "Check and write content"): text in double quotation marks, straight
("...") or curly (“...”), is a quotation, and must be one of:

1. verbatim from the episode transcript (case, punctuation and spacing aside; "…", "..." and
   "[...]" may mark a cut or an insertion between verbatim parts);
2. the title of a named document, as the bibliography or the framework registry writes it
   (the quoted titles in their citations, e.g. "Hide and Seek");
3. a quotation of a named document, followed at once by its bibliography id or framework
   reference in parentheses: "External Whistleblowing Policy" (nso-2019-hr-policy);
4. the checklists' own words: an answer, an option label or a verdict ("Partly" fits ...);
5. in a reference answer, the words of its own scenario's briefing.

Bibliography citations and framework titles are where titles are written, so their quotation
marks are not checked. Single quotation marks are not quotations.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from diligence.content.library import Library, load_library
from diligence.content.models import UNKNOWN, YESNO_LABELS, Verdict
from diligence.content.yamlio import Document, Loc, load_yaml

from conftest import ROOT

TRANSCRIPT = ROOT.parent / "shared" / "sources" / "000_5f51cc561f720595.txt"
LIBRARY = load_library()
CASE = ROOT / "case_studies" / "pegasus" / "case.yaml"
CONTENT = [
    CASE,
    *sorted((ROOT / "checklists").glob("*.yaml")),
    *sorted((ROOT / "case_studies" / "pegasus" / "reference").glob("*.yaml")),
]
QUOTED = re.compile(r'"([^"]*)"|“([^”]*)”')
CUT = re.compile(r"\[[^\]]*\]|…|\.\.\.")
MARKER = re.compile(r"\s*[,.;:]?\s*\(([^()]+)\)")
GAP = 400
"""How far apart, in the normalised transcript, the verbatim parts of a cut quotation may be."""


def words(text: str) -> str:
    """Text as compared: lower case, curly quotes straightened, apostrophes dropped, and
    everything but letters and digits turned into single spaces."""
    text = text.replace("’", "").replace("‘", "").replace("'", "").lower()
    return " ".join(re.findall(r"[^\W_]+", text))


@dataclass(frozen=True)
class Quotation:
    path: Path
    line: int
    where: str
    text: str
    after: str
    """The text that follows the closing quotation mark, where a marker would be."""


def strings(data: Any, loc: Loc = ()) -> Iterator[tuple[Loc, str]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from strings(value, (*loc, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from strings(value, (*loc, i))
    elif isinstance(data, str):
        yield loc, data


def is_title_field(loc: Loc) -> bool:
    """Where documents are named: bibliography citations and the framework registry."""
    keys = [k for k in loc if isinstance(k, str)]
    return (keys[:1] == ["bibliography"] and keys[-1:] == ["citation"]) or (
        keys[:1] == ["frameworks"] and keys[-1:] in (["title"], ["citation"])
    )


def quotations(path: Path, doc: Document) -> Iterator[Quotation | tuple[Path, int, str]]:
    """Every quotation in a file; an unbalanced quotation mark comes as (path, line, where)."""
    for loc, text in strings(doc.data):
        if is_title_field(loc):
            continue
        where = "/".join(str(k) for k in loc)
        if text.count('"') % 2 or text.count("“") != text.count("”"):
            yield path, doc.line_of(loc), where
        for match in QUOTED.finditer(text):
            quoted = match.group(1) if match.group(1) is not None else match.group(2)
            yield Quotation(path, doc.line_of(loc), where, quoted, text[match.end() :])


@pytest.fixture(scope="module")
def transcript() -> str:
    if not TRANSCRIPT.exists():
        pytest.skip("the episode transcript (../shared/sources) is not beside this checkout")
    return " " + words(TRANSCRIPT.read_text()) + " "


def verbatim(quote: str, source: str) -> bool:
    """Whether the quotation's parts appear in `source` (normalised, padded with spaces) in
    order, each within GAP characters of the last."""
    parts = [words(p) for p in CUT.split(quote)]
    parts = [p for p in parts if p]
    if not parts:
        return True
    at = source.find(f" {parts[0]} ")
    if at < 0:
        return False
    end = at + len(parts[0]) + 1
    for part in parts[1:]:
        at = source.find(f" {part} ", end)
        if at < 0 or at - end > GAP:
            return False
        end = at + len(part) + 1
    return True


def titles(library: Library) -> set[str]:
    """The quoted titles in bibliography citations and framework titles and citations."""
    found = set()
    texts = [b.citation for c in library.cases.values() for b in c.model.bibliography]
    texts += [t for f in library.frameworks.frameworks for t in (f.title, f.citation)]
    for text in texts:
        for match in QUOTED.finditer(text):
            found.add(words(match.group(1) or match.group(2) or ""))
    return found


def checklist_words(library: Library) -> list[str]:
    """The checklists' own vocabulary: answers, option labels and verdicts."""
    found = [UNKNOWN, *YESNO_LABELS.values(), *YESNO_LABELS]
    found += [v.value.replace("_", " ") for v in Verdict] + [v.label for v in Verdict]
    for loaded in library.checklists.values():
        for _, question in loaded.model.questions():
            found += [w for o in question.choice_list for w in (o.label, o.value)]
    return [" " + words(w) + " " for w in found]


def names_a_source(after: str, library: Library) -> bool:
    """Whether the quotation is followed by '(id)' naming a bibliography entry or framework."""
    marker = MARKER.match(after)
    if not marker:
        return False
    bibliography = {b.id for c in library.cases.values() for b in c.model.bibliography}
    refs = [r.strip() for r in re.split(r"[;,]", marker.group(1))]
    return any(r in bibliography or library.frameworks.resolve(r) is not None for r in refs)


def briefing_of(path: Path, library: Library) -> str:
    """For a reference answers file, its scenario's briefing (normalised), else ''."""
    for loaded in library.references:
        if Path(loaded.doc.path).resolve() == path.resolve() and loaded.model.case:
            case = library.cases[loaded.model.case].model
            scenario = case.scenario(loaded.model.scenario or "")
            return " " + words(scenario.briefing) + " " if scenario else ""
    return ""


def shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def problems(paths: list[Path], library: Library, source: str) -> list[str]:
    """One line per quotation that breaks the convention: file:line (where): the quote."""
    known_titles, vocabulary = titles(library), checklist_words(library)
    found = []
    for path in paths:
        doc = load_yaml(path)
        briefing = briefing_of(path, library)
        for quotation in quotations(path, doc):
            if isinstance(quotation, tuple):
                where = f"{shown(quotation[0])}:{quotation[1]} ({quotation[2]})"
                found.append(f"{where}: unbalanced quotation mark")
                continue
            text, normal = quotation.text, " " + words(quotation.text) + " "
            if (
                verbatim(text, source)
                or words(text) in known_titles
                or names_a_source(quotation.after, library)
                or any(normal in w for w in vocabulary)
                or (briefing and verbatim(text, briefing))
            ):
                continue
            found.append(
                f"{shown(path)}:{quotation.line} ({quotation.where}): “{text}” is not "
                "verbatim from the episode; quote it exactly, or name the document it quotes "
                "right after it, e.g. “…” (bibliography-id)"
            )
    return found


def test_every_quotation_is_verbatim_or_names_its_document(transcript: str) -> None:
    found = problems(CONTENT, LIBRARY, transcript)
    assert not found, "\n".join(found)


def test_passage_quotes_are_verbatim_from_the_episode(transcript: str) -> None:
    """A passage's `quote` is the episode's own words: no title or marker excuses it."""
    for _, passage in LIBRARY.case("pegasus").passages().values():
        if passage.quote:
            assert verbatim(passage.quote.text, transcript), passage.id


def test_a_planted_misquotation_is_named_with_its_file_and_line(
    transcript: str, tmp_path: Path
) -> None:
    """The test can fail: a paraphrase in quotation marks, curly or straight, is caught."""
    text = CASE.read_text()
    anchor = "          Lavie also described a strict in-house ethics committee"
    assert anchor in text
    planted = text.replace(
        anchor,
        "          Lavie said “our ethics committee is very strict”, and described a strict\n"
        '          in-house ethics committee "that looked at corruption"',
        1,
    )
    path = tmp_path / "case.yaml"
    path.write_text(planted, encoding="utf-8")
    lines = planted.splitlines()
    line = lines.index("        summary: >-", lines.index("      - id: casa-ethics-committee")) + 1
    where = f"{path}:{line} (chapters/4/passages/7/summary): "
    found = [f for f in problems([path], LIBRARY, transcript) if f.startswith(where)]
    assert len(found) == 2, found
    assert "“our ethics committee is very strict” is not verbatim" in found[0]
    assert "“that looked at corruption” is not verbatim" in found[1]


@pytest.mark.parametrize(
    ("quote", "ok"),
    [
        ("We are going dark, we are getting blind", True),  # straight from the episode
        ("we’re selling [Pegasus] as a black box", True),  # curly apostrophe, insertion
        ("WE ARE   GOING dark,", True),  # case and spacing do not matter
        ("we voluntarily follow […] regulations", True),  # a cut within the sentence
        ("We are going dark […] Trojan horse", False),  # the parts are too far apart
        ("our ethics committee is very strict", False),  # a paraphrase
    ],
)
def test_verbatim_normalises_but_does_not_paraphrase(transcript: str, quote: str, ok: bool) -> None:
    assert verbatim(quote, transcript) is ok
