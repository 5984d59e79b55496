"""Rosters as county staff see them: totals, the funding letter, masked lines, lateness."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import Depends, Query
from pydantic import BaseModel, Field, StringConstraints

from libs.contracts.money import MoneyStr, SignedMoneyStr
from libs.contracts.period import BoundedPeriodStr, PeriodStr
from libs.contracts.programs import Program
from libs.contracts.text import CleanLine, CleanText
from services.disbursement.dependencies import IdQuery
from services.disbursement.rosters.models import OneOffBasis
from services.disbursement.rosters.repository import LineFilter

County = Annotated[str, Field(pattern=r"^[0-9]{6}$", description="The county's 6-digit region code")]
Reason = Annotated[CleanText, StringConstraints(min_length=1, max_length=2000)]


def line_filter(status: Annotated[str | None, Query(max_length=32)] = None, household_id: IdQuery = None) -> LineFilter:
    """The filters of a roster's line list, read from its query: the same for the list and its ledger."""
    return LineFilter(status, household_id)


LineFilterQuery = Annotated[LineFilter, Depends(line_filter)]


class RosterIn(BaseModel):
    region_code: County
    period: BoundedPeriodStr


class ReasonIn(BaseModel):
    reason: Reason


class ProgramTotals(BaseModel):
    lines: int
    regular: MoneyStr
    arrears: MoneyStr
    one_off: MoneyStr
    recovery: SignedMoneyStr  # deductions are negative, like their items
    total: MoneyStr


RosterKindStr = Literal["monthly", "temporary"]


class RosterOut(BaseModel):
    roster_id: str
    # A county's monthly roster, or the off-cycle payment order of one temporary grant (one line, submitted at once).
    kind: RosterKindStr
    region_code: str
    period: PeriodStr
    status: str
    line_count: int
    total_amount: MoneyStr
    totals_by_program: dict[str, ProgramTotals]
    # Entitlements of the county left off by a hold when the roster was built, by kind of hold.
    held: dict[str, int]
    due_date: dt.date
    late: bool
    # A draft built before the latest change to the county's ledger: rebuild before locking.
    outdated: bool
    checksum: str | None
    built_at: dt.datetime
    built_by: str
    locked_at: dt.datetime | None
    locked_by: str | None
    submitted_at: dt.datetime | None
    submitted_by: str | None
    paid_lines: int
    paid_amount: MoneyStr
    failed_lines: int
    failed_amount: MoneyStr
    reconciled_at: dt.datetime | None
    reconciliation: dict[str, Any] | None
    cancelled_at: dt.datetime | None
    cancel_reason: str | None


# What a line is made of: staff see it on a line, and finance in the body of its contract (CONTRACTS.md §3).
class LineItemOut(BaseModel):
    kind: Literal["regular", "arrears", "one_off", "recovery"]
    amount: SignedMoneyStr  # a recovery deduction is negative: the items add up to the line
    note: str


class StaffLine(BaseModel):
    line_id: str
    line_no: int
    household_id: str
    region_code: str
    program: Program
    period: PeriodStr
    payee_name_masked: str
    bank_code: str
    account_no_masked: str
    amount: MoneyStr
    items: list[LineItemOut]
    status: str
    paid_at: dt.datetime | None
    bank_txn_id: str | None
    failure_reason: str | None


class FundingLetter(BaseModel):
    """资金拨付函: the totals a county asks finance to fund for a month."""

    roster_id: str
    region_code: str
    # The county by name (disbursement's copy of the gateway's names), as the letter is addressed and signed.
    region_name: str
    period: PeriodStr
    status: str
    checksum: str | None
    due_date: dt.date
    programs: dict[str, ProgramTotals]
    total: ProgramTotals
    text: str


class LateOut(BaseModel):
    region_code: str
    period: PeriodStr
    due_date: dt.date
    roster_id: str | None
    status: str | None
    submitted_on: dt.date | None
    days_late: int


class OneOffIn(BaseModel):
    name: Annotated[CleanLine, StringConstraints(min_length=1, max_length=200)]
    program: Program
    region_prefix: Annotated[str, Field(pattern=r"^[0-9]{2,12}$")]
    period: BoundedPeriodStr
    basis: OneOffBasis
    amount: MoneyStr


class OneOffOut(BaseModel):
    batch_id: str
    name: str
    program: Program
    region_prefix: str
    period: PeriodStr
    basis: Literal["per_household", "per_member"]
    amount: MoneyStr
    created_at: dt.datetime
    created_by: str
