"""Moves on the staff API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, StringConstraints

from libs.contracts.models import Input
from libs.contracts.period import BoundedPeriodStr
from libs.contracts.text import CleanText
from services.casework.moves.rules import MoveScope, MoveStatus

Reason = Annotated[CleanText, StringConstraints(min_length=1, max_length=2000)]
VillageCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{12}$")]


class MoveIn(Input):
    to_village_code: VillageCode
    # Default: next month. From this month to 12 months ahead.
    effective_month: BoundedPeriodStr | None = None
    reason: Reason


class AcceptIn(Input):
    note: Annotated[CleanText, StringConstraints(max_length=2000)] = ""


class RefuseIn(Input):
    reason: Reason


class MoveOut(BaseModel):
    move_id: str
    household_id: str
    from_region_code: str
    to_region_code: str
    scope: MoveScope
    effective_month: str
    reason: str
    status: MoveStatus
    requested_by: str
    requested_at: AwareDatetime
    decided_by: str | None
    decided_at: dt.datetime | None
    decision_reason: str | None
    applied_at: dt.datetime | None
    # Programs left as they were when the move applied, for a review by hand (the new figures did not recalculate).
    left_for_review: list[str]
