"""One PostgreSQL LISTEN connection, kept open until told to stop: what wakes the outbox relay (a committed event)
and idle consumers (a published batch, libs.kernel.nudges) without polling.

A notification sent while nobody listened is gone, so `on_connect` runs after every (re)connect: the listener catches
up by itself (the relay looks at its outbox, the consumers at their partitions).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
import structlog
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from libs.kernel.connections import database_connect_args
from libs.kernel.settings import BaseServiceSettings

_log = structlog.get_logger("listening")
_SAID = "listening.said"  # session.info: the transaction, and the channels `notify_at_commit` has said in it


async def notify_at_commit(session: AsyncSession, channel: str) -> None:
    """Wake whoever listens on `channel` when this transaction commits (never if it rolls back). Said once a
    transaction however often it is called (PostgreSQL delivers one anyway): a transaction writing many events or
    household versions costs one statement, not one each."""
    transaction = session.get_transaction()
    said = session.info.get(_SAID)
    if said is None or said[0] is not transaction:
        said = session.info[_SAID] = (transaction, set[str]())
    if channel in said[1]:
        return
    await session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": channel})
    said[1].add(channel)


async def listen(
    settings: BaseServiceSettings,
    channel: str,
    on_notify: Callable[[str], None],
    on_connect: Callable[[], None],
    stop: asyncio.Event,
) -> None:
    """Call `on_notify(payload)` for every notification on `channel` until `stop`, re-making the connection (after a
    second) whenever it fails or drops."""

    def notified(_conn: object, _pid: int, _channel: str, payload: str) -> None:
        on_notify(payload)

    while not stop.is_set():
        conn: asyncpg.Connection | None = None
        try:
            conn = await asyncpg.connect(settings.plain_database_url, **database_connect_args(settings))
            await conn.add_listener(channel, notified)
            on_connect()
            while not stop.is_set() and not conn.is_closed():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), 5.0)
        except (OSError, asyncpg.PostgresError) as exc:
            _log.warning("listen.failed", channel=channel, error=str(exc))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 1.0)
        finally:
            if conn is not None:
                with contextlib.suppress(Exception):
                    await conn.close(timeout=2)


async def wait_any(wake: asyncio.Event, stop: asyncio.Event, seconds: float) -> None:
    """Until `wake` or `stop` is set, or `seconds` have passed: how a loop that is woken, not polled, waits."""
    waiters = [asyncio.ensure_future(wake.wait()), asyncio.ensure_future(stop.wait())]
    try:
        await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()


async def repeat(
    do: Callable[[], Awaitable[object]],
    stop: asyncio.Event,
    seconds: float,
    *,
    log: Any,
    failed: str,
    wake: asyncio.Event | None = None,
) -> None:
    """Do `do` until `stop`, waiting `seconds` between passes (or, with `wake`, until it is set): how a background loop
    runs. A failed pass is logged on `log` as `failed` and changes nothing else: the next pass tries again."""
    while not stop.is_set():
        if wake is not None:
            wake.clear()  # before the pass: a wake during it brings the next one at once
        try:
            await do()
        except Exception:
            log.exception(failed)
        if wake is None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), seconds)
        else:
            await wait_any(wake, stop, seconds)
