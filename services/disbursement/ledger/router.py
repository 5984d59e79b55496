"""A household's payment file and the holds, for staff (DOMAIN.md §9, §11)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, status
from sqlalchemy import select

from libs.contracts.id_number import mask_name
from libs.kernel.auth import ensure_jurisdiction, jurisdiction_prefix
from libs.kernel.db import DbSession
from libs.kernel.errors import Conflict, NotFound
from libs.kernel.pagination import DEFAULT_LIMIT, Cursor, Limit, Page, decode_keyset, page_of
from services.disbursement.accounts.models import BankAccount
from services.disbursement.accounts.router import account_out
from services.disbursement.context import DisbursementCtx
from services.disbursement.dependencies import Officer, Reader
from services.disbursement.finance.views import items_of, yuan
from services.disbursement.ledger import holds
from services.disbursement.ledger.access import household_entitlements
from services.disbursement.ledger.counties import touch
from services.disbursement.ledger.models import Death, Entitlement, Hold, HoldKind, ScheduleSegment
from services.disbursement.ledger.schemas import (
    EntitlementOut,
    HoldIn,
    HoldOut,
    HouseholdOut,
    ReleaseIn,
    SegmentOut,
)
from services.disbursement.ledger.service import recompute_person
from services.disbursement.months import period_of
from services.disbursement.recoveries.models import Recovery
from services.disbursement.recoveries.router import outs
from services.disbursement.rosters.models import RosterLine
from services.disbursement.rosters.views import staff_line

router = APIRouter(prefix="/api/v1/disbursement", tags=["ledger"])
HouseholdId = Annotated[str, Path(max_length=64)]


def hold_out(h: Hold) -> HoldOut:
    return HoldOut(
        hold_id=h.id,
        household_id=h.household_id,
        county_code=h.county_code,
        program=h.program,
        kind=h.kind,
        reason=h.reason,
        from_period=period_of(h.from_month) if h.from_month else None,
        created_at=h.created_at,
        created_by=h.created_by,
        released_at=h.released_at,
        released_by=h.released_by,
        release_reason=h.release_reason,
    )


@router.get("/households/{household_id}", response_model=HouseholdOut)
async def get_household(session: DbSession, who: Reader, household_id: HouseholdId) -> HouseholdOut:
    """The household's payment file: entitlements month by month, holds, account, every line paid, recoveries."""
    ents = await household_entitlements(session, who, household_id)
    segments = (
        await session.scalars(
            select(ScheduleSegment)
            .where(ScheduleSegment.entitlement_id.in_([e.entitlement_id for e in ents]))
            .order_by(ScheduleSegment.first_month)
        )
    ).all()
    held = (
        await session.scalars(select(Hold).where(Hold.household_id == household_id).order_by(Hold.created_at))
    ).all()
    account = await session.get(BankAccount, household_id)
    lines = list(
        (
            await session.scalars(
                select(RosterLine)
                .where(RosterLine.entitlement_id.in_([e.entitlement_id for e in ents]))
                .order_by(RosterLine.period.desc(), RosterLine.program)
            )
        ).all()
    )
    items = await items_of(session, [line.line_id for line in lines])
    recoveries = list(
        (
            await session.scalars(
                select(Recovery).where(Recovery.household_id == household_id).order_by(Recovery.detected_at)
            )
        ).all()
    )
    return HouseholdOut(
        household_id=household_id,
        entitlements=[
            EntitlementOut(
                entitlement_id=e.entitlement_id,
                program=e.program,
                status=e.status,
                region_code=e.region_code,
                payee_name_masked=mask_name(e.payee_name),
                member_count=e.member_count,
                case_id=e.case_id,
                unsettled_from=period_of(e.dirty_from) if e.dirty_from else None,
                schedule=[
                    SegmentOut(
                        first_period=period_of(s.first_month),
                        last_period=period_of(s.last_month) if s.last_month else None,
                        status=s.status,
                        amount=yuan(s.due_fen),
                        origin=s.origin,
                    )
                    for s in segments
                    if s.entitlement_id == e.entitlement_id
                ],
            )
            for e in ents
        ],
        holds=[hold_out(h) for h in held],
        account=account_out(account) if account else None,
        payments=[staff_line(line, items) for line in lines],
        recoveries=await outs(session, recoveries),
    )


