"""What every file format shares: strict models, ids, text and dates as precise as the record."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=80)]
"""A stable identifier: letters, digits, '.', '_' and '-'; cited by other files."""

Text = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
IsoDate = Annotated[str, StringConstraints(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")]
"""A date as precise as the record: 2021, 2021-07 or 2021-07-18."""


def after_date(date: str, as_of: str) -> bool:
    """Whether `date` is certainly after `as_of`, compared at their shared precision
    (so 2018 is not after 2018-10-01): the rule against hindsight in scenarios."""
    length = min(len(date), len(as_of))
    return date[:length] > as_of[:length]


class StrictModel(BaseModel):
    """Base for file formats: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
