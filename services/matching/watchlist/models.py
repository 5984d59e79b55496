"""The watch list (DOMAIN.md §5): who matching checks, kept from casework's and intake's events.

Recipients and members come from `household-changed` and `entitlement-changed` (each carries the members, and the
newer snapshot wins); obligors and applicants from `application-submitted`, obligors following the application into
its household on approval (`case-decided`). A household is watched while any entitlement pays this month or later.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Identity, Index, Integer
from sqlalchemy.orm import Mapped, mapped_column

from libs.kernel.column_types import TextKey
from services.matching.db import Base


class Person(Base):
    """Who a key stands for, sealed: only what an event to casework must name (the number and the name)."""

    __tablename__ = "people"

    person: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    identity_sealed: Mapped[str]
    id_masked: Mapped[str]
    name_masked: Mapped[str]
    updated_at: Mapped[dt.datetime]


class WatchHousehold(Base):
    __tablename__ = "watch_households"

    household_id: Mapped[TextKey]
    region_code: Mapped[str]
    closed: Mapped[bool] = mapped_column(default=False)
    size: Mapped[int] = mapped_column(Integer, default=0)
    # The time of the snapshot the members come from: an older event never overwrites a newer one.
    members_as_of: Mapped[dt.datetime]


class WatchMember(Base):
    __tablename__ = "watch_members"

    household_id: Mapped[TextKey]
    person: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    relation: Mapped[str]

    __table_args__ = (Index(None, "person"),)


class WatchEntitlement(Base):
    """One entitlement, with what its published periods add up to (see `timeline`)."""

    __tablename__ = "watch_entitlements"

    entitlement_id: Mapped[TextKey]
    household_id: Mapped[str] = mapped_column(index=True)
    program: Mapped[str]
    # Paid without an end in sight, or up to and including `last_paid_month` (None: never paid).
    open_ended: Mapped[bool] = mapped_column(default=False)
    last_paid_month: Mapped[str | None]


class EntitlementPeriod(Base):
    """Each `entitlement-changed` as received: a later one overrides the months it covers."""

    __tablename__ = "entitlement_periods"

    id: Mapped[int] = mapped_column(Identity(), primary_key=True)
    entitlement_id: Mapped[str] = mapped_column(index=True)
    status: Mapped[str]
    effective_from: Mapped[str]
    effective_to: Mapped[str | None]
    changed_at: Mapped[dt.datetime]


class WatchApplication(Base):
    __tablename__ = "watch_applications"

    application_id: Mapped[TextKey]
    region_code: Mapped[str]
    program: Mapped[str]
    # pending until decided or withdrawn; applicants are watched only while pending.
    status: Mapped[str]
    household_id: Mapped[str | None]
    accepted_at: Mapped[dt.datetime]


class ApplicationPerson(Base):
    """A member (role `member`) or obligor (role `obligor`) named by an application."""

    __tablename__ = "application_people"

    application_id: Mapped[TextKey]
    person: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    role: Mapped[TextKey]
    relation: Mapped[str]

    __table_args__ = (Index(None, "person"),)


class WatchObligor(Base):
    """A legal supporter living apart from a recipient household (dibao and tekun: DOMAIN.md §5)."""

    __tablename__ = "watch_obligors"

    household_id: Mapped[TextKey]
    person: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    relation: Mapped[str]
    application_id: Mapped[str | None]

    __table_args__ = (Index(None, "person"),)
