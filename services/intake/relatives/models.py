"""Intake's copy of casework's close-relative register (DOMAIN.md §7), from `close-relative-filing-changed`.

Intake declares relatives on the application, but a staff member filed in casework's register as a member's relative
must be refused too, before any case exists: only what recognises the staff member and the relative (by keyed hash)
is kept, one row per filing.
"""

from __future__ import annotations

from sqlalchemy.orm import Mapped

from libs.modules.relatives_register import RegisteredRelativeColumns, active_filings_index
from services.intake.db import Base


class RegisteredRelative(RegisteredRelativeColumns, Base):
    relative_hash: Mapped[str]

    # Recusal checks look up the active filings of an application's or a lead's people.
    __table_args__ = (active_filings_index("relative_hash"),)
