"""Timing single statements on seeded tables: a query as it was and as it is, on the same rows, in one run.

Used by the benchmarks whose change is one statement (`bench.province_feed`, `bench.local_figures`): each seeds a
throw-away stack's tables with set-based SQL, then hands its statements here.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

import asyncpg

from bench.support import bench_stack, machine


@dataclass(frozen=True)
class Statement:
    name: str
    sql: str
    args: tuple[object, ...] = ()


async def compare(conn: asyncpg.Connection, statements: Sequence[Statement], repeat: int) -> None:
    """Run each statement `repeat` times (prepared once), print its median and fastest run; they must all find the
    same number of rows."""
    found: dict[str, int] = {}
    width = max(len(s.name) for s in statements)
    for s in statements:
        prepared = await conn.prepare(s.sql)
        seconds = []
        for _ in range(repeat):
            started = time.perf_counter()
            found[s.name] = len(await prepared.fetch(*s.args))
            seconds.append(time.perf_counter() - started)
        print(
            f"  {s.name:<{width}}  median {statistics.median(seconds) * 1000:9.3f} ms  "
            f"min {min(seconds) * 1000:9.3f} ms  ({repeat} runs, {found[s.name]} rows found)"
        )
    assert len(set(found.values())) == 1, found


def on_stack(module: str, measure: Callable[[asyncpg.Connection], Awaitable[None]]) -> None:
    """`measure` on a connection to a durable throw-away stack with `module`'s schema migrated."""
    print(f"machine: {machine()}")

    async def run(url: str) -> None:
        conn = await asyncpg.connect(url)
        try:
            await measure(conn)
        finally:
            await conn.close()

    with bench_stack(module) as (stack, _env):
        asyncio.run(run(stack.database_url))
