"""Moves of a recipient household to another village, township or county (issue 21; seed 000 四(二))."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from libs.kernel.column_types import TextKey
from services.casework.db import Base


class HouseholdMove(Base):
    """A request to move a household, its acceptance by the receiving county (between counties), and its effect."""

    __tablename__ = "household_moves"

    id: Mapped[TextKey]
    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"))
    from_region_code: Mapped[str]
    to_region_code: Mapped[str]  # the village moved to (12 digits)
    scope: Mapped[str]  # MoveScope
    effective_month: Mapped[str]  # YYYY-MM: the receiving county pays from this month
    reason: Mapped[str]
    status: Mapped[str]  # MoveStatus
    requested_by: Mapped[str]
    requested_at: Mapped[dt.datetime]
    decided_by: Mapped[str | None]
    decided_at: Mapped[dt.datetime | None]
    decision_reason: Mapped[str | None]
    applied_at: Mapped[dt.datetime | None]
    # Programs whose amount the figures moved to could not recalculate when the move applied: left as they were,
    # for a review by hand (`moves.recalculation`).
    left_for_review: Mapped[list[str]] = mapped_column(default=list)

    __table_args__ = (
        Index(None, "household_id", "requested_at"),
        # The receiving county's work list and the job applying accepted moves when their month comes.
        Index(None, "to_region_code", "status"),
        Index(None, "status", "effective_month"),
    )
