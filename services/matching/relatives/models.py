"""Matching's copy of casework's close-relative register (DOMAIN.md §7), from `close-relative-filing-changed`.

A township officer filed as the relative of a member of a hit's household must not confirm or dismiss the hit: only
what recognises the staff member and the relative (by matching's person key, as the watch list keeps people) is
kept, one row per filing.
"""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Mapped

from libs.modules.relatives_register import RegisteredRelativeColumns, active_filings_index
from services.matching.db import Base


class RegisteredRelative(RegisteredRelativeColumns, Base):
    relative: Mapped[uuid.UUID]

    # Checking a hit looks up the active filings of its household's members.
    __table_args__ = (active_filings_index("relative"),)
