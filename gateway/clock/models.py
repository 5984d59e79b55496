"""The training clock as the gateway keeps it: one row, the source every service's copy is delivered from."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from gateway.db import Base

CLOCK_ROW = 1


class TrainingClockSetting(Base):
    __tablename__ = "training_clock"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    offset_days: Mapped[int] = mapped_column(Integer)
    # Raised by every change: a service keeps the highest version it was given, so crossed deliveries do no harm.
    version: Mapped[int] = mapped_column(BigInteger)
    set_at: Mapped[datetime] = mapped_column(server_default=func.now())
    # The administrator who set it, as claims: the deliveries are signed as that person (services check the role).
    actor: Mapped[dict[str, Any]] = mapped_column(server_default="{}")
    reason: Mapped[str | None] = mapped_column(String(2000))
