"""The complaint ledger (台账, seed 001 §3(九)): every item, its status history, its investigation notes and, for a
hotline item, the result queued for its platform.

Identity numbers and phone numbers are kept sealed with a keyed hash beside them, which is what repeat linking
compares (DOMAIN.md §11); names stay readable because handlers need them, and lists mask them.
"""

from __future__ import annotations

import datetime as dt

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
from sqlalchemy.orm import Mapped, mapped_column

from services.complaints.db import Base


class Complaint(Base):
    __tablename__ = "complaints"

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    source: Mapped[str] = mapped_column(Text)  # hotline | staff
    # A work order's number is unique per platform (CONTRACTS.md §2): the same number from another client is another
    # order. Staff items have neither.
    work_order_no: Mapped[str | None] = mapped_column(Text)
    client_id: Mapped[str | None] = mapped_column(Text)  # the hotline client that posted it
    channel: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(Text)
    issue: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    content: Mapped[str] = mapped_column(Text)
    region_code: Mapped[str] = mapped_column(Text)
    assigned_unit: Mapped[str] = mapped_column(Text)
    assigned_to: Mapped[str | None] = mapped_column(Text)
    anonymous: Mapped[bool] = mapped_column(Boolean)
    caller_name: Mapped[str | None] = mapped_column(Text)
    caller_phone_sealed: Mapped[str | None] = mapped_column(Text)
    caller_phone_hash: Mapped[str | None] = mapped_column(Text)
    caller_id_sealed: Mapped[str | None] = mapped_column(Text)
    caller_id_hash: Mapped[str | None] = mapped_column(Text)
    caller_address: Mapped[str | None] = mapped_column(Text)
    subject_kind: Mapped[str | None] = mapped_column(Text)
    subject_name: Mapped[str | None] = mapped_column(Text)
    subject_id_sealed: Mapped[str | None] = mapped_column(Text)
    subject_id_hash: Mapped[str | None] = mapped_column(Text)
    subject_household_id: Mapped[str | None] = mapped_column(Text)
    subject_address: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    due_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    due_source: Mapped[str] = mapped_column(Text)  # platform | working_days
    due_provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(Text)
    finding: Mapped[str | None] = mapped_column(Text)
    reply: Mapped[str | None] = mapped_column(Text)
    handled_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    handled_by: Mapped[str | None] = mapped_column(Text)
    handler_unit: Mapped[str | None] = mapped_column(Text)
    feedback_text: Mapped[str | None] = mapped_column(Text)
    feedback_method: Mapped[str | None] = mapped_column(Text)
    feedback_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    feedback_by: Mapped[str | None] = mapped_column(Text)
    supervision_referred: Mapped[bool] = mapped_column(Boolean, default=False)
    # Repeat petitions (重复信访): the earlier item this one repeats, and the first item of the chain.
    repeat_of: Mapped[str | None] = mapped_column(Text)
    repeat_reason: Mapped[str | None] = mapped_column(Text)  # caller | subject | caller_and_subject
    petition_id: Mapped[str] = mapped_column(Text)
    satisfaction: Mapped[str | None] = mapped_column(Text)
    satisfaction_note: Mapped[str | None] = mapped_column(Text)
    satisfaction_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        UniqueConstraint("client_id", "work_order_no", name="uq_complaints_client_work_order"),
        # text_pattern_ops: lists select a jurisdiction by prefix (LIKE '1401%'), which a plain btree under the
        # database's libc collation cannot serve; an item is in scope by its region or by the unit handling it.
        Index(
            "ix_complaints_region",
            "region_code",
            "received_at",
            postgresql_ops={"region_code": "text_pattern_ops"},
        ),
        Index(
            "ix_complaints_unit",
            "assigned_unit",
            "received_at",
            postgresql_ops={"assigned_unit": "text_pattern_ops"},
        ),
        Index(
            "ix_complaints_open_due", "due_at", postgresql_where="status IN ('received', 'assigned', 'investigating')"
        ),
        Index("ix_complaints_petition", "petition_id", "received_at"),
        Index("ix_complaints_caller_phone", "caller_phone_hash", "received_at"),
        Index("ix_complaints_caller_id", "caller_id_hash", "received_at"),
        Index("ix_complaints_subject_id", "subject_id_hash", "received_at"),
        Index("ix_complaints_subject_household", "subject_household_id", "received_at"),
    )


class StatusChange(Base):
    """The status history the platform reads (CONTRACTS.md §2): notes here are for the caller's eyes too."""

    __tablename__ = "status_changes"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    complaint_id: Mapped[str] = mapped_column(Text, ForeignKey("complaints.id"))
    status: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    note: Mapped[str] = mapped_column(Text, default="")
    by: Mapped[str] = mapped_column(Text)

    __table_args__ = (Index("ix_status_changes_complaint", "complaint_id", "id"),)


class InvestigationNote(Base):
    """What the handler checked and found (逐一核查); internal, never pushed to the platform."""

    __tablename__ = "investigation_notes"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    complaint_id: Mapped[str] = mapped_column(Text, ForeignKey("complaints.id"))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    visited_on: Mapped[dt.date | None] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    by: Mapped[str] = mapped_column(Text)
    by_name: Mapped[str] = mapped_column(Text)

    __table_args__ = (Index("ix_investigation_notes_complaint", "complaint_id", "id"),)


class ContactRead(Base):
    """Each time staff saw a real-name complainant's phone or identity number in full, and why (DOMAIN.md §11)."""

    __tablename__ = "contact_reads"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    complaint_id: Mapped[str] = mapped_column(Text, ForeignKey("complaints.id"))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    by: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)


# A hotline item's result waiting for its platform: written in the transaction that closes the item, so a result is
# never lost, and kept until the platform answers 2xx (push/delivery.py delivers it and logs every attempt).
class ResultDelivery(Base):
    __tablename__ = "result_deliveries"

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    complaint_id: Mapped[str] = mapped_column(Text, ForeignKey("complaints.id"))
    work_order_no: Mapped[str] = mapped_column(Text)
    client_id: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)  # the work order's status the body reports: resolved | returned
    # The exact bytes signed and sent, sealed (the reply may name people); every attempt sends the same bytes.
    body_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    delivered_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("ix_result_deliveries_pending", "next_attempt_at", "id", postgresql_where="delivered_at IS NULL"),
        # A platform's log (its own deliveries only, oldest first) and a work order's pushes.
        Index("ix_result_deliveries_client", "client_id", "created_at", "id"),
        Index("ix_result_deliveries_complaint", "complaint_id", "created_at"),
    )
