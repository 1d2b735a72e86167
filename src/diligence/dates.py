"""Dates as the files and reports write them: one clock, one ISO form, one display form."""

from __future__ import annotations

from datetime import UTC, datetime

SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"
"""The variable reproducible builds set to the date a build should carry."""


def now() -> datetime:
    """The current time in UTC, to the second: what answers files record."""
    return datetime.now(UTC).replace(microsecond=0)


def in_utc(value: datetime) -> datetime:
    """The same moment in UTC; a value without a time zone is taken to be UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def iso_utc(value: datetime) -> str:
    """A moment as ISO 8601 in UTC to the second, e.g. 2026-01-02T00:00:00Z; the year
    always has four digits (strftime writes the year 702 as '702', which no reader takes)."""
    value = in_utc(value)
    return f"{iso_day(value)}T{value:%H:%M:%S}Z"


def iso_day(value: datetime) -> str:
    """The day of a moment (in UTC), e.g. 2026-01-02, with a four-digit year."""
    value = in_utc(value)
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


def in_calendar(value: datetime) -> datetime:
    """A moment that every report can print: its UTC time falls in the years 1 to 9999.
    Raises `ValueError` otherwise (9999-12-31T23:59:59-14:00 is in the year 10000 in UTC)."""
    try:
        in_utc(value)
    except OverflowError:
        raise ValueError(f"{value.isoformat()} falls outside the years 1 to 9999 in UTC") from None
    return value


def display_date(value: datetime) -> str:
    """A date as a reader writes it, e.g. 2 January 2026 (in UTC)."""
    value = in_utc(value)
    return f"{value.day} {value:%B %Y}"
