"""The training clock through the gateway (`/api/v1/admin/clock`, issue 21), as the scenarios move it.

The whole-system scenarios share one system and run one after another: a scenario that moves the clock puts it back
where it found it before it ends (`days_ahead`, a `rewind` recorded as such), so the scenarios after it run on the real
calendar, as they assume (`china_today()`). While it stands ahead, every service's jobs run on that date for every
county; the scenarios' counties are their own, and the scenarios before it are done with theirs. So does every step
of the scenario itself running meanwhile: a scenario running two families at once does not use the clock for them.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import weakref
from collections.abc import AsyncIterator
from typing import Any

from tests.e2e.system import Actor
from tests.support.waiting import wait_until

CLOCK = "/api/v1/admin/clock"
# The gateway delivers at once; a service that was down (a worker restarted by a scenario) has it within seconds.
APPLIED_TIMEOUT = 60.0
# The APIs say when they apply a setting; the workers say nothing, and read their service's table when the delivery's
# commit notifies them (or every `training_clock_refresh_seconds`, should a notification be missed). After a rewind,
# a few seconds more (two shared cores): a worker still on the old offset would stamp what it handles next with a date
# days ahead. Forward, the scenarios wait for a worker's job anyway, which a worker a second late only delays.
WORKERS_FOLLOW_SECONDS = 3.0


async def read_clock(admin: Actor) -> dict[str, Any]:
    reply = await admin.http.get(CLOCK)
    assert reply.status_code == 200, reply.text
    clock: dict[str, Any] = reply.json()
    return clock


def business_date(clock: dict[str, Any]) -> dt.date:
    return dt.date.fromisoformat(str(clock["business_date"]))


def _everywhere(clock: dict[str, Any]) -> bool:
    """Every service's API applies the gateway's version (their workers read it from their table when notified)."""
    return all(
        s is not None and (s["offset_days"], s["version"]) == (clock["offset_days"], clock["version"])
        for s in clock["services"].values()
    )


async def set_clock(admin: Actor, offset_days: int, reason: str, *, rewind: bool = False) -> dict[str, Any]:
    """Set the offset, then wait until every process of every service applies it."""
    reply = await admin.http.put(CLOCK, json={"offset_days": offset_days, "reason": reason, "rewind": rewind})
    assert reply.status_code == 200, reply.text
    clock: dict[str, Any] = reply.json()
    if not _everywhere(clock):
        clock = await wait_until(lambda: read_clock(admin), _everywhere, timeout=APPLIED_TIMEOUT, every=0.5)
    if rewind:
        await asyncio.sleep(WORKERS_FOLLOW_SECONDS)
    return clock


_movers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = weakref.WeakKeyDictionary()


@contextlib.asynccontextmanager
async def one_clock_mover() -> AsyncIterator[None]:
    """Steps that move the clock, one at a time: two at once (`asyncio.gather`) would each put it back to where the
    other had moved it. Per event loop, as the scenarios' loops come and go."""
    loop = asyncio.get_running_loop()
    lock = _movers.setdefault(loop, asyncio.Lock())
    async with lock:
        yield


@contextlib.asynccontextmanager
async def days_ahead(admin: Actor, days: int, reason: str) -> AsyncIterator[dict[str, Any]]:
    """The whole system `days` further ahead than it stands, for the block; then back where it was. Inside
    `one_clock_mover`; every step of the scenario in the block runs on that date."""
    before = await read_clock(admin)
    moved = await set_clock(admin, before["offset_days"] + days, reason)
    try:
        yield moved
    finally:
        await set_clock(admin, before["offset_days"], f"{reason}（结束，恢复）", rewind=True)
