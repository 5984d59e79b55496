"""Result pushes to hotline platforms (CONTRACTS.md §2): where each platform listens, and every attempt to deliver
a result the register queued (register/results.py)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer
from sqlalchemy.orm import Mapped, mapped_column

from libs.kernel.column_types import SerialKey, TextKey
from services.complaints.db import Base


class HotlinePlatform(Base):
    __tablename__ = "hotline_platforms"

    client_id: Mapped[TextKey]
    # The client's jurisdiction prefix, as the gateway registered it: only an administrator covering it may read or
    # change the callback. None for platforms registered before complaints knew it: the whole country's administrator.
    region_code: Mapped[str | None]
    callback_url: Mapped[str]
    # The client secret the pushes are signed with, sealed: the gateway keeps only its hash.
    secret_sealed: Mapped[str]
    updated_by: Mapped[str]
    updated_at: Mapped[dt.datetime]


class DeliveryAttempt(Base):
    __tablename__ = "delivery_attempts"

    id: Mapped[SerialKey]
    delivery_id: Mapped[str] = mapped_column(ForeignKey("result_deliveries.id"))
    at: Mapped[dt.datetime]
    http_status: Mapped[int | None] = mapped_column(Integer)
    # An HTTP status or an exception class: never the platform's answer, which may echo the body back.
    error: Mapped[str | None]
    duration_ms: Mapped[int] = mapped_column(Integer)

    __table_args__ = (Index("ix_delivery_attempts_delivery", "delivery_id", "id"),)
