"""Provincial warnings received (CONTRACTS.md §4), kept to answer a repeat of the same `warning_id` identically."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import DateTime, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from services.intake.db import Base


class ProvinceWarning(Base):
    __tablename__ = "province_warnings"

    warning_id: Mapped[str] = mapped_column(Text, primary_key=True)
    client: Mapped[str] = mapped_column(Text)
    # SHA-256 of the canonical request: equal means "the same warning again", different means a reused id (409).
    request_hash: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(Text)
    region_code: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(Text)  # lead | review
    response: Mapped[dict[str, Any]] = mapped_column(JSONB)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
