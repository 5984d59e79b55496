"""Suspicion hits (疑点, DOMAIN.md §5) and the deaths raised: what a matching run found about the people watched."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Any

from sqlalchemy import Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from libs.kernel.column_types import TextKey
from services.matching.db import Base


class HitStatus(StrEnum):
    OPEN = "open"
    CONFIRMED = "confirmed"  # → match-hit-confirmed: casework opens a triggered review
    DISMISSED = "dismissed"  # with the township's reason


class Hit(Base):
    __tablename__ = "hits"

    id: Mapped[TextKey]
    rule_id: Mapped[str]
    source: Mapped[str]
    person: Mapped[uuid.UUID]
    role: Mapped[str]
    household_id: Mapped[str] = mapped_column(index=True)
    region_code: Mapped[str]
    # The household's township, which checks the hit (a county-level code where the household has no township).
    township_code: Mapped[str]
    severity: Mapped[str]
    suggested_action: Mapped[str]
    description: Mapped[str]
    evidence: Mapped[dict[str, Any]]
    evidence_key: Mapped[str]
    feed_id: Mapped[str]
    status: Mapped[str]
    raised_at: Mapped[dt.datetime]
    due_date: Mapped[dt.date]
    resolved_at: Mapped[dt.datetime | None]
    resolved_by: Mapped[str | None]
    resolved_by_name: Mapped[str | None]
    # The township's note on a confirmation, or its reason for a dismissal.
    resolution: Mapped[str | None]

    __table_args__ = (
        # The same person, rule and evidence never raise a second hit, whatever became of the first (§5).
        UniqueConstraint("person", "rule_id", "evidence_key"),
        Index(None, "township_code", "status", "due_date"),
        Index(None, "status", "due_date"),
        # The monthly figures (services.matching.statistics): a region's hits raised, answered or due in a month.
        *(
            Index(name, "region_code", column, postgresql_ops={"region_code": "text_pattern_ops"})
            for name, column in (
                ("ix_hits_region_raised", "raised_at"),
                ("ix_hits_region_resolved", "resolved_at"),
                ("ix_hits_region_due", "due_date"),
            )
        ),
    )


class Death(Base):
    """A death raised once per person, whichever feed (health, police, cremation) and however often it repeats."""

    __tablename__ = "deaths"

    person: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    death_date: Mapped[dt.date]
    source: Mapped[str]
    feed_id: Mapped[str]
    household_ids: Mapped[list[str]]
    region_code: Mapped[str] = mapped_column(index=True)
    raised_at: Mapped[dt.datetime]
