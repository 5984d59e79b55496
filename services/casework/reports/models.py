"""Monthly village dynamic reports (DOMAIN.md §4, seed 001): one per village per month, zero reports explicit."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from libs.kernel.column_types import SerialKey, TextKey
from services.casework.db import Base


class VillageReport(Base):
    __tablename__ = "village_reports"

    id: Mapped[TextKey]
    village_code: Mapped[str]
    period: Mapped[str]
    # No recipient household changed this month (a village with no death still files: seed 001).
    zero_report: Mapped[bool]
    late: Mapped[bool]
    filed_by: Mapped[str]
    filed_at: Mapped[dt.datetime]
    # The township forwards its villages' reports by the 25th.
    forwarded_by: Mapped[str | None]
    forwarded_at: Mapped[dt.datetime | None]

    __table_args__ = (
        UniqueConstraint("village_code", "period", name="uq_village_reports_village_period"),
        Index("ix_village_reports_period_village", "period", "village_code"),
    )


class VillageReportEntry(Base):
    __tablename__ = "village_report_entries"

    id: Mapped[SerialKey]
    report_id: Mapped[str] = mapped_column(ForeignKey("village_reports.id"), index=True)
    household_id: Mapped[str]
    changes: Mapped[list[str]]
    detail: Mapped[str]
    case_id: Mapped[str | None]
