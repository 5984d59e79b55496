"""Local payment-deadline figures per region, effective from a month (DOMAIN.md §12: local figures are data; read the
one way of `libs.modules.local_figures`: the most specific prefix in force wins)."""

from __future__ import annotations

from sqlalchemy import Integer
from sqlalchemy.orm import Mapped, mapped_column

from libs.modules.local_figures import FiguresRow
from services.disbursement.db import Base


class DeadlineFigure(FiguresRow, Base):
    """A row's `effective_from` is the first day of the first month the figures govern; the national default (prefix
    "") is seeded by the migration."""

    __tablename__ = "deadline_figures"

    paid_by_day: Mapped[int] = mapped_column(Integer)
