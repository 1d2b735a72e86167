"""Dates as the files and reports write them: one clock, one ISO form, one display form."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    """The current time in UTC, to the second: what answers files record."""
    return datetime.now(UTC).replace(microsecond=0)


def in_utc(value: datetime) -> datetime:
    """The same moment in UTC; a value without a time zone is taken to be UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def iso_utc(value: datetime) -> str:
    """A moment as ISO 8601 in UTC to the second, e.g. 2026-01-02T00:00:00Z."""
    return in_utc(value).strftime("%Y-%m-%dT%H:%M:%SZ")


def display_date(value: datetime) -> str:
    """A date as a reader writes it, e.g. 2 January 2026 (in UTC)."""
    value = in_utc(value)
    return f"{value.day} {value:%B %Y}"
