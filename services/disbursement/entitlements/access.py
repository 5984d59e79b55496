"""Which households a staff member may see: those with an entitlement in their jurisdiction."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.kernel.auth import Principal
from services.disbursement.entitlements.errors import HouseholdNotFound
from services.disbursement.entitlements.models import Entitlement


async def household_entitlements(session: AsyncSession, who: Principal, household_id: str) -> list[Entitlement]:
    """The household's entitlements by program; 404 when it has none in the caller's jurisdiction."""
    stmt = select(Entitlement).where(Entitlement.household_id == household_id).order_by(Entitlement.program)
    ents = list((await session.scalars(stmt)).all())
    if not ents or not any(who.covers(e.region_code) for e in ents):
        raise HouseholdNotFound(f"No household {household_id} in your jurisdiction")
    return ents
