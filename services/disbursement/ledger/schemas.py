"""A household's payment file (一户一档, DOMAIN.md §11) and holds, as staff see them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from libs.contracts.money import MoneyStr
from libs.contracts.period import PeriodStr
from libs.contracts.programs import Program
from libs.contracts.text import CleanText
from services.disbursement.accounts.schemas import AccountOut
from services.disbursement.recoveries.schemas import RecoveryOut
from services.disbursement.rosters.schemas import StaffLine


class SegmentOut(BaseModel):
    first_period: PeriodStr
    last_period: PeriodStr | None
    status: str
    amount: MoneyStr
    origin: str


class EntitlementOut(BaseModel):
    entitlement_id: str
    program: Program
    status: str
    region_code: str
    payee_name_masked: str
    member_count: int
    case_id: str | None
    # Months from here are looked at again on the next roster (arrears, or checked against what was sent).
    unsettled_from: PeriodStr | None
    schedule: list[SegmentOut]


class HoldOut(BaseModel):
    hold_id: str
    household_id: str
    county_code: str
    program: Program | None
    kind: str
    reason: str
    from_period: PeriodStr | None
    created_at: dt.datetime
    created_by: str
    released_at: dt.datetime | None
    released_by: str | None
    release_reason: str | None


class HoldIn(BaseModel):
    household_id: Annotated[str, Field(min_length=1, max_length=64)]
    program: Program | None = None
    reason: Annotated[CleanText, StringConstraints(min_length=1, max_length=2000)]


class ReleaseIn(BaseModel):
    reason: Annotated[CleanText, StringConstraints(min_length=1, max_length=2000)]


class HouseholdOut(BaseModel):
    household_id: str
    entitlements: list[EntitlementOut]
    holds: list[HoldOut]
    account: AccountOut | None
    payments: list[StaffLine]
    recoveries: list[RecoveryOut]
