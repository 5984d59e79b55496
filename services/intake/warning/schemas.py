"""The provincial warning contract (CONTRACTS.md §4): shapes fixed, fields may be added, never renamed."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, StringConstraints

from libs.contracts.dates import Instant
from libs.contracts.events.intake import ReviewReason
from libs.contracts.id_number import IdNumberStr
from libs.contracts.models import Tolerant
from libs.contracts.region import RegionCodeStr
from libs.contracts.text import CleanLine, CleanText, PersonName


class WarnedPerson(Tolerant):
    """The `person` of a warning: the shape of an event's `PersonRef`, with the name checked as a name."""

    id_number: IdNumberStr
    name: PersonName


class WarningIn(Tolerant):
    warning_id: Annotated[CleanLine, StringConstraints(min_length=1, max_length=128)]
    # 1970–2099: an instant in year 1 overflowed when read in UTC for the idempotency check, a 500 (issue 17).
    raised_at: Instant
    region_code: RegionCodeStr
    kind: ReviewReason
    person: WarnedPerson
    detail: Annotated[CleanText, StringConstraints(max_length=4000)] = ""


class WarningAccepted(BaseModel):
    """Exactly one of `lead_id` (not a recipient: a lead for the township) and `case_id` (a review of a recipient)."""

    warning_id: str
    outcome: str  # lead | review
    lead_id: str | None = None
    case_id: str | None = None
    household_id: str | None = None
