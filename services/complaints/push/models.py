"""Result pushes to hotline platforms (CONTRACTS.md §2): where each platform listens, each result waiting to reach
it, and every attempt. A delivery row is written in the transaction that closes the item, so a result is never lost;
it is kept until the platform answers 2xx."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, DateTime, ForeignKey, Index, Integer, LargeBinary, Text
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


class ResultDelivery(Base):
    __tablename__ = "result_deliveries"

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    complaint_id: Mapped[str] = mapped_column(Text, ForeignKey("complaints.id"))
    work_order_no: Mapped[str] = mapped_column(Text)
    client_id: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)  # the work order's status the body reports: resolved | returned
    # The exact bytes signed and sent, sealed (the reply may name people); every attempt sends the same bytes.
    body_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    delivered_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("ix_result_deliveries_pending", "next_attempt_at", "id", postgresql_where="delivered_at IS NULL"),
        # A platform's log (its own deliveries only, oldest first) and a work order's pushes.
        Index("ix_result_deliveries_client", "client_id", "created_at", "id"),
        Index("ix_result_deliveries_complaint", "complaint_id", "created_at"),
    )


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
