"""One PostgreSQL LISTEN connection per process, kept open while anything listens: what wakes the outbox relay (a
committed event), idle consumers (a published batch, libs.kernel.nudges), the training clock and woken jobs without
polling, each on its own channel.

A notification sent while nobody listened is gone, so `on_connect` runs after every (re)connect: the listener catches
up by itself (the relay looks at its outbox, the consumers at their partitions).
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
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


@dataclass(eq=False)
class _Subscriber:
    channel: str
    on_notify: Callable[[str], None]
    on_connect: Callable[[], None]
    told: object = None  # the connection `on_connect` was last called for


class _Hub:
    """The one LISTEN connection of a process (per event loop and database) for every channel its parts listen on:
    the outbox relay, the nudges, the training clock and each woken job used to hold a connection each."""

    def __init__(self, settings: BaseServiceSettings) -> None:
        self.settings = settings
        self.subscribers: list[_Subscriber] = []
        self.changed = asyncio.Event()
        self.task: asyncio.Task[None] | None = None

    def add(self, subscriber: _Subscriber) -> None:
        self.subscribers.append(subscriber)
        self.changed.set()
        if self.task is None:
            self.task = asyncio.create_task(self._run())

    def remove(self, subscriber: _Subscriber) -> None:
        self.subscribers.remove(subscriber)
        self.changed.set()

    def _notified(self, _conn: object, _pid: int, channel: str, payload: str) -> None:
        for s in list(self.subscribers):
            if s.channel == channel:
                s.on_notify(payload)

    async def _run(self) -> None:
        # No await between the loop's last look at the subscribers and `task = None`: one who joins meanwhile is
        # served by this loop or starts the next.
        try:
            while self.subscribers:
                conn: asyncpg.Connection | None = None
                try:
                    conn = await asyncpg.connect(
                        self.settings.plain_database_url,
                        # Seen as such in pg_stat_activity, beside the process's pool.
                        server_settings={"application_name": f"{self.settings.service_name} listen"},
                        **database_connect_args(self.settings),
                    )
                    conn.add_termination_listener(lambda _conn: self.changed.set())
                    await self._serve(conn)
                except Exception as exc:  # a dropped connection, a refused one, a listener's own failure: again
                    channels = sorted({s.channel for s in self.subscribers})
                    _log.warning("listen.failed", channels=channels, error=str(exc))
                    await asyncio.sleep(1.0)
                finally:
                    if conn is not None:
                        with contextlib.suppress(Exception):
                            await conn.close(timeout=2)
        finally:
            self.task = None

    async def _serve(self, conn: asyncpg.Connection) -> None:
        """Keep the connection's channels those of the subscribers, and tell each subscriber once per connection that
        its channel is listened to (after the LISTEN, so its catch-up misses nothing), until none is left or the
        connection drops."""
        listening: set[str] = set()
        while self.subscribers and not conn.is_closed():
            self.changed.clear()
            wanted = {s.channel for s in self.subscribers}
            for channel in sorted(wanted - listening):
                await conn.add_listener(channel, self._notified)
                listening.add(channel)
            for channel in sorted(listening - wanted):
                await conn.remove_listener(channel, self._notified)
                listening.discard(channel)
            for s in list(self.subscribers):
                if s.told is not conn:
                    s.told = conn
                    s.on_connect()
            if not self.changed.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.changed.wait(), 5.0)


# Per event loop (a test runs several), per database and its connection options.
_HUBS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, _Hub]] = weakref.WeakKeyDictionary()


def _hub(settings: BaseServiceSettings) -> _Hub:
    key = f"{settings.plain_database_url} {settings.database_ssl_mode} {settings.database_ssl_root_cert}"
    hubs = _HUBS.setdefault(asyncio.get_running_loop(), {})
    if key not in hubs:
        hubs[key] = _Hub(settings)
    return hubs[key]


async def listen(
    settings: BaseServiceSettings,
    channel: str,
    on_notify: Callable[[str], None],
    on_connect: Callable[[], None],
    stop: asyncio.Event,
) -> None:
    """Call `on_notify(payload)` for every notification on `channel` until `stop`, over the process's one LISTEN
    connection (re-made a second after it fails or drops); `on_connect()` once the channel is listened to, and again
    after every reconnect."""
    subscriber = _Subscriber(channel, on_notify, on_connect)
    hub = _hub(settings)
    hub.add(subscriber)
    try:
        await stop.wait()
    finally:
        hub.remove(subscriber)


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
