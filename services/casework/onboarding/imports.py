"""Registering the recipients a county already has (from its old spreadsheets and provincial screens).

A county moving to Jiuzhu brings households that were decided years ago; they enter the registry as they are, with
their programs and amounts, as version 1 with the change `imported`, and are published like any other change so
payments and matching see them. Nothing is decided here: the next periodic review applies the rules.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints, model_validator
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.bank_account import PayeeAccountIn
from libs.contracts.dates import CivilDate
from libs.contracts.events.casework import EntitlementStatus, HouseholdChange, HouseholdChangeKind
from libs.contracts.events.intake import BANK_ACCOUNT_SEAL_CONTEXT, SealedBankAccount
from libs.contracts.id_number import IdNumber, IdNumberStr
from libs.contracts.models import Input
from libs.contracts.money import Money, MoneyStr
from libs.contracts.period import BoundedPeriodStr
from libs.contracts.programs import MONTHLY_CEILING_FEN, Program
from libs.contracts.region import RegionCodeStr
from libs.contracts.text import CleanLine, PersonName
from libs.kernel.auth import Principal, ensure_jurisdiction
from services.casework.ceilings import Loc, above_ceiling
from services.casework.context import Casework
from services.casework.registry import service as registry
from services.casework.registry.errors import PersonAlreadyRecipient
from services.casework.registry.models import Household, ReviewClass
from services.casework.relatives import service as relatives_service

Label = Annotated[CleanLine, StringConstraints(min_length=1, max_length=50)]


class ImportedMember(Input):
    id_number: IdNumberStr
    name: PersonName
    relation: Label
    disability_kind: Label | None = None
    disability_grade: int | None = Field(default=None, ge=1, le=4)
    serious_illness: bool = False
    labour_capacity: Label | None = None
    employment: Label | None = None


class ImportedProgram(Input):
    program: Program
    monthly_amount: MoneyStr
    since: BoundedPeriodStr
    beneficiary_id_number: IdNumberStr | None = None


class HouseholdImport(Input):
    region_code: RegionCodeStr
    members: Annotated[tuple[ImportedMember, ...], Field(min_length=1, max_length=30)]
    programs: Annotated[tuple[ImportedProgram, ...], Field(min_length=1)]
    review_class: ReviewClass
    next_review_date: CivilDate
    account: PayeeAccountIn | None = None
    # The old system's household number, kept so the import can be repeated without duplicates.
    legacy_ref: Annotated[CleanLine, StringConstraints(min_length=1, max_length=100)]

    @model_validator(mode="after")
    def _consistent(self) -> HouseholdImport:
        ids = [m.id_number for m in self.members]
        if len(set(ids)) != len(ids):
            raise ValueError("a member is listed twice")
        if [m.relation for m in self.members].count("head") != 1:
            raise ValueError("exactly one member has the relation head")
        if len({p.program for p in self.programs}) != len(self.programs):
            raise ValueError("a program is listed twice")
        if any(p.beneficiary_id_number not in (None, *ids) for p in self.programs):
            raise ValueError("a beneficiary is not a member")
        if any(p.program is Program.TEMPORARY for p in self.programs):
            # Temporary assistance is one payment (issue 20): a monthly amount of it would recur for good.
            raise ValueError("temporary assistance is paid once, never imported as a monthly program")
        return self


def _ensure_amounts_payable(body: HouseholdImport) -> None:
    """Every imported amount is one its program could pay (issue 17: "999999999999999.99" was accepted, and every later
    roster of the county failed); all of them named at once, nothing stored."""
    beyond: list[tuple[Loc, Program]] = [
        (("body", "programs", i, "monthly_amount"), p.program)
        for i, p in enumerate(body.programs)
        if Money.from_str(p.monthly_amount).fen > MONTHLY_CEILING_FEN[p.program]
    ]
    if beyond:
        ceilings = ", ".join(f"{program.value} {Money.from_fen(MONTHLY_CEILING_FEN[program])}" for _, program in beyond)
        raise above_ceiling(
            f"an amount is above what its program pays a household a month ({ceilings})", *(loc for loc, _ in beyond)
        )


async def import_household(session: AsyncSession, ctx: Casework, who: Principal, body: HouseholdImport) -> Household:
    ensure_jurisdiction(who, body.region_code)
    _ensure_amounts_payable(body)
    for m in body.members:
        existing = await registry.find_active_household_of(session, ctx.hash(m.id_number))
        if existing is not None:
            raise PersonAlreadyRecipient(
                f"{IdNumber.parse(m.id_number).masked()} already belongs to household {existing.id}",
                household_id=existing.id,
            )
    head = next(m for m in body.members if m.relation == "head")
    account = None
    if body.account is not None:
        account = SealedBankAccount(
            bank_code=body.account.bank_code,
            holder_name=body.account.holder_name,
            account_no_masked=body.account.account_no[:4] + "*" * 8 + body.account.account_no[-4:],
            account_no_sealed=ctx.seal(body.account.account_no, BANK_ACCOUNT_SEAL_CONTEXT),
        )
    household = await registry.create_household(
        session,
        ctx,
        region_code=body.region_code,
        members=[
            registry.NewMember(
                id_number=m.id_number,
                name=m.name,
                relation=m.relation,
                birth_date=IdNumber.parse(m.id_number).birth_date,
                details=m.model_dump(
                    include={"disability_kind", "disability_grade", "serious_illness", "labour_capacity", "employment"}
                ),
            )
            for m in body.members
        ],
        head_id_number=head.id_number,
        review_class=body.review_class,
        next_review_date=body.next_review_date,
        account=account,
    )
    found = await relatives_service.detect_for_people(
        session,
        ctx,
        subject_kind="household",
        subject_id=household.id,
        person_hashes={ctx.hash(m.id_number) for m in body.members},
    )
    household.close_relative = bool(found)
    for p in body.programs:
        # Each program keeps the old system's date until its first decision here sets it by the region's rule
        # (case/review_dates.py), as the rows of households made before the rules were (casework_0012).
        entitlement = await registry.set_entitlement(
            session,
            ctx,
            household,
            program=p.program,
            status=EntitlementStatus.ACTIVE,
            monthly_amount_fen=Money.from_str(p.monthly_amount).fen,
            effective_from=p.since,
            beneficiary_id_number=p.beneficiary_id_number,
            case_id=None,
        )
        entitlement.next_review_date = body.next_review_date
    changes = [
        HouseholdChange(
            kind=HouseholdChangeKind.MEMBER_ADDED, id_number=m.id_number, detail=f"imported {body.legacy_ref}"
        )
        for m in body.members
    ]
    state = await registry.record_version(session, ctx, household, changes, case_id=None)
    for e in state.entitlements:
        await registry.publish_entitlement(session, ctx, household, state, e)
    return household
