"""Temporary grants (临时救助): one payment each, never an entitlement (seed 004 二(七), DOMAIN.md §2)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import Index, Integer, text
from sqlalchemy.orm import Mapped, mapped_column

from libs.kernel.column_types import TextKey
from services.casework.db import Base


class Payment(StrEnum):
    ISSUED = "issued"  # the payment order is with disbursement and finance
    PAID = "paid"
    FAILED = "failed"  # the bank refused it: issued again to a corrected account


class Review(StrEnum):
    EXPLANATION_DUE = "explanation_due"  # an advance: the township explains it afterwards (事后补充说明情况)
    TO_CONFIRM = "to_confirm"  # explained: the county confirms it or reclaims it
    CONFIRMED = "confirmed"  # by the county (an ordinary grant is confirmed by its decision)
    RECLAIMED = "reclaimed"  # not due: what was paid is recovered (追缴)


class Cause(StrEnum):
    # The emergencies of seed 004 二(七) and seed 002 (六): the same cause is helped once a period (local).
    FIRE = "fire"  # 火灾
    ACCIDENT = "accident"  # 意外事故
    SERIOUS_ILLNESS = "serious_illness"  # 罹患重病
    DISASTER = "disaster"  # 自然灾害（应急期、过渡期后仍有困难）
    UNEMPLOYMENT = "unemployment"  # 就业困难
    STUDENT = "student"  # 大学生基本生活困难
    OTHER = "other"  # 其他原因导致基本生活陷入临时困境


class TemporaryGrant(Base):
    """A grant to one person (and their family), filed where the emergency happened, whatever their registration."""

    __tablename__ = "temporary_grants"

    id: Mapped[TextKey]
    kind: Mapped[str]  # GrantKind
    region_code: Mapped[str]  # where the emergency happened
    household_id: Mapped[str | None]  # the recipient household the person belongs to, if any
    case_id: Mapped[str | None] = mapped_column(unique=True)  # an ordinary grant's application case
    person_hash: Mapped[str]
    id_number_sealed: Mapped[str]
    name_masked: Mapped[str]
    name_sealed: Mapped[str]
    family_size: Mapped[int] = mapped_column(Integer)
    cause: Mapped[str]  # Cause
    situation: Mapped[str]  # what happened, in the township's words
    amount_fen: Mapped[int]
    # SealedBankAccount as JSON: the number sealed under BANK_ACCOUNT_SEAL_CONTEXT, only disbursement opens it.
    account: Mapped[dict[str, Any]]
    discovered_at: Mapped[dt.datetime]
    pay_by: Mapped[dt.date]
    pay_by_provisional: Mapped[bool]
    payment: Mapped[str]
    attempt: Mapped[int] = mapped_column(Integer)
    paid_at: Mapped[dt.datetime | None]
    failure_reason: Mapped[str | None]
    review: Mapped[str]
    explanation: Mapped[str | None]
    explained_at: Mapped[dt.datetime | None]
    explained_by: Mapped[str | None]
    review_reason: Mapped[str | None]
    reviewed_at: Mapped[dt.datetime | None]
    reviewed_by: Mapped[str | None]
    granted_at: Mapped[dt.datetime]
    granted_by: Mapped[str]
    updated_at: Mapped[dt.datetime]

    __table_args__ = (
        Index(None, "region_code", "granted_at"),
        Index(None, "person_hash", "cause", "granted_at"),
        # The clock's list: grants not paid yet, soonest due first.
        Index(None, "pay_by", postgresql_where=text("payment <> 'paid'")),
    )
