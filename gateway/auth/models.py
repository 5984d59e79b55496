"""Staff users, partner clients, failed logins, refresh tokens and revocations (the `gateway` schema)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import ClassVar

from sqlalchemy import Index, String, false, func, true
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column, synonym

from gateway.db import Base
from libs.kernel.column_types import SerialKey


class _Account:
    """What a staff user and a partner client share: a jurisdiction, a switch an administrator turns off and on, and
    who made it when. `subject` is the principal its tokens name, `login` the name its failed attempts count against,
    `label` the name the admin-action record shows and `audit_kind` the record's `target_kind`."""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    # Jurisdiction prefix: "" (everywhere, system administrators only) or 2, 4, 6, 9 or 12 digits.
    region_code: Mapped[str] = mapped_column(String(12))
    is_active: Mapped[bool] = mapped_column(server_default=true())
    created_by: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now())


class User(_Account, Base):
    __tablename__ = "users"
    audit_kind: ClassVar[str] = "user"

    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str]
    roles: Mapped[list[str]] = mapped_column(ARRAY(String(32)))
    # Set when an administrator gave the password (a reset): the user's tokens then serve only to choose a new one.
    must_change_password: Mapped[bool] = mapped_column(server_default=false())
    password_changed_at: Mapped[datetime | None]

    login: Mapped[str] = synonym("username")
    label: Mapped[str] = synonym("username")

    @property
    def subject(self) -> str:
        return str(self.id)


class Client(_Account, Base):
    __tablename__ = "clients"
    audit_kind: ClassVar[str] = "client"

    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    # Only the argon2 hash: the secret itself is shown once, when the client is created.
    secret_hash: Mapped[str]
    scopes: Mapped[list[str]] = mapped_column(ARRAY(String(32)))
    callback_url: Mapped[str | None] = mapped_column(String(2048))

    subject: Mapped[str] = synonym("client_id")
    login: Mapped[str] = synonym("client_id")
    label: Mapped[str] = synonym("name")


class LoginFailure(Base):
    """One failed (or still running) token request, from a source and at an account; rows older than the longest
    window are pruned. `account` is cleared (not the row) when the account signs in or is unlocked: the source's
    count must not fall because one guess at some account was right."""

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_source_failed_at", "source", "failed_at"),
        Index("ix_login_failures_account_failed_at", "account", "failed_at"),
    )

    id: Mapped[SerialKey]
    source: Mapped[str] = mapped_column(String(64))
    # The username or client id tried, whether or not it exists (an unknown name locks like a known one).
    account: Mapped[str | None] = mapped_column(String(128))
    failed_at: Mapped[datetime] = mapped_column(server_default=func.now())


class RefreshToken(Base):
    """A staff session's refresh token, stored as its SHA-256 only. Each use replaces it with a new one of the same
    family; a used one presented again means it was stolen, and the whole family is revoked (RFC 6819 §5.2.2.3)."""

    __tablename__ = "refresh_tokens"
    __table_args__ = (Index("ix_refresh_tokens_subject", "subject"), Index("ix_refresh_tokens_family", "family"))

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    subject: Mapped[str] = mapped_column(String(128))
    family: Mapped[uuid.UUID]
    issued_at: Mapped[datetime] = mapped_column(server_default=func.now())
    expires_at: Mapped[datetime]
    # The family's end: a session is refreshed for at most this long after its sign-in.
    session_expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class Revocation(Base):
    """One revocation every gateway replica applies within seconds: a single access token (`jti`), or every token of
    a principal issued before `not_before` (deactivation, password change, sign-out everywhere). Kept until no token
    it could refuse is still alive (`expires_at`)."""

    __tablename__ = "revocations"
    __table_args__ = (Index("ix_revocations_created_at", "created_at"),)

    id: Mapped[SerialKey]
    subject: Mapped[str] = mapped_column(String(128))
    jti: Mapped[str | None] = mapped_column(String(64))
    not_before: Mapped[datetime | None]
    expires_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
