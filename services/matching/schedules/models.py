"""When each source is matched again on its own (DOMAIN.md §5); a source without a row runs on its default."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Text
from sqlalchemy.orm import Mapped, mapped_column

from services.matching.db import Base


class SourceSchedule(Base):
    __tablename__ = "source_schedules"

    source: Mapped[str] = mapped_column(Text, primary_key=True)
    frequency: Mapped[str] = mapped_column(Text)
    last_run_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    next_run_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    updated_by: Mapped[str] = mapped_column(Text)
