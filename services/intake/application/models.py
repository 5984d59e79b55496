"""Applications (DOMAIN.md §3): the row staff search on, its sealed versions, the people in it, and its history.

Everything personal in an application (identity numbers, health, income, the bank account) lives only in the sealed
version content (AES-GCM, `PiiVault`); the clear columns are what lists and searches need, and people are found by
keyed hash (DOMAIN.md §11). Versions are never overwritten: a correction is a new version (一户一档).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import BigInteger, Boolean, Date, DateTime, ForeignKey, Index, Integer, Text, func, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from services.intake.db import Base


class Application(Base):
    __tablename__ = "applications"

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    application_no: Mapped[str] = mapped_column(Text, unique=True)
    program: Mapped[str] = mapped_column(Text)
    region_code: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)
    emergency: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    lead_id: Mapped[str | None] = mapped_column(Text)
    applicant_hash: Mapped[str] = mapped_column(Text)
    applicant_name_masked: Mapped[str] = mapped_column(Text)
    member_count: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    close_relative_declared: Mapped[bool] = mapped_column(Boolean)
    # Staff named in the close-relative declaration, who may not act on this application (DOMAIN.md §7).
    recused_users: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default=text("'{}'"))
    recused_names: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default=text("'{}'"))
    created_by: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    accepted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    accepted_by: Mapped[str | None] = mapped_column(Text)
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    due_date_provisional: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    extended_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    extension_reason: Mapped[str | None] = mapped_column(Text)
    returned_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    missing_items: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONB)
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawal_reason: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    decision_case_id: Mapped[str | None] = mapped_column(Text)
    decision_outcome: Mapped[str | None] = mapped_column(Text)
    decision_reasons: Mapped[list[str] | None] = mapped_column(JSONB)
    decision_effective_month: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        # Jurisdiction scoping is a prefix match on the region code.
        Index("ix_applications_region_code_pattern", "region_code", postgresql_ops={"region_code": "text_pattern_ops"}),
        Index("ix_applications_status_due_date_id", "status", "due_date", "id"),
        Index("ix_applications_due_date_id", "due_date", "id"),
        Index("ix_applications_applicant_hash", "applicant_hash"),
    )


class ApplicationVersion(Base):
    __tablename__ = "application_versions"

    application_id: Mapped[str] = mapped_column(Text, ForeignKey("applications.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    content_sealed: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ApplicationPerson(Base):
    """Who is in the current version, by keyed hash: conflict checks and searches by identity number."""

    __tablename__ = "application_persons"

    application_id: Mapped[str] = mapped_column(Text, ForeignKey("applications.id"), primary_key=True)
    person_hash: Mapped[str] = mapped_column(Text, primary_key=True)
    role: Mapped[str] = mapped_column(Text, primary_key=True)  # member | obligor

    __table_args__ = (Index("ix_application_persons_person_hash", "person_hash"),)


class ApplicationHistory(Base):
    __tablename__ = "application_history"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    application_id: Mapped[str] = mapped_column(Text, ForeignKey("applications.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    action: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(Text)
    actor_name: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, server_default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))


class ApplicationCounter(Base):
    """Application numbers run per county and year (e.g. 140402-2026-000123), as officers file them."""

    __tablename__ = "application_counters"

    county_code: Mapped[str] = mapped_column(Text, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_no: Mapped[int] = mapped_column(Integer)
