"""The public page (信息公开) as the API shows it to anyone: figures and the standing posting, nothing personal beyond
what the posting shows (public/rules.py)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel


class PublicCountyName(BaseModel):
    county_code: str
    county_name: str


class PublicCounties(BaseModel):
    items: list[PublicCountyName]


class PublicStandard(BaseModel):
    """One standard in force: the figure as the standards API names it, yuan per person and month."""

    figure: str
    monthly_amount: str
    effective_from: dt.date


class ApplyInfo(BaseModel):
    """The figures of how to apply (the page says the procedure in the notices' words around them)."""

    # Seed 001 三(四): decided within 30 working days of the written application, 45 in special cases.
    decision_working_days: int
    extended_working_days: int
    publicity_days: int
    # Seed 004 二(七): emergency temporary assistance from discovery to payment.
    emergency_working_days: int
    appeal_days: int
    # 低保边缘家庭: per-capita income below this multiple of the dibao standard (150 = 1.5×).
    marginal_multiplier_pct: int


class PublicCounty(BaseModel):
    county_code: str
    county_name: str
    on: dt.date
    standards: list[PublicStandard]
    apply: ApplyInfo
    # The county's own line (a local figure), or null; 12345 always answers (seed 001 三(九)).
    complaint_line: str | None
    hotline: str


class PublicPostingLine(BaseModel):
    """One line of the standing posting: where (township and village, by name), who (masked), what and how much."""

    place: str
    name_masked: str
    household_size: int
    program: str
    monthly_amount: str


class PublicPosting(BaseModel):
    county_code: str
    county_name: str
    on: dt.date
    page: int
    page_size: int
    has_more: bool
    items: list[PublicPostingLine]
