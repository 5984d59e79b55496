"""Intake's projection of who is a recipient now, from casework's `entitlement-changed` and `household-changed`.

Only what intake decides with: which person (by keyed hash) belongs to which household, and the status of each of the
household's programs. The two topics are not ordered against each other, so each part keeps the time of the change
it reflects and ignores older news.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, text
from sqlalchemy.orm import Mapped, mapped_column

from libs.kernel.column_types import TextKey
from services.intake.db import Base


class RecipientHousehold(Base):
    __tablename__ = "recipient_households"

    household_id: Mapped[TextKey]
    region_code: Mapped[str]
    closed: Mapped[bool] = mapped_column(server_default=text("false"))
    members_as_of: Mapped[dt.datetime]


class RecipientMember(Base):
    __tablename__ = "recipient_members"

    household_id: Mapped[str] = mapped_column(ForeignKey("recipient_households.household_id"), primary_key=True)
    person_hash: Mapped[str] = mapped_column(primary_key=True, index=True)


class RecipientProgram(Base):
    __tablename__ = "recipient_programs"

    household_id: Mapped[str] = mapped_column(ForeignKey("recipient_households.household_id"), primary_key=True)
    program: Mapped[TextKey]
    status: Mapped[str]
    as_of: Mapped[dt.datetime]
