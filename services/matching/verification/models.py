"""Verification reports of applications (DOMAIN.md §3.4: every entrant checked), as sent to casework."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from services.matching.db import Base


class Verification(Base):
    __tablename__ = "verifications"

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    application_id: Mapped[str] = mapped_column(Text, index=True)
    # submitted: the report on the application's arrival; feed: a new feed found something about a pending one.
    trigger: Mapped[str] = mapped_column(Text)
    feed_id: Mapped[str | None] = mapped_column(Text)
    people_checked: Mapped[int] = mapped_column(Integer)
    sources_checked: Mapped[int] = mapped_column(Integer)
    findings: Mapped[int] = mapped_column(Integer)
    completed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
