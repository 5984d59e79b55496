"""When each source is matched again on its own (DOMAIN.md §5); a source without a row runs on its default."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Mapped

from libs.kernel.column_types import TextKey
from services.matching.db import Base


class SourceSchedule(Base):
    __tablename__ = "source_schedules"

    source: Mapped[TextKey]
    frequency: Mapped[str]
    last_run_at: Mapped[dt.datetime | None]
    next_run_at: Mapped[dt.datetime | None]
    updated_by: Mapped[str]
