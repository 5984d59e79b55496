"""Changing the registry: every change writes a sealed version and publishes `household-changed`, in the caller's
transaction (DOMAIN.md §4, §11; CONTRACTS.md §4, §6). The versions are the registry's change rows: the province's
push reads them (province/feed.py); the registry knows nothing of who follows it."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypedDict, Unpack

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.clock import CHINA_TZ
from libs.contracts.events.base import MemberRef, PersonRef
from libs.contracts.events.casework import (
    EntitlementChanged,
    EntitlementStatus,
    HouseholdChange,
    HouseholdChanged,
    HouseholdSnapshot,
)
from libs.contracts.events.intake import SealedBankAccount
from libs.contracts.money import Money
from libs.contracts.programs import Program
from libs.kernel.listening import notify_at_commit
from libs.kernel.presenters import from_row
from services.casework.context import DETAILS_CONTEXT, ID_NUMBER_CONTEXT, SNAPSHOT_CONTEXT, Casework
from services.casework.registry.models import (
    VERSIONS_RECORDED,
    Entitlement,
    GradualExitStep,
    Household,
    HouseholdMember,
    HouseholdStatus,
    HouseholdVersion,
)
from services.casework.registry.state import EntitlementState, HouseholdState, MemberState, load_state


@dataclass(frozen=True, slots=True)
class NewMember:
    id_number: str
    name: str
    relation: str
    birth_date: dt.date
    details: dict[str, object]


async def find_active_household_of(session: AsyncSession, person_hash: str) -> Household | None:
    """The active household the person currently belongs to, if any."""
    stmt = (
        select(Household)
        .join(HouseholdMember, HouseholdMember.household_id == Household.id)
        .where(
            HouseholdMember.person_hash == person_hash,
            HouseholdMember.left_at.is_(None),
            Household.status == HouseholdStatus.ACTIVE,
        )
        .limit(1)
    )
    return (await session.scalars(stmt)).first()


async def create_household(
    session: AsyncSession,
    ctx: Casework,
    *,
    region_code: str,
    members: Sequence[NewMember],
    head_id_number: str,
    review_class: str,
    next_review_date: dt.date | None,
    account: SealedBankAccount | None,
    predecessor_id: str | None = None,
    close_relative: bool = False,
) -> Household:
    now = ctx.now()
    household = Household(
        id=f"hh-{uuid.uuid4()}",
        region_code=region_code,
        status=HouseholdStatus.ACTIVE,
        head_hash=ctx.hash(head_id_number),
        review_class=review_class,
        next_review_date=next_review_date,
        close_relative=close_relative,
        predecessor_id=predecessor_id,
        version=0,
        created_at=now,
        updated_at=now,
    )
    set_account(household, account)
    session.add(household)
    await session.flush()
    for m in members:
        add_member(session, ctx, household, m)
    await session.flush()
    return household


def set_account(household: Household, account: SealedBankAccount | None) -> None:
    """The payment account stays sealed with the deployment key (only disbursement opens it, DOMAIN.md §9)."""
    if account is None:
        return
    household.bank_code = account.bank_code
    household.account_holder = account.holder_name
    household.account_no_masked = account.account_no_masked
    household.account_no_sealed = account.account_no_sealed
    household.bank_account_ref = f"acct-{uuid.uuid4()}"


def add_member(session: AsyncSession, ctx: Casework, household: Household, m: NewMember) -> None:
    session.add(
        HouseholdMember(
            household_id=household.id,
            person_hash=ctx.hash(m.id_number),
            id_number_sealed=ctx.seal(m.id_number, ID_NUMBER_CONTEXT),
            name=m.name,
            relation=m.relation,
            birth_date=m.birth_date,
            details_sealed=ctx.seal(json.dumps(m.details, ensure_ascii=False, default=str), DETAILS_CONTEXT),
            joined_at=ctx.now(),
        )
    )


async def remove_members(
    session: AsyncSession, ctx: Casework, household: Household, leaving: dict[str, str]
) -> list[str]:
    """End the memberships of `leaving` (id number → reason); returns the id numbers that were members."""
    hashes = {ctx.hash(i): i for i in leaving}
    rows = (
        await session.scalars(
            select(HouseholdMember).where(
                HouseholdMember.household_id == household.id,
                HouseholdMember.person_hash.in_(list(hashes)),
                HouseholdMember.left_at.is_(None),
            )
        )
    ).all()
    for row in rows:
        row.left_at = ctx.now()
        row.left_reason = leaving[hashes[row.person_hash]]
    return [hashes[r.person_hash] for r in rows]


async def close(session: AsyncSession, ctx: Casework, household: Household, reason: str) -> None:
    household.status = HouseholdStatus.CLOSED
    household.closed_at = ctx.now()
    household.closed_reason = reason
    household.next_review_date = None


async def set_entitlement(
    session: AsyncSession,
    ctx: Casework,
    household: Household,
    program: Program,
    status: EntitlementStatus,
    monthly_amount_fen: int,
    *,
    effective_from: str,
    effective_to: str | None = None,
    beneficiary_id_number: str | None = None,
    schedule: list[GradualExitStep] | None = None,
    case_id: str | None,
) -> Entitlement:
    """Create or change the household's entitlement under `program` (one row per household and program)."""
    row = (
        await session.scalars(
            select(Entitlement).where(Entitlement.household_id == household.id, Entitlement.program == program)
        )
    ).first()
    now = ctx.now()
    if row is None:
        row = Entitlement(id=f"ent-{uuid.uuid4()}", household_id=household.id, program=program, since=now.date())
        session.add(row)
    row.status = status
    row.monthly_amount_fen = monthly_amount_fen
    row.effective_from = effective_from
    row.effective_to = effective_to
    row.beneficiary_hash = ctx.hash(beneficiary_id_number) if beneficiary_id_number else None
    row.schedule = schedule
    row.case_id = case_id
    row.updated_at = now
    if status in (EntitlementStatus.STOPPED, EntitlementStatus.GRADUAL_EXIT):
        # No visit of a program that stops or runs out (case/review_dates.py sets the dates of the others).
        row.next_review_date = None
    await session.flush()
    return row


