"""The API of annual review campaigns: what a county opens, and the progress it follows."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, Field

from libs.contracts.dates import CivilDate
from libs.contracts.models import Input
from services.casework.schemas import CountyCode


class CampaignIn(Input):
    """A county's annual review (年度复核): every household on its review calendar reviewed within the window."""

    county_code: CountyCode
    year: Annotated[int, Field(ge=2000, le=2099)]
    window_start: CivilDate
    # Two to three months after the start (seed 001 三(五)); every review of the campaign is due on this day.
    window_end: CivilDate
    # The simplified review: a desk check may replace the home visit of a household whose situation did not change,
    # and its continuation is posted for confirmation (确认一榜公示) before the county confirms it.
    simplified: bool = False


class CountsOut(BaseModel):
    opened: int  # reviews the campaign opened
    decided: int
    cancelled: int
    open: int  # not yet decided or cancelled
    overdue: int  # open past the window's end


class CampaignOut(BaseModel):
    campaign_id: str
    county_code: str
    year: int
    window_start: dt.date
    window_end: dt.date
    simplified: bool
    # "scheduled" (the window has not started: reviews open on its first day), "opening", "opened"
    status: str
    households: int  # on the county's review calendar when the campaign was made
    skipped: int  # already under an open review when their turn came
    total: CountsOut
    by_township: dict[str, CountsOut]
    created_at: AwareDatetime
    updated_at: AwareDatetime
    finished_at: AwareDatetime | None
