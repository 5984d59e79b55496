"""Recovery orders (追回): money paid for months not due, deducted from later payments or collected (DOMAIN.md §9)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Date, Index
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from libs.kernel.column_types import TextKey
from services.disbursement.db import Base


class RecoveryStatus(StrEnum):
    OPEN = "open"
    RECOVERED = "recovered"  # deducted and collected in full
    WAIVED = "waived"  # the rest written off by the county, with the reason


class Recovery(Base):
    __tablename__ = "recoveries"

    id: Mapped[TextKey]
    household_id: Mapped[str] = mapped_column(index=True)
    entitlement_id: Mapped[str] = mapped_column(index=True)
    county_code: Mapped[str]
    # Where a temporary grant's emergency happened: an order on a grant (`entitlement_id` is then the grant's id)
    # has no entitlement to place it in a township.
    region_code: Mapped[str | None]
    program: Mapped[str]
    reason: Mapped[str]  # OverpaymentReason, or grant_reclaimed
    amount_fen: Mapped[int]
    months: Mapped[list[dt.date]] = mapped_column(ARRAY(Date))
    detail: Mapped[str]
    detected_at: Mapped[dt.datetime]
    collected_fen: Mapped[int]
    waived_fen: Mapped[int]
    status: Mapped[str]
    closed_at: Mapped[dt.datetime | None]
    closed_by: Mapped[str | None]
    waive_reason: Mapped[str | None]

    __table_args__ = (Index(None, "county_code", "status", "detected_at"),)


class RecoveryMonth(Base):
    """How much of one month's payment an order recovers: that month counts as settled again."""

    __tablename__ = "recovery_months"

    recovery_id: Mapped[TextKey]
    month: Mapped[dt.date] = mapped_column(primary_key=True)
    entitlement_id: Mapped[str] = mapped_column(index=True)
    amount_fen: Mapped[int]


class RecoveryCollection(Base):
    """Money paid back outside the rosters (cash, a transfer), recorded by county staff."""

    __tablename__ = "recovery_collections"

    id: Mapped[TextKey]
    recovery_id: Mapped[str] = mapped_column(index=True)
    amount_fen: Mapped[int]
    received_on: Mapped[dt.date]
    note: Mapped[str]
    recorded_at: Mapped[dt.datetime]
    recorded_by: Mapped[str]
