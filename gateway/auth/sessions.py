"""Staff sessions: refresh tokens (RFC 6749 §6) that keep a signed-in person working past one access token's hour,
and end when they sign out, are cut off, or change their password.

A refresh token is 256 random bits shown once and stored as its SHA-256. Each use hands out a new one of the same
family and marks the old one used; an old one used again means two parties hold the session, so the whole family is
revoked (RFC 6819 §5.2.2.3, OAuth 2.0 Security BCP §4.14). A family lives at most `session_max_seconds` after the
sign-in that opened it, each token at most `ttl_seconds` after it was handed out.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import structlog
from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.auth.models import RefreshToken

_log = structlog.get_logger("sessions")
_PREFIX = "jzr_"


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class SessionPolicy:
    ttl_seconds: int
    session_max_seconds: int


async def open_session(session: AsyncSession, policy: SessionPolicy, subject: str) -> str:
    """A new family for `subject`, and its first refresh token (to hand to the caller, once)."""
    now = datetime.now(UTC)
    return await _hand_out(session, policy, subject, uuid.uuid4(), now + timedelta(seconds=policy.session_max_seconds))


async def exchange(session: AsyncSession, policy: SessionPolicy, raw: str) -> tuple[str, str] | None:
    """(subject, the next refresh token) for a valid refresh token; None for an unknown, expired or revoked one, and
    for one already exchanged, whose whole family is then revoked (in this transaction: commit it)."""
    if not raw.startswith(_PREFIX) or len(raw) > 128:
        return None
    row = await session.scalar(select(RefreshToken).where(RefreshToken.token_hash == _digest(raw)).with_for_update())
    now = datetime.now(UTC)
    if row is None or row.revoked_at is not None:
        return None
    if row.used_at is not None:
        await revoke_family(session, row.family)
        _log.warning("session.refresh_token_reused", subject=row.subject, family=str(row.family))
        return None
    if row.expires_at <= now or row.session_expires_at <= now:
        return None
    row.used_at = now
    return row.subject, await _hand_out(session, policy, row.subject, row.family, row.session_expires_at)


async def end_session(session: AsyncSession, raw: str) -> str | None:
    """Revoke the family of a refresh token (sign-out); the subject it belonged to, if it was one of ours."""
    row = await session.scalar(select(RefreshToken).where(RefreshToken.token_hash == _digest(raw)))
    if row is None:
        return None
    await revoke_family(session, row.family)
    return row.subject


async def revoke_family(session: AsyncSession, family: uuid.UUID) -> None:
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.family == family, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC))
    )


async def revoke_subject_sessions(session: AsyncSession, subject: str) -> None:
    """Every session of `subject` ends (deactivation, password change or reset, sign-out everywhere)."""
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.subject == subject, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC))
    )


async def _hand_out(
    session: AsyncSession, policy: SessionPolicy, subject: str, family: uuid.UUID, session_expires_at: datetime
) -> str:
    raw = _PREFIX + secrets.token_urlsafe(32)
    expires_at = min(datetime.now(UTC) + timedelta(seconds=policy.ttl_seconds), session_expires_at)
    await session.execute(
        insert(RefreshToken).values(
            token_hash=_digest(raw),
            subject=subject,
            family=family,
            expires_at=expires_at,
            session_expires_at=session_expires_at,
        )
    )
    return raw
