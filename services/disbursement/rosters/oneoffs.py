"""One-off batches (价格临时补贴 and the like): paid once to every household a program pays in the month."""

from __future__ import annotations

import uuid

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.money import Money
from libs.kernel.auth import Principal, ensure_jurisdiction
from services.disbursement.ceilings import ensure_monthly, ensure_per_person
from services.disbursement.context import Disbursement
from services.disbursement.entitlements.counties import touch
from services.disbursement.entitlements.models import Entitlement
from services.disbursement.errors import InvalidAmount
from services.disbursement.months import month_of
from services.disbursement.rosters.models import OneOffBasis, OneOffBatch
from services.disbursement.rosters.schemas import OneOffIn

# A batch for a month whose roster a county already locked is paid on its next roster: those entitlements are looked
# at again from the batch's month.
_LOOK_BACK = text(
    """
    UPDATE disbursement.entitlements e
       SET dirty_from = least(coalesce(e.dirty_from, CAST(:month AS date)), CAST(:month AS date))
     WHERE e.program = :program AND starts_with(e.region_code, :prefix)
       AND e.county_code IN (
           SELECT r.region_code FROM disbursement.rosters r
            WHERE r.period >= CAST(:month AS date) AND r.status NOT IN ('draft', 'cancelled')
              AND r.kind = 'monthly')
    """
)


async def create(session: AsyncSession, ctx: Disbursement, body: OneOffIn, who: Principal) -> OneOffBatch:
    """A batch for a region in the caller's jurisdiction, of an amount the program could pay (per member or per
    household); the counties it pays in see their ledgers move."""
    ensure_jurisdiction(who, body.region_prefix)
    fen = Money.from_str(body.amount).fen
    if fen <= 0:
        raise InvalidAmount("A one-off amount is more than zero")
    if body.basis is OneOffBasis.PER_MEMBER:
        ensure_per_person(fen, ["body", "amount"])
    else:
        ensure_monthly(body.program, fen, ["body", "amount"])
    batch = OneOffBatch(
        id=str(uuid.uuid4()),
        name=body.name,
        program=body.program.value,
        region_prefix=body.region_prefix,
        period=month_of(body.period),
        basis=body.basis.value,
        amount_fen=fen,
        created_at=ctx.now(),
        created_by=who.subject,
    )
    session.add(batch)
    await session.flush()
    params = {"month": batch.period, "program": batch.program, "prefix": batch.region_prefix}
    await session.execute(_LOOK_BACK, params)
    counties = (
        select(Entitlement.county_code)
        .distinct()
        .where(Entitlement.program == batch.program, Entitlement.region_code.startswith(batch.region_prefix))
    )
    await touch(session, ctx, (await session.scalars(counties)).all())
    return batch
