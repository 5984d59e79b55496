"""Procedure rules per region, effective-dated (DOMAIN.md §12): the most specific prefix in force wins."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Date, DateTime, Integer, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.intake.db import Base


class ProcedureRule(Base):
    __tablename__ = "procedure_rules"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    region_prefix: Mapped[str] = mapped_column(Text)  # "" = national default
    effective_from: Mapped[dt.date] = mapped_column(Date)
    decision_days: Mapped[int] = mapped_column(Integer)
    extended_days: Mapped[int] = mapped_column(Integer)
    emergency_days: Mapped[int] = mapped_column(Integer)
    lead_days: Mapped[int] = mapped_column(Integer)
    high_age_min_years: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (UniqueConstraint("region_prefix", "effective_from", name="uq_procedure_rules_prefix_from"),)
