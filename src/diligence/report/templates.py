"""The Jinja2 environment every report template renders in (this report and later ones).

Autoescaping is on for every template, whatever its file name: `select_autoescape()` keys on
extensions and would leave `.html.j2` unescaped. Everything a user typed (notes, the
assessor's name) therefore arrives as text, never as markup. Undefined names are errors, so
a template typo fails in the tests instead of printing nothing.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from diligence.dates import iso_day
from diligence.report import (
    ANSWERS_ATTACHMENT,
    ASSETS,
    HASH_LABEL,
    SUMMARY_ATTACHMENT,
    TEMPLATES,
)

if TYPE_CHECKING:
    import jinja2


@functools.cache
def environment() -> jinja2.Environment:
    """The shared template environment (built once per process)."""
    import jinja2
    import markupsafe

    from diligence.report.palette import css_variables

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["anchor"] = anchor
    env.filters["paragraphs"] = paragraphs
    env.filters["percent"] = percent
    env.filters["iso_day"] = iso_day
    env.globals["asset_text"] = asset_text
    env.globals["palette_css"] = markupsafe.Markup(css_variables())
    # What `verify` reads back from a PDF: one definition, for the templates too.
    env.globals["ANSWERS_ATTACHMENT"] = ANSWERS_ATTACHMENT
    env.globals["SUMMARY_ATTACHMENT"] = SUMMARY_ATTACHMENT
    env.globals["HASH_LABEL"] = HASH_LABEL
    return env


def anchor(value: str) -> str:
    """An id-safe form of an id, for HTML anchors."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", value)


def paragraphs(value: str | None) -> list[str]:
    """Plain text split on blank lines; single line breaks stay (shown with pre-line)."""
    if not value:
        return []
    return [p.strip("\n") for p in re.split(r"\n\s*\n", value.strip()) if p.strip()]


def percent(value: float | None) -> str:
    """A share (0 to 1) as a whole percentage, "-" when there is none."""
    return "-" if value is None else f"{round(value * 100)}%"


@functools.cache
def asset_text(name: str) -> str:
    """The text of a file in the asset folder (our own CSS), for inlining."""
    import markupsafe

    path = (ASSETS / name).resolve()
    if not path.is_relative_to(ASSETS.resolve()):
        raise ValueError(f"{name} is not an asset")
    return markupsafe.Markup(path.read_text(encoding="utf-8"))
