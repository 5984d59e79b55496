"""Rows a provider sent about people outside its region (CONTRACTS.md §5, 2026-12): refused, and kept for staff.

A registry speaks only for its own region. A row about a person Jiuzhu watches elsewhere acts on no one and counts as
rejected (`outside_region`); it is listed here under the person's region, so that county sees that a provider
elsewhere sent data about its people.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Identity, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.matching.db import Base


class OutsideRegionRow(Base):
    __tablename__ = "outside_region_rows"

    id: Mapped[int] = mapped_column(Identity(), primary_key=True)
    feed_id: Mapped[str]
    row_no: Mapped[int]
    source: Mapped[str]
    client_id: Mapped[str]
    client_name: Mapped[str | None]
    provider_region: Mapped[str | None]
    # The region the person is watched in (a household's or an application's), one row per region.
    region_code: Mapped[str]
    person: Mapped[uuid.UUID]
    id_masked: Mapped[str]
    recorded_at: Mapped[dt.datetime]

    __table_args__ = (
        UniqueConstraint("feed_id", "row_no", "region_code"),
        Index(None, "recorded_at", "id"),
    )
