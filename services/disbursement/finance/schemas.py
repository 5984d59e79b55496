"""The finance contract's bodies (CONTRACTS.md §3), exactly."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from libs.contracts.dates import Instant
from libs.contracts.money import MoneyStr
from libs.contracts.period import PeriodStr
from libs.contracts.programs import Program
from libs.contracts.text import CleanLine
from services.disbursement.rosters.schemas import LineItemOut


class FinanceRoster(BaseModel):
    roster_id: str
    # Added by issue 20: a monthly roster, or a temporary grant's off-cycle payment order (same lines and CSV).
    kind: Literal["monthly", "temporary"]
    period: PeriodStr
    region_code: str
    status: str
    line_count: int
    total_amount: MoneyStr
    totals_by_program: dict[str, MoneyStr]
    checksum: str
    submitted_at: dt.datetime | None


class FinanceLine(BaseModel):
    line_id: str
    line_no: int
    household_id: str
    payee_name: str
    payee_id_number: str
    bank_code: str
    account_no: str
    program: Program
    period: PeriodStr
    amount: MoneyStr
    items: list[LineItemOut]


Text = Annotated[CleanLine, StringConstraints(min_length=1, max_length=500)]


class PaymentResult(BaseModel):
    model_config = ConfigDict(extra="ignore")

    line_id: Annotated[str, Field(min_length=1, max_length=64)]
    status: Literal["paid", "failed"]
    # 1970–2099: a payment in year 1 or 9999 was a database error and a 500 (issue 17).
    paid_at: Instant | None = None
    bank_txn_id: Annotated[CleanLine, StringConstraints(min_length=1, max_length=128)] | None = None
    failure_reason: Text | None = None

    @model_validator(mode="after")
    def _outcome_complete(self) -> PaymentResult:
        # A payment is proven by the bank's time and transaction; a failure needs its reason for the household.
        if self.status == "paid" and (self.paid_at is None or self.bank_txn_id is None):
            raise ValueError("a paid result carries paid_at and bank_txn_id")
        if self.status == "failed" and self.failure_reason is None:
            raise ValueError("a failed result carries failure_reason")
        return self


class PaymentResults(BaseModel):
    results: Annotated[list[PaymentResult], Field(min_length=1)]


class ResultsApplied(BaseModel):
    accepted: int
    unchanged: int
