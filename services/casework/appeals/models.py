"""Appeals (复核/申诉, issue 21): at most one per decided case, filed by staff on the household's behalf."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from libs.kernel.column_types import TextKey
from services.casework.db import Base


class CaseAppeal(Base):
    __tablename__ = "case_appeals"

    id: Mapped[TextKey]
    # One appeal per decision: a second would be a further challenge (行政复议/诉讼), outside this system.
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), unique=True)
    region_code: Mapped[str]
    household_id: Mapped[str | None]
    program: Mapped[str]
    ground: Mapped[str]  # Ground
    # The decision appealed against, as it was: its outcome, day, author and the month it took effect.
    against_outcome: Mapped[str]
    decided_on: Mapped[dt.date]
    original_decided_by: Mapped[str]
    original_effective_month: Mapped[str | None]
    window_ends_on: Mapped[dt.date]
    # The appellant's statement as the township or county took it down (may name members: never logged).
    statement: Mapped[str]
    filed_by: Mapped[str]
    filed_at: Mapped[dt.datetime]
    status: Mapped[str]  # AppealStatus
    reasons: Mapped[list[str]] = mapped_column(default=list)
    effective_month: Mapped[str | None]
    decided_by: Mapped[str | None]
    decided_at: Mapped[dt.datetime | None]

    __table_args__ = (Index(None, "region_code", "status", "filed_at"),)
