"""Applications (DOMAIN.md §3): the row staff search on, its sealed versions, the people in it, and its history.

Everything personal in an application (identity numbers, health, income, the bank account) lives only in the sealed
version content (AES-GCM, `PiiVault`); the clear columns are what lists and searches need, and people are found by
keyed hash (DOMAIN.md §11). Versions are never overwritten: a correction is a new version (一户一档).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from libs.kernel.column_types import SerialKey, TextKey
from services.intake.db import Base


class Application(Base):
    __tablename__ = "applications"

    id: Mapped[TextKey]
    application_no: Mapped[str] = mapped_column(unique=True)
    program: Mapped[str]
    region_code: Mapped[str]
    channel: Mapped[str]
    status: Mapped[str]
    emergency: Mapped[bool] = mapped_column(server_default=text("false"))
    lead_id: Mapped[str | None]
    applicant_hash: Mapped[str]
    applicant_name_masked: Mapped[str]
    member_count: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    close_relative_declared: Mapped[bool]
    # Staff named in the close-relative declaration, who may not act on this application (DOMAIN.md §7).
    recused_users: Mapped[list[str]] = mapped_column(server_default=text("'{}'"))
    recused_names: Mapped[list[str]] = mapped_column(server_default=text("'{}'"))
    created_by: Mapped[str]
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]
    submitted_at: Mapped[dt.datetime | None]
    accepted_at: Mapped[dt.datetime | None]
    accepted_by: Mapped[str | None]
    due_date: Mapped[dt.date | None]
    due_date_provisional: Mapped[bool] = mapped_column(server_default=text("false"))
    extended_at: Mapped[dt.datetime | None]
    extension_reason: Mapped[str | None]
    returned_at: Mapped[dt.datetime | None]
    missing_items: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONB)
    withdrawn_at: Mapped[dt.datetime | None]
    withdrawal_reason: Mapped[str | None]
    decided_at: Mapped[dt.datetime | None]
    decision_case_id: Mapped[str | None]
    decision_outcome: Mapped[str | None]
    decision_reasons: Mapped[list[str] | None] = mapped_column(JSONB)
    decision_effective_month: Mapped[str | None]

    __table_args__ = (
        # Jurisdiction scoping is a prefix match on the region code.
        Index("ix_applications_region_code_pattern", "region_code", postgresql_ops={"region_code": "text_pattern_ops"}),
        Index("ix_applications_status_due_date_id", "status", "due_date", "id"),
        Index("ix_applications_due_date_id", "due_date", "id"),
        Index("ix_applications_applicant_hash", "applicant_hash"),
    )


class ApplicationVersion(Base):
    __tablename__ = "application_versions"

    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    content_sealed: Mapped[str]
    created_by: Mapped[str]
    created_at: Mapped[dt.datetime]


class ApplicationPerson(Base):
    """Who is in the current version, by keyed hash: conflict checks and searches by identity number."""

    __tablename__ = "application_persons"

    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), primary_key=True)
    person_hash: Mapped[TextKey]
    role: Mapped[TextKey]  # member | obligor

    __table_args__ = (Index("ix_application_persons_person_hash", "person_hash"),)


class ApplicationHistory(Base):
    __tablename__ = "application_history"

    id: Mapped[SerialKey]
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    action: Mapped[str]
    status: Mapped[str]
    actor: Mapped[str]
    actor_name: Mapped[str]
    version: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(server_default="")
    detail: Mapped[dict[str, Any]] = mapped_column(server_default=text("'{}'::jsonb"))


class ApplicationCounter(Base):
    """Application numbers run per county and year (e.g. 140402-2026-000123), as officers file them."""

    __tablename__ = "application_counters"

    county_code: Mapped[TextKey]
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_no: Mapped[int] = mapped_column(Integer)
