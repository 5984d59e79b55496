"""A campaign as the county follows it: its window, and its reviews opened, decided, open and overdue by township."""

from __future__ import annotations

import datetime as dt

from services.casework.campaigns.models import CampaignStatus, ReviewCampaign
from services.casework.campaigns.repository import Progress
from services.casework.campaigns.schemas import CampaignOut, CountsOut


def campaign_out(campaign: ReviewCampaign, rows: Progress, today: dt.date) -> CampaignOut:
    by_township = {t: CountsOut(opened=n, decided=d, cancelled=c, open=o, overdue=x) for t, n, d, c, o, x in rows}
    waiting = campaign.status == CampaignStatus.OPENING and campaign.window_start > today
    return CampaignOut(
        campaign_id=campaign.id,
        county_code=campaign.county_code,
        year=campaign.year,
        window_start=campaign.window_start,
        window_end=campaign.window_end,
        simplified=campaign.simplified,
        status="scheduled" if waiting else campaign.status,
        households=campaign.households,
        skipped=campaign.skipped,
        total=CountsOut(
            opened=sum(r[1] for r in rows),
            decided=sum(r[2] for r in rows),
            cancelled=sum(r[3] for r in rows),
            open=sum(r[4] for r in rows),
            overdue=sum(r[5] for r in rows),
        ),
        by_township=by_township,
        created_at=campaign.created_at,
        updated_at=campaign.updated_at,
        finished_at=campaign.finished_at,
    )
