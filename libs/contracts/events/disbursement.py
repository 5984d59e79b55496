"""Events produced by disbursement (CONTRACTS.md §6): payment results and overpayments (DOMAIN.md §9)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, Field

from libs.contracts.events.base import EventPayload, Id, PersonRef, Text
from libs.contracts.money import MoneyStr
from libs.contracts.period import PeriodStr
from libs.contracts.programs import Program


class OverpaymentReason(StrEnum):
    # Payments after a death or a stop decision become recovery orders (DOMAIN.md §9).
    PAID_AFTER_DEATH = "paid_after_death"
    PAID_AFTER_STOP = "paid_after_stop"
    OTHER = "other"


class PaymentFailed(EventPayload):
    """Finance reported a roster line as failed; the line is retried next month once the account is fixed."""

    event_type = "payment-failed"

    roster_id: Id
    line_id: Id
    period: PeriodStr
    household_id: Id
    program: Program
    amount: MoneyStr
    failure_reason: Text
    failed_at: AwareDatetime


class OverpaymentDetected(EventPayload):
    """Money paid for months the household was not entitled to; casework opens a recovery (追回)."""

    event_type = "overpayment-detected"

    household_id: Id
    program: Program
    months: Annotated[tuple[PeriodStr, ...], Field(min_length=1)]
    amount: MoneyStr
    reason: OverpaymentReason
    person: PersonRef | None = None
    detail: str = ""
    detected_at: AwareDatetime
