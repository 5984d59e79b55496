"""Result pushes to hotline platforms (CONTRACTS.md §2): where each platform listens, and every attempt to deliver
a result the register queued (register/results.py)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, DateTime, ForeignKey, Index, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from services.complaints.db import Base


class HotlinePlatform(Base):
    __tablename__ = "hotline_platforms"

    client_id: Mapped[str] = mapped_column(Text, primary_key=True)
    # The client's jurisdiction prefix, as the gateway registered it: only an administrator covering it may read or
    # change the callback. None for platforms registered before complaints knew it: the whole country's administrator.
    region_code: Mapped[str | None] = mapped_column(Text)
    callback_url: Mapped[str] = mapped_column(Text)
    # The client secret the pushes are signed with, sealed: the gateway keeps only its hash.
    secret_sealed: Mapped[str] = mapped_column(Text)
    updated_by: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class DeliveryAttempt(Base):
    __tablename__ = "delivery_attempts"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    delivery_id: Mapped[str] = mapped_column(Text, ForeignKey("result_deliveries.id"))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    http_status: Mapped[int | None] = mapped_column(Integer)
    # An HTTP status or an exception class: never the platform's answer, which may echo the body back.
    error: Mapped[str | None] = mapped_column(Text)
    duration_ms: Mapped[int] = mapped_column(Integer)

    __table_args__ = (Index("ix_delivery_attempts_delivery", "delivery_id", "id"),)
