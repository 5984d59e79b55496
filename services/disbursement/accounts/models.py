"""Bank accounts (惠民惠农一卡通) as disbursement pays into them, the shared-account warnings, and the audit of every
unmasked read (DOMAIN.md §9: staff never hold a recipient's card; bank data is seen only where needed, and logged)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Index, Integer, text
from sqlalchemy.orm import Mapped, mapped_column

from libs.kernel.column_types import SerialKey, TextKey
from services.disbursement.db import Base


class AccountStatus(StrEnum):
    OK = "ok"
    FAILED = "failed"  # finance reported a payment into it as failed; held until the account is fixed


class AccountOrigin(StrEnum):
    CASEWORK = "casework"  # from `entitlement-changed`
    STAFF = "staff"  # fixed by county staff after a failure


class BankAccount(Base):
    __tablename__ = "bank_accounts"

    household_id: Mapped[TextKey]
    county_code: Mapped[str]
    bank_code: Mapped[str]
    holder_name: Mapped[str]
    account_no_masked: Mapped[str]
    # Sealed with the deployment's PII key under BANK_ACCOUNT_SEAL_CONTEXT, as casework sends it.
    account_no_sealed: Mapped[str]
    # Keyed hash of the number: the same account behind several households is a fraud warning.
    account_hash: Mapped[str] = mapped_column(index=True)
    # Casework's reference of the account last taken from an event: an event naming the same reference does not
    # undo a fix made here.
    source_ref: Mapped[str]
    origin: Mapped[str]
    status: Mapped[str]
    failure_reason: Mapped[str | None]
    failed_at: Mapped[dt.datetime | None]
    updated_at: Mapped[dt.datetime]
    updated_by: Mapped[str]


class WarningStatus(StrEnum):
    OPEN = "open"
    CLEARED = "cleared"  # checked by county staff, with the reason (a guardian's account, say)


class AccountWarning(Base):
    """One bank account used by several households (DOMAIN.md §9): a possible sign of staff or agents holding cards."""

    __tablename__ = "account_warnings"

    id: Mapped[TextKey]
    account_hash: Mapped[str]
    account_no_masked: Mapped[str]
    county_codes: Mapped[list[str]]
    household_ids: Mapped[list[str]]
    status: Mapped[str]
    raised_at: Mapped[dt.datetime]
    cleared_at: Mapped[dt.datetime | None]
    cleared_by: Mapped[str | None]
    clear_reason: Mapped[str | None]

    __table_args__ = (Index(None, "account_hash", unique=True, postgresql_where=text("status = 'open'")),)


class AccountRead(Base):
    """Who saw bank data unmasked: a staff member revealing one account, or a finance system reading a roster."""

    __tablename__ = "account_reads"

    id: Mapped[SerialKey]
    read_at: Mapped[dt.datetime]
    actor: Mapped[str]
    actor_kind: Mapped[str]
    actor_name: Mapped[str]
    purpose: Mapped[str]
    household_id: Mapped[str | None] = mapped_column(index=True)
    roster_id: Mapped[str | None] = mapped_column(index=True)
    accounts: Mapped[int] = mapped_column(Integer)
    request_id: Mapped[str | None]
