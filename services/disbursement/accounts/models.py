"""Bank accounts (惠民惠农一卡通) as disbursement pays into them, the shared-account warnings, and the audit of every
unmasked read (DOMAIN.md §9: staff never hold a recipient's card; bank data is seen only where needed, and logged)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import BigInteger, DateTime, Index, Integer, Text, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from services.disbursement.db import Base


class AccountStatus(StrEnum):
    OK = "ok"
    FAILED = "failed"  # finance reported a payment into it as failed; held until the account is fixed


class AccountOrigin(StrEnum):
    CASEWORK = "casework"  # from `entitlement-changed`
    STAFF = "staff"  # fixed by county staff after a failure


class BankAccount(Base):
    __tablename__ = "bank_accounts"

    household_id: Mapped[str] = mapped_column(Text, primary_key=True)
    county_code: Mapped[str] = mapped_column(Text)
    bank_code: Mapped[str] = mapped_column(Text)
    holder_name: Mapped[str] = mapped_column(Text)
    account_no_masked: Mapped[str] = mapped_column(Text)
    # Sealed with the deployment's PII key under BANK_ACCOUNT_SEAL_CONTEXT, as casework sends it.
    account_no_sealed: Mapped[str] = mapped_column(Text)
    # Keyed hash of the number: the same account behind several households is a fraud warning.
    account_hash: Mapped[str] = mapped_column(Text, index=True)
    # Casework's reference of the account last taken from an event: an event naming the same reference does not
    # undo a fix made here.
    source_ref: Mapped[str] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)
    failure_reason: Mapped[str | None] = mapped_column(Text)
    failed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_by: Mapped[str] = mapped_column(Text)


class WarningStatus(StrEnum):
    OPEN = "open"
    CLEARED = "cleared"  # checked by county staff, with the reason (a guardian's account, say)


class AccountWarning(Base):
    """One bank account used by several households (DOMAIN.md §9): a possible sign of staff or agents holding cards."""

    __tablename__ = "account_warnings"

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    account_hash: Mapped[str] = mapped_column(Text)
    account_no_masked: Mapped[str] = mapped_column(Text)
    county_codes: Mapped[list[str]] = mapped_column(ARRAY(Text))
    household_ids: Mapped[list[str]] = mapped_column(ARRAY(Text))
    status: Mapped[str] = mapped_column(Text)
    raised_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    cleared_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    cleared_by: Mapped[str | None] = mapped_column(Text)
    clear_reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index(None, "account_hash", unique=True, postgresql_where=text("status = 'open'")),)


class AccountRead(Base):
    """Who saw bank data unmasked: a staff member revealing one account, or a finance system reading a roster."""

    __tablename__ = "account_reads"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    read_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(Text)
    actor_kind: Mapped[str] = mapped_column(Text)
    actor_name: Mapped[str] = mapped_column(Text)
    purpose: Mapped[str] = mapped_column(Text)
    household_id: Mapped[str | None] = mapped_column(Text, index=True)
    roster_id: Mapped[str | None] = mapped_column(Text, index=True)
    accounts: Mapped[int] = mapped_column(Integer)
    request_id: Mapped[str | None] = mapped_column(Text)
