"""Revoked access tokens, refused by every gateway replica within seconds (issue 17: a disabled user's token worked
for its whole hour).

Access tokens are checked by signature alone, and answered from a per-process cache once verified, so cutting
someone off needs a list every check consults: `gateway.revocations` holds "every token of this principal issued
before T" (deactivation, a password change or reset, sign-out everywhere) and "this one token" (sign-out). Each
replica keeps the list in memory (a dictionary look-up per request, cached tokens included) and reads what is new
every `poll_seconds`; the replica that revokes applies it at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import structlog
from sqlalchemy import delete, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.auth.models import Revocation
from libs.kernel.db import Database

_log = structlog.get_logger("revocation")
# Rows created this recently are read again on every poll: a transaction that took its id before a later one but
# committed after it would otherwise be skipped by "id > last seen".
_REREAD_SECONDS = 60
_PRUNE_EVERY_POLLS = 600


@dataclass
class RevocationList:
    """The revocations in force, in memory: `refuses` runs on every authenticated request."""

    # Subject → moment (epoch seconds) before which its tokens are refused.
    _not_before: dict[str, float] = field(default_factory=dict)
    # Revoked token id → when it expires anyway (then it can be forgotten).
    _tokens: dict[str, float] = field(default_factory=dict)
    # False until the revocations in force have been read once (Revocations.load): till then nobody is known not to
    # be revoked, and every token is refused. A list made empty on purpose (tests, tools) is ready.
    ready: bool = True

    def refuses(self, subject: str, jti: str, issued_at: float) -> bool:
        if not self.ready:
            return True
        not_before = self._not_before.get(subject)
        if not_before is not None and issued_at < not_before:
            return True
        return jti in self._tokens

    def apply(self, subject: str, jti: str | None, not_before: datetime | None, expires_at: datetime) -> None:
        if jti is not None:
            self._tokens[jti] = expires_at.timestamp()
        if not_before is not None:
            # To the millisecond, as tokens carry their issue time (`iat_ms`): a token issued in the very millisecond
            # of the revocation, after it (the new session of a password change), stays valid.
            moment = math.floor(not_before.timestamp() * 1000) / 1000
            if moment > self._not_before.get(subject, 0.0):
                self._not_before[subject] = moment

    def forget_expired(self, now: float, token_ttl_seconds: int) -> None:
        self._tokens = {jti: exp for jti, exp in self._tokens.items() if exp > now}
        # A "before T" revocation refuses nothing once every token issued before T has expired.
        horizon = now - token_ttl_seconds
        self._not_before = {s: t for s, t in self._not_before.items() if t > horizon}


class Revocations:
    """The list plus its persistence: writing revocations and keeping every replica's list current."""

    def __init__(self, db: Database, *, token_ttl_seconds: int, poll_seconds: float) -> None:
        self._db = db
        self._ttl = token_ttl_seconds
        self._poll = poll_seconds
        self.current = RevocationList(ready=False)
        self._last_id = 0
        self._task: asyncio.Task[None] | None = None

    async def revoke_all(self, session: AsyncSession, subject: str) -> None:
        """Refuse every token of `subject` issued until now (and every session it holds: see gateway.auth.sessions)."""
        now = datetime.now(UTC)
        expires = now + timedelta(seconds=self._ttl + 60)
        await session.execute(insert(Revocation).values(subject=subject, not_before=now, expires_at=expires))
        self.current.apply(subject, None, now, expires)

    async def revoke_token(self, session: AsyncSession, subject: str, jti: str, expires_at: float) -> None:
        expires = datetime.fromtimestamp(expires_at + 60, UTC)
        await session.execute(insert(Revocation).values(subject=subject, jti=jti, expires_at=expires))
        self.current.apply(subject, jti, None, expires)

    async def load(self) -> None:
        """Everything still in force, before the gateway answers its first request. With the database away, the
        gateway starts all the same and refuses every token until a later poll has read them."""
        try:
            async with self._db.sessions() as session:
                query = select(Revocation).where(Revocation.expires_at > datetime.now(UTC))
                for row in (await session.execute(query)).scalars():
                    self._apply_row(row)
        except Exception:
            _log.exception("revocations.load_failed")
            return
        self.current.ready = True

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="gateway-revocations")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def poll(self) -> None:
        since = datetime.now(UTC) - timedelta(seconds=_REREAD_SECONDS)
        async with self._db.sessions() as session:
            query = select(Revocation).where(or_(Revocation.id > self._last_id, Revocation.created_at > since))
            for row in (await session.execute(query)).scalars():
                self._apply_row(row)

    async def _run(self) -> None:
        polls = 0
        while True:
            await asyncio.sleep(self._poll)
            try:
                if not self.current.ready:
                    await self.load()
                    continue
                await self.poll()
                polls += 1
                if polls % _PRUNE_EVERY_POLLS == 0:
                    self.current.forget_expired(time.time(), self._ttl)
                    async with self._db.sessions.begin() as session:
                        await session.execute(delete(Revocation).where(Revocation.expires_at < datetime.now(UTC)))
            except Exception:
                # The database away for a moment: the list in memory still holds; try again on the next turn.
                _log.exception("revocations.poll_failed")

    def _apply_row(self, row: Revocation) -> None:
        self.current.apply(row.subject, row.jti, row.not_before, row.expires_at)
        self._last_id = max(self._last_id, row.id)
