"""The recipient registry (DOMAIN.md §4, §11): households, members, entitlements, and every past state of a household.

Current rows are what lists and rules read; `household_versions` keeps each state a household has been in, sealed,
so the household as it stood on any past date can be shown (一户一档: records are kept, corrections are new
versions). Identity numbers are stored as a keyed hash for look-ups plus a sealed value; health details are sealed.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import TypedDict

from sqlalchemy import ForeignKey, Index, Integer, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from libs.kernel.column_types import SerialKey, TextKey
from services.casework.db import Base


class GradualExitStep(TypedDict):
    """One step of a gradual exit as stored (JSON): the months `first`..`last` (YYYY-MM) pay `amount_fen`,
    `percent` of the last amount."""

    first: str
    last: str
    percent: int
    amount_fen: int


class HouseholdStatus(StrEnum):
    ACTIVE = "active"
    CLOSED = "closed"


class ReviewClass(StrEnum):
    # DOMAIN.md §4 (seed 002): A yearly, B half-yearly, C quarterly; monthly for "other recipients" (seed 000);
    # quarterly for disability subsidies (seed 003).
    A = "A"
    B = "B"
    C = "C"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"


class Household(Base):
    __tablename__ = "households"

    id: Mapped[TextKey]
    region_code: Mapped[str]
    status: Mapped[str]
    head_hash: Mapped[str | None]
    review_class: Mapped[str]
    next_review_date: Mapped[dt.date | None]
    # A member is a close relative of assistance staff (DOMAIN.md §7): reviewed by the county at every cycle.
    close_relative: Mapped[bool] = mapped_column(default=False)
    predecessor_id: Mapped[str | None]
    successor_id: Mapped[str | None]
    bank_code: Mapped[str | None]
    account_holder: Mapped[str | None]
    account_no_masked: Mapped[str | None]
    account_no_sealed: Mapped[str | None]
    bank_account_ref: Mapped[str | None]
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]
    closed_at: Mapped[dt.datetime | None]
    closed_reason: Mapped[str | None]

    __table_args__ = (
        Index("ix_households_region_code", "region_code", "id"),
        # The province pulls changes by time (CONTRACTS.md §4).
        Index("ix_households_updated", "updated_at", "id"),
        Index("ix_households_next_review", "next_review_date", postgresql_where="status = 'active'"),
    )


class HouseholdMember(Base):
    """A membership, from joining to leaving; leaving ends the row, it is never deleted."""

    __tablename__ = "household_members"

    id: Mapped[SerialKey]
    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"))
    person_hash: Mapped[str]
    id_number_sealed: Mapped[str]
    name: Mapped[str]
    relation: Mapped[str]
    birth_date: Mapped[dt.date]
    # Disability, illness, labour capacity, employment, self-care: personal data, sealed (DOMAIN.md §11).
    details_sealed: Mapped[str]
    joined_at: Mapped[dt.datetime]
    left_at: Mapped[dt.datetime | None]
    left_reason: Mapped[str | None]

    __table_args__ = (
        Index("ix_household_members_person_hash", "person_hash"),
        Index("ix_household_members_household_id", "household_id"),
        # Staff search households by a current member's full name (户籍查询).
        Index("ix_household_members_name", "name", "household_id", postgresql_where="left_at IS NULL"),
        # The age job reads current members by birth-date ranges, a page at a time (issue 21).
        Index("ix_household_members_birth_date", "birth_date", "id", postgresql_where="left_at IS NULL"),
    )


class Entitlement(Base):
    """What a household is paid under one program; changes are published and versioned with the household."""

    __tablename__ = "entitlements"

    id: Mapped[TextKey]
    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"))
    program: Mapped[str]
    status: Mapped[str]
    monthly_amount_fen: Mapped[int]
    effective_from: Mapped[str]  # benefit month YYYY-MM
    effective_to: Mapped[str | None]
    beneficiary_hash: Mapped[str | None]
    # The steps of a gradual exit, e.g. [{"first": "2027-01", "last": "2027-02", "percent": 100, "amount_fen": ...}].
    schedule: Mapped[list[GradualExitStep] | None] = mapped_column(JSONB)
    case_id: Mapped[str | None]
    since: Mapped[dt.date]
    updated_at: Mapped[dt.datetime]
    # When this program's next visit falls due (issue 21: review dates per program, case/review_rules.py); None for a
    # program the monthly registry check covers, or one no longer paid. The household's `next_review_date` is the
    # earliest of its programs', which the review calendar reads.
    next_review_date: Mapped[dt.date | None]

    __table_args__ = (UniqueConstraint("household_id", "program", name="uq_entitlements_household_program"),)


# Said (NOTIFY) at the commit of every transaction that recorded a version: the province's push job listens.
VERSIONS_RECORDED = "casework_household_version"


class HouseholdVersion(Base):
    """Every state of a household, sealed: members with identity numbers, programs, amounts, region, review class."""

    __tablename__ = "household_versions"

    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    recorded_at: Mapped[dt.datetime]
    changes: Mapped[list[str]]
    case_id: Mapped[str | None]
    snapshot_sealed: Mapped[str]
    # When the province's feed took this version into its queue (province/feed.py); NULL until then. The versions
    # still to take are found through a partial index of their own, not by looking at every version ever recorded.
    queued_at: Mapped[dt.datetime | None]

    __table_args__ = (
        Index(
            "ix_household_versions_unqueued",
            "recorded_at",
            "household_id",
            "version",
            postgresql_where=text("queued_at IS NULL"),
        ),
    )
