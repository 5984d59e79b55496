"""Intake's copy of casework's close-relative register (DOMAIN.md §7), from `close-relative-filing-changed`.

Intake declares relatives on the application, but a staff member filed in casework's register as a member's relative
must be refused too, before any case exists: only what recognises the staff member and the relative (by keyed hash)
is kept, one row per filing.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index
from sqlalchemy.orm import Mapped

from libs.kernel.column_types import TextKey
from services.intake.db import Base


class RegisteredRelative(Base):
    __tablename__ = "registered_relatives"

    # Casework's filing id: a redelivered event finds its row.
    filing_id: Mapped[TextKey]
    staff_user: Mapped[str | None]
    staff_name: Mapped[str]
    relative_hash: Mapped[str]
    filed_at: Mapped[dt.datetime]
    withdrawn_at: Mapped[dt.datetime | None]

    __table_args__ = (
        # Recusal checks look up the active filings of an application's or a lead's people.
        Index("ix_registered_relatives_relative_hash", "relative_hash", postgresql_where="withdrawn_at IS NULL"),
    )
