"""Temporary assistance (临时救助) as one payment, not an entitlement (seed 004 二(七), DOMAIN.md §2).

Casework decides a grant, at once within the region's ceiling where the emergency happened (先行救助) or after a
shortened procedure, and publishes `temporary-grant-issued`. Disbursement turns it into an off-cycle payment order for
finance (the finance API's rosters, kind `temporary`) and reports the bank's answer in
`temporary-grant-payment-reported`. A grant the county reclaims (`temporary-grant-reclaimed`) becomes a recovery order.
Nothing recurs: the person may apply again, and no grant is ever on the standing posting.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import AwareDatetime

from libs.contracts.events.base import EventPayload, Id, PersonRef, Text
from libs.contracts.events.intake import SealedBankAccount
from libs.contracts.money import MoneyStr
from libs.contracts.region import RegionCodeStr


class GrantKind(StrEnum):
    # 小金额先行救助: granted by the township at first contact, within its ceiling, explained afterwards.
    ADVANCE = "advance"
    # Decided on an application with the shortened procedure of temporary assistance.
    ORDINARY = "ordinary"


class GrantPaymentStatus(StrEnum):
    PAID = "paid"
    FAILED = "failed"


class TemporaryGrantIssued(EventPayload):
    """A grant to pay once. `attempt` counts issues of the same grant: after a failed payment the grant is issued
    again to a corrected account, and a repeat of the same attempt is the same order."""

    event_type = "temporary-grant-issued"

    grant_id: Id
    attempt: int = 1
    kind: GrantKind
    # Where the emergency happened (a village or township code), whatever the household registration: the county
    # of this code pays.
    region_code: RegionCodeStr
    household_id: Id | None = None
    case_id: Id | None = None
    payee: PersonRef
    amount: MoneyStr
    cause: Text
    discovered_at: AwareDatetime
    # From discovery to payment, in working days (seed 004: 3 in principle, local).
    pay_by: dt.date
    issued_at: AwareDatetime
    # Sealed with the deployment's PII key (BANK_ACCOUNT_SEAL_CONTEXT): only disbursement opens it, to pay into it.
    payment_account: SealedBankAccount


class TemporaryGrantPaymentReported(EventPayload):
    """Finance's answer for a grant's payment order line: paid (with the time) or failed (with the bank's reason)."""

    event_type = "temporary-grant-payment-reported"

    grant_id: Id
    attempt: int
    order_id: Id
    line_id: Id
    status: GrantPaymentStatus
    paid_at: AwareDatetime | None = None
    failure_reason: Text | None = None
    reported_at: AwareDatetime


class TemporaryGrantReclaimed(EventPayload):
    """The county found an advance grant not due (审核不予确认): what was paid is to be recovered."""

    event_type = "temporary-grant-reclaimed"

    grant_id: Id
    region_code: RegionCodeStr
    household_id: Id | None = None
    amount: MoneyStr
    reason: Text
    reclaimed_at: AwareDatetime
