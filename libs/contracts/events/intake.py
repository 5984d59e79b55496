"""Events produced by intake (CONTRACTS.md §6): applications (DOMAIN.md §3)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from libs.contracts.events.base import EventPayload, Id, MemberRef, Text
from libs.contracts.id_number import IdNumberStr
from libs.contracts.money import MoneyStr
from libs.contracts.programs import Program
from libs.contracts.region import RegionCodeStr


class IncomeKind(StrEnum):
    # The four kinds an application declares for the last 12 months (DOMAIN.md §3.1).
    WAGES = "wages"
    BUSINESS = "business"
    PROPERTY = "property"
    TRANSFERS = "transfers"


class AssetKind(StrEnum):
    HOUSE = "house"
    VEHICLE = "vehicle"
    DEPOSIT = "deposit"
    SECURITIES = "securities"
    BUSINESS_REGISTRATION = "business_registration"
    OTHER = "other"


class DeclaredIncome(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    member_id_number: IdNumberStr
    kind: IncomeKind
    amount_12_months: MoneyStr


class DeclaredAsset(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    member_id_number: IdNumberStr | None = None
    kind: AssetKind
    description: str = ""
    value: MoneyStr | None = None


class CloseRelativeDeclaration(BaseModel):
    """Whether a member is a close relative of assistance staff (DOMAIN.md §7); matching cross-checks it."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    declared: bool
    staff_name: str | None = None
    relation: str | None = None


class ApplicationSubmitted(EventPayload):
    """An application was accepted (受理); the 30-working-day clock runs from `accepted_at` (§3.3)."""

    event_type = "application-submitted"

    application_id: Id
    application_no: Id
    program: Program
    region_code: RegionCodeStr
    applicant: MemberRef
    members: Annotated[tuple[MemberRef, ...], Field(min_length=1)]
    declared_income: tuple[DeclaredIncome, ...] = ()
    declared_assets: tuple[DeclaredAsset, ...] = ()
    close_relative: CloseRelativeDeclaration
    accepted_at: AwareDatetime
    due_date: dt.date
    # True when the due date falls in a year whose holiday schedule is not loaded yet (DOMAIN.md §10).
    due_date_provisional: bool = False


class ApplicationWithdrawn(EventPayload):
    event_type = "application-withdrawn"

    application_id: Id
    reason: Text
    withdrawn_at: AwareDatetime
