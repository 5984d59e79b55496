"""Local complaint figures per region, effective-dated (DOMAIN.md §6, §12): the most specific prefix in force wins."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Date, DateTime, Integer, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.complaints.db import Base


class ComplaintPolicy(Base):
    __tablename__ = "policies"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    region_prefix: Mapped[str] = mapped_column(Text)  # "" = national default
    effective_from: Mapped[dt.date] = mapped_column(Date)
    reply_days: Mapped[int] = mapped_column(Integer)
    repeat_window_days: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (UniqueConstraint("region_prefix", "effective_from", name="uq_policies_prefix_from"),)
