"""Annual review campaigns (年度复核, issue 21): `/api/v1/casework/review-campaigns` — open one, follow it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Path, Response

from libs.contracts.clock import business_date
from libs.kernel.db import DbSession
from libs.kernel.errors import ACCESS_REFUSALS, documented
from services.casework.campaigns import repository, service
from services.casework.campaigns.errors import CampaignExists, CampaignNotFound, CampaignWindowInvalid
from services.casework.campaigns.models import CampaignStatus, ReviewCampaign
from services.casework.campaigns.schemas import CampaignIn, CampaignOut
from services.casework.campaigns.views import campaign_out
from services.casework.context import Casework, CaseworkCtx
from services.casework.dependencies import County, CountyOrCity

router = APIRouter(prefix="/api/v1/casework/review-campaigns", tags=["review-campaigns"])

_ERRORS = documented(*ACCESS_REFUSALS, CampaignNotFound, CampaignExists, CampaignWindowInvalid)
CampaignId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^campaign-[0-9a-f-]{36}$")]


async def _out(session: DbSession, ctx: Casework, campaign: ReviewCampaign) -> CampaignOut:
    today = business_date(ctx.now())
    return campaign_out(campaign, await repository.progress(session, campaign.id, today), today)


@router.post("", response_model=CampaignOut, status_code=202, responses=_ERRORS)
async def open_campaign(
    body: CampaignIn, session: DbSession, ctx: CaseworkCtx, who: County, tasks: BackgroundTasks, response: Response
) -> CampaignOut:
    """Open the county's annual review of the year: a periodic review of every household on its review calendar not
    already under review, due at the window's end, opened from the window's first day. The same county and year
    give the same campaign (a repeat resumes it, never opens a review twice)."""
    campaign = await service.open_campaign(session, ctx, who, body)
    if campaign.status == CampaignStatus.OPENED:
        response.status_code = 200
    else:
        # Runs after the request's transaction committed the campaign; the worker resumes it if this process stops.
        tasks.add_task(service.advance, ctx, campaign.id)
    return await _out(session, ctx, campaign)


@router.get("/{campaign_id}", response_model=CampaignOut, responses=_ERRORS)
async def get(campaign_id: CampaignId, session: DbSession, ctx: CaseworkCtx, who: CountyOrCity) -> CampaignOut:
    """The campaign's progress: reviews opened, decided, open and overdue, in all and by township."""
    return await _out(session, ctx, await service.get(session, who, campaign_id))
