from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Depends, Query
from pydantic import BaseModel, StringConstraints

from libs.contracts.dates import PastDate
from libs.contracts.money import MoneyStr
from libs.contracts.period import PeriodStr
from libs.contracts.programs import Program
from libs.contracts.text import CleanText
from libs.kernel.auth import jurisdiction_prefix
from services.disbursement.dependencies import IdQuery, Reader, RegionQuery
from services.disbursement.recoveries.models import RecoveryStatus
from services.disbursement.recoveries.repository import RecoveryFilter


def recovery_filter(
    who: Reader,
    region_code: RegionQuery = None,
    status: Annotated[RecoveryStatus | None, Query()] = None,
    household_id: IdQuery = None,
) -> RecoveryFilter:
    """The filters of the recovery list, read from its query (a region outside the reader's jurisdiction is a 403):
    the same for the list and its ledger."""
    return RecoveryFilter(jurisdiction_prefix(who, region_code), status, household_id)


RecoveryFilterQuery = Annotated[RecoveryFilter, Depends(recovery_filter)]


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
