"""What a case decides on, as typed documents: the members, their circumstances, the declared figures (sealed on
the case row), what the investigators found, and the township's proposal (in clear on the case row).

Built from intake's application, or from the household as it stands when a review opens, in one shape so the
calculation reads both the same way. Documents are frozen; a stage adds to one with `model_copy(update=...)`.

Stored documents keep the JSON keys they always had: a document is written with only the keys that were set
(`stored_json`), so a row written before a key existed reads back, and writes back, as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Self

from pydantic import BaseModel, ConfigDict, JsonValue, TypeAdapter

from libs.contracts.events.casework import CaseOutcome
from libs.contracts.events.intake import (
    ApplicationSubmitted,
    CloseRelativeDeclaration,
    DeclaredAsset,
    DeclaredExpenditure,
    DeclaredIncome,
    DeclaredObligor,
    SealedBankAccount,
)
from libs.contracts.events.matching import VerificationFinding
from libs.contracts.id_number import IdNumber
from libs.contracts.money import Money
from libs.contracts.programs import Program
from libs.kernel.presenters import from_row
from services.casework.benefit.rules import (
    AssetItem,
    BenefitInput,
    DeductionItem,
    DeductionKind,
    ExpenseItem,
    IncomeItem,
    MemberFacts,
    SelfCare,
)
from services.casework.case.schemas import AddedMember, InvestigationIn, RemovedMember, VerifiedIncome
from services.casework.context import CONTENT_CONTEXT, Casework
from services.casework.registry.state import HouseholdState


class Document(BaseModel):
    model_config = ConfigDict(frozen=True)

    def stored_json(self) -> str:
        """The JSON kept on the row: the keys that were set, as the document was built or read."""
        return self.model_dump_json(exclude_unset=True)

    def stored(self) -> dict[str, JsonValue]:
        """The same, as a JSON object (for a JSONB column)."""
        return self.model_dump(mode="json", exclude_unset=True)


class Circumstances(Document):
    """A member's disability, illness, labour capacity and employment; what else the registry kept is kept too."""

    model_config = ConfigDict(frozen=True, extra="allow")

    disability_kind: str | None = None
    disability_grade: int | None = None
    serious_illness: bool | None = None
    labour_capacity: str | None = None
    employment: str | None = None
    self_care: str | None = None


class CaseMember(Document):
    id_number: str
    name: str
    relation: str
    birth_date: dt.date
    details: Circumstances | None = None


class HeldEntitlement(Document):
    """What the household was paid when its review opened."""

    program: str
    status: str
    monthly_amount_fen: int


class CalculationLine(Document):
    label: str
    formula: str
    amount_fen: int | None = None


class SealedProposal(Document):
    """The part of the proposal that names people: kept sealed, never in the clear proposal."""

    members_removed: tuple[RemovedMember, ...] = ()
    beneficiary_id_number: str | None = None
    # Set only when the review changes them (case/member_changes.py), so earlier documents keep their keys.
    members_added: tuple[AddedMember, ...] = ()
    head_id_number: str | None = None
    former_head_relation: str | None = None


class CaseContent(Document):
    members: tuple[CaseMember, ...]
    applicant_id_number: str | None = None
    declared_income: tuple[DeclaredIncome, ...] = ()
    declared_assets: tuple[DeclaredAsset, ...] = ()
    expenditure: tuple[DeclaredExpenditure, ...] = ()
    obligor_support_monthly_fen: int = 0
    obligors: tuple[DeclaredObligor, ...] = ()
    payment_account: SealedBankAccount | None = None
    close_relative: CloseRelativeDeclaration | None = None
    # A review's trigger, as the event told it (program, months, amounts ...).
    trigger: dict[str, JsonValue] | None = None
    entitlements: tuple[HeldEntitlement, ...] = ()
    # Set by the proposal: the calculation's lines can name health grounds, so they are sealed (DOMAIN.md §11).
    calculation: tuple[CalculationLine, ...] = ()
    proposal: SealedProposal | None = None

    def member_ids(self) -> list[str]:
        return [m.id_number for m in self.members]

    def name_of(self, id_number: str) -> str:
        return next((m.name for m in self.members if m.id_number == id_number), "")

    def seal(self, ctx: Casework) -> str:
        return ctx.seal(self.stored_json(), CONTENT_CONTEXT)

    @classmethod
    def open(cls, ctx: Casework, sealed: str) -> Self:
        return cls.model_validate_json(ctx.open(sealed, CONTENT_CONTEXT))


class LeavingMember(Document):
    """A member leaving, as the clear proposal shows them: a masked name and the reason."""

    name_masked: str
    reason: str


class JoiningMember(Document):
    """A member joining, as the clear proposal shows them: a masked name and the reason (出生, 婚入 ...)."""

    name_masked: str
    reason: str


class ExitStep(Document):
    first: str
    last: str
    percent: int
    amount_fen: int


class Proposal(Document):
    """The township's proposal (初审) as kept in clear on the case and shown on the case view."""

    outcome: CaseOutcome
    reasons: tuple[str, ...] = ()
    amount_fen: int = 0
    review_class: str | None = None
    effective_month: str | None = None
    members_removed: tuple[LeavingMember, ...] = ()
    # Set only when the review adds members or changes the head (case/member_changes.py).
    members_added: tuple[JoiningMember, ...] | None = None
    head_changed: bool | None = None
    current_amount_fen: int = 0
    proposed_by: str | None = None
    proposed_at: str | None = None
    # A gradual exit only: the steps and the month it stops.
    schedule: tuple[ExitStep, ...] | None = None
    stop_month: str | None = None
    # A review only: the outcome its recalculation suggests and why (outcome/allowed.py), and a stop's own ground.
    suggested_outcome: str | None = None
    suggested_reason: str | None = None
    stop_ground: str | None = None


