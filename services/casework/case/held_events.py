"""Events about an application that reach casework before its case does.

Topics are not ordered with each other, so a verification, a withdrawal or a longer deadline may arrive before
`application-submitted`; such an event is kept (sealed) and applied when the case opens
(case/application_events.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.events.base import EventPayload
from services.casework.case.models import Case, PendingApplicationEvent
from services.casework.case.opening import find
from services.casework.case.rules import Trigger
from services.casework.context import CONTENT_CONTEXT, Casework


async def case_of_application(session: AsyncSession, application_id: str) -> Case | None:
    """The application's case, locked, if it is open already."""
    case = await find(session, Trigger.APPLICATION, application_id)
    if case is not None:
        await session.refresh(case, with_for_update=True)
    return case


E = TypeVar("E", bound=EventPayload)


async def apply_or_hold(
    session: AsyncSession,
    ctx: Casework,
    application_id: str,
    e: E,
    apply: Callable[[AsyncSession, Casework, Case, E], Awaitable[None]],
) -> None:
    """`apply` the event to its application's case if the case is open, else keep the event until it opens."""
    case = await case_of_application(session, application_id)
    if case is None:
        await hold(session, ctx, application_id, e)
        return
    await apply(session, ctx, case, e)


async def hold(session: AsyncSession, ctx: Casework, application_id: str, e: EventPayload) -> None:
    """Keep the event until the application's case opens (once: a redelivery keeps nothing new)."""
    stmt = pg_insert(PendingApplicationEvent).values(
        application_id=application_id,
        event_type=e.event_type,
        payload_sealed=ctx.seal(e.model_dump_json(), CONTENT_CONTEXT),
        received_at=ctx.now(),
    )
    await session.execute(stmt.on_conflict_do_nothing())


async def held_for(session: AsyncSession, application_id: str) -> Sequence[PendingApplicationEvent]:
    stmt = select(PendingApplicationEvent).where(PendingApplicationEvent.application_id == application_id)
    return (await session.scalars(stmt)).all()
