"""The entitlement ledger (DOMAIN.md §9): what each household is paid under each program, month by month, and what
holds it back. Kept from casework's `entitlement-changed` and matching's `death-detected`.

Months are `date`s on the first of the month, so PostgreSQL's `generate_series` and range comparisons work on them.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Index, Integer, text
from sqlalchemy.orm import Mapped, mapped_column

from libs.kernel.column_types import SerialKey, TextKey
from services.disbursement.db import Base


class CountyLedger(Base):
    """One row per county: `version` grows with every change to what the county's roster would pay, so a draft built
    from an older version cannot be locked (the roster would pay from a stale ledger, perhaps the dead)."""

    __tablename__ = "county_ledgers"

    region_code: Mapped[TextKey]
    version: Mapped[int]
    # The first month this system paid the county: months before it were paid by the system it replaced, so they
    # never count as arrears.
    first_period: Mapped[dt.date | None]
    changed_at: Mapped[dt.datetime]


class Entitlement(Base):
    """An entitlement as the latest `entitlement-changed` describes it; its months are in `schedule_segments`."""

    __tablename__ = "entitlements"

    entitlement_id: Mapped[TextKey]
    household_id: Mapped[str] = mapped_column(index=True)
    region_code: Mapped[str]
    county_code: Mapped[str]
    program: Mapped[str]
    status: Mapped[str]
    payee_name: Mapped[str]
    payee_id_sealed: Mapped[str]
    payee_hash: Mapped[str]
    # The payee's part of a roster's CSV row ("id_number,bank_code,account_no"), sealed as one: locking a roster of a
    # million lines opens one value per line, not two. Kept with the payee and the household's account.
    export_sealed: Mapped[str | None]
    member_count: Mapped[int] = mapped_column(Integer)
    # Keyed hashes of the members the latest event lists: a death among them holds the entitlement.
    member_hashes: Mapped[list[str]]
    members_as_of: Mapped[dt.datetime]
    case_id: Mapped[str | None]
    # The earliest month that may be owed or overpaid although a roster of a later month was locked: a late approval,
    # a failed payment, a released hold or a retroactive change. None: every month before the next roster's is
    # settled, so the roster only pays its own month (the common case, with no look-up of earlier lines).
    dirty_from: Mapped[dt.date | None]
    changed_at: Mapped[dt.datetime]

    __table_args__ = (Index(None, "county_code", "program"),)


class EntitlementPeriod(Base):
    """One `entitlement-changed`, in the order received: a later one overrides the months it covers."""

    __tablename__ = "entitlement_periods"

    id: Mapped[SerialKey]
    entitlement_id: Mapped[str] = mapped_column(index=True)
    status: Mapped[str]
    amount_fen: Mapped[int]
    first_month: Mapped[dt.date]
    last_month: Mapped[dt.date | None]
    member_hashes: Mapped[list[str]]
    changed_at: Mapped[dt.datetime]


class SegmentOrigin(StrEnum):
    CASEWORK = "casework"
    DEATH = "death"  # nothing is due after the month of a member's death until casework decides again


class ScheduleSegment(Base):
    """The months of an entitlement and what each pays, without overlaps (recomputed from its periods)."""

    __tablename__ = "schedule_segments"

    entitlement_id: Mapped[TextKey]
    first_month: Mapped[dt.date] = mapped_column(primary_key=True)
    last_month: Mapped[dt.date | None]  # None: open-ended
    status: Mapped[str]
    # What the month pays: the period's amount while active or in gradual exit, 0 when suspended or stopped.
    due_fen: Mapped[int]
    origin: Mapped[str]


class Death(Base):
    """A death matching detected, by the person's keyed hash; a released death was a false match."""

    __tablename__ = "deaths"

    person_hash: Mapped[TextKey]
    name_masked: Mapped[str]
    death_date: Mapped[dt.date]
    source: Mapped[str]
    feed_id: Mapped[str]
    household_ids: Mapped[list[str]]
    detected_at: Mapped[dt.datetime]
    released_at: Mapped[dt.datetime | None]
    released_by: Mapped[str | None]
    release_reason: Mapped[str | None]


class HoldKind(StrEnum):
    DEATH = "death"  # a member's death detected, until casework decides without them (or it was a false match)
    SUSPENSION = "suspension"  # placed by county staff
    ACCOUNT = "account"  # the bank account failed or is missing, until it is fixed
    # An amount no program could pay in the ledger (one stored before amounts were checked at entry), until casework
    # sends one it can: the rest of the county is paid meanwhile (issue 17).
    AMOUNT = "amount"


class Hold(Base):
    """While a hold is active the household (or one program of it) has no roster line; the months it holds stay owed
    (paid as arrears once released) unless casework decides they are not due."""

    __tablename__ = "holds"

    id: Mapped[TextKey]
    household_id: Mapped[str]
    county_code: Mapped[str]
    program: Mapped[str | None]  # None: every program of the household
    kind: Mapped[str]
    reason: Mapped[str]
    person_hash: Mapped[str | None]
    from_month: Mapped[dt.date | None]
    created_at: Mapped[dt.datetime]
    created_by: Mapped[str]
    released_at: Mapped[dt.datetime | None]
    released_by: Mapped[str | None]
    release_reason: Mapped[str | None]

    __table_args__ = (
        Index(None, "household_id", postgresql_where=text("released_at IS NULL")),
        Index(None, "county_code", "kind", "created_at"),
    )
