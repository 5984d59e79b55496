"""Events matching consumes (CONTRACTS.md §6), each to one use case in one transaction."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.events.casework import CaseDecided, EntitlementChanged, HouseholdChanged
from libs.contracts.events.intake import ApplicationSubmitted, ApplicationWithdrawn
from libs.kernel.consumer import Handler
from libs.kernel.events import CloudEvent
from services.matching.context import Matching
from services.matching.verification.service import verify
from services.matching.watchlist import service as watchlist

P = TypeVar("P", bound=BaseModel)


def handler(model: type[P], ctx: Matching, use: Callable[[AsyncSession, Matching, P], Awaitable[None]]) -> Handler:
    async def handle(session: AsyncSession, event: CloudEvent) -> None:
        await use(session, ctx, model.model_validate(event.data))

    return handle


async def application_submitted(session: AsyncSession, ctx: Matching, e: ApplicationSubmitted) -> None:
    """Every entrant checked (逢进必核): the report goes back to casework at once."""
    if await watchlist.application_submitted(session, ctx, e):
        await verify(session, ctx, e.application_id, trigger="submitted")


def subscriptions_of(ctx: Matching) -> dict[str, dict[str, Handler]]:
    return {
        "applications": {
            ApplicationSubmitted.event_type: handler(ApplicationSubmitted, ctx, application_submitted),
            ApplicationWithdrawn.event_type: handler(ApplicationWithdrawn, ctx, watchlist.application_withdrawn),
            CaseDecided.event_type: handler(CaseDecided, ctx, watchlist.case_decided),
        },
        "watch-list": {
            HouseholdChanged.event_type: handler(HouseholdChanged, ctx, watchlist.household_changed),
            EntitlementChanged.event_type: handler(EntitlementChanged, ctx, watchlist.entitlement_changed),
        },
    }
