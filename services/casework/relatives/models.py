"""The close-relative register (近亲属备案, DOMAIN.md §7, seed 002): staff who must file, and their relatives."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, DateTime, Index, Text
from sqlalchemy.orm import Mapped, mapped_column

from services.casework.db import Base


class StaffRelative(Base):
    __tablename__ = "staff_relatives"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    staff_user: Mapped[str | None] = mapped_column(Text)
    staff_name: Mapped[str] = mapped_column(Text)
    staff_unit: Mapped[str] = mapped_column(Text)
    # Where the staff member works: filings are visible inside this jurisdiction.
    staff_region: Mapped[str] = mapped_column(Text)
    relative_hash: Mapped[str] = mapped_column(Text)
    relative_id_sealed: Mapped[str] = mapped_column(Text)
    relative_name: Mapped[str] = mapped_column(Text)
    relation: Mapped[str] = mapped_column(Text)
    filed_by: Mapped[str] = mapped_column(Text)
    filed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index("ix_staff_relatives_relative_hash", "relative_hash", postgresql_where="withdrawn_at IS NULL"),
        Index("ix_staff_relatives_staff_region", "staff_region", "id"),
    )
