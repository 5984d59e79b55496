"""Use cases of events matching consumes (CONTRACTS.md §6) that are more than one module's call; `subscriptions.py`
wires each event to its use case, in one transaction."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.events.intake import ApplicationSubmitted
from services.matching.context import Matching
from services.matching.verification.service import verify
from services.matching.watchlist import service as watchlist


async def application_submitted(session: AsyncSession, ctx: Matching, e: ApplicationSubmitted) -> None:
    """Every entrant checked (逢进必核): the report goes back to casework at once."""
    if await watchlist.application_submitted(session, ctx, e):
        await verify(session, ctx, e.application_id, trigger="submitted")
