"""A service's API in process, as a test calls it: every request carries the caller in the internal token the
gateway would sign, and the service runs on a clock the test sets.

Each suite's API helper (`IntakeApi`, `CaseworkApi`, …) extends `ServiceApi` with only its own routes and flows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import httpx

from libs.contracts.clock import CHINA_TZ
from libs.kernel.auth import INTERNAL_HEADER, InternalTokens, Principal
from libs.kernel.db import Database


@dataclass
class Clock:
    """The service's clock, set by the test (deadlines across holidays, publicity periods, review dates)."""

    at: datetime | None = None

    def __call__(self) -> datetime:
        return self.at or datetime.now(UTC)

    def set_day(self, day: date, hour: int = 10) -> None:
        self.at = datetime(day.year, day.month, day.day, hour, tzinfo=CHINA_TZ)


@dataclass
class ServiceApi:
    """The service's app behind `http`, its database, and the clock it runs on."""

    http: httpx.AsyncClient
    tokens: InternalTokens
    db: Database
    clock: Clock = field(default_factory=Clock)

    def as_(self, principal: Principal) -> dict[str, str]:
        """The header by which the gateway forwards `principal`."""
        return {INTERNAL_HEADER: self.tokens.sign(principal)}

    async def get(self, path: str, principal: Principal, params: Any = None) -> httpx.Response:
        return await self.http.get(path, params=params, headers=self.as_(principal))

    async def post(self, path: str, principal: Principal, json: Any = None) -> httpx.Response:
        return await self.http.post(path, json=json, headers=self.as_(principal))

    async def put(self, path: str, principal: Principal, json: Any = None) -> httpx.Response:
        return await self.http.put(path, json=json, headers=self.as_(principal))

    async def patch(self, path: str, principal: Principal, json: Any = None) -> httpx.Response:
        return await self.http.patch(path, json=json, headers=self.as_(principal))

    async def delete(self, path: str, principal: Principal) -> httpx.Response:
        return await self.http.delete(path, headers=self.as_(principal))
