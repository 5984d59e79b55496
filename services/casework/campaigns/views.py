"""A campaign as the county follows it: its window, and its reviews opened, decided, open and overdue by township."""

from __future__ import annotations

import datetime as dt

from libs.kernel.presenters import from_row
from services.casework.campaigns.models import CampaignStatus, ReviewCampaign
from services.casework.campaigns.repository import Progress
from services.casework.campaigns.schemas import CampaignOut, CountsOut


def campaign_out(campaign: ReviewCampaign, rows: Progress, today: dt.date) -> CampaignOut:
    by_township = {t: CountsOut(opened=n, decided=d, cancelled=c, open=o, overdue=x) for t, n, d, c, o, x in rows}
    waiting = campaign.status == CampaignStatus.OPENING and campaign.window_start > today
    return from_row(
        CampaignOut,
        campaign,
        campaign_id=campaign.id,
        status="scheduled" if waiting else campaign.status,
        total=CountsOut(
            opened=sum(r[1] for r in rows),
            decided=sum(r[2] for r in rows),
            cancelled=sum(r[3] for r in rows),
            open=sum(r[4] for r in rows),
            overdue=sum(r[5] for r in rows),
        ),
        by_township=by_township,
    )
