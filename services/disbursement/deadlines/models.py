"""Local payment-deadline figures per region, effective from a month (DOMAIN.md §12: local figures are data; read the
one way of `libs.modules.local_figures`: the most specific prefix in force wins)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from libs.kernel.column_types import SerialKey
from services.disbursement.db import Base


class DeadlineFigure(Base):
    __tablename__ = "deadline_figures"

    id: Mapped[SerialKey]
    region_prefix: Mapped[str]  # "" = national default (seeded by the migration)
    effective_from: Mapped[dt.date]  # the first day of the first month the figures govern
    paid_by_day: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[str]
    created_at: Mapped[dt.datetime]

    __table_args__ = (UniqueConstraint("region_prefix", "effective_from", name="uq_deadline_figures_prefix_from"),)
