"""Cases on the staff API (no ORM imports): proposals, investigations, decisions and the case view."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import AliasChoices, AwareDatetime, BaseModel, Field, JsonValue, StringConstraints

from libs.contracts.dates import PastDate
from libs.contracts.disability import DisabilityKind
from libs.contracts.events.casework import CaseOutcome
from libs.contracts.id_number import IdNumberStr
from libs.contracts.models import Input
from libs.contracts.money import MoneyStr
from libs.contracts.period import BoundedPeriodStr
from libs.contracts.text import CleanLine, CleanText, PersonName
from services.casework.benefit.rules import DeductionKind, SelfCare
from services.casework.case.evaluation_schemas import EvaluationOut
from services.casework.case.rules import CaseKind, CaseStatus, Trigger
from services.casework.outcome.allowed import StopGround
from services.casework.registry.models import ReviewClass

__all__ = ["Trigger"]

Reason = Annotated[CleanText, StringConstraints(min_length=1, max_length=2000)]
ShortText = Annotated[CleanLine, StringConstraints(min_length=1, max_length=200)]


class Investigator(Input):
    user: ShortText
    name: PersonName


class VerifiedIncome(Input):
    member_id_number: IdNumberStr
    kind: Annotated[str, StringConstraints(pattern=r"^(wages|business|property|transfers)$")]
    amount_12_months: MoneyStr


class Deduction(Input):
    kind: DeductionKind
    amount_12_months: MoneyStr
    member_id_number: IdNumberStr | None = None


class MemberFinding(Input):
    """What the investigators saw of one member: employment and self-care change the calculation."""

    member_id_number: IdNumberStr
    employed: bool | None = None
    self_care: SelfCare | None = None


class CommitmentIn(Input):
    """The household's 属实承诺书 (seed 001 三(五): 申报或复核时应填写), signed at the visit: who signed, and when."""

    signed: bool
    signed_by: PersonName
    # How the signer stands to the household (户主, 本人, 监护人 ...).
    signer_relation: Annotated[CleanLine, StringConstraints(min_length=1, max_length=40)]
    signed_on: PastDate


class InvestigationIn(Input):
    """A home investigation (入户调查) by at least two officers, with neighbour visits (DOMAIN.md §3.5). A review's
    carries the household's commitment; an application's was signed at intake."""

    investigators: Annotated[tuple[Investigator, ...], Field(min_length=2, max_length=10)]
    # A visit that happened: not in the future, not in year 1 (issue 17).
    visited_on: PastDate
    findings: Reason
    neighbour_visits: Annotated[CleanText, StringConstraints(max_length=2000)] = ""
    verified_income: tuple[VerifiedIncome, ...] = ()
    deductions: tuple[Deduction, ...] = ()
    members: tuple[MemberFinding, ...] = ()
    obligor_support_monthly: MoneyStr = "0.00"
    # A desk check (the file and the registry data, no home visit) in a simplified annual review: enough to continue
    # a household whose situation did not change (seed 001 三(五); case/simplified.py).
    simplified: bool = False
    commitment: CommitmentIn | None = None


class RemovedMember(Input):
    id_number: IdNumberStr
    reason: Reason


class JoinReason(StrEnum):
    """Why a member joins at review (seed 000 四(二) 核增救助人口)."""

    BIRTH = "birth"  # 出生
    MARRIAGE = "marriage"  # 婚入
    RELEASE = "release"  # 刑满释放
    ARMY = "army"  # 退役
    OTHER = "other"


# The relations of intake's members (services/intake/application/schemas.py `Relation`) except `head`: a joining
# member heads the household only through `head_id_number`.
MemberRelation = Annotated[
    str,
    StringConstraints(pattern=r"^(spouse|child|parent|grandparent|grandchild|sibling|child_in_law|other)$"),
]


class AddedMember(Input):
    """A member joining at review, with what the application asks of a member, the reason and the evidence seen."""

    id_number: IdNumberStr
    name: PersonName
    relation: MemberRelation
    # Default: the birth date in the identity number.
    birth_date: PastDate | None = None
    labour_capacity: Annotated[str, StringConstraints(pattern=r"^(full|partial|none)$")]
    employment: Annotated[
        str,
        StringConstraints(
            pattern=r"^(employed|self_employed|flexible|farming|unemployed|student|retired|not_working)$"
        ),
    ]
    disability_kind: DisabilityKind | None = None
    disability_grade: Annotated[int, Field(ge=1, le=4)] | None = None
    serious_illness: bool = False
    # The member's own wages over the last 12 months (a spouse marrying in often works): counted in the calculation.
    wages_12_months: MoneyStr = "0.00"
    reason: JoinReason
    # What was seen: a birth certificate (出生医学证明), a marriage certificate, a release or discharge paper.
    evidence: Reason


