"""Monthly village dynamic reports (DOMAIN.md §4, seed 001): one per village per month, zero reports explicit."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, DateTime, ForeignKey, Index, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from services.casework.db import Base


class VillageReport(Base):
    __tablename__ = "village_reports"

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    village_code: Mapped[str] = mapped_column(Text)
    period: Mapped[str] = mapped_column(Text)
    # No recipient household changed this month (a village with no death still files: seed 001).
    zero_report: Mapped[bool] = mapped_column(Boolean)
    late: Mapped[bool] = mapped_column(Boolean)
    filed_by: Mapped[str] = mapped_column(Text)
    filed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    # The township forwards its villages' reports by the 25th.
    forwarded_by: Mapped[str | None] = mapped_column(Text)
    forwarded_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        UniqueConstraint("village_code", "period", name="uq_village_reports_village_period"),
        Index("ix_village_reports_period_village", "period", "village_code"),
    )


class VillageReportEntry(Base):
    __tablename__ = "village_report_entries"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    report_id: Mapped[str] = mapped_column(ForeignKey("village_reports.id"), index=True)
    household_id: Mapped[str] = mapped_column(Text)
    changes: Mapped[list[str]] = mapped_column(ARRAY(Text))
    detail: Mapped[str] = mapped_column(Text)
    case_id: Mapped[str | None] = mapped_column(Text)
