"""Local complaint figures per region, effective-dated (DOMAIN.md §6, §12): the most specific prefix in force wins."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from libs.kernel.column_types import SerialKey
from services.complaints.db import Base


class ComplaintPolicy(Base):
    __tablename__ = "policies"

    id: Mapped[SerialKey]
    region_prefix: Mapped[str]  # "" = national default
    effective_from: Mapped[dt.date]
    reply_days: Mapped[int] = mapped_column(Integer)
    repeat_window_days: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[str]
    created_at: Mapped[dt.datetime]

    __table_args__ = (UniqueConstraint("region_prefix", "effective_from", name="uq_policies_prefix_from"),)
