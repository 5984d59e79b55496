"""The county's ledger version: every change to what a county's roster would pay moves it on (see CountyLedger)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.disbursement.context import Disbursement
from services.disbursement.entitlements.models import CountyLedger


def county_of(region_code: str) -> str:
    return region_code[:6]


async def touch(session: AsyncSession, ctx: Disbursement, county_codes: Iterable[str]) -> None:
    now = ctx.now()
    # In code order, so two transactions touching the same counties never wait on each other crosswise.
    for code in sorted(set(county_codes)):
        stmt = insert(CountyLedger).values(region_code=code, version=1, changed_at=now)
        await session.execute(
            stmt.on_conflict_do_update(
                index_elements=[CountyLedger.region_code],
                set_={"version": CountyLedger.version + 1, "changed_at": now},
            )
        )
