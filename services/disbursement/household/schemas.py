"""A household's payment file (一户一档, DOMAIN.md §11) as staff see it: what each module holds on the household."""

from __future__ import annotations

from pydantic import BaseModel

from libs.contracts.money import MoneyStr
from libs.contracts.period import PeriodStr
from libs.contracts.programs import Program
from services.disbursement.accounts.schemas import AccountOut
from services.disbursement.ledger.schemas import HoldOut
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


class HouseholdOut(BaseModel):
    household_id: str
    entitlements: list[EntitlementOut]
    holds: list[HoldOut]
    account: AccountOut | None
    payments: list[StaffLine]
    recoveries: list[RecoveryOut]
