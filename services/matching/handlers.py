"""Events matching consumes (CONTRACTS.md §6), each to one use case in one transaction."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.events.casework import CaseDecided, EntitlementChanged, HouseholdChanged
from libs.contracts.events.intake import ApplicationSubmitted, ApplicationWithdrawn
from libs.kernel.consumer import Handler, typed_handler
from services.matching.context import Matching
from services.matching.verification.service import verify
from services.matching.watchlist import service as watchlist


async def application_submitted(session: AsyncSession, ctx: Matching, e: ApplicationSubmitted) -> None:
    """Every entrant checked (逢进必核): the report goes back to casework at once."""
    if await watchlist.application_submitted(session, ctx, e):
        await verify(session, ctx, e.application_id, trigger="submitted")


def subscriptions_of(ctx: Matching) -> dict[str, dict[str, Handler]]:
    return {
        "applications": {
            ApplicationSubmitted.event_type: typed_handler(ApplicationSubmitted, ctx, application_submitted),
            ApplicationWithdrawn.event_type: typed_handler(ApplicationWithdrawn, ctx, watchlist.application_withdrawn),
            CaseDecided.event_type: typed_handler(CaseDecided, ctx, watchlist.case_decided),
        },
        "watch-list": {
            HouseholdChanged.event_type: typed_handler(HouseholdChanged, ctx, watchlist.household_changed),
            EntitlementChanged.event_type: typed_handler(EntitlementChanged, ctx, watchlist.entitlement_changed),
        },
    }
