"""The close-relative register (近亲属备案, DOMAIN.md §7, seed 002): staff who must file, their relatives, and the
recusals (回避) that follow from a filing or a declaration."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, UniqueConstraint
from sqlalchemy.orm import Mapped

from libs.kernel.column_types import SerialKey
from services.casework.db import Base


class StaffRelative(Base):
    __tablename__ = "staff_relatives"

    id: Mapped[SerialKey]
    staff_user: Mapped[str | None]
    staff_name: Mapped[str]
    staff_unit: Mapped[str]
    # Where the staff member works: filings are visible inside this jurisdiction.
    staff_region: Mapped[str]
    relative_hash: Mapped[str]
    relative_id_sealed: Mapped[str]
    relative_name: Mapped[str]
    relation: Mapped[str]
    filed_by: Mapped[str]
    filed_at: Mapped[dt.datetime]
    withdrawn_at: Mapped[dt.datetime | None]
    withdrawn_reason: Mapped[str | None]

    __table_args__ = (
        Index("ix_staff_relatives_relative_hash", "relative_hash", postgresql_where="withdrawn_at IS NULL"),
        Index("ix_staff_relatives_staff_region", "staff_region", "id"),
    )


class Recusal(Base):
    """A staff member who may not act on a household or case (DOMAIN.md §7): declared, or found in the register."""

    __tablename__ = "recusals"

    id: Mapped[SerialKey]
    # "case" before a household exists (an application), "household" once it does.
    subject_kind: Mapped[str]
    subject_id: Mapped[str]
    staff_user: Mapped[str | None]
    staff_name: Mapped[str]
    relation: Mapped[str]
    source: Mapped[str]  # declared | register
    recorded_at: Mapped[dt.datetime]

    __table_args__ = (
        Index("ix_recusals_subject", "subject_kind", "subject_id"),
        UniqueConstraint("subject_kind", "subject_id", "staff_name", "relation", name="uq_recusals_subject_staff"),
    )
