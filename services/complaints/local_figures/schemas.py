from __future__ import annotations

import datetime as dt

from pydantic import AliasChoices, BaseModel, Field

from libs.contracts.dates import CivilDate
from libs.contracts.models import Input
from libs.modules.local_figures import RegionPrefix


class PolicyIn(Input):
    """A region's complaint figures from a date (DOMAIN.md §6: local)."""

    region_prefix: RegionPrefix
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
