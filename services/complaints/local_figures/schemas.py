from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AliasChoices, BaseModel, Field, StringConstraints

from libs.contracts.dates import CivilDate
from libs.contracts.models import Input


class PolicyIn(Input):
    """A region's complaint figures from a date (DOMAIN.md §6: local)."""

    region_prefix: Annotated[str, StringConstraints(pattern=r"^([0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{9}|[0-9]{12})?$")]
    effective_from: CivilDate
    reply_days: int = Field(ge=1, le=60, description="Working days to answer an item without a platform deadline")
    repeat_window_days: int = Field(ge=1, le=730, description="Days within which a like item is a repeat petition")


class PolicyOut(BaseModel):
    # The presenter reads the row's `id` (`model_validate(row, from_attributes=True)`).
    policy_id: int = Field(validation_alias=AliasChoices("policy_id", "id"))
    region_prefix: str
    effective_from: dt.date
    reply_days: int
    repeat_window_days: int
    created_by: str
    created_at: dt.datetime
