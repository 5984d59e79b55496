"""The training clock (issue 21): outside production, the whole system's business date moved forward by whole days.

An administrator sets the offset at the gateway (`PUT /api/v1/admin/clock`, gateway.clock); the gateway delivers it to
every service's API (`PUT /internal/v1/clock`, below), which keeps it in its own schema (`training_clock`, one row);
every process of the service, API and worker alike, reads that row when it starts, again as soon as a delivery is
committed (the delivery's PostgreSQL NOTIFY on the service's `<schema>_training_clock` channel), and every
`training_clock_refresh_seconds` (30 s) in case a notification was missed; `ServiceContext.now()` adds the offset. So
every endpoint, handler and job of a service sees one business time, a restarted process finds the offset in its own
table, and an idle process does not poll its table every second (issue 23: idle means idle).

In production the offset is zero whatever a table holds: the process never reads it, and the service refuses a
delivery (409 `clock_fixed_in_production`), as the gateway refuses the setting.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import date, datetime, timedelta
from typing import Annotated, Any

import structlog
from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field, StrictInt
from sqlalchemy import Table, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from libs.contracts.clock import business_date
from libs.contracts.dates import Instant
from libs.kernel.auth import Principal, require_national_admin
from libs.kernel.errors import Conflict
from libs.kernel.listening import listen, repeat
from libs.kernel.settings import BaseServiceSettings, Environment

# A year and a month: enough to walk a procedure, a review year or an annual campaign through; more is a typo.
MAX_OFFSET_DAYS = 400
_ROW = 1
_log = structlog.get_logger("training_clock")


class ClockFixedInProduction(Conflict):
    code = "clock_fixed_in_production"


def effective_offset_days(environment: Environment, stored: int) -> int:
    """The offset a process applies: none in production, else the stored days within 0..MAX_OFFSET_DAYS (a row
    written by hand outside those bounds is read as its nearest bound, never as a date in the past)."""
    if environment is Environment.production:
        return 0
    return min(max(stored, 0), MAX_OFFSET_DAYS)


class TrainingClock:
    """One process's view of the offset; `ServiceContext.now()` reads `offset` on every call."""

    def __init__(self, environment: Environment, *, refresh_seconds: float = 30.0) -> None:
        self.environment = environment
        self.refresh_seconds = refresh_seconds
        self.offset_days = 0
        self.version = 0
        # Production never reads a table, so it is "loaded" from the start; elsewhere only once a read succeeded.
        self.loaded = environment is Environment.production

    @classmethod
    def off(cls) -> TrainingClock:
        """The clock of a context built without a process (a test's own, a command): the real calendar."""
        return cls(Environment.production)

    @property
    def offset(self) -> timedelta:
        return timedelta(days=self.offset_days)

    async def load(self, sessions: async_sessionmaker[AsyncSession], table: Table) -> None:
        """Read the service's row (none: the real calendar)."""
        if self.environment is Environment.production:
            return
        async with sessions() as session:
            row = (await session.execute(select(table.c.offset_days, table.c.version))).first()
        stored, version = (0, 0) if row is None else (int(row[0]), int(row[1]))
        # Never an older version than the process holds: the follower's read may have started before a delivery this
        # process took and end after it. (A database restored to an older version is taken at the next start.)
        if version >= self.version or not self.loaded:
            self.offset_days, self.version = effective_offset_days(self.environment, stored), version
        self.loaded = True

    async def follow(
        self,
        sessions: async_sessionmaker[AsyncSession],
        table: Table,
        stop: asyncio.Event,
        settings: BaseServiceSettings,
    ) -> None:
        """Re-read the row when a delivery is notified, and every `refresh_seconds` besides, until `stop`; a failed
        read keeps the last offset and is retried."""
        if self.environment is Environment.production:
            return
        wake = asyncio.Event()
        # A (re)connected listener reads at once: a delivery notified while it was not listening is not lost.
        listener = asyncio.create_task(listen(settings, notify_channel(table), lambda _: wake.set(), wake.set, stop))
        try:
            await repeat(lambda: self.load(sessions, table), stop, self.refresh_seconds, log=_log,
                         failed="training_clock.read_failed", wake=wake)  # fmt: skip
        finally:
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await listener

    async def ready(self) -> None:
        """Readiness: a process that has not yet read its offset must not take requests on the real calendar."""
        if not self.loaded:
            raise RuntimeError("the training clock has not been read yet")


async def store_offset(
    session: AsyncSession, table: Table, *, offset_days: int, version: int, set_at: datetime
) -> bool:
    """Keep a delivered offset unless the row already holds this version or a later one; returns whether it changed.
    Deliveries are repeated until acknowledged and may cross, so the version, not the arrival, decides."""
    values = {"id": _ROW, "offset_days": offset_days, "version": version, "set_at": set_at}
    statement = (
        insert(table)
        .values(values)
        .on_conflict_do_update(
            index_elements=[table.c.id],
            set_={"offset_days": offset_days, "version": version, "set_at": set_at, "received_at": func.now()},
            where=table.c.version < version,
        )
        .returning(table.c.version)
    )
    changed = (await session.execute(statement)).first() is not None
    if changed:
        # Delivered to the service's other processes at this transaction's commit (`TrainingClock.follow`).
        await session.execute(select(func.pg_notify(notify_channel(table), str(version))))
    return changed


def notify_channel(table: Table) -> str:
    """The channel a service's processes listen on for a new offset: one per service schema."""
    return f"{table.schema}_training_clock"


# --- the internal endpoint the gateway delivers to: never proxied (gateway.routes forwards /api/v1/<service>/ only)


class ClockDelivery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    offset_days: StrictInt = Field(ge=0, le=MAX_OFFSET_DAYS)
    version: StrictInt = Field(ge=1, le=2**62)
    set_at: Instant


class ClockState(BaseModel):
    service: str
    environment: str
    offset_days: int
    version: int
    business_date: date


# The offset moves every region's date: only an administrator of the whole country may deliver it.
_whole_country_admin = require_national_admin(
    "The training clock needs the role system_admin",
    "The training clock is the whole system's: only a national system_admin may set it",
)
NationalAdmin = Annotated[Principal, Depends(_whole_country_admin)]


def clock_router(service: str, table: Table) -> APIRouter:
    router = APIRouter(prefix="/internal/v1/clock", tags=["internal"], include_in_schema=False)

    def state(request: Request) -> ClockState:
        runtime: Any = request.app.state.runtime
        clock: TrainingClock = runtime.training_clock
        return ClockState(
            service=service,
            environment=clock.environment.value,
            offset_days=clock.offset_days,
            version=clock.version,
            business_date=business_date(runtime.context.now()),
        )

    @router.get("", response_model=ClockState)
    async def read_clock(request: Request, _: NationalAdmin) -> ClockState:
        """The offset this process applies now, and the business date it gives."""
        return state(request)

    @router.put("", response_model=ClockState)
    async def deliver_clock(body: ClockDelivery, request: Request, _: NationalAdmin) -> ClockState:
        """Keep the gateway's offset (a repeat or an older version changes nothing) and apply it in this process at
        once; the service's other processes read it when the commit notifies them."""
        runtime: Any = request.app.state.runtime
        clock: TrainingClock = runtime.training_clock
        if clock.environment is Environment.production:
            raise ClockFixedInProduction("The business date follows the real calendar in production")
        async with runtime.db.sessions.begin() as session:
            await store_offset(session, table, offset_days=body.offset_days, version=body.version, set_at=body.set_at)
        await clock.load(runtime.db.sessions, table)
        return state(request)

    return router
