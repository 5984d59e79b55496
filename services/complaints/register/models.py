"""The complaint ledger (台账, seed 001 §3(九)): every item, its status history, its investigation notes and, for a
hotline item, the result queued for its platform.

Identity numbers and phone numbers are kept sealed with a keyed hash beside them, which is what repeat linking
compares (DOMAIN.md §11); names stay readable because handlers need them, and lists mask them.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    ForeignKey,
    Index,
    Integer,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from libs.kernel.column_types import SerialKey, TextKey
from services.complaints.db import Base


class Complaint(Base):
    __tablename__ = "complaints"

    id: Mapped[TextKey]
    source: Mapped[str]  # hotline | staff
    # A work order's number is unique per platform (CONTRACTS.md §2): the same number from another client is another
    # order. Staff items have neither.
    work_order_no: Mapped[str | None]
    client_id: Mapped[str | None]  # the hotline client that posted it
    channel: Mapped[str]
    category: Mapped[str]
    issue: Mapped[str | None]
    title: Mapped[str]
    content: Mapped[str]
    region_code: Mapped[str]
    assigned_unit: Mapped[str]
    assigned_to: Mapped[str | None]
    anonymous: Mapped[bool]
    caller_name: Mapped[str | None]
    caller_phone_sealed: Mapped[str | None]
    caller_phone_hash: Mapped[str | None]
    caller_id_sealed: Mapped[str | None]
    caller_id_hash: Mapped[str | None]
    caller_address: Mapped[str | None]
    subject_kind: Mapped[str | None]
    subject_name: Mapped[str | None]
    subject_id_sealed: Mapped[str | None]
    subject_id_hash: Mapped[str | None]
    subject_household_id: Mapped[str | None]
    subject_address: Mapped[str | None]
    received_at: Mapped[dt.datetime]
    due_at: Mapped[dt.datetime]
    due_source: Mapped[str]  # platform | working_days
    due_provisional: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str]
    finding: Mapped[str | None]
    reply: Mapped[str | None]
    handled_at: Mapped[dt.datetime | None]
    handled_by: Mapped[str | None]
    handler_unit: Mapped[str | None]
    feedback_text: Mapped[str | None]
    feedback_method: Mapped[str | None]
    feedback_at: Mapped[dt.datetime | None]
    feedback_by: Mapped[str | None]
    supervision_referred: Mapped[bool] = mapped_column(default=False)
    # Repeat petitions (重复信访): the earlier item this one repeats, and the first item of the chain.
    repeat_of: Mapped[str | None]
    repeat_reason: Mapped[str | None]  # caller | subject | caller_and_subject
    petition_id: Mapped[str]
    satisfaction: Mapped[str | None]
    satisfaction_note: Mapped[str | None]
    satisfaction_at: Mapped[dt.datetime | None]
    created_by: Mapped[str]
    created_at: Mapped[dt.datetime]

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


class _Entry:
    """What every entry in a complaint's record has: its place in the order written, its complaint, when, and by whom
    (the subject of a staff member or a client)."""

    id: Mapped[SerialKey]
    complaint_id: Mapped[str] = mapped_column(ForeignKey("complaints.id"))
    at: Mapped[dt.datetime]
    by: Mapped[str]


class StatusChange(_Entry, Base):
    """The status history the platform reads (CONTRACTS.md §2): notes here are for the caller's eyes too."""

    __tablename__ = "status_changes"

    status: Mapped[str]
    note: Mapped[str] = mapped_column(default="")

    __table_args__ = (Index("ix_status_changes_complaint", "complaint_id", "id"),)


class InvestigationNote(_Entry, Base):
    """What the handler checked and found (逐一核查); internal, never pushed to the platform."""

    __tablename__ = "investigation_notes"

    visited_on: Mapped[dt.date | None]
    text: Mapped[str]
    by_name: Mapped[str]

    __table_args__ = (Index("ix_investigation_notes_complaint", "complaint_id", "id"),)


class ContactRead(_Entry, Base):
    """Each time staff saw a real-name complainant's phone or identity number in full, and why (DOMAIN.md §11)."""

    __tablename__ = "contact_reads"

    reason: Mapped[str]


# A hotline item's result waiting for its platform: written in the transaction that closes the item, so a result is
# never lost, and kept until the platform answers 2xx (push/delivery.py delivers it and logs every attempt).
class ResultDelivery(Base):
    __tablename__ = "result_deliveries"

    id: Mapped[TextKey]
    complaint_id: Mapped[str] = mapped_column(ForeignKey("complaints.id"))
    work_order_no: Mapped[str]
    client_id: Mapped[str]
    status: Mapped[str]  # the work order's status the body reports: resolved | returned
    # The exact bytes signed and sent, sealed (the reply may name people); every attempt sends the same bytes.
    body_sealed: Mapped[bytes]
    created_at: Mapped[dt.datetime]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime]
    last_error: Mapped[str | None]
    delivered_at: Mapped[dt.datetime | None]

    __table_args__ = (
        Index("ix_result_deliveries_pending", "next_attempt_at", "id", postgresql_where="delivered_at IS NULL"),
        # A platform's log (its own deliveries only, oldest first) and a work order's pushes.
        Index("ix_result_deliveries_client", "client_id", "created_at", "id"),
        Index("ix_result_deliveries_complaint", "complaint_id", "created_at"),
    )
