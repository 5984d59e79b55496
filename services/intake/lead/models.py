"""Active-discovery leads (DOMAIN.md §8): a person in difficulty the township must contact by a deadline.

The contact (name, identity number, phone, address) and the free-text detail are sealed; a lead is found by the
person's keyed hash and listed with a masked name.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, Index, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from services.intake.db import Base


class Lead(Base):
    __tablename__ = "leads"

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    source: Mapped[str] = mapped_column(Text)  # village_referral | hotline | province_warning
    # The partner's own identifier (complaint id, warning id): a repeat finds the lead it made.
    source_ref: Mapped[str | None] = mapped_column(Text)
    region_code: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)
    person_hash: Mapped[str | None] = mapped_column(Text, index=True)
    name_masked: Mapped[str] = mapped_column(Text)
    contact_sealed: Mapped[str] = mapped_column(Text)
    due_date: Mapped[dt.date] = mapped_column(Date)
    due_date_provisional: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    application_id: Mapped[str | None] = mapped_column(Text)
    closed_reason: Mapped[str | None] = mapped_column(Text)
    closed_note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    ended_by: Mapped[str | None] = mapped_column(Text)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        UniqueConstraint("source", "source_ref", name="uq_leads_source_source_ref"),
        Index("ix_leads_region_code_pattern", "region_code", postgresql_ops={"region_code": "text_pattern_ops"}),
        Index("ix_leads_status_due_date_id", "status", "due_date", "id"),
        Index("ix_leads_due_date_id", "due_date", "id"),
    )
