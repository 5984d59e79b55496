from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, StringConstraints

from libs.contracts.dates import PastDate
from libs.contracts.money import MoneyStr
from libs.contracts.period import PeriodStr
from libs.contracts.programs import Program
from libs.contracts.text import CleanText


class RecoveryOut(BaseModel):
    recovery_id: str
    household_id: str
    entitlement_id: str
    county_code: str
    program: Program
    reason: str
    months: list[PeriodStr]
    amount: MoneyStr
    deducted: MoneyStr
    collected: MoneyStr
    waived: MoneyStr
    outstanding: MoneyStr
    status: str
    detail: str
    detected_at: dt.datetime
    closed_at: dt.datetime | None
    waive_reason: str | None


class CollectionOut(BaseModel):
    """Money paid back outside the rosters, as it was recorded."""

    collection_id: str
    amount: MoneyStr
    received_on: dt.date
    note: str
    recorded_at: dt.datetime
    recorded_by: str


class CollectionIn(BaseModel):
    amount: MoneyStr
    received_on: PastDate
    note: Annotated[CleanText, StringConstraints(max_length=2000)] = ""


class WaiveIn(BaseModel):
    reason: Annotated[CleanText, StringConstraints(min_length=1, max_length=2000)]
