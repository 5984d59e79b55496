"""The provincial warning contract (CONTRACTS.md §4): shapes fixed, fields may be added, never renamed."""

from __future__ import annotations

from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, StringConstraints

from libs.contracts.events.base import PersonRef
from libs.contracts.events.intake import ReviewReason
from libs.contracts.region import RegionCodeStr


class WarningIn(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    warning_id: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128)]
    raised_at: AwareDatetime
    region_code: RegionCodeStr
    kind: ReviewReason
    person: PersonRef
    detail: Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)] = ""


class WarningAccepted(BaseModel):
    """Exactly one of `lead_id` (not a recipient: a lead for the township) and `case_id` (a review of a recipient)."""

    warning_id: str
    outcome: str  # lead | review
    lead_id: str | None = None
    case_id: str | None = None
    household_id: str | None = None
