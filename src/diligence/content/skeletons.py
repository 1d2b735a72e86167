"""Commented skeletons of content files, for `diligence new`: each validates as written.

A skeleton is a small, complete file whose comments name every field and what it is for,
so a trainer edits something that works instead of starting from a blank page; the
reference for every field is docs/authoring.md. The text is built here, from the ids
given, with YAML comments kept (a model dump would drop them).
"""

from __future__ import annotations

import json

from diligence.content.conditions import relevance
from diligence.content.models import Checklist, Question, Scenario

SCHEMA_HINT = (
    "# For checking as you type, save the schema beside this file and name it on line 1:\n"
    "#   diligence schema {kind} > {kind}.schema.json\n"
    "#   # yaml-language-server: $schema={kind}.schema.json\n"
)


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escaping is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def checklist_skeleton(
    checklist_id: str, *, case_id: str | None, passages: list[str], self_assessment: bool
) -> str:
    """A checklist: a decision on one matter (with its own verdict labels), or a
    self-assessment of a programme that ends in a list of gaps."""
    if self_assessment:
        return _self_assessment(checklist_id)
    cites = f"[{', '.join(passages[:1])}]" if case_id and passages else None
    cite_line = f"        cites: {cites}\n" if cites else _CITES_HINT
    flag_cites = f"    cites: {cites}\n" if cites else ""
    case_line = (
        f"case: {case_id}  # the case whose passages questions cite\n"
        if case_id
        else "# case: my-case  # name the case whose passages questions cite (see 'cites')\n"
    )
    return f"""{SCHEMA_HINT.format(kind="checklist")}
# A checklist: questions, the risk of each answer, red-flag rules and how they make a
# verdict. Every field is described in docs/authoring.md; check with 'diligence validate'.
id: {checklist_id}
version: "1.0"  # raise it when questions change; 'diligence upgrade' moves answers along
title: Vetting a customer before a sale
description: >-
  Replace this with what the checklist assesses and how to answer: from the record as it
  stood on the decision date, answering "unknown" where the record is silent.
kind: decision  # or self-assessment: a review of a programme, which recommends improvements
{case_line}
scoring:
  # The overall risk (0-100) under each bound gives that verdict; from the last, decline.
  proceed_below: 25
  conditions_below: 50
  escalate_below: 75
  labels:  # what each verdict is called in this checklist's outputs (codes stay fixed)
    proceed: Proceed
    proceed_with_conditions: Proceed with conditions
    escalate: Escalate to the board
    decline: Decline

sections:
  - id: customer
    title: The customer
    intro: >-
      Who is buying, and for what.
    questions:
      - id: C1
        text: Is the buyer the end user named in the contract?
        type: yesno  # also: single, multi, text, number, date
        help: >-
          Say what the question asks and where to look. Shown with 'h' while answering.
        risk: {{yes: low, no: high, partial: medium}}  # leave out partial to offer Yes/No only
        mitigation:
          "no": Contract only with the end user itself.
          partial: Name the end user in the contract.
        unknown_risk: high  # every question but free text may be answered "unknown"
        weight: 2  # counts twice in its section's risk
        frameworks: [UNGP 17]  # at least one; checklists/frameworks.yaml defines them
{cite_line}      - id: C2
        text: What does the buyer want the system for?
        type: single
        help: >-
          The stated end use, as the buyer put it in writing.
        options:
          - value: stated
            label: A lawful end use, stated in writing
            risk: low
          - value: vague
            label: Vague or not stated
            risk: high
            mitigation: Require the end use in writing before going further.
        frameworks: [UNGP 17]
{cite_line}      - id: C3
        text: Which checks were made on the buyer?
        type: multi
        when: {{question: C1, not_in: ["yes"]}}  # asked only when C1 is not "yes"
        help: >-
          Tick every check made.
        options:
          - {{value: screening, label: Restricted-party screening, risk: low}}
          - {{value: none, label: None, risk: high, exclusive: true}}
        frameworks: [UNGP 19]
{cite_line}      - id: C4
        text: Anything else the board should know?
        type: text
        required: false
        help: >-
          Free text; it carries no risk.
        frameworks: [UNGP 19]
{cite_line}
red_flags:
  - id: RF1
    title: The buyer is not the end user
    severity: high  # low, medium, high or critical (critical always declines)
    when: {{question: C1, is: "no"}}
    message: The buyer is not the end user named in the contract.
    frameworks: [UNGP 19]
{flag_cites}  - id: RF2
    title: Unknowns after a red flag
    severity: high
    when: {{all: [{{flag: RF1}}, {{unknowns_at_least: 1}}]}}
    message: Questions were left unknown after a red flag; ask them before going further.
    frameworks: [UNGP 19]
"""


