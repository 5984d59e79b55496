"""What complaints knows to keep a relative's hands off an item about their family (回避, DOMAIN.md §7).

Casework keeps the close-relative register and the households; complaints keeps, from their events, one row per
filing (`close-relative-filing-changed`) and each household's members as of its latest snapshot
(`household-changed`), every person by complaints' keyed hash only: enough to tell that an item's person, or a
member of its household, is a filed staff member's relative.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index
from sqlalchemy.orm import Mapped, mapped_column

from libs.kernel.column_types import TextKey
from libs.modules.relatives_register import RegisteredRelativeColumns, active_filings_index
from services.complaints.db import Base


class RegisteredRelative(RegisteredRelativeColumns, Base):
    relative_hash: Mapped[str]

    # Handling an item looks up the active filings of its people.
    __table_args__ = (active_filings_index("relative_hash"),)


class KnownHousehold(Base):
    """When the members below were true: an older snapshot arriving late does not replace them."""

    __tablename__ = "known_households"

    household_id: Mapped[TextKey]
    members_as_of: Mapped[dt.datetime]


class KnownMember(Base):
    __tablename__ = "known_members"

    household_id: Mapped[TextKey]
    person_hash: Mapped[str] = mapped_column(primary_key=True)

    # An item about a person (no household_id) finds the person's households through it.
    __table_args__ = (Index("ix_known_members_person_hash", "person_hash"),)
