"""Temporary grants as staff file and read them (issue 20, seed 004 二(七))."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, Field, StringConstraints

from libs.contracts.bank_account import PayeeAccountIn
from libs.contracts.dates import Instant
from libs.contracts.events.grants import GrantKind
from libs.contracts.id_number import IdNumberStr
from libs.contracts.models import Input
from libs.contracts.money import MoneyStr
from libs.contracts.region import RegionCodeStr
from libs.contracts.text import CleanText, PersonName
from services.casework.grants.models import Cause, Payment, Review

Situation = Annotated[CleanText, StringConstraints(min_length=1, max_length=2000)]
Reason = Annotated[CleanText, StringConstraints(min_length=1, max_length=2000)]


# The account the grant is paid into: the person's own, or the family member's who receives it.
GrantAccount = PayeeAccountIn


class GrantPerson(Input):
    id_number: IdNumberStr
    name: PersonName


class AdvanceIn(Input):
    """小金额先行救助: granted at first contact by the township where the emergency happened, explained afterwards."""

    # A village or township code of the place of the emergency, whatever the person's registration.
    region_code: RegionCodeStr
    person: GrantPerson
    family_size: int = Field(default=1, ge=1, le=30)
    cause: Cause
    situation: Situation
    amount: MoneyStr
    account: GrantAccount
    discovered_at: Instant


class ExplanationIn(Input):
    """事后补充说明情况: what was found after the advance, for the county to confirm."""

    explanation: Reason


class ReviewIn(Input):
    """The county confirms an explained advance, or reclaims it (what was paid is recovered)."""

    decision: Literal["confirm", "reclaim"]
    reason: Annotated[CleanText, StringConstraints(max_length=2000)] = ""


class ReissueIn(Input):
    """After the bank refused the payment: the grant again, to a corrected account."""

    account: GrantAccount


class GrantOut(BaseModel):
    grant_id: str
    kind: GrantKind
    region_code: str
    household_id: str | None
    case_id: str | None
    name_masked: str
    family_size: int
    cause: Cause
    situation: str
    amount: str
    bank_code: str
    account_no_masked: str
    discovered_at: AwareDatetime
    pay_by: dt.date
    pay_by_provisional: bool
    # Unpaid past `pay_by`, or paid after it: the 3-working-day clock was missed.
    overdue: bool
    payment: Payment
    attempt: int
    paid_at: AwareDatetime | None
    failure_reason: str | None
    review: Review
    explanation: str | None
    explained_at: AwareDatetime | None
    review_reason: str | None
    reviewed_at: AwareDatetime | None
    granted_at: AwareDatetime
    granted_by: str
