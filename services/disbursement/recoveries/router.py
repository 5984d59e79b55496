"""Recovery orders for county staff (DOMAIN.md §9): what is outstanding, money collected, the rest waived."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, status
from sqlalchemy import select

from libs.contracts.money import Money
from libs.contracts.programs import Program
from libs.kernel.auth import Principal, jurisdiction_prefix
from libs.kernel.db import DbSession
from libs.kernel.errors import NotFound, Unprocessable
from services.disbursement.ceilings import ensure_over_months
from services.disbursement.context import DisbursementCtx
from services.disbursement.dependencies import Officer, Reader
from services.disbursement.finance.views import yuan
from services.disbursement.ledger.counties import touch
from services.disbursement.ledger.models import Entitlement
from services.disbursement.months import period_of
from services.disbursement.recoveries import service
from services.disbursement.recoveries.models import Recovery, RecoveryStatus
from services.disbursement.recoveries.schemas import CollectionIn, RecoveryOut, WaiveIn

router = APIRouter(prefix="/api/v1/disbursement", tags=["recoveries"])
RecoveryId = Annotated[str, Path(max_length=64)]


def recovery_out(r: Recovery, deducted: int) -> RecoveryOut:
    return RecoveryOut(
        recovery_id=r.id,
        household_id=r.household_id,
        entitlement_id=r.entitlement_id,
        county_code=r.county_code,
        program=r.program,
        reason=r.reason,
        months=[period_of(m) for m in r.months],
        amount=yuan(r.amount_fen),
        deducted=yuan(deducted),
        collected=yuan(r.collected_fen),
        waived=yuan(r.waived_fen),
        outstanding=yuan(max(service.outstanding(r, deducted), 0)),
        status=r.status,
        detail=r.detail,
        detected_at=r.detected_at,
        closed_at=r.closed_at,
        waive_reason=r.waive_reason,
    )


async def outs(session: DbSession, rows: list[Recovery]) -> list[RecoveryOut]:
    taken = await service.deducted(session, [r.id for r in rows])
    return [recovery_out(r, taken.get(r.id, 0)) for r in rows]


async def _recovery(session: DbSession, who: Principal, recovery_id: str) -> Recovery:
    recovery = await session.get(Recovery, recovery_id, with_for_update=True)
    region = recovery and await session.scalar(
        select(Entitlement.region_code).where(Entitlement.entitlement_id == recovery.entitlement_id)
    )
    if recovery is None or not who.covers(region or recovery.county_code):
        raise NotFound(f"No recovery order {recovery_id} in your jurisdiction", code="recovery_not_found")
    return recovery


@router.get("/recoveries", response_model=list[RecoveryOut])
async def list_recoveries(
    session: DbSession,
    who: Reader,
    region_code: Annotated[str | None, Query(pattern=r"^[0-9]{2,12}$")] = None,
    status_: Annotated[RecoveryStatus | None, Query(alias="status")] = None,
    household_id: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[RecoveryOut]:
    prefix = jurisdiction_prefix(who, region_code)
    stmt = select(Recovery).order_by(Recovery.detected_at.desc(), Recovery.id).limit(limit)
    # By the household's region, so a township sees the orders of its own households.
    stmt = stmt.where(
        Recovery.entitlement_id.in_(
            select(Entitlement.entitlement_id).where(Entitlement.region_code.startswith(prefix))
        )
    )
    if status_ is not None:
        stmt = stmt.where(Recovery.status == status_.value)
    if household_id:
        stmt = stmt.where(Recovery.household_id == household_id)
    return await outs(session, list((await session.scalars(stmt)).all()))


@router.get("/recoveries/{recovery_id}", response_model=RecoveryOut)
async def get_recovery(session: DbSession, who: Reader, recovery_id: RecoveryId) -> RecoveryOut:
    return (await outs(session, [await _recovery(session, who, recovery_id)]))[0]


@router.post("/recoveries/{recovery_id}/collections", response_model=RecoveryOut, status_code=status.HTTP_201_CREATED)
async def collect(
    session: DbSession, ctx: DisbursementCtx, who: Officer, recovery_id: RecoveryId, body: CollectionIn
) -> RecoveryOut:
    """Money paid back outside the rosters (cash at the bureau, a transfer)."""
    recovery = await _recovery(session, who, recovery_id)
    fen = Money.from_str(body.amount).fen
    if fen <= 0:
        raise Unprocessable("A collection is more than zero", code="invalid_amount")
    # No order is owed more than its program pays for the months it covers; beyond is a typo of scale.
    ensure_over_months(Program(recovery.program), len(recovery.months), fen, ["body", "amount"])
    await service.collect(session, ctx, recovery, amount_fen=fen, received_on=body.received_on, note=body.note, who=who)
    await touch(session, ctx, {recovery.county_code})
    return (await outs(session, [recovery]))[0]


@router.post("/recoveries/{recovery_id}/waive", response_model=RecoveryOut)
async def waive(
    session: DbSession, ctx: DisbursementCtx, who: Officer, recovery_id: RecoveryId, body: WaiveIn
) -> RecoveryOut:
    """核销: what is outstanding is written off, with the county's reason; nothing more is deducted."""
    recovery = await _recovery(session, who, recovery_id)
    await service.waive(session, ctx, recovery, reason=body.reason, who=who)
    await touch(session, ctx, {recovery.county_code})
    return (await outs(session, [recovery]))[0]
