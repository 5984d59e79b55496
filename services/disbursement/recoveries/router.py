"""Recovery orders for county staff (DOMAIN.md §9): what is outstanding, money collected, the rest waived."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, status

from libs.contracts.money import Money
from libs.kernel.db import DbSession
from libs.kernel.pagination import Page, Paging
from services.disbursement.context import DisbursementCtx
from services.disbursement.dependencies import IdPath, Officer, Reader, problems
from services.disbursement.recoveries import repository, service, views
from services.disbursement.recoveries.models import Recovery
from services.disbursement.recoveries.schemas import (
    CollectionIn,
    CollectionOut,
    RecoveryFilterQuery,
    RecoveryOut,
    WaiveIn,
)

router = APIRouter(prefix="/api/v1/disbursement", tags=["recoveries"])
RecoveryId = IdPath


async def _out(session: DbSession, recovery: Recovery) -> RecoveryOut:
    return views.recovery_outs([recovery], await repository.deducted(session, [recovery.id]))[0]


@router.get("/recoveries", response_model=Page[RecoveryOut], responses=problems(403, 422))
async def list_recoveries(
    session: DbSession,
    where: RecoveryFilterQuery,
    page: Paging,
) -> Page[RecoveryOut]:
    """追回: orders on households in the jurisdiction, newest first, each with what is outstanding; a page at a time
    (`next_cursor`)."""
    after = page.after(tuple[dt.datetime, str])
    rows = await repository.recoveries_in(session, where, after=after, limit=page.limit + 1)
    deducted = await repository.deducted(session, [r.id for r in rows])
    return page.of(
        rows, lambda r: (r.detected_at.isoformat(), r.id), lambda r: views.recovery_out(r, deducted.get(r.id, 0))
    )


@router.get("/recoveries/{recovery_id}", response_model=RecoveryOut, responses=problems(403, 404))
async def get_recovery(session: DbSession, who: Reader, recovery_id: RecoveryId) -> RecoveryOut:
    """One order: its months, amount, and what was deducted, collected and waived."""
    recovery = await repository.recovery_in(session, who, recovery_id)
    return await _out(session, recovery)


@router.get("/recoveries/{recovery_id}/collections", response_model=list[CollectionOut], responses=problems(403, 404))
async def list_collections(session: DbSession, who: Reader, recovery_id: RecoveryId) -> list[CollectionOut]:
    """What was paid back on the order outside the rosters: amount, the day it was received, the note, and who
    recorded it (deductions from payments are in `deducted`)."""
    recovery = await repository.recovery_in(session, who, recovery_id)
    return [views.collection_out(c) for c in await repository.collections_of(session, recovery.id)]


@router.post(
    "/recoveries/{recovery_id}/collections",
    response_model=RecoveryOut,
    status_code=status.HTTP_201_CREATED,
    responses=problems(403, 404, 409, 422),
)
async def collect(
    session: DbSession, ctx: DisbursementCtx, who: Officer, recovery_id: RecoveryId, body: CollectionIn
) -> RecoveryOut:
    """Money paid back outside the rosters (cash at the bureau, a transfer)."""
    recovery = await repository.recovery_in(session, who, recovery_id)
    await service.collect(
        session,
        ctx,
        recovery,
        amount_fen=Money.from_str(body.amount).fen,
        received_on=body.received_on,
        note=body.note,
        who=who,
    )
    return await _out(session, recovery)


@router.post("/recoveries/{recovery_id}/waive", response_model=RecoveryOut, responses=problems(403, 404, 409, 422))
async def waive(
    session: DbSession, ctx: DisbursementCtx, who: Officer, recovery_id: RecoveryId, body: WaiveIn
) -> RecoveryOut:
    """核销: what is outstanding is written off, with the county's reason; nothing more is deducted."""
    recovery = await repository.recovery_in(session, who, recovery_id)
    await service.waive(session, ctx, recovery, reason=body.reason, who=who)
    return await _out(session, recovery)