async def pay_entitlement(
    session: AsyncSession,
    ctx: Casework,
    household: Household,
    program: Program,
    monthly_amount_fen: int,
    *,
    effective_from: str,
    case_id: str | None,
    beneficiary_id_number: str | None = None,
) -> Entitlement:
    """The household's entitlement under `program` pays `monthly_amount_fen` a month from `effective_from` on."""
    return await set_entitlement(
        session,
        ctx,
        household,
        program,
        EntitlementStatus.ACTIVE,
        monthly_amount_fen,
        effective_from=effective_from,
        beneficiary_id_number=beneficiary_id_number,
        case_id=case_id,
    )


async def stop_entitlement(
    session: AsyncSession, ctx: Casework, household: Household, program: Program, *, effective_from: str, case_id: str
) -> Entitlement:
    """The household's entitlement under `program` stops (pays nothing) from `effective_from` on."""
    return await set_entitlement(
        session, ctx, household, program, EntitlementStatus.STOPPED, 0, effective_from=effective_from, case_id=case_id
    )


async def record_version(
    session: AsyncSession,
    ctx: Casework,
    household: Household,
    changes: Sequence[HouseholdChange],
    *,
    case_id: str | None,
    predecessor_id: str | None = None,
) -> HouseholdState:
    """Seal the household's new state as a version (the change row the province's feed reads); publish
    `household-changed`."""
    await session.flush()
    household.version += 1
    household.updated_at = ctx.now()
    await session.flush()
    state = await load_state(session, ctx, household)
    session.add(
        HouseholdVersion(
            household_id=household.id,
            version=household.version,
            recorded_at=household.updated_at,
            changes=[c.kind.value for c in changes],
            case_id=case_id,
            snapshot_sealed=ctx.seal(json.dumps(state.to_json(), ensure_ascii=False, default=str), SNAPSHOT_CONTEXT),
        )
    )
    await notify_at_commit(session, VERSIONS_RECORDED)
    if changes:
        payload = HouseholdChanged(
            household=snapshot_of(state),
            changes=tuple(changes),
            predecessor_household_id=predecessor_id,
            changed_at=household.updated_at,
        )
        await ctx.publish(session, payload, subject=f"household/{household.id}", key=household.id)
    return state


