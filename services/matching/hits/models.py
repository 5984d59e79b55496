"""Suspicion hits (疑点, DOMAIN.md §5) and the deaths raised: what a matching run found about the people watched."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Any

from sqlalchemy import Date, DateTime, Index, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from services.matching.db import Base


class HitStatus(StrEnum):
    OPEN = "open"
    CONFIRMED = "confirmed"  # → match-hit-confirmed: casework opens a triggered review
    DISMISSED = "dismissed"  # with the township's reason


class Hit(Base):
    __tablename__ = "hits"

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    rule_id: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)
    person: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    role: Mapped[str] = mapped_column(Text)
    household_id: Mapped[str] = mapped_column(Text, index=True)
    region_code: Mapped[str] = mapped_column(Text)
    # The household's township, which checks the hit (a county-level code where the household has no township).
    township_code: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(Text)
    suggested_action: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSONB)
    evidence_key: Mapped[str] = mapped_column(Text)
    feed_id: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)
    raised_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    due_date: Mapped[dt.date] = mapped_column(Date)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    resolved_by: Mapped[str | None] = mapped_column(Text)
    resolved_by_name: Mapped[str | None] = mapped_column(Text)
    # The township's note on a confirmation, or its reason for a dismissal.
    resolution: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        # The same person, rule and evidence never raise a second hit, whatever became of the first (§5).
        UniqueConstraint("person", "rule_id", "evidence_key"),
        Index(None, "township_code", "status", "due_date"),
        Index(None, "status", "due_date"),
    )


class Death(Base):
    """A death raised once per person, whichever feed (health, police, cremation) and however often it repeats."""

    __tablename__ = "deaths"

    person: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    death_date: Mapped[dt.date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text)
    feed_id: Mapped[str] = mapped_column(Text)
    household_ids: Mapped[list[str]] = mapped_column(ARRAY(Text))
    region_code: Mapped[str] = mapped_column(Text, index=True)
    raised_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
