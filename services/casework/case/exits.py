"""The end of a gradual exit (渐退, seed 004 二(五)): once its last paid month is over, the entitlement is stopped.

The end is a fact of the schedule decided with the exit (its `effective_to`), so it needs no decision of its own:
the worker applies it after that month, once (a stopped entitlement is never picked again). A household with no
other current program is closed, which takes it off the standing posting and the review calendar; the `stopped`
event from the first unpaid month went out with the decision, so consumers already stop paying then.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.clock import business_date
from libs.contracts.entitlements import is_current
from libs.contracts.events.casework import EntitlementStatus, HouseholdChange, HouseholdChangeKind
from libs.contracts.period import Period
from services.casework.context import Casework
from services.casework.registry import service as registry
from services.casework.registry.models import Entitlement, Household, HouseholdStatus

_BATCH = 500
ENDED = "渐退期满，停发 gradual exit ended"


async def others_current(session: AsyncSession, household_id: str, program: str) -> bool:
    """Whether the household keeps another program it is still a recipient of."""
    stmt = select(Entitlement.status).where(Entitlement.household_id == household_id, Entitlement.program != program)
    return any(is_current(s) for s in (await session.scalars(stmt)).all())


async def end_gradual_exits(session: AsyncSession, ctx: Casework) -> int:
    """Stop every gradual exit whose last paid month is before the current one; the number stopped."""
    month = str(Period.of(business_date(ctx.now())))
    stmt = (
        select(Entitlement)
        .where(
            Entitlement.status == EntitlementStatus.GRADUAL_EXIT,
            # Benefit months are "YYYY-MM": their text order is their time order.
            Entitlement.effective_to < month,
        )
        .order_by(Entitlement.household_id)
        .with_for_update(skip_locked=True)
        .limit(_BATCH)
    )
    ended = (await session.scalars(stmt)).all()
    for ent in ended:
        household = await session.get(Household, ent.household_id, with_for_update=True)
        assert household is not None  # an entitlement belongs to a household (foreign key)
        assert ent.effective_to is not None  # selected by effective_to
        ent.status = EntitlementStatus.STOPPED
        ent.monthly_amount_fen = 0
        ent.effective_from = str(Period.parse(ent.effective_to) + 1)
        ent.effective_to = None
        ent.updated_at = ctx.now()
        changes = [HouseholdChange(kind=HouseholdChangeKind.MEMBER_UPDATED, detail=f"{ent.program}: {ENDED}")]
        if household.status == HouseholdStatus.ACTIVE and not await others_current(session, household.id, ent.program):
            await registry.close(session, ctx, household, ENDED)
            changes.append(HouseholdChange(kind=HouseholdChangeKind.CLOSED, detail=ENDED))
        await registry.record_version(session, ctx, household, changes, case_id=ent.case_id)
    return len(ended)