_CITES_HINT = "        # cites: [passage-id]  # passages of the checklist's case\n"


def _self_assessment(checklist_id: str) -> str:
    return f"""{SCHEMA_HINT.format(kind="checklist")}
# A self-assessment: a checklist that stands without a case and ends in the list of gaps
# to close rather than a verdict. Every field is described in docs/authoring.md.
id: {checklist_id}
version: "1.0"
title: Self-assessment of a compliance programme
description: >-
  Replace this with what is assessed and from what: the programme's documents, as they
  stand today. Answer "unknown" where you cannot find out, and "not applicable" (with the
  reason in the note) where a question does not fit the organisation.
kind: self-assessment
scoring:
  outcome: gaps  # no verdict: the report lists every answer at gap_at_least or above
  gap_at_least: medium

sections:
  - id: organisation
    title: Organisation and resources
    groups:  # shared stems, completed by the questions that name them with 'group'
      outsourced: "Where compliance work is outsourced, is there:"
    questions:
      - id: O1
        text: How many people work on compliance, full time or with other tasks?
        type: number
        unit: people
        integer: true
        minimum: 0
        thresholds:  # the risk from each number on; below the first, none
          - {{at_least: 0, risk: high}}
          - {{at_least: 1, risk: medium}}
          - {{at_least: 2, risk: low}}
        help: >-
          Count everyone who has the task, whatever else they do.
        basis: >-
          Say here, in your own words, what the text this checklist encodes asks.
        frameworks: [UNGP 16]
      - id: O2
        group: outsourced
        text: a written agreement with the provider?
        type: yesno
        risk: {{yes: low, no: high}}
        not_applicable: true  # may be answered "not applicable", with the reason in the note
        help: >-
          Only where some of the work is done outside the organisation.
        frameworks: [UNGP 16]
      - id: O3
        text: When was the programme last reviewed?
        type: date  # 2024, 2024-05 or 2024-05-31
        help: >-
          The date of the last review, as its record gives it.
        frameworks: [UNGP 20]
"""


def frameworks_skeleton(entries: str) -> str:
    """A framework registry holding `entries` (YAML list items) copied from the shipped one."""
    return f"""{SCHEMA_HINT.format(kind="frameworks")}
# The frameworks your checklists cite: 'frameworks: [UNGP 17]' names one by its cite_as,
# a space and a provision id. The shipped registry (checklists/frameworks.yaml of
# diligence) is loaded too, unless --no-builtin; add your own frameworks below.
frameworks:
{entries}"""


