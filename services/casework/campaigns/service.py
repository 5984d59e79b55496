"""Annual review campaigns (年度复核, seed 001 三(五), issue 21): a county opens the year's reviews with a window.

Opening a campaign writes its row (one per county and year: a repeat finds it) and, once the window has started,
opens a periodic review (trigger `campaign`, due on the window's last day) for every household of the county on the
review calendar, in chunks of households in id order, one transaction per chunk that also moves the campaign's cursor.
A household with a case open when its turn comes is skipped and counted. A chunk locks the campaign row, so two
runners take turns; each review's trigger reference (campaign, household) is unique, so nothing opens twice.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.clock import business_date
from libs.kernel.auth import Principal, ensure_jurisdiction
from libs.kernel.lookup import get_within
from services.casework.campaigns import repository
from services.casework.campaigns.errors import CampaignExists, CampaignNotFound, CampaignWindowInvalid
from services.casework.campaigns.models import CampaignStatus, ReviewCampaign
from services.casework.campaigns.rules import window_violations
from services.casework.campaigns.schemas import CampaignIn
from services.casework.case.opening import open_triggered
from services.casework.case.rules import Trigger
from services.casework.context import Casework
from services.casework.db import insert_or_existing

# Households per transaction: opening a review reads the household's state, so a chunk is smaller than a raise's.
CHUNK = 200


async def open_campaign(session: AsyncSession, ctx: Casework, who: Principal, body: CampaignIn) -> ReviewCampaign:
    """The county's campaign of the year: made now, or the one made before with the same window and procedure."""
    ensure_jurisdiction(who, body.county_code)
    violations = window_violations(body.year, body.window_start, body.window_end, business_date(ctx.now()))
    if violations:
        raise CampaignWindowInvalid(
            violations[0][1],
            errors=[{"loc": ["body", f], "msg": m, "type": CampaignWindowInvalid.code} for f, m in violations],
        )
    now = ctx.now()
    campaign = await insert_or_existing(
        session,
        ReviewCampaign,
        {
            "id": f"campaign-{uuid.uuid4()}",
            "county_code": body.county_code,
            "year": body.year,
            "window_start": body.window_start,
            "window_end": body.window_end,
            "simplified": body.simplified,
            "status": CampaignStatus.OPENING,
            "households": await repository.households_in_scope(session, body.county_code),
            "opened": 0,
            "skipped": 0,
            "created_by": who.subject,
            "created_at": now,
            "updated_at": now,
        },
        constraint="uq_review_campaigns_county_year",
        found_by=(ReviewCampaign.county_code == body.county_code, ReviewCampaign.year == body.year),
    )
    asked = (body.window_start, body.window_end, body.simplified)
    if (campaign.window_start, campaign.window_end, campaign.simplified) != asked:
        raise CampaignExists(
            f"The {body.year} review of {body.county_code} runs {campaign.window_start} to {campaign.window_end}"
            f"{' (simplified)' if campaign.simplified else ''}: campaign {campaign.id}"
        )
    return campaign


async def get(session: AsyncSession, who: Principal, campaign_id: str) -> ReviewCampaign:
    missing = CampaignNotFound(f"No annual review campaign {campaign_id}")
    return await get_within(session, who, ReviewCampaign, campaign_id, missing, region="county_code")


async def advance(ctx: Casework, campaign_id: str, *, chunk: int = CHUNK, max_chunks: int | None = None) -> None:
    """Open the campaign's reviews to the end (or `max_chunks` chunks), one transaction per chunk; nothing before
    the window starts."""
    chunks = 0
    while max_chunks is None or chunks < max_chunks:
        if not await _chunk(ctx, campaign_id, chunk):
            return
        chunks += 1


async def _chunk(ctx: Casework, campaign_id: str, size: int) -> bool:
    """One chunk, committed with the cursor; False when there is nothing (more) to do now."""
    async with ctx.sessions.begin() as session:
        campaign = await session.get(ReviewCampaign, campaign_id, with_for_update=True)
        if campaign is None or campaign.status == CampaignStatus.OPENED:
            return False
        if campaign.window_start > business_date(ctx.now()):
            return False
        now = ctx.now()
        campaign.updated_at = now
        ids = await repository.households_after(session, campaign.county_code, campaign.cursor, size)
        if not ids:
            campaign.status, campaign.finished_at = CampaignStatus.OPENED, now
            return False
        busy = await repository.under_review(session, ids)
        opened = 0
        for household_id in ids:
            if household_id in busy:
                continue
            _case, created = await open_triggered(
                session,
                ctx,
                household_id=household_id,
                trigger=Trigger.CAMPAIGN,
                trigger_ref=f"{campaign.id}:{household_id}",
                summary=f"{campaign.year}年度复核 annual review, due {campaign.window_end.isoformat()}"
                + (" (简化复核 simplified)" if campaign.simplified else ""),
                actor="review-campaign",
                due_date=campaign.window_end,
                campaign_id=campaign.id,
                simplified=campaign.simplified,
            )
            opened += created
        campaign.cursor = ids[-1]
        campaign.opened += opened
        campaign.skipped += len(busy)
        return True


async def due_to_run(session: AsyncSession, now: dt.datetime, idle: dt.timedelta) -> list[str]:
    """Campaigns still opening whose window has started and with no chunk for `idle` (never started, or their
    runner stopped): the worker runs them."""
    stmt = select(ReviewCampaign.id).where(
        ReviewCampaign.status == CampaignStatus.OPENING,
        ReviewCampaign.window_start <= business_date(now),
        ReviewCampaign.updated_at < now - idle,
    )
    return list((await session.scalars(stmt)).all())
