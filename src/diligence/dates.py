"""Dates as the files and reports write them: one clock, one ISO form, one display form."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    """The current time in UTC, to the second: what answers files record."""
    return datetime.now(UTC).replace(microsecond=0)


def iso_utc(value: datetime) -> str:
    """A moment as ISO 8601 in UTC to the second, e.g. 2026-01-02T00:00:00Z (a naive value
    is taken to be UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def display_date(value: datetime) -> str:
    """A date as a reader writes it, e.g. 2 January 2026 (in UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    value = value.astimezone(UTC)
    return f"{value.day} {value:%B %Y}"
