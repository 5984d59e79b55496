"""Events produced by intake (CONTRACTS.md §6): applications (DOMAIN.md §3)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, Field

from libs.contracts.events.base import EventPayload, Id, MemberRef, PersonRef, Text
from libs.contracts.id_number import IdNumberStr
from libs.contracts.models import Tolerant
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


class DeclaredIncome(Tolerant):
    member_id_number: IdNumberStr
    kind: IncomeKind
    amount_12_months: MoneyStr


class DeclaredAsset(Tolerant):
    member_id_number: IdNumberStr | None = None
    kind: AssetKind
    description: str = ""
    value: MoneyStr | None = None


class CloseRelation(StrEnum):
    """The close relatives of seed 002 (DOMAIN.md §7), from the member's side."""

    SPOUSE = "spouse"
    PARENT = "parent"
    CHILD = "child"
    SIBLING = "sibling"
    GRANDPARENT = "grandparent"
    GRANDCHILD = "grandchild"
    UNCLE_AUNT = "uncle_aunt"
    COUSIN = "cousin"
    NEPHEW_NIECE = "nephew_niece"
    SPOUSE_PARENT = "spouse_parent"
    SPOUSE_SIBLING = "spouse_sibling"
    SPOUSE_SIBLING_SPOUSE = "spouse_sibling_spouse"
    CHILD_SPOUSE = "child_spouse"
    CHILD_SPOUSE_PARENT = "child_spouse_parent"


class DeclaredRelative(Tolerant):
    """One declared relation between a household member and a staff or village-committee member."""

    member_id_number: IdNumberStr
    staff_name: Text
    # The staff member's user id when known, so the system can enforce recusal exactly (DOMAIN.md §7).
    staff_user: str | None = None
    staff_unit: str = ""
    relation: CloseRelation


class CloseRelativeDeclaration(Tolerant):
    """Whether a member is a close relative of assistance staff (DOMAIN.md §7); matching cross-checks it."""

    declared: bool
    # The first declared relation (kept for consumers built before `relatives`).
    staff_name: str | None = None
    relation: str | None = None
    relatives: tuple[DeclaredRelative, ...] = ()


class MemberDetails(Tolerant):
    """What eligibility rules need about a member (DOMAIN.md §2); health stays a flag, never a diagnosis."""

    id_number: IdNumberStr
    birth_date: dt.date
    disability_kind: str | None = None
    disability_grade: int | None = None
    serious_illness: bool = False
    labour_capacity: str
    employment: str


class DeclaredObligor(Tolerant):
    """A legal supporter living apart (赡养/抚养/扶养义务人); matching checks dibao and tekun obligors (§5)."""

    person: PersonRef
    relation: Text
    support_monthly: MoneyStr


class DeclaredExpenditure(Tolerant):
    kind: Text
    amount_12_months: MoneyStr


class SealedBankAccount(Tolerant):
    """The payment account, never in clear on the broker: sealed with the deployment's PII key (DOMAIN.md §9, §11).

    `account_no_sealed` is `PiiVault.encrypt(account_no, context=BANK_ACCOUNT_SEAL_CONTEXT)`; only casework opens it.
    """

    bank_code: Text
    holder_name: Text
    account_no_masked: Text
    account_no_sealed: Text


BANK_ACCOUNT_SEAL_CONTEXT = "jiuzhu/bank-account"


def mask_account(number: str) -> str:
    """`account_no_masked`: the bank's first four digits and the last four, as on a card; a number too short to
    keep anything hidden is all stars."""
    return number[:4] + "*" * (len(number) - 8) + number[-4:] if len(number) > 8 else "*" * len(number)


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
    channel: str | None = None
    lead_id: Id | None = None
    # Emergency temporary assistance: paid first, documented after (seed 004 §7).
    emergency: bool = False
    member_details: tuple[MemberDetails, ...] = ()
    declared_expenditure: tuple[DeclaredExpenditure, ...] = ()
    obligors: tuple[DeclaredObligor, ...] = ()
    payment_account: SealedBankAccount | None = None


class ApplicationDeadlineExtended(EventPayload):
    """The statutory clock was extended once, with a reason (seed 001 §4: 30 → 45 working days)."""

    event_type = "application-deadline-extended"

    application_id: Id
    due_date: dt.date
    due_date_provisional: bool = False
    reason: Text
    extended_at: AwareDatetime


class ReviewReason(StrEnum):
    # A provincial monitoring warning (CONTRACTS.md §4); the kinds of the warning contract.
    INCOME_DROP = "income_drop"
    SERIOUS_ILLNESS = "serious_illness"
    DISASTER = "disaster"
    UNEMPLOYMENT = "unemployment"
    DEATH = "death"
    OTHER = "other"


class ReviewRequested(EventPayload):
    """A warning about a current recipient: casework opens a triggered review (DOMAIN.md §4) under `case_id`.

    Intake allocates the case id so it can answer the province at once; casework adopts it, so a repeat of this
    event opens nothing new.
    """

    event_type = "review-requested"

    case_id: Id
    household_id: Id
    region_code: RegionCodeStr
    person: PersonRef
    reason: ReviewReason
    detail: str = ""
    source: Text
    source_ref: Id
    raised_at: AwareDatetime


class ApplicationWithdrawn(EventPayload):
    event_type = "application-withdrawn"

    application_id: Id
    reason: Text
    withdrawn_at: AwareDatetime
