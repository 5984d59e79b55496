"""Writing recalculated amounts (a standard raise, issue 20; a household's move to other figures, issue 21) as a
decision writes them: the new amount from a month, a sealed version of the household, `entitlement-changed`."""

from __future__ import annotations

import json
from typing import cast

from sqlalchemy import ARRAY, BigInteger, Table, Text, any_, func, insert, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.events.casework import EntitlementStatus
from libs.contracts.period import Period
from libs.kernel.events import new_event
from services.casework.context import SNAPSHOT_CONTEXT, Casework
from services.casework.raises.policy import Recalculated
from services.casework.registry.models import Entitlement, Household, HouseholdVersion
from services.casework.registry.service import entitlement_changed
from services.casework.registry.state import load_states


async def apply_changed(session: AsyncSession, ctx: Casework, changed: list[Recalculated], month: Period) -> int:
    """The new amounts from `month` (or from an entitlement's own later start), a version per household, and an
    `entitlement-changed` per entitlement, in the chunk's transaction: a statement per kind of row, not per row.
    An entitlement no longer as it was read (decided anew meanwhile) is left alone. Returns how many changed."""
    if not changed:
        return 0
    now = ctx.now()
    pairs = select(
        func.unnest(literal([r.held.entitlement_id for r in changed], ARRAY(Text))).label("id"),
        func.unnest(literal([r.held.amount_fen for r in changed], ARRAY(BigInteger))).label("before"),
        func.unnest(literal([r.amount_fen for r in changed], ARRAY(BigInteger))).label("amount"),
    ).subquery()
    table = cast(Table, Entitlement.__table__)
    updated = await session.execute(
        update(table)
        .where(
            table.c.id == pairs.c.id,
            table.c.monthly_amount_fen == pairs.c.before,
            table.c.status == EntitlementStatus.ACTIVE,
        )
        .values(
            monthly_amount_fen=pairs.c.amount,
            effective_from=func.greatest(table.c.effective_from, str(month)),
            updated_at=now,
        )
        .returning(table.c.id, table.c.household_id)
    )
    amounts = {r.held.entitlement_id: r.amount_fen for r in changed}
    rows = updated.all()
    amounts = {entitlement_id: amounts[entitlement_id] for entitlement_id, _ in rows}
    if not amounts:
        return 0
    bumped = (
        update(Household)
        .where(Household.id == any_(literal(sorted({household_id for _, household_id in rows}), ARRAY(Text))))
        .values(version=Household.version + 1, updated_at=now)
        .returning(Household)
    )
    households = list((await session.scalars(bumped, execution_options={"populate_existing": True})).all())
    versions, events = [], []
    for h, state in zip(households, await load_states(session, ctx, households), strict=True):
        versions.append(
            {
                "household_id": h.id,
                "version": h.version,
                "recorded_at": now,
                # No member changed: like a review that continues, the version carries new amounts only.
                "changes": [],
                "case_id": None,
                "snapshot_sealed": ctx.seal(
                    json.dumps(state.to_json(), ensure_ascii=False, default=str), SNAPSHOT_CONTEXT
                ),
            }
        )
        for ent in state.entitlements:
            if ent.entitlement_id in amounts:
                payload = entitlement_changed(ctx, h, state, ent)
                event = new_event(payload.event_type, source=ctx.source, subject=f"household/{h.id}", data=payload)
                events.append((event, h.id))
    # Into the table, not through the ORM's bulk insert: the same rows without its bookkeeping per row.
    await session.execute(insert(cast(Table, HouseholdVersion.__table__)), versions)
    await ctx.outbox.add_many(session, events)
    return len(amounts)
