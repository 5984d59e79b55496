from __future__ import annotations

import datetime as dt

from pydantic import AwareDatetime, BaseModel


class MemberOut(BaseModel):
    id_number_masked: str
    name: str
    relation: str
    birth_date: dt.date


class EntitlementOut(BaseModel):
    entitlement_id: str
    program: str
    status: str
    monthly_amount: str
    effective_from: str
    effective_to: str | None
    since: dt.date
    schedule: list[dict[str, object]]


class HouseholdOut(BaseModel):
    household_id: str
    region_code: str
    status: str
    members: list[MemberOut]
    entitlements: list[EntitlementOut]
    review_class: str
    next_review_date: dt.date | None
    close_relative: bool
    predecessor_id: str | None
    successor_id: str | None
    bank_code: str | None
    account_no_masked: str | None
    version: int
    updated_at: AwareDatetime
    # Set when the household is shown as it stood on a past date.
    as_of: dt.date | None = None


class VersionOut(BaseModel):
    version: int
    recorded_at: AwareDatetime
    changes: list[str]
    case_id: str | None


class HouseholdSummary(BaseModel):
    household_id: str
    region_code: str
    status: str
    head_name_masked: str
    member_count: int
    programs: list[str]
    next_review_date: dt.date | None
    close_relative: bool
