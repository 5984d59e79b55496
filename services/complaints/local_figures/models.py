"""Local complaint figures per region, effective-dated (DOMAIN.md §6, §12): the most specific prefix in force wins."""

from __future__ import annotations

from sqlalchemy import Integer
from sqlalchemy.orm import Mapped, mapped_column

from libs.modules.local_figures import FiguresRow
from services.complaints.db import Base


class ComplaintPolicy(FiguresRow, Base):
    __tablename__ = "policies"

    reply_days: Mapped[int] = mapped_column(Integer)
    repeat_window_days: Mapped[int] = mapped_column(Integer)
