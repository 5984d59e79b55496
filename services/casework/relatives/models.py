"""The close-relative register (近亲属备案, DOMAIN.md §7, seed 002): staff who must file, their relatives, and the
recusals (回避) that follow from a filing or a declaration."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, DateTime, Index, Text, UniqueConstraint
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


class Recusal(Base):
    """A staff member who may not act on a household or case (DOMAIN.md §7): declared, or found in the register."""

    __tablename__ = "recusals"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    # "case" before a household exists (an application), "household" once it does.
    subject_kind: Mapped[str] = mapped_column(Text)
    subject_id: Mapped[str] = mapped_column(Text)
    staff_user: Mapped[str | None] = mapped_column(Text)
    staff_name: Mapped[str] = mapped_column(Text)
    relation: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)  # declared | register
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("ix_recusals_subject", "subject_kind", "subject_id"),
        UniqueConstraint("subject_kind", "subject_id", "staff_name", "relation", name="uq_recusals_subject_staff"),
    )
