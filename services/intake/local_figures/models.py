"""Procedure rules per region, effective-dated (DOMAIN.md §12): the most specific prefix in force wins."""

from __future__ import annotations

from sqlalchemy import Integer
from sqlalchemy.orm import Mapped, mapped_column

from libs.modules.local_figures import FiguresRow
from services.intake.db import Base


class ProcedureRule(FiguresRow, Base):
    __tablename__ = "procedure_rules"

    decision_days: Mapped[int] = mapped_column(Integer)
    extended_days: Mapped[int] = mapped_column(Integer)
    emergency_days: Mapped[int] = mapped_column(Integer)
    lead_days: Mapped[int] = mapped_column(Integer)
    high_age_min_years: Mapped[int] = mapped_column(Integer)
