"""Provincial sync (CONTRACTS.md §4): the recipient item, queueing each household change for the push, and the
province's pull of current recipients and the operators' delivery log.
"""

from __future__ import annotations

import datetime as dt
import json

from pydantic import JsonValue
from sqlalchemy import literal, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.clock import CHINA_TZ
from libs.contracts.money import Money
from libs.kernel.presenters import from_row
from services.casework.context import PROVINCE_CONTEXT, Casework
from services.casework.province.models import ProvinceChange
from services.casework.province.schemas import ChangeStatus, MemberItem, ProgramItem, RecipientItem
from services.casework.registry.models import Household, HouseholdStatus
from services.casework.registry.state import HouseholdState, load_states


def recipient(state: HouseholdState) -> RecipientItem:
    """The household as the province receives it, built from the one household shape (registry/state.py)."""
    return from_row(
        RecipientItem,
        state,
        programs=[
            from_row(ProgramItem, e, monthly_amount=Money.from_fen(e.monthly_amount_fen).to_str())
            for e in state.entitlements
        ],
        members=[from_row(MemberItem, m) for m in state.members],
        # Shown in China Standard Time, as the contract's examples are (DOMAIN.md §12).
        updated_at=state.updated_at.astimezone(CHINA_TZ),
        closed=state.status == HouseholdStatus.CLOSED,
        predecessor_household_id=state.predecessor_id,
    )


def item_of(state: HouseholdState) -> dict[str, JsonValue]:
    """The recipient item as JSON (dates and amounts as strings), as it is sealed, queued and pushed."""
    return recipient(state).model_dump(mode="json")


async def enqueue(session: AsyncSession, ctx: Casework, state: HouseholdState, *, version: int | None = None) -> None:
    """Queue the household in `state` for the provincial push, in the caller's transaction; `version` is the
    registry's version it comes from (province/feed.py).

    Always queued, even before a provincial endpoint is configured: the push starts from the oldest change once
    one is. Order per household follows the id sequence, which holds as long as the caller changes the household
    under its row lock (two changes of one household then commit in the order their ids were drawn).
    """
    now = ctx.now()
    session.add(
        ProvinceChange(
            household_id=state.household_id,
            household_version=version,
            item_sealed=ctx.seal(json.dumps(item_of(state), ensure_ascii=False, default=str), PROVINCE_CONTEXT),
            created_at=now,
            next_attempt_at=now,
            attempts=0,
        )
    )
    await session.flush()


async def recipients(
    session: AsyncSession,
    ctx: Casework,
    region_prefix: str,
    updated_since: dt.datetime | None,
    after: tuple[dt.datetime, str] | None,
    limit: int,
) -> list[HouseholdState]:
    """Households under `region_prefix` changed at or after `updated_since`, closed ones included (the province
    must see the stop), in (updated_at, household_id) order after the keyset `after`; `limit + 1` of them.

    `updated_since` is inclusive: a province polling from the last `updated_at` it saw gets that household again
    rather than missing another changed in the same instant; items are whole states, so a repeat is harmless.
    """
    stmt = select(Household).where(Household.region_code.startswith(region_prefix, autoescape=True))
    if updated_since is not None:
        stmt = stmt.where(Household.updated_at >= updated_since)
    if after is not None:
        stmt = stmt.where(tuple_(Household.updated_at, Household.id) > tuple_(literal(after[0]), literal(after[1])))
    stmt = stmt.order_by(Household.updated_at, Household.id).limit(limit + 1)
    households = (await session.scalars(stmt)).all()
    # Member details (health, disability) are not part of the recipient item: they stay sealed.
    return await load_states(session, ctx, households, details=False)


async def changes(
    session: AsyncSession, region_prefix: str, status: ChangeStatus, after: int | None, limit: int
) -> list[ProvinceChange]:
    """The delivery log under `region_prefix` (by the household's region): pending ones oldest first (what is
    stuck), delivered ones newest first (what went out last); `limit + 1` of them."""
    stmt = (
        select(ProvinceChange)
        .join(Household, Household.id == ProvinceChange.household_id)
        .where(Household.region_code.startswith(region_prefix, autoescape=True))
    )
    if status is ChangeStatus.PENDING:
        stmt = stmt.where(ProvinceChange.delivered_at.is_(None)).order_by(ProvinceChange.id)
        if after is not None:
            stmt = stmt.where(ProvinceChange.id > after)
    else:
        stmt = stmt.where(ProvinceChange.delivered_at.is_not(None)).order_by(ProvinceChange.id.desc())
        if after is not None:
            stmt = stmt.where(ProvinceChange.id < after)
    return list((await session.scalars(stmt.limit(limit + 1))).all())