@router.get("/holds", response_model=Page[HoldOut])
async def list_holds(
    session: DbSession,
    who: Reader,
    region_code: Annotated[str | None, Query(pattern=r"^[0-9]{2,12}$")] = None,
    kind: HoldKind | None = None,
    active: bool = True,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[HoldOut]:
    """Holds on households in the jurisdiction, newest first."""
    prefix = jurisdiction_prefix(who, region_code)
    households = select(Entitlement.household_id).where(Entitlement.region_code.startswith(prefix))
    stmt = select(Hold).where(Hold.county_code.startswith(prefix[:6]), Hold.household_id.in_(households))
    if kind is not None:
        stmt = stmt.where(Hold.kind == kind.value)
    stmt = stmt.where(Hold.released_at.is_(None) if active else Hold.released_at.is_not(None))
    after = decode_keyset(cursor, tuple[str])
    if after is not None:
        stmt = stmt.where(Hold.id > after[0])
    rows = (await session.scalars(stmt.order_by(Hold.id).limit(limit + 1))).all()
    return page_of(rows, limit, lambda h: (h.id,), hold_out)


@router.post("/holds", response_model=HoldOut, status_code=status.HTTP_201_CREATED)
async def place_hold(session: DbSession, ctx: DisbursementCtx, who: Officer, body: HoldIn) -> HoldOut:
    """暂停发放: a county suspends a household's payments (all programs, or one) while it checks something."""
    ents = await household_entitlements(session, who, body.household_id)
    for e in ents:
        ensure_jurisdiction(who, e.region_code)
    if body.program is not None and all(e.program != body.program.value for e in ents):
        raise NotFound(f"Household {body.household_id} has no {body.program.value} entitlement", code="not_entitled")
    existing = [
        h
        for h in await holds.active(session, body.household_id, HoldKind.SUSPENSION)
        if h.program == (body.program.value if body.program else None)
    ]
    if existing:
        raise Conflict(
            f"Household {body.household_id} is already suspended", code="already_held", hold_id=existing[0].id
        )
    hold = await holds.ensure(
        session,
        ctx,
        household_id=body.household_id,
        county_code=ents[0].county_code,
        kind=HoldKind.SUSPENSION,
        reason=body.reason,
        by=who.subject,
        program=body.program.value if body.program else None,
    )
    await touch(session, ctx, {e.county_code for e in ents})
    return hold_out(hold)


@router.post("/holds/{hold_id}/release", response_model=HoldOut)
async def release_hold(
    session: DbSession,
    ctx: DisbursementCtx,
    who: Officer,
    hold_id: Annotated[str, Path(max_length=64)],
    body: ReleaseIn,
) -> HoldOut:
    """Ends a suspension, or a death hold found to be a false match (the months after it are paid as arrears). A
    failed-account hold ends when the account is fixed (PUT .../bank-account)."""
    hold = await session.get(Hold, hold_id, with_for_update=True)
    if hold is None:
        raise NotFound(f"No hold {hold_id}", code="hold_not_found")
    ents = await household_entitlements(session, who, hold.household_id)
    if hold.released_at is not None:
        raise Conflict(f"Hold {hold_id} was released on {hold.released_at.isoformat()}", code="hold_released")
    if hold.kind == HoldKind.ACCOUNT.value:
        raise Conflict("An account hold ends when the account is fixed", code="account_hold")
    if hold.kind == HoldKind.AMOUNT.value:
        raise Conflict("An amount hold ends when casework sends an amount the program can pay", code="amount_hold")
    await holds.release(session, ctx, hold, by=who.subject, reason=body.reason)
    if hold.kind == HoldKind.DEATH.value and hold.person_hash:
        death = await session.get(Death, hold.person_hash, with_for_update=True)
        if death is not None and death.released_at is None:
            death.released_at, death.released_by = ctx.now(), who.subject
            death.release_reason = f"false match: {body.reason}"[:2000]
            await recompute_person(session, ctx, hold.person_hash, death.household_ids)
    await touch(session, ctx, {e.county_code for e in ents})
    return hold_out(hold)
