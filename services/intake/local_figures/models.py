"""Procedure rules per region, effective-dated (DOMAIN.md §12): the most specific prefix in force wins."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from libs.kernel.column_types import SerialKey
from services.intake.db import Base


class ProcedureRule(Base):
    __tablename__ = "procedure_rules"

    id: Mapped[SerialKey]
    region_prefix: Mapped[str]  # "" = national default
    effective_from: Mapped[dt.date]
    decision_days: Mapped[int] = mapped_column(Integer)
    extended_days: Mapped[int] = mapped_column(Integer)
    emergency_days: Mapped[int] = mapped_column(Integer)
    lead_days: Mapped[int] = mapped_column(Integer)
    high_age_min_years: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[str]
    created_at: Mapped[dt.datetime]

    __table_args__ = (UniqueConstraint("region_prefix", "effective_from", name="uq_procedure_rules_prefix_from"),)
