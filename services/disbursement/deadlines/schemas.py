"""The payment deadline as the staff API shows it: the figures, the rosters and lines not paid by it."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from libs.contracts.money import MoneyStr
from libs.contracts.period import BoundedPeriodStr, PeriodStr
from services.disbursement.deadlines.service import Lateness
from services.disbursement.rosters.schemas import StaffLine


class DeadlineFiguresIn(BaseModel):
    """A region's payment deadline from a month on (seed 001: by the 10th, unless the region sets another day)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # A province, city or county: rosters are paid per county.
    region_prefix: Annotated[str, StringConstraints(pattern=r"^([0-9]{2}|[0-9]{4}|[0-9]{6})$")]
    effective_from: BoundedPeriodStr = Field(description="The first month the figures govern, YYYY-MM")
    paid_by_day: int = Field(ge=1, le=28, description="Finance pays a month's roster by this day of the month")


class DeadlineFiguresOut(BaseModel):
    figures_id: int
    region_prefix: str
    effective_from: PeriodStr
    paid_by_day: int
    created_by: str
    created_at: dt.datetime


class DeadlineOut(BaseModel):
    region_code: str
    period: PeriodStr
    paid_by: dt.date


class UnpaidRosterOut(BaseModel):
    """A month's roster with lines not paid by the county's deadline: pending after it, or paid after it."""

    roster_id: str
    region_code: str
    period: PeriodStr
    status: str
    paid_by: dt.date
    line_count: int
    total_amount: MoneyStr
    late_lines: int
    late_amount: MoneyStr
    pending_lines: int
    pending_amount: MoneyStr
    paid_late_lines: int
    paid_late_amount: MoneyStr


class LateLine(StaffLine):
    paid_by: dt.date
    lateness: Lateness
    # Days after the deadline it was paid, or until today while it is pending.
    days_late: int
