"""Matching runs, on every new feed and on each source's schedule (DOMAIN.md §5)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, DateTime, Identity, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from services.matching.db import Base


class Run(Base):
    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    feed_id: Mapped[str] = mapped_column(Text, index=True)
    source: Mapped[str] = mapped_column(Text)
    trigger: Mapped[str] = mapped_column(Text)  # feed | schedule
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    matched_rows: Mapped[int] = mapped_column(BigInteger)
    hits_raised: Mapped[int] = mapped_column(Integer)
    deaths_raised: Mapped[int] = mapped_column(Integer)
    reverified: Mapped[int] = mapped_column(Integer, default=0)
