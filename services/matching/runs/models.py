"""Matching runs, on every new feed and on each source's schedule (DOMAIN.md §5)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Identity, Integer
from sqlalchemy.orm import Mapped, mapped_column

from services.matching.db import Base


class Run(Base):
    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(Identity(), primary_key=True)
    feed_id: Mapped[str] = mapped_column(index=True)
    source: Mapped[str]
    trigger: Mapped[str]  # feed | schedule
    started_at: Mapped[dt.datetime]
    finished_at: Mapped[dt.datetime]
    matched_rows: Mapped[int]
    hits_raised: Mapped[int] = mapped_column(Integer)
    deaths_raised: Mapped[int] = mapped_column(Integer)
    reverified: Mapped[int] = mapped_column(Integer, default=0)
