"""The village posting (公示, DOMAIN.md §3.7, §11): `/api/v1/casework/postings/{village_code}`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from libs.contracts.clock import business_date
from libs.kernel.auth import ensure_jurisdiction
from libs.kernel.db import DbSession
from services.casework.case import repository, views
from services.casework.case.schemas import PostingOut
from services.casework.context import CaseworkCtx
from services.casework.dependencies import Reader
from services.casework.registry import repository as registry
from services.casework.registry.state import load_states

router = APIRouter(prefix="/api/v1/casework", tags=["households"])


@router.get("/postings/{village_code}", response_model=PostingOut, responses={403: {}, 422: {}})
async def posting(
    village_code: Annotated[str, Path(pattern=r"^[0-9]{12}$")],
    session: DbSession,
    ctx: CaseworkCtx,
    who: Reader,
) -> PostingOut:
    """The village posting (公示): proposals in publicity and the standing recipient list, privacy-limited."""
    ensure_jurisdiction(who, village_code)
    proposals = await repository.in_publicity(session, village_code)
    households = await load_states(session, ctx, await registry.active_in_village(session, village_code), details=False)
    return views.posting(village_code, business_date(ctx.now()), proposals, households)
