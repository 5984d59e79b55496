"""The login limit: at most `limit` failed token requests per source within a sliding window.

Counted in `gateway.login_failures` so every gateway replica sees the same count. Each attempt first records
itself as a failure and commits, then counts; only a successful attempt removes its row again. Counting after
the commit means a burst of parallel guesses, even spread over replicas, cannot all pass the check before any of
them is recorded. Successes do not clear earlier failures: otherwise one valid account would let an attacker
reset the counter between guesses.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.dialects.postgresql import insert

from gateway.auth.models import LoginFailure
from libs.kernel.db import Database
from libs.kernel.errors import TooManyRequests


class LoginThrottle:
    def __init__(self, db: Database, *, limit: int, window_seconds: int) -> None:
        self._db = db
        self._limit = limit
        self._window = window_seconds

    def _since(self) -> ColumnElement[Any]:
        # The database's clock, not ours: replicas with skewed clocks still agree on the window.
        return func.now() - timedelta(seconds=self._window)

    async def admit(self, source: str) -> int:
        """Record an attempt from `source` and return its id; 429 (before any password is checked) if over."""
        async with self._db.sessions.begin() as session:
            await session.execute(
                delete(LoginFailure).where(LoginFailure.source == source, LoginFailure.failed_at < self._since())
            )
            attempt_id: int = (
                await session.execute(insert(LoginFailure).values(source=source).returning(LoginFailure.id))
            ).scalar_one()
        async with self._db.sessions.begin() as session:
            count, oldest_age = (
                await session.execute(
                    select(
                        func.count(),
                        func.extract("epoch", func.now() - func.min(LoginFailure.failed_at)),
                    ).where(LoginFailure.source == source, LoginFailure.failed_at >= self._since())
                )
            ).one()
        if count > self._limit:
            await self.forget(attempt_id)
            retry_after = max(1, math.ceil(self._window - float(oldest_age or 0)))
            raise TooManyRequests(
                "Too many failed sign-in attempts from this address; try again later",
                code="too_many_failures",
                headers={"Retry-After": str(retry_after)},
            )
        return attempt_id

    async def forget(self, attempt_id: int) -> None:
        """The attempt succeeded (or was refused before any check): it is not a failure."""
        async with self._db.sessions.begin() as session:
            await session.execute(delete(LoginFailure).where(LoginFailure.id == attempt_id))

    async def prune(self) -> int:
        """Drop failures that have left the window, for sources that never came back."""
        async with self._db.sessions.begin() as session:
            result = await session.execute(delete(LoginFailure).where(LoginFailure.failed_at < self._since()))
        return int(getattr(result, "rowcount", 0) or 0)
