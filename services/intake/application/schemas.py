"""What staff send and get for applications (DOMAIN.md §3.1–3.2). Field-level checks live here; rules across fields
(the applicant among the members, ages against programs, …) are in `rules.py`, so they can name the field they fail.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, Field, StringConstraints

from libs.contracts.disability import DisabilityKind
from libs.contracts.events.intake import AssetKind, CloseRelation, IncomeKind
from libs.contracts.id_number import IdNumberStr
from libs.contracts.models import Input
from libs.contracts.money import MoneyStr
from libs.contracts.programs import Program
from libs.contracts.text import CleanLine
from services.intake.fields import Name, Phone, Reason, ShortText, VillageCode


class Channel(StrEnum):
    COUNTER = "counter"
    ONLINE = "online"
    PROXY = "proxy"  # 代办: a relative or the village files for the applicant
    REFERRAL = "referral"  # from an active-discovery lead (DOMAIN.md §8)


class ApplicationStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"  # for supplement, with the full list of what is missing, once
    ACCEPTED = "accepted"
    WITHDRAWN = "withdrawn"
    DECIDED = "decided"  # closed by casework's decision


OPEN_STATUSES = frozenset({ApplicationStatus.SUBMITTED, ApplicationStatus.RETURNED, ApplicationStatus.ACCEPTED})


class Relation(StrEnum):
    """Relation to the household head."""

    HEAD = "head"
    SPOUSE = "spouse"
    CHILD = "child"
    PARENT = "parent"
    GRANDPARENT = "grandparent"
    GRANDCHILD = "grandchild"
    SIBLING = "sibling"
    CHILD_IN_LAW = "child_in_law"
    OTHER = "other"


class Health(StrEnum):
    HEALTHY = "healthy"
    CHRONIC_ILLNESS = "chronic_illness"
    SERIOUS_ILLNESS = "serious_illness"


class LabourCapacity(StrEnum):
    FULL = "full"
    PARTIAL = "partial"
    NONE = "none"


class Employment(StrEnum):
    EMPLOYED = "employed"
    SELF_EMPLOYED = "self_employed"
    FLEXIBLE = "flexible"
    FARMING = "farming"
    UNEMPLOYED = "unemployed"
    STUDENT = "student"
    RETIRED = "retired"
    NOT_WORKING = "not_working"


class ExpenditureKind(StrEnum):
    # Rigid expenditure deducted from income (DOMAIN.md §3.1; seed 004 §4 刚性支出扣减).
    MEDICAL = "medical"
    EDUCATION = "education"
    REHABILITATION = "rehabilitation"
    DISASTER = "disaster"
    OTHER = "other"


class MemberIn(Input):
    relation: Relation
    id_number: IdNumberStr
    name: Name
    disability_kind: DisabilityKind | None = None
    disability_grade: Annotated[int, Field(ge=1, le=4)] | None = None
    health: Health = Health.HEALTHY
    illness: ShortText = ""
    labour_capacity: LabourCapacity
    employment: Employment


class IncomeIn(Input):
    member_id_number: IdNumberStr
    kind: IncomeKind
    amount_12_months: MoneyStr
    note: ShortText = ""


class ExpenditureIn(Input):
    kind: ExpenditureKind
    amount_12_months: MoneyStr
    note: ShortText = ""


class AssetIn(Input):
    kind: AssetKind
    member_id_number: IdNumberStr | None = None
    # Plate number, property certificate number, unified credit code, account: whatever identifies it.
    identifier: ShortText = ""
    description: ShortText = ""
    value: MoneyStr | None = None


class ObligorIn(Input):
    """A legal supporter living apart and what they give each month (DOMAIN.md §3.1)."""

    id_number: IdNumberStr
    name: Name
    relation: Annotated[CleanLine, StringConstraints(min_length=1, max_length=40)]
    support_monthly: MoneyStr


class BankAccountIn(Input):
    bank_code: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Z0-9]{2,12}$")]
    account_no: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9]{8,32}$")]
    holder_id_number: IdNumberStr


class RelativeIn(Input):
    member_id_number: IdNumberStr
    staff_name: Name
    staff_user: Annotated[CleanLine, StringConstraints(max_length=128)] | None = None
    staff_unit: ShortText = ""
    relation: CloseRelation


class CloseRelativeIn(Input):
    declared: bool
    relatives: list[RelativeIn] = Field(default_factory=list, max_length=20)


class DeclarationsIn(Input):
    truthfulness_commitment: bool  # 告知承诺: the data is true, no certificates asked
    verification_authorisation: bool  # 授权核对: the household allows the economic verification
    close_relative: CloseRelativeIn


class ProxyIn(Input):
    name: Name
    id_number: IdNumberStr
    phone: Phone | None = None
    relation: Annotated[CleanLine, StringConstraints(min_length=1, max_length=40)]


class ApplicationIn(Input):
    """An application as declared; the same body creates a draft and replaces it (a new version)."""

    program: Program
    region_code: VillageCode
    channel: Channel
    lead_id: str | None = Field(default=None, max_length=64)
    emergency: bool = False
    applicant_id_number: IdNumberStr
    members: list[MemberIn] = Field(min_length=1, max_length=30)
    income: list[IncomeIn] = Field(default_factory=list, max_length=200)
    expenditure: list[ExpenditureIn] = Field(default_factory=list, max_length=50)
    assets: list[AssetIn] = Field(default_factory=list, max_length=100)
    obligors: list[ObligorIn] = Field(default_factory=list, max_length=20)
    bank_account: BankAccountIn | None = None
    declarations: DeclarationsIn
    proxy: ProxyIn | None = None
    note: ShortText = ""


class ReasonIn(Input):
    reason: Reason


class MissingItem(Input):
    item: Annotated[CleanLine, StringConstraints(min_length=1, max_length=200)]
    note: ShortText = ""


class ReturnIn(Input):
    missing: list[MissingItem] = Field(min_length=1, max_length=50)


# ---- responses ------------------------------------------------------------------------------------------------


class MemberOut(BaseModel):
    relation: str
    id_number_masked: str
    name: str
    birth_date: dt.date
    sex: str
    disability_kind: str | None
    disability_grade: int | None
    health: str
    labour_capacity: str
    employment: str


class IncomeOut(BaseModel):
    member_name: str
    kind: IncomeKind
    amount_12_months: str
    note: str


class BankAccountOut(BaseModel):
    bank_code: str
    account_no_masked: str
    holder_name: str


class ApplicationSummary(BaseModel):
    application_id: str
    application_no: str
    program: Program
    region_code: str
    channel: str
    status: ApplicationStatus
    emergency: bool
    applicant_name: str = Field(description="Masked (张*三)")
    member_count: int
    close_relative_declared: bool
    created_at: AwareDatetime
    accepted_at: AwareDatetime | None
    due_date: dt.date | None
    due_date_provisional: bool
    overdue: bool
    lead_id: str | None


class HistoryEntry(BaseModel):
    at: AwareDatetime
    action: str
    status: str
    actor: str
    actor_name: str
    version: int
    note: str
    detail: dict[str, object]


class Decision(BaseModel):
    case_id: str
    outcome: str
    reasons: list[str]
    effective_month: str | None
    decided_at: AwareDatetime


class ApplicationOut(ApplicationSummary):
    version: int
    applicant_name_full: str
    members: list[MemberOut]
    income: list[IncomeOut]
    expenditure: list[ExpenditureIn]
    assets_count: int
    obligor_count: int
    bank_account: BankAccountOut | None
    declarations_signed: bool
    close_relatives: list[dict[str, str]]
    missing_items: list[MissingItem] | None
    extension_reason: str | None
    withdrawal_reason: str | None
    decision: Decision | None
    history: list[HistoryEntry]