def case_skeleton(case_id: str, checklist_id: str) -> str:
    """A fictional case with one source, one chapter that follows it, a timeline, an actor
    and one scenario assessed with `checklist_id`."""
    return f"""{SCHEMA_HINT.format(kind="case")}
# A case study: its sources, passages grouped in chapters, a timeline, the actors, and
# the scenarios students assess. Every field is described in docs/authoring.md.
id: {case_id}
title: Replace with the case's title
summary: >-
  Replace with what the case is about, in a few sentences: it heads the report's cover.

bibliography:  # every source; kinds: episode, report, article, book, court-filing,
               # dataset, official, document, fictional (a fictional case says so)
  - id: teaching-pack
    kind: fictional
    citation: >-
      Replace with who wrote the material, for which course, and when.
    short: Teaching pack  # how evidence names it before a chapter title

chapters:
  - id: background
    title: Background
    source: teaching-pack  # its passages come from this source
    passages:
      - id: first-contact
        title: The first contact
        summary: >-
          Replace with what happened, in your own words. A quotation goes in 'quote'.
        date: "2024-03"  # as precise as known: 2024, 2024-03 or 2024-03-15
      - id: later-report
        title: A later report
        summary: >-
          Something that became public only later: a scenario set before 'known_from'
          may not cite it (no hindsight), but its teaching notes may.
        date: "2024-06"
        known_from: "2024-09"
        certainty: reported  # or confirmed (the default)

timeline:
  - id: t-first-contact
    date: "2024-03"
    event: The buyer makes first contact.
    passages: [first-contact]
  - id: t-later-report
    date: "2024-06"
    event: The later report's events (made public in September).
    passages: [later-report]

actors:
  - id: the-buyer
    name: Replace with the buyer's name
    kind: organisation  # person, company, government or organisation
    role: Wants to buy the system.
    passages: [first-contact]

scenarios:
  - id: first-sale
    title: The first sale
    checklist: {checklist_id}  # the checklist the scenario is assessed with
    as_of: "2024-04"  # the decision date: nothing later may be cited in the briefing
    decision: Whether to sell the system to the buyer.
    briefing: |-
      Replace with what the assessor is told, as of the decision date.
    passages: [first-contact]
    teaching_notes:
      - >-
        A question for the debrief. The later report (later-report) may be named here.
"""


def answers_skeleton(
    checklist: Checklist, case_id: str, scenario: Scenario | None, *, reference: bool
) -> str:
    """An answers file listing every question that can apply, each with `value:` and
    `note:` to fill in, and what the value may be."""
    relevant, _ = relevance(checklist, {})
    lines = [
        f"# Answers to {checklist.id} {checklist.version}"
        + (f" for scenario {scenario.id} of case {case_id}." if scenario else "."),
        "# Fill in each value (what it may be is given above it) and note (why; reference",
        "# answers need one beside every answer), then: diligence validate THIS-FILE",
        "format: 1",
        f"checklist: {{id: {checklist.id}, version: {_q(checklist.version)}}}",
        f"case: {case_id}",
    ]
    if scenario is not None:
        lines.append(f"scenario: {scenario.id}")
    lines += [
        f"assessor: {_q('Reference answers' if reference else '')}",
        "status: in_progress  # complete, once every required question is answered",
        "answers:",
    ]
    for _, question in checklist.questions():
        lines += [f"  {question.id}:", *_answer_comment(question, relevant[question.id])]
        lines += ["    value:", "    note:"]
    return "\n".join(lines) + "\n"


def _answer_comment(question: Question, relevant: bool) -> list[str]:
    """What a question asks and what its value may be, as comment lines."""
    text = " ".join(question.text.split())
    lines = [f"    # {text}{'' if question.required else ' (optional)'}"]
    lines.append(f"    # value: {_allowed(question)}")
    if question.when is not None or not relevant:
        lines.append("    # asked only when its condition ('when') holds; else leave it empty")
    return lines


def _allowed(question: Question) -> str:
    extra = ["unknown"] if question.accepts_unknown else []
    if question.not_applicable:
        extra.append("not_applicable (say why in the note)")
    if question.is_choice:
        values = [o.value for o in question.choice_list]
        quoted = [f'"{v}"' if v in ("yes", "no") else v for v in values]
        many = "one or more of " if question.type == "multi" else "one of "
        tail = f"; or {', '.join(extra)}" if extra else ""
        shape = f"[{', '.join(quoted)}]" if question.type == "multi" else ", ".join(quoted)
        return f"{many}{shape}{tail}"
    described = {
        "text": "free text",
        "number": "a number" + (f" of {question.unit}" if question.unit else ""),
        "date": "a date: 2024, 2024-05 or 2024-05-31",
    }[question.type]
    return described + (f"; or {', '.join(extra)}" if extra else "")
