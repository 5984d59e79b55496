"""Work orders as the 12345 platform posted them (CONTRACTS.md §2), kept to answer a repeat identically. A number is
the platform's own: unique per client, so two platforms may use the same one for two different orders."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import DateTime, LargeBinary, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from services.complaints.db import Base


class WorkOrder(Base):
    __tablename__ = "work_orders"

    client_id: Mapped[str] = mapped_column(Text, primary_key=True)
    work_order_no: Mapped[str] = mapped_column(Text, primary_key=True)
    # SHA-256 of the canonical request: equal means "the same work order again", different means a reused number.
    request_hash: Mapped[str] = mapped_column(Text)
    complaint_id: Mapped[str | None] = mapped_column(Text)
    response: Mapped[dict[str, Any]] = mapped_column(JSONB)
    # The request body exactly as received, `raw` included, sealed: it names the caller (DOMAIN.md §11).
    payload_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
