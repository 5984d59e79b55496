"""The watch list (DOMAIN.md §5): who matching checks, kept from casework's and intake's events.

Recipients and members come from `household-changed` and `entitlement-changed` (each carries the members, and the
newer snapshot wins); obligors and applicants from `application-submitted`, obligors following the application into
its household on approval (`case-decided`). A household is watched while any entitlement pays this month or later.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import BigInteger, Boolean, DateTime, Identity, Index, Integer, Text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from services.matching.db import Base


class Person(Base):
    """Who a key stands for, sealed: only what an event to casework must name (the number and the name)."""

    __tablename__ = "people"

    person: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    identity_sealed: Mapped[str] = mapped_column(Text)
    id_masked: Mapped[str] = mapped_column(Text)
    name_masked: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class WatchHousehold(Base):
    __tablename__ = "watch_households"

    household_id: Mapped[str] = mapped_column(Text, primary_key=True)
    region_code: Mapped[str] = mapped_column(Text)
    closed: Mapped[bool] = mapped_column(Boolean, default=False)
    size: Mapped[int] = mapped_column(Integer, default=0)
    # The time of the snapshot the members come from: an older event never overwrites a newer one.
    members_as_of: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class WatchMember(Base):
    __tablename__ = "watch_members"

    household_id: Mapped[str] = mapped_column(Text, primary_key=True)
    person: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    relation: Mapped[str] = mapped_column(Text)

    __table_args__ = (Index(None, "person"),)


class WatchEntitlement(Base):
    """One entitlement, with what its published periods add up to (see `timeline`)."""

    __tablename__ = "watch_entitlements"

    entitlement_id: Mapped[str] = mapped_column(Text, primary_key=True)
    household_id: Mapped[str] = mapped_column(Text, index=True)
    program: Mapped[str] = mapped_column(Text)
    # Paid without an end in sight, or up to and including `last_paid_month` (None: never paid).
    open_ended: Mapped[bool] = mapped_column(Boolean, default=False)
    last_paid_month: Mapped[str | None] = mapped_column(Text)


class EntitlementPeriod(Base):
    """Each `entitlement-changed` as received: a later one overrides the months it covers."""

    __tablename__ = "entitlement_periods"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    entitlement_id: Mapped[str] = mapped_column(Text, index=True)
    status: Mapped[str] = mapped_column(Text)
    effective_from: Mapped[str] = mapped_column(Text)
    effective_to: Mapped[str | None] = mapped_column(Text)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class WatchApplication(Base):
    __tablename__ = "watch_applications"

    application_id: Mapped[str] = mapped_column(Text, primary_key=True)
    region_code: Mapped[str] = mapped_column(Text)
    program: Mapped[str] = mapped_column(Text)
    # pending until decided or withdrawn; applicants are watched only while pending.
    status: Mapped[str] = mapped_column(Text)
    household_id: Mapped[str | None] = mapped_column(Text)
    accepted_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ApplicationPerson(Base):
    """A member (role `member`) or obligor (role `obligor`) named by an application."""

    __tablename__ = "application_people"

    application_id: Mapped[str] = mapped_column(Text, primary_key=True)
    person: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    role: Mapped[str] = mapped_column(Text, primary_key=True)
    relation: Mapped[str] = mapped_column(Text)

    __table_args__ = (Index(None, "person"),)


class WatchObligor(Base):
    """A legal supporter living apart from a recipient household (dibao and tekun: DOMAIN.md §5)."""

    __tablename__ = "watch_obligors"

    household_id: Mapped[str] = mapped_column(Text, primary_key=True)
    person: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    relation: Mapped[str] = mapped_column(Text)
    application_id: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index(None, "person"),)
