from __future__ import annotations

import datetime as dt

from pydantic import AwareDatetime, BaseModel, Field


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
    next_review_date: dt.date | None = Field(
        default=None, description="The program's next visit by its review rule; none where the registry check covers it"
    )


class HouseholdOut(BaseModel):
    household_id: str
    region_code: str
    status: str
    members: list[MemberOut]
    entitlements: list[EntitlementOut]
    review_class: str = Field(description="The review class (A yearly, B half-yearly, C quarterly; DOMAIN.md §4)")
    next_review_date: dt.date | None = Field(description="When the next periodic review opens; none if not reviewed")
    close_relative: bool = Field(description="A close relative of staff is a member (备案, DOMAIN.md §7)")
    predecessor_id: str | None = Field(description="The household this one was split from or succeeded")
    successor_id: str | None = Field(description="The household that succeeded this closed one")
    bank_code: str | None = Field(description="The bank of the payment account")
    account_no_masked: str | None = Field(description="The payment account, masked")
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
