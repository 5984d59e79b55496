"""A small closed-loop HTTP load generator (aiohttp): `concurrency` connections, each sending its next request as
soon as the previous answer arrived, for `seconds`. Bounded in count and time; loopback only."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from dataclasses import dataclass

import aiohttp

from bench.support import percentile


@dataclass(frozen=True)
class LoadResult:
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def line(self, label: str) -> str:
        return (
            f"{label}: {self.rps:,.0f} req/s, p50 {percentile(self.latencies_ms, 50):.2f} ms, "
            f"p99 {percentile(self.latencies_ms, 99):.2f} ms ({self.requests} requests, {self.errors} errors, "
            f"{self.seconds:.1f} s)"
        )


async def closed_loop(
    url: str, headers: Mapping[str, str], *, concurrency: int, seconds: float, max_requests: int = 2_000_000
) -> LoadResult:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    connector = aiohttp.TCPConnector(limit=concurrency, force_close=False)
    async with aiohttp.ClientSession(connector=connector, headers=dict(headers)) as session:

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < deadline and len(latencies) < max_requests:
                started = time.perf_counter()
                async with session.get(url) as response:
                    await response.read()
                    if response.status != 200:
                        errors += 1
                latencies.append((time.perf_counter() - started) * 1000)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return LoadResult(len(latencies), errors, elapsed, latencies)
