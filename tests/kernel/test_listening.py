"""The process's one LISTEN connection (libs.kernel.listening): every channel its parts listen on over one backend,
each told when its channel is listened to, again after the connection drops."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import Any

import asyncpg

from libs.devstack.stack import DevStack
from libs.kernel.connections import database_connect_args
from libs.kernel.listening import listen
from libs.kernel.settings import ServiceSettings
from services.intake.definition import DEFINITION as INTAKE


def settings() -> ServiceSettings:
    return INTAKE.settings_cls(internal_token_secret="i" * 32, pii_key="p" * 32)


async def until(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    for _ in range(int(seconds / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("not reached in time")


async def listeners(conn: asyncpg.Connection, channels: list[str]) -> list[Any]:
    """The backends whose last statement was a LISTEN on one of these channels."""
    rows = await conn.fetch(
        "SELECT pid FROM pg_stat_activity WHERE query LIKE 'LISTEN %' AND query LIKE ANY($1::text[])",
        [f"%{c}%" for c in channels],
    )
    return [r["pid"] for r in rows]


async def test_every_channel_is_listened_to_over_one_connection(stack: DevStack) -> None:
    s = settings()
    channels = [f"test_listen_{name}_{uuid.uuid4().hex[:8]}" for name in ("a", "b")]
    got: dict[str, list[str]] = {c: [] for c in channels}
    connects = {c: 0 for c in channels}

    def connected(channel: str) -> Callable[[], None]:
        def told() -> None:
            connects[channel] += 1

        return told

    stops = {c: asyncio.Event() for c in channels}
    tasks = [asyncio.create_task(listen(s, c, got[c].append, connected(c), stops[c])) for c in channels]
    conn = await asyncpg.connect(s.plain_database_url, **database_connect_args(s))
    try:
        await until(lambda: all(connects.values()))
        for c in channels:
            await conn.execute("SELECT pg_notify($1, $2)", c, f"to {c}")
        await until(lambda: all(got.values()))
        assert got == {c: [f"to {c}"] for c in channels}
        [backend] = await listeners(conn, channels)

        # The connection drops: both are told again once their channels are listened to on the next one.
        assert await conn.fetchval("SELECT pg_terminate_backend($1)", backend)
        await until(lambda: all(n == 2 for n in connects.values()))
        await conn.execute("SELECT pg_notify($1, 'again')", channels[1])
        await until(lambda: got[channels[1]][-1:] == ["again"])

        # One stops listening: the other still hears; when both have stopped, the connection is closed.
        stops[channels[0]].set()
        await tasks[0]
        await conn.execute("SELECT pg_notify($1, 'alone')", channels[1])
        await until(lambda: got[channels[1]][-1:] == ["alone"])
        stops[channels[1]].set()
        await tasks[1]
        for _ in range(250):
            if not await conn.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE query LIKE ANY($1::text[])", [f"%{c}%" for c in channels]
            ):
                break
            await asyncio.sleep(0.02)
        else:
            raise AssertionError("the LISTEN connection stayed open")
    finally:
        for stop in stops.values():
            stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
        await conn.close()
