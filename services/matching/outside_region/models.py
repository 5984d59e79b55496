"""Rows a provider sent about people outside its region (CONTRACTS.md §5, 2026-12): refused, and kept for staff.

A registry speaks only for its own region. A row about a person Jiuzhu watches elsewhere acts on no one and counts as
rejected (`outside_region`); it is listed here under the person's region, so that county sees that a provider
elsewhere sent data about its people.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import BigInteger, DateTime, Identity, Index, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from services.matching.db import Base


class OutsideRegionRow(Base):
    __tablename__ = "outside_region_rows"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    feed_id: Mapped[str] = mapped_column(Text)
    row_no: Mapped[int] = mapped_column(BigInteger)
    source: Mapped[str] = mapped_column(Text)
    client_id: Mapped[str] = mapped_column(Text)
    client_name: Mapped[str | None] = mapped_column(Text)
    provider_region: Mapped[str | None] = mapped_column(Text)
    # The region the person is watched in (a household's or an application's), one row per region.
    region_code: Mapped[str] = mapped_column(Text)
    person: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    id_masked: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        UniqueConstraint("feed_id", "row_no", "region_code"),
        Index(None, "recorded_at", "id"),
    )
