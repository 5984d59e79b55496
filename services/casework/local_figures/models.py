"""Local figures as rows (DOMAIN.md §12): one figure of one region prefix from one date, never overwritten."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import BigInteger, Date, DateTime, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from services.casework.db import Base


class StandardFigure(Base):
    __tablename__ = "standards"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    region_prefix: Mapped[str] = mapped_column(Text)  # "" = national
    effective_from: Mapped[dt.date] = mapped_column(Date)
    name: Mapped[str] = mapped_column(Text)
    value: Mapped[Any] = mapped_column(JSONB)
    created_by: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        UniqueConstraint("region_prefix", "effective_from", "name", name="uq_standards_prefix_from_name"),
    )
