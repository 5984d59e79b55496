"""Matching's copy of casework's close-relative register (DOMAIN.md §7), from `close-relative-filing-changed`.

A township officer filed as the relative of a member of a hit's household must not confirm or dismiss the hit: only
what recognises the staff member and the relative (by matching's person key, as the watch list keeps people) is
kept, one row per filing.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Index
from sqlalchemy.orm import Mapped

from libs.kernel.column_types import TextKey
from services.matching.db import Base


class RegisteredRelative(Base):
    __tablename__ = "registered_relatives"

    # Casework's filing id: a redelivered event finds its row.
    filing_id: Mapped[TextKey]
    staff_user: Mapped[str | None]
    staff_name: Mapped[str]
    relative: Mapped[uuid.UUID]
    filed_at: Mapped[dt.datetime]
    withdrawn_at: Mapped[dt.datetime | None]

    __table_args__ = (
        # Checking a hit looks up the active filings of its household's members.
        Index("ix_registered_relatives_relative", "relative", postgresql_where="withdrawn_at IS NULL"),
    )
