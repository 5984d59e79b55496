"""Local figures as rows (DOMAIN.md §12): one figure of one region prefix from one date, never overwritten."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from libs.kernel.column_types import SerialKey
from services.casework.db import Base


class StandardFigure(Base):
    __tablename__ = "standards"

    id: Mapped[SerialKey]
    region_prefix: Mapped[str]  # "" = national
    effective_from: Mapped[dt.date]
    name: Mapped[str]
    value: Mapped[Any] = mapped_column(JSONB)
    created_by: Mapped[str]
    created_at: Mapped[dt.datetime]

    __table_args__ = (
        UniqueConstraint("region_prefix", "effective_from", "name", name="uq_standards_prefix_from_name"),
    )