def snapshot_of(state: HouseholdState) -> HouseholdSnapshot:
    return from_row(
        HouseholdSnapshot,
        state,
        members=_member_refs(state),
        programs=tuple(Program(p) for p in state.programs()),
        closed=state.status == HouseholdStatus.CLOSED,
    )


class Step(TypedDict, total=False):
    """One step of an entitlement published on its own (a gradual-exit month range), in place of its recorded
    figures; what a step leaves out is the entitlement's own."""

    effective_from: str | None
    effective_to: str | None
    amount_fen: int | None
    status: EntitlementStatus | None


async def publish_entitlement(
    session: AsyncSession,
    ctx: Casework,
    household: Household,
    state: HouseholdState,
    entitlement: EntitlementState,
    **step: Unpack[Step],
) -> None:
    """`entitlement-changed` for one entitlement (or one step of it: a gradual-exit month range)."""
    payload = entitlement_changed(ctx, household, state, entitlement, **step)
    await ctx.publish(session, payload, subject=f"household/{household.id}", key=household.id)


def entitlement_changed(
    ctx: Casework,
    household: Household,
    state: HouseholdState,
    entitlement: EntitlementState,
    **step: Unpack[Step],
) -> EntitlementChanged:
    """The `entitlement-changed` payload (a batch writes many at once through `Outbox.add_many`)."""
    effective_from = step.get("effective_from")
    amount_fen = step.get("amount_fen")
    payee = _payee(state, entitlement)
    account = None
    if household.account_no_sealed and household.bank_code and household.account_holder:
        account = SealedBankAccount(
            bank_code=household.bank_code,
            holder_name=household.account_holder,
            account_no_masked=household.account_no_masked or "",
            account_no_sealed=household.account_no_sealed,
        )
    return EntitlementChanged(
        entitlement_id=entitlement.entitlement_id,
        household_id=household.id,
        region_code=household.region_code,
        program=Program(entitlement.program),
        status=step.get("status") or EntitlementStatus(entitlement.status),
        monthly_amount=Money.from_fen(entitlement.monthly_amount_fen if amount_fen is None else amount_fen).to_str(),
        effective_from=effective_from or entitlement.effective_from,
        effective_to=step.get("effective_to") if effective_from else entitlement.effective_to,
        payee=PersonRef(id_number=payee.id_number, name=payee.name),
        bank_account_ref=household.bank_account_ref or f"none-{household.id}",
        members=_member_refs(state),
        case_id=entitlement.case_id,
        changed_at=ctx.now(),
        payment_account=account,
    )


async def publish_program(
    session: AsyncSession, ctx: Casework, household: Household, state: HouseholdState, program: Program
) -> None:
    """`entitlement-changed` for the household's entitlement under `program`, as it is in `state`."""
    ent = next(e for e in state.entitlements if e.program == program)
    await publish_entitlement(session, ctx, household, state, ent)


def _member_refs(state: HouseholdState) -> tuple[MemberRef, ...]:
    return tuple(MemberRef(id_number=m.id_number, name=m.name, relation=m.relation) for m in state.members)


def _payee(state: HouseholdState, entitlement: EntitlementState) -> MemberState:
    if entitlement.beneficiary_id_number:
        found = state.member(entitlement.beneficiary_id_number)
        if found is not None:
            return found
    head = state.member(state.head_id_number or "")
    return head or state.members[0]


async def state_as_of(session: AsyncSession, ctx: Casework, household_id: str, day: dt.date) -> HouseholdState | None:
    """The household as it stood at the end of `day` (China time), from its sealed versions."""
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=CHINA_TZ)
    stmt = (
        select(HouseholdVersion.snapshot_sealed)
        .where(HouseholdVersion.household_id == household_id, HouseholdVersion.recorded_at < end)
        .order_by(HouseholdVersion.version.desc())
        .limit(1)
    )
    sealed = (await session.scalars(stmt)).first()
    return None if sealed is None else HouseholdState.from_json(json.loads(ctx.open(sealed, SNAPSHOT_CONTEXT)))