class ProposalIn(Input):
    """The township's proposed decision (初审); the amount is calculated, never typed in."""

    outcome: CaseOutcome
    reasons: tuple[Reason, ...] = ()
    review_class: ReviewClass | None = None
    # For individual programs (单人保, 特困, disability, allowances): the member the benefit is for.
    beneficiary_id_number: IdNumberStr | None = None
    # Temporary assistance: the one-off amount.
    one_off_amount: MoneyStr | None = None
    # Reviews: members leaving the household (death, imprisonment, moving out) with a reason each.
    members_removed: tuple[RemovedMember, ...] = ()
    # Reviews (adjusted only): members joining (核增), counted in the calculation and added at the decision.
    members_added: Annotated[tuple[AddedMember, ...], Field(max_length=20)] = ()
    # Reviews (adjusted only): a new head, a member who stays (or joins); the former head, if staying, takes
    # `former_head_relation` (default `other`).
    head_id_number: IdNumberStr | None = None
    former_head_relation: MemberRelation | None = None
    # A stop takes effect from this month (default: the month after the decision; for a death review, the month
    # after the death, and never earlier: case/deaths.py).
    effective_month: BoundedPeriodStr | None = None
    # A stop on a ground outside the income test (death, moving out, a sole member's imprisonment, fraud): allowed
    # whatever the recalculation suggests (services/casework/outcome/allowed.py).
    stop_ground: StopGround | None = None


class ObjectionIn(Input):
    summary: Reason
    raised_by: ShortText


class DecisionIn(Input):
    decision: Annotated[str, StringConstraints(pattern=r"^(confirm|reject|return)$")]
    reasons: tuple[Reason, ...] = ()


class ReturnIn(Input):
    reason: Reason


class HistoryOut(BaseModel):
    at: AwareDatetime
    actor: str
    actor_name: str
    action: str
    status_from: str | None
    status_to: str
    detail: str


class InvestigationOut(BaseModel):
    round: int
    investigators: list[str]
    visited_on: dt.date
    by_county: bool
    findings: str
    neighbour_visits: str
    simplified: bool  # a desk check of a simplified annual review, not a home visit
    recorded_by: str
    recorded_at: AwareDatetime
    # The commitment the investigation carried (a review's), as signed.
    commitment: CommitmentIn | None = None


class FindingOut(BaseModel):
    member_id_number_masked: str
    source: str
    outcome: str
    detail: str


class AttachmentOut(BaseModel):
    # The presenter reads the row's `id` (`model_validate(row, from_attributes=True)`).
    attachment_id: str = Field(validation_alias=AliasChoices("attachment_id", "id"))
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: AwareDatetime


class LineOut(BaseModel):
    label: str
    formula: str
    amount: str | None


class CaseSummary(BaseModel):
    case_id: str
    kind: CaseKind
    trigger: Trigger
    status: CaseStatus
    program: str
    region_code: str
    household_id: str | None
    application_id: str | None
    application_no: str | None
    applicant_name_masked: str
    member_count: int
    due_date: dt.date | None
    overdue: bool
    close_relative: bool
    county_investigation: bool
    proposed_outcome: str | None
    proposed_amount: str | None
    outcome: str | None
    opened_at: AwareDatetime


class CaseMemberOut(BaseModel):
    id_number_masked: str
    name: str
    relation: str
    birth_date: dt.date


class CaseOut(CaseSummary):
    due_date_provisional: bool
    emergency: bool
    trigger_summary: str
    members: list[CaseMemberOut]
    calculation: list[LineOut]
    # The proposal as kept on the case (case/content.py `Proposal`, with only the keys it was written with).
    proposal: dict[str, JsonValue] | None
    publicity_ends_on: dt.date | None
    reasons: list[str]
    effective_month: str | None
    decided_at: AwareDatetime | None
    decided_by: str | None
    verification: list[FindingOut]
    investigations: list[InvestigationOut]
    evaluations: list[EvaluationOut]
    attachments: list[AttachmentOut]
    history: list[HistoryOut]
    version: int


class OverdueOut(BaseModel):
    region_code: str
    open_cases: int
    overdue: int


class PostingItem(BaseModel):
    """One line of a village posting (DOMAIN.md §11): no identity number, no illness, never a child's allowance."""

    name_masked: str
    household_size: int
    program: str
    monthly_amount: str
    # "proposed" (公示 of a proposal), "continuing" (the confirmation posting, 一榜公示, of a simplified annual review)
    # or "recipient" (the standing list)
    stage: str
    ends_on: dt.date | None = None


class PostingOut(BaseModel):
    village_code: str
    on: dt.date
    items: list[PostingItem]
