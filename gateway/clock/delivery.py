"""The training clock, set and delivered from the gateway to every service (libs.kernel.training_clock; issue 21).

Why the gateway delivers over HTTP rather than through the broker or by each service asking it: the gateway is where
administrators act and their acts are audited, and it does not use the broker (an outbox of its own would need a relay
and a topic for one small figure); the services do not know the gateway's address (it calls them, never the other
way round). So the gateway pushes, the way it hands complaints a hotline callback (gateway.auth.callback_delivery):

- the setting, its version and the audit record are written in one transaction (`set_offset`);
- after that commit the request delivers it at once to every service's `PUT /internal/v1/clock`;
- a loop in every gateway process delivers the current version again to each service that has not acknowledged it
  (down, slow, restarted from a backup), every `clock_delivery_seconds`; a gateway that starts delivers it once to
  all. A service keeps the highest version it was given, so repeats and crossings change nothing.

Each service keeps the offset in its own schema; every process of it re-reads that row every second, so a restarted
process never needs the gateway to learn the date.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import httpx
import structlog
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.clock.models import CLOCK_ROW, TrainingClockSetting
from gateway.upstream_transport import UPSTREAM_ERRORS, put_to_service
from libs.kernel.auth import INTERNAL_HEADER, InternalTokens, Principal
from libs.kernel.db import Database
from libs.kernel.listening import repeat
from libs.kernel.settings import Environment

CLOCK_PATH = "/internal/v1/clock"
_log = structlog.get_logger("gateway.clock")


class ServiceClock(BaseModel):
    """What one service's API process applies (its answer to `GET /internal/v1/clock`)."""

    offset_days: int
    version: int
    business_date: str


async def current_setting(session: AsyncSession, *, lock: bool = False) -> TrainingClockSetting:
    """The one row, created at offset 0 (version 0: nothing to deliver) the first time it is asked for."""
    await session.execute(
        insert(TrainingClockSetting)
        .values(id=CLOCK_ROW, offset_days=0, version=0, actor={})
        .on_conflict_do_nothing(index_elements=[TrainingClockSetting.id])
    )
    statement = select(TrainingClockSetting).where(TrainingClockSetting.id == CLOCK_ROW)
    row = await session.scalar(statement.with_for_update() if lock else statement)
    assert row is not None
    return row


@dataclass
class ClockDeliveries:
    db: Database
    http: httpx.AsyncClient
    upstreams: dict[str, str]  # service name → base URL
    signer: InternalTokens
    environment: Environment
    poll_seconds: float
    # service → the version it acknowledged, in this process; empty after a start, so every service is told once.
    acknowledged: dict[str, int] = field(default_factory=dict)

    async def deliver(self) -> dict[str, bool]:
        """Deliver the current setting to every service that has not acknowledged it; which ones have it now."""
        if self.environment is Environment.production:
            return {}
        async with self.db.sessions() as session:
            row = await session.scalar(select(TrainingClockSetting).where(TrainingClockSetting.id == CLOCK_ROW))
        if row is None or row.version == 0:
            return {}
        due = [name for name in self.upstreams if self.acknowledged.get(name, -1) < row.version]
        answers = await asyncio.gather(*(self._put(name, row) for name in due))
        for name, delivered in zip(due, answers, strict=True):
            if delivered:
                self.acknowledged[name] = max(self.acknowledged.get(name, 0), row.version)
        return {name: self.acknowledged.get(name, -1) >= row.version for name in self.upstreams}

    async def _put(self, name: str, row: TrainingClockSetting) -> bool:
        body = {"offset_days": row.offset_days, "version": row.version, "set_at": row.set_at.isoformat()}
        token = self.signer.sign(Principal.from_claims(row.actor))
        url = f"{self.upstreams[name]}{CLOCK_PATH}"
        return await put_to_service(self.http, name, url, body, token, log=_log, event="clock.delivery")

    async def applied(self, caller: Principal) -> dict[str, ServiceClock | None]:
        """Each service's own account of the offset it applies (None: it did not answer), asked as the caller."""
        if self.environment is Environment.production:
            return dict.fromkeys(self.upstreams)
        headers = {INTERNAL_HEADER: self.signer.sign(caller)}
        names = list(self.upstreams)
        answers = await asyncio.gather(*(self._get(name, headers) for name in names))
        return dict(zip(names, answers, strict=True))

    async def _get(self, name: str, headers: dict[str, str]) -> ServiceClock | None:
        try:
            reply = await self.http.get(f"{self.upstreams[name]}{CLOCK_PATH}", headers=headers)
        except UPSTREAM_ERRORS:
            return None
        return ServiceClock.model_validate_json(reply.content) if reply.status_code == 200 else None

    async def run(self, stop: asyncio.Event) -> None:
        if self.environment is Environment.production:
            return
        await repeat(self.deliver, stop, self.poll_seconds, log=_log, failed="clock.delivery_loop_failed")
