"""The query of a household's payment file: its entitlements, holds, account, lines and recoveries together."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.kernel.auth import Principal
from services.disbursement.accounts.models import BankAccount
from services.disbursement.entitlements.access import household_entitlements
from services.disbursement.entitlements.models import Entitlement, Hold, ScheduleSegment
from services.disbursement.recoveries import repository as recoveries
from services.disbursement.recoveries.models import Recovery
from services.disbursement.rosters import repository as rosters
from services.disbursement.rosters.models import LineItem, RosterLine


@dataclass(frozen=True)
class HouseholdFile:
    """一户一档 (DOMAIN.md §11): everything disbursement holds on one household."""

    household_id: str
    entitlements: Sequence[Entitlement]
    segments: Sequence[ScheduleSegment]
    holds: Sequence[Hold]
    account: BankAccount | None
    lines: Sequence[RosterLine]
    items: dict[str, list[LineItem]]
    recoveries: Sequence[Recovery]
    deducted: dict[str, int]


async def household_file(session: AsyncSession, who: Principal, household_id: str) -> HouseholdFile:
    ents = await household_entitlements(session, who, household_id)
    ids = [e.entitlement_id for e in ents]
    segments = await session.scalars(
        select(ScheduleSegment).where(ScheduleSegment.entitlement_id.in_(ids)).order_by(ScheduleSegment.first_month)
    )
    held = await session.scalars(select(Hold).where(Hold.household_id == household_id).order_by(Hold.created_at))
    account = await session.get(BankAccount, household_id)
    lines = await rosters.lines_of_entitlements(session, ids)
    items = await rosters.items_of(session, [line.line_id for line in lines])
    orders = await recoveries.household_recoveries(session, household_id)
    return HouseholdFile(
        household_id=household_id,
        entitlements=ents,
        segments=segments.all(),
        holds=held.all(),
        account=account,
        lines=lines,
        items=items,
        recoveries=orders,
        deducted=await recoveries.deducted(session, [r.id for r in orders]),
    )
