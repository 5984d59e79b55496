"""Cases (DOMAIN.md §3, §4): one per application, periodic review or trigger; their history, investigations,
verification reports and attachments (the staff who must recuse themselves are in relatives/models.py)."""

from __future__ import annotations

import datetime as dt

from pydantic import JsonValue
from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from services.casework.db import Base


class Case(Base):
    __tablename__ = "cases"

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    kind: Mapped[str] = mapped_column(Text)  # CaseKind
    # What opened the case and its own identifier (an application, a hit, a complaint, a review date): the pair is
    # unique, so a trigger delivered twice opens one case.
    trigger: Mapped[str] = mapped_column(Text)
    trigger_ref: Mapped[str] = mapped_column(Text)
    household_id: Mapped[str | None] = mapped_column(Text)
    application_id: Mapped[str | None] = mapped_column(Text)
    application_no: Mapped[str | None] = mapped_column(Text)
    program: Mapped[str] = mapped_column(Text)
    region_code: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)
    applicant_name_masked: Mapped[str] = mapped_column(Text)
    member_count: Mapped[int] = mapped_column(Integer)
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    due_date_provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    emergency: Mapped[bool] = mapped_column(Boolean, default=False)
    close_relative_declared: Mapped[bool] = mapped_column(Boolean, default=False)
    close_relative_detected: Mapped[bool] = mapped_column(Boolean, default=False)
    # Close-relative cases are investigated by the county (DOMAIN.md §3.5, §7).
    county_investigation: Mapped[bool] = mapped_column(Boolean, default=False)
    # The application or trigger content the decision works from (members with identity numbers, income, health
    # flags, the bank account): sealed, readable only through the service.
    content_sealed: Mapped[str] = mapped_column(Text)
    trigger_summary: Mapped[str] = mapped_column(Text, default="")
    proposed_outcome: Mapped[str | None] = mapped_column(Text)
    proposed_amount_fen: Mapped[int | None] = mapped_column(BigInteger)
    proposal: Mapped[dict[str, JsonValue] | None] = mapped_column(JSONB)
    publicity_started_on: Mapped[dt.date | None] = mapped_column(Date)
    publicity_ends_on: Mapped[dt.date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(Text)
    reasons: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    effective_month: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    opened_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        UniqueConstraint("trigger", "trigger_ref", name="uq_cases_trigger_ref"),
        Index("ix_cases_region_status_due", "region_code", "status", "due_date"),
        Index("ix_cases_household_id", "household_id"),
        Index("ix_cases_application_id", "application_id"),
    )


class CaseHistory(Base):
    __tablename__ = "case_history"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(Text)
    actor_name: Mapped[str] = mapped_column(Text, default="")
    action: Mapped[str] = mapped_column(Text)
    status_from: Mapped[str | None] = mapped_column(Text)
    status_to: Mapped[str] = mapped_column(Text)
    detail: Mapped[str] = mapped_column(Text, default="")


class CaseInvestigation(Base):
    """A home investigation (入户调查) by at least two officers; findings and verified figures are sealed."""

    __tablename__ = "case_investigations"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    round: Mapped[int] = mapped_column(Integer)
    investigators: Mapped[list[str]] = mapped_column(ARRAY(Text))
    visited_on: Mapped[dt.date] = mapped_column(Date)
    by_county: Mapped[bool] = mapped_column(Boolean)
    content_sealed: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (UniqueConstraint("case_id", "round", name="uq_case_investigations_case_round"),)


class CasePerson(Base):
    """Everyone a case concerns, by keyed hash: finds open cases of a person (recusal filings, repeats)."""

    __tablename__ = "case_persons"

    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    person_hash: Mapped[str] = mapped_column(Text, primary_key=True, index=True)


class PendingApplicationEvent(Base):
    """An event about an application that arrived before its `application-submitted` (topics are not mutually
    ordered): kept, sealed, and applied when the case opens."""

    __tablename__ = "pending_application_events"

    application_id: Mapped[str] = mapped_column(Text, primary_key=True)
    event_type: Mapped[str] = mapped_column(Text, primary_key=True)
    payload_sealed: Mapped[str] = mapped_column(Text)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class CaseVerification(Base):
    """Matching's economic verification report (逢进必核, DOMAIN.md §3.4), sealed: findings name members."""

    __tablename__ = "case_verifications"

    verification_id: Mapped[str] = mapped_column(Text, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    finding_count: Mapped[int] = mapped_column(Integer)
    findings_sealed: Mapped[str] = mapped_column(Text)
    completed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class CaseAttachment(Base):
    __tablename__ = "case_attachments"

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    filename: Mapped[str] = mapped_column(Text)
    content_type: Mapped[str] = mapped_column(Text)
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(Text)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by: Mapped[str] = mapped_column(Text)
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
