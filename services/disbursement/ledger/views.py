"""Holds as staff see them."""

from __future__ import annotations

from libs.kernel.presenters import from_row
from services.disbursement.entitlements.models import Hold
from services.disbursement.ledger.schemas import HoldOut
from services.disbursement.months import period_of


def hold_out(h: Hold) -> HoldOut:
    return from_row(HoldOut, h, hold_id=h.id, from_period=period_of(h.from_month) if h.from_month else None)
