"""Work orders as the 12345 platform posted them (CONTRACTS.md §2), kept to answer a repeat identically. A number is
the platform's own: unique per client, so two platforms may use the same one for two different orders."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Mapped

from libs.kernel.column_types import TextKey
from services.complaints.db import Base


class WorkOrder(Base):
    __tablename__ = "work_orders"

    client_id: Mapped[TextKey]
    work_order_no: Mapped[TextKey]
    # SHA-256 of the canonical request: equal means "the same work order again", different means a reused number.
    request_hash: Mapped[str]
    complaint_id: Mapped[str | None]
    response: Mapped[dict[str, Any]]
    # The request body exactly as received, `raw` included, sealed: it names the caller (DOMAIN.md §11).
    payload_sealed: Mapped[bytes]
    received_at: Mapped[dt.datetime]
