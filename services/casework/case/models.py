"""Cases (DOMAIN.md §3, §4): one per application, periodic review or trigger; their history, investigations,
verification reports and attachments (the staff who must recuse themselves are in relatives/models.py)."""

from __future__ import annotations

import datetime as dt

from pydantic import JsonValue
from sqlalchemy import (
    ForeignKey,
    Index,
    Integer,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from libs.kernel.column_types import SerialKey, TextKey
from services.casework.db import Base


class Case(Base):
    __tablename__ = "cases"

    id: Mapped[TextKey]
    kind: Mapped[str]  # CaseKind
    # What opened the case and its own identifier (an application, a hit, a complaint, a review date): the pair is
    # unique, so a trigger delivered twice opens one case.
    trigger: Mapped[str]
    trigger_ref: Mapped[str]
    household_id: Mapped[str | None]
    application_id: Mapped[str | None]
    application_no: Mapped[str | None]
    program: Mapped[str]
    region_code: Mapped[str]
    status: Mapped[str]
    applicant_name_masked: Mapped[str]
    member_count: Mapped[int] = mapped_column(Integer)
    due_date: Mapped[dt.date | None]
    due_date_provisional: Mapped[bool] = mapped_column(default=False)
    emergency: Mapped[bool] = mapped_column(default=False)
    close_relative_declared: Mapped[bool] = mapped_column(default=False)
    close_relative_detected: Mapped[bool] = mapped_column(default=False)
    # Close-relative cases are investigated by the county (DOMAIN.md §3.5, §7).
    county_investigation: Mapped[bool] = mapped_column(default=False)
    # The application or trigger content the decision works from (members with identity numbers, income, health
    # flags, the bank account): sealed, readable only through the service.
    content_sealed: Mapped[str]
    trigger_summary: Mapped[str] = mapped_column(default="")
    proposed_outcome: Mapped[str | None]
    proposed_amount_fen: Mapped[int | None]
    proposal: Mapped[dict[str, JsonValue] | None] = mapped_column(JSONB)
    publicity_started_on: Mapped[dt.date | None]
    publicity_ends_on: Mapped[dt.date | None]
    outcome: Mapped[str | None]
    reasons: Mapped[list[str]] = mapped_column(default=list)
    effective_month: Mapped[str | None]
    decided_at: Mapped[dt.datetime | None]
    decided_by: Mapped[str | None]
    version: Mapped[int] = mapped_column(Integer, default=1)
    opened_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]
    # The annual review campaign that opened the case (campaigns/), and whether it follows the simplified review: a
    # desk check instead of a home visit, and a confirmation posting when it continues (seed 001 三(五), issue 21).
    campaign_id: Mapped[str | None]
    simplified_review: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (
        UniqueConstraint("trigger", "trigger_ref", name="uq_cases_trigger_ref"),
        Index("ix_cases_campaign_id", "campaign_id", postgresql_where="campaign_id IS NOT NULL"),
        Index("ix_cases_region_status_due", "region_code", "status", "due_date"),
        Index("ix_cases_household_id", "household_id"),
        Index("ix_cases_application_id", "application_id"),
    )


class CaseHistory(Base):
    __tablename__ = "case_history"

    id: Mapped[SerialKey]
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    at: Mapped[dt.datetime]
    actor: Mapped[str]
    actor_name: Mapped[str] = mapped_column(default="")
    action: Mapped[str]
    status_from: Mapped[str | None]
    status_to: Mapped[str]
    detail: Mapped[str] = mapped_column(default="")


class CaseInvestigation(Base):
    """A home investigation (入户调查) by at least two officers; findings and verified figures are sealed."""

    __tablename__ = "case_investigations"

    id: Mapped[SerialKey]
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    round: Mapped[int] = mapped_column(Integer)
    investigators: Mapped[list[str]]
    visited_on: Mapped[dt.date]
    by_county: Mapped[bool]
    content_sealed: Mapped[str]
    recorded_by: Mapped[str]
    recorded_at: Mapped[dt.datetime]

    __table_args__ = (UniqueConstraint("case_id", "round", name="uq_case_investigations_case_round"),)


class CaseEvaluation(Base):
    """A democratic evaluation (民主评议, issue 21) of one investigation round: at most one per round, so an
    objection's new investigation is evaluated again. The dissent may name members: sealed."""

    __tablename__ = "case_evaluations"

    id: Mapped[SerialKey]
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    investigation_round: Mapped[int] = mapped_column(Integer)
    held_on: Mapped[dt.date]
    place: Mapped[str]
    participants: Mapped[int] = mapped_column(Integer)
    panel_names: Mapped[list[str]]
    panel_roles: Mapped[list[str]]
    result: Mapped[str]  # EvaluationResult
    agree: Mapped[int] = mapped_column(Integer)
    disagree: Mapped[int] = mapped_column(Integer)
    abstain: Mapped[int] = mapped_column(Integer)
    dissent_sealed: Mapped[str]
    recorded_by: Mapped[str]
    recorded_at: Mapped[dt.datetime]

    __table_args__ = (UniqueConstraint("case_id", "investigation_round", name="uq_case_evaluations_case_round"),)


class CasePerson(Base):
    """Everyone a case concerns, by keyed hash: finds open cases of a person (recusal filings, repeats)."""

    __tablename__ = "case_persons"

    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    person_hash: Mapped[str] = mapped_column(primary_key=True, index=True)


class PendingApplicationEvent(Base):
    """An event about an application that arrived before its `application-submitted` (topics are not mutually
    ordered): kept, sealed, and applied when the case opens."""

    __tablename__ = "pending_application_events"

    application_id: Mapped[TextKey]
    event_type: Mapped[TextKey]
    payload_sealed: Mapped[str]
    received_at: Mapped[dt.datetime]


class CaseVerification(Base):
    """Matching's economic verification report (逢进必核, DOMAIN.md §3.4), sealed: findings name members."""

    __tablename__ = "case_verifications"

    verification_id: Mapped[TextKey]
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    finding_count: Mapped[int] = mapped_column(Integer)
    findings_sealed: Mapped[str]
    completed_at: Mapped[dt.datetime]


class CaseAttachment(Base):
    __tablename__ = "case_attachments"

    id: Mapped[TextKey]
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    filename: Mapped[str]
    content_type: Mapped[str]
    size: Mapped[int]
    sha256: Mapped[str]
    content: Mapped[bytes]
    uploaded_by: Mapped[str]
    uploaded_at: Mapped[dt.datetime]
