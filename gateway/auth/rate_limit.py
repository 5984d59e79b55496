"""Limits on guessing: per source address, and per account whatever the address (issue 17: 40 guesses at `admin`
from 8 addresses were all answered).

Every attempt is a row in `gateway.login_failures` naming its source and the account it tried, so every gateway
replica sees the same counts. Each attempt first records itself and commits, then counts; only a successful attempt
removes its row again. Counting after the commit means a burst of parallel guesses, even spread over replicas, cannot
all pass the check before any of them is recorded.

- **Per source**: more than `source_limit` failures within the window → 429 `too_many_failures` for that address.
  Successes do not clear earlier failures: otherwise one valid account would let an attacker reset the count between
  guesses. The limit is high enough for a township office behind one address.
- **Per account** (a username or client id, known or not, so the answer never tells which exist): `account_limit`
  failures within the window, or `account_daily_limit` within a day → 429 `account_locked`, even with the right
  password, until the failures age out. A guessing run from many addresses thus gets a handful of tries per window and
  a bounded number per day. A successful sign-in, or an administrator's unlock (audited), clears the account's count
  without touching the sources' counts. A refused attempt tests no password and counts for nothing.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.auth.errors import AccountLocked, TooManyFailures
from gateway.auth.models import LoginFailure
from libs.kernel.db import Database

_DAY_SECONDS = 86_400


def account_key(account: str) -> str:
    """How an account is counted: case-folded and bounded, as sign-in folds usernames."""
    return account.strip().lower()[:128]


class LoginThrottle:
    def __init__(
        self,
        db: Database,
        *,
        limit: int,
        window_seconds: int,
        account_limit: int = 5,
        account_daily_limit: int = 20,
    ) -> None:
        self._db = db
        self._source_limit = limit
        self._window = window_seconds
        self._account_limit = account_limit
        self._account_daily_limit = account_daily_limit

    def _since(self, seconds: int) -> ColumnElement[Any]:
        # The database's clock, not ours: replicas with skewed clocks still agree on the window.
        return func.now() - timedelta(seconds=seconds)

    async def admit(self, source: str, account: str) -> int:
        """Record an attempt at `account` from `source` and return its id; 429 (before any password is checked) if
        the source or the account is over its limit."""
        key = account_key(account)
        async with self._db.sessions.begin() as session:
            attempt_id: int = (
                await session.execute(
                    insert(LoginFailure).values(source=source, account=key).returning(LoginFailure.id)
                )
            ).scalar_one()
        async with self._db.sessions.begin() as session:
            source_count, source_age = await self._count(session, LoginFailure.source == source, self._window)
            short_count, short_age = await self._count(session, LoginFailure.account == key, self._window)
            daily_count, daily_age = await self._count(session, LoginFailure.account == key, _DAY_SECONDS)
        if source_count > self._source_limit:
            await self.forget(attempt_id)
            raise TooManyFailures(
                "Too many failed sign-in attempts from this address; try again later",
                headers={"Retry-After": str(_retry_after(self._window, source_age))},
            )
        # Counts include this attempt: the limit-th failure is still answered, the one after it is not.
        if short_count > self._account_limit or daily_count > self._account_daily_limit:
            await self.forget(attempt_id)
            wait = _retry_after(_DAY_SECONDS, daily_age) if daily_count > self._account_daily_limit else 0
            wait = max(wait, _retry_after(self._window, short_age) if short_count > self._account_limit else 0)
            raise AccountLocked(
                "This account is locked after too many failed sign-in attempts; try again later or ask an "
                "administrator to unlock it",
                headers={"Retry-After": str(wait)},
            )
        return attempt_id

    async def _count(self, session: AsyncSession, which: ColumnElement[bool], seconds: int) -> tuple[int, float]:
        count, oldest_age = (
            await session.execute(
                select(func.count(), func.extract("epoch", func.now() - func.min(LoginFailure.failed_at))).where(
                    which, LoginFailure.failed_at >= self._since(seconds)
                )
            )
        ).one()
        return int(count), float(oldest_age or 0)

    async def forget(self, attempt_id: int) -> None:
        """The attempt succeeded (or was refused before any check): it is not a failure."""
        async with self._db.sessions.begin() as session:
            await session.execute(delete(LoginFailure).where(LoginFailure.id == attempt_id))

    async def succeeded(self, attempt_id: int, account: str) -> None:
        """A right password: this attempt is no failure, and the account's earlier ones no longer count."""
        await self.forget(attempt_id)
        async with self._db.sessions.begin() as session:
            await clear_account(session, account)

    async def prune(self) -> int:
        """Drop failures older than the longest window (a day)."""
        async with self._db.sessions.begin() as session:
            result = await session.execute(
                delete(LoginFailure).where(LoginFailure.failed_at < self._since(max(self._window, _DAY_SECONDS)))
            )
        return int(getattr(result, "rowcount", 0) or 0)


async def clear_account(session: AsyncSession, account: str) -> None:
    """Unlock `account`: its failures stop counting for it (they still count for the addresses they came from)."""
    await session.execute(update(LoginFailure).where(LoginFailure.account == account_key(account)).values(account=None))


def _retry_after(window: int, oldest_age: float) -> int:
    return max(1, math.ceil(window - oldest_age))