def proposal_of(stored: dict[str, JsonValue] | None) -> Proposal | None:
    return None if not stored else Proposal.model_validate(stored)


def seal_investigation(ctx: Casework, body: InvestigationIn) -> str:
    return ctx.seal(body.model_dump_json(), CONTENT_CONTEXT)


def open_investigation(ctx: Casework, sealed: str) -> InvestigationIn:
    return InvestigationIn.model_validate_json(ctx.open(sealed, CONTENT_CONTEXT))


_FINDINGS = TypeAdapter(tuple[VerificationFinding, ...])


def seal_findings(ctx: Casework, findings: tuple[VerificationFinding, ...]) -> str:
    return ctx.seal(_FINDINGS.dump_json(findings).decode(), CONTENT_CONTEXT)


def open_findings(ctx: Casework, sealed: str) -> tuple[VerificationFinding, ...]:
    return _FINDINGS.validate_json(ctx.open(sealed, CONTENT_CONTEXT))


def from_application(e: ApplicationSubmitted) -> CaseContent:
    details = {d.id_number: d for d in e.member_details}
    members = []
    for m in e.members:
        d = details.get(m.id_number)
        members.append(
            CaseMember(
                id_number=m.id_number,
                name=m.name,
                relation=m.relation,
                birth_date=d.birth_date if d else IdNumber.parse(m.id_number).birth_date,
                details=Circumstances(
                    disability_kind=d.disability_kind if d else None,
                    disability_grade=d.disability_grade if d else None,
                    serious_illness=d.serious_illness if d else False,
                    labour_capacity=d.labour_capacity if d else None,
                    employment=d.employment if d else None,
                ),
            )
        )
    return CaseContent(
        members=tuple(members),
        applicant_id_number=e.applicant.id_number,
        declared_income=e.declared_income,
        declared_assets=e.declared_assets,
        expenditure=e.declared_expenditure,
        obligor_support_monthly_fen=sum(Money.from_str(o.support_monthly).fen for o in e.obligors),
        obligors=e.obligors,
        payment_account=e.payment_account,
        close_relative=e.close_relative,
    )


def from_household(state: HouseholdState, trigger: dict[str, JsonValue]) -> CaseContent:
    return CaseContent(
        members=tuple(from_row(CaseMember, m, details=Circumstances.model_validate(m.details)) for m in state.members),
        applicant_id_number=state.head_id_number or (state.members[0].id_number if state.members else None),
        declared_income=(),
        obligor_support_monthly_fen=0,
        trigger=trigger,
        entitlements=tuple(
            HeldEntitlement(program=e.program, status=e.status, monthly_amount_fen=e.monthly_amount_fen)
            for e in state.entitlements
        ),
    )


def benefit_input(
    content: CaseContent,
    investigation: InvestigationIn | None,
    program: Program,
    *,
    leaving: frozenset[str] = frozenset(),
    beneficiary_id_number: str | None = None,
    one_off_fen: int | None = None,
) -> BenefitInput:
    """The calculation's input: the members who stay, declared income, expenditure and assets, and what the
    investigation verified."""
    found = {f.member_id_number: f for f in (investigation.members if investigation else ())}
    members = []
    for m in content.members:
        if m.id_number in leaving:
            continue
        d = m.details or Circumstances()
        f = found.get(m.id_number)
        employed = f.employed if f else None
        self_care = (f.self_care if f else None) or d.self_care
        members.append(
            MemberFacts(
                id_number=m.id_number,
                birth_date=m.birth_date,
                disability_kind=d.disability_kind,
                disability_grade=d.disability_grade,
                serious_illness=bool(d.serious_illness),
                employed=bool(employed) if employed is not None else d.employment == "employed",
                self_care=SelfCare(self_care) if self_care else None,
            )
        )
    staying = {m.id_number for m in members}
    verified = investigation.verified_income if investigation else ()
    support = investigation.obligor_support_monthly if investigation else None
    return BenefitInput(
        program=program,
        members=tuple(members),
        declared_income=_income_of(staying, content.declared_income),
        verified_income=_income_of(staying, verified),
        obligor_support_monthly_fen=(
            Money.from_str(support).fen if support not in (None, "0.00") else content.obligor_support_monthly_fen
        ),
        deductions=tuple(
            DeductionItem(
                DeductionKind(d.kind),
                Money.from_str(d.amount_12_months).fen,
                d.member_id_number if d.member_id_number in staying else None,
            )
            for d in (investigation.deductions if investigation else ())
        ),
        beneficiary_id_number=beneficiary_id_number if beneficiary_id_number in staying else None,
        one_off_fen=one_off_fen,
        declared_expenditure=tuple(
            ExpenseItem(str(e.kind), Money.from_str(e.amount_12_months).fen) for e in content.expenditure
        ),
        # A leaving member takes their own assets; the household's (no owner named) stay.
        assets=tuple(
            AssetItem(
                str(a.kind),
                Money.from_str(a.value).fen if a.value is not None else None,
                a.member_id_number if a.member_id_number in staying else None,
            )
            for a in content.declared_assets
            if a.member_id_number is None or a.member_id_number in staying
        ),
    )


def _income_of(staying: set[str], items: Iterable[DeclaredIncome | VerifiedIncome]) -> tuple[IncomeItem, ...]:
    """The twelve months' income of the members who stay, declared or verified alike."""
    return tuple(
        IncomeItem(i.member_id_number, str(i.kind), Money.from_str(i.amount_12_months).fen)
        for i in items
        if i.member_id_number in staying
    )
