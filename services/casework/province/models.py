"""Changes waiting to reach the provincial system (CONTRACTS.md §4), in order per household, kept until accepted."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from libs.kernel.column_types import SerialKey
from services.casework.db import Base


class ProvinceChange(Base):
    __tablename__ = "province_changes"

    id: Mapped[SerialKey]
    household_id: Mapped[str]
    # The registry's version this change carries (household_versions); the feed queues the versions after the
    # highest one queued. None for a change queued directly.
    household_version: Mapped[int | None] = mapped_column(Integer)
    # The recipient item as the province receives it; it names members' identity numbers, so it is sealed.
    item_sealed: Mapped[str]
    created_at: Mapped[dt.datetime]
    delivered_at: Mapped[dt.datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime]
    last_error: Mapped[str | None]

    __table_args__ = (
        Index("ix_province_changes_pending", "next_attempt_at", "id", postgresql_where="delivered_at IS NULL"),
        Index("ix_province_changes_household", "household_id", "id"),
        UniqueConstraint("household_id", "household_version", name="uq_province_changes_household_version"),
    )
