"""Active-discovery leads (DOMAIN.md §8): a person in difficulty the township must contact by a deadline.

The contact (name, identity number, phone, address) and the free-text detail are sealed; a lead is found by the
person's keyed hash and listed with a masked name.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from libs.kernel.column_types import TextKey
from services.intake.db import Base


class Lead(Base):
    __tablename__ = "leads"

    id: Mapped[TextKey]
    source: Mapped[str]  # village_referral | hotline | province_warning
    # The partner's own identifier (complaint id, warning id): a repeat finds the lead it made.
    source_ref: Mapped[str | None]
    region_code: Mapped[str]
    kind: Mapped[str]
    status: Mapped[str]
    person_hash: Mapped[str | None] = mapped_column(index=True)
    name_masked: Mapped[str]
    contact_sealed: Mapped[str]
    due_date: Mapped[dt.date]
    due_date_provisional: Mapped[bool] = mapped_column(server_default=text("false"))
    application_id: Mapped[str | None]
    closed_reason: Mapped[str | None]
    closed_note: Mapped[str | None]
    created_by: Mapped[str]
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]
    ended_by: Mapped[str | None]
    ended_at: Mapped[dt.datetime | None]

    __table_args__ = (
        UniqueConstraint("source", "source_ref", name="uq_leads_source_source_ref"),
        Index("ix_leads_region_code_pattern", "region_code", postgresql_ops={"region_code": "text_pattern_ops"}),
        Index("ix_leads_status_due_date_id", "status", "due_date", "id"),
        Index("ix_leads_due_date_id", "due_date", "id"),
    )
