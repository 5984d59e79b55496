"""A matching process killed (SIGKILL) in the middle of an upload (issue 17, finding 13): the feed was left
`received`, with its partial rows, for 15 minutes. Now its loader lock dies with the process, and the feed is failed,
its rows dropped, when matching starts again, or by the worker's sweep, whichever comes first."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from libs.devstack.stack import DevStack
from services.matching.feeds.models import Feed
from services.matching.feeds.sweep import sweep_broken_uploads
from tests.matching.feed_support import FEEDS, VEHICLE, feed, feeds_of, new_feeder, partition_exists, vehicle
from tests.matching.support import MatchingApi, fresh_id
from tests.support.service_process import ServiceProcess
from tests.support.waiting import wait_until


@pytest.fixture
def matching(stack: DevStack, tmp_path: Path) -> Iterator[ServiceProcess]:
    """Matching's API as production starts it, with small blocks so a short body is loaded in several."""
    env = {**stack.environment(), "JIUZHU_ENVIRONMENT": "test", "MATCHING_FEED_BLOCK_BYTES": "4096"}
    process = ServiceProcess("services.matching", "api", env, tmp_path / "matching.log")
    process.start()
    yield process
    process.stop()


async def _ready(process: ServiceProcess) -> None:
    async def probe() -> int:
        try:
            async with httpx.AsyncClient(timeout=2) as http:
                return (await http.get(f"{process.url}/readyz")).status_code
        except httpx.HTTPError:
            return 0

    await wait_until(probe, lambda status: status == 200, timeout=60, every=0.2)


async def _lock_held(api: MatchingApi, feed_no: int) -> bool:
    """Whether some session still holds the feed's loader lock (PostgreSQL frees it once it sees the client gone)."""
    async with api.db.sessions() as session:
        held = await session.scalar(
            text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = :feed AND granted"),
            {"feed": feed_no},
        )
    return bool(held)


async def _killed_mid_upload(api: MatchingApi, process: ServiceProcess) -> Feed:
    """Start an upload against the process, kill it (SIGKILL) once part of the body is stored; the feed as left."""
    await _ready(process)
    client = new_feeder()
    stall = asyncio.Event()

    async def body() -> AsyncIterator[bytes]:
        yield (VEHICLE + "\n" + "".join(vehicle(fresh_id()) + "\n" for _ in range(150))).encode()
        yield ("".join(vehicle(fresh_id()) + "\n" for _ in range(150))).encode()
        await stall.wait()  # the rest comes only after the process died
        yield ("".join(vehicle(fresh_id()) + "\n" for _ in range(10))).encode()

    async with httpx.AsyncClient(base_url=process.url, timeout=30) as http:
        upload = asyncio.create_task(
            http.post(
                FEEDS,
                params={"source": "vehicle", "as_of": "2026-11-20"},
                content=body(),
                headers={**api.as_(client), "content-type": "text/csv"},
            )
        )
        [loading] = await wait_until(
            lambda: feeds_of(api, client), lambda fs: len(fs) == 1 and fs[0].rows_loaded > 0, timeout=30
        )
        process.kill()
        stall.set()
        with pytest.raises(httpx.HTTPError):
            await asyncio.wait_for(upload, 30)
    # What issue 17 found: still `received`, with the rows counted so far and their partition.
    left = await feed(api, loading.id)
    assert (left.status, left.loaded_at) == ("received", None)
    assert left.rows_loaded > 0
    assert await partition_exists(api, left.feed_no)
    await wait_until(lambda: _lock_held(api, left.feed_no), lambda held: not held, timeout=30)
    return left


@pytest.mark.slow
async def test_a_feed_half_loaded_by_a_killed_process_is_failed_when_matching_starts_again(
    api: MatchingApi, matching: ServiceProcess
) -> None:
    left = await _killed_mid_upload(api, matching)
    matching.start()
    await _ready(matching)
    failed = await wait_until(lambda: feed(api, left.id), lambda f: f.status == "failed", timeout=30)
    assert (failed.failure, failed.rows_loaded, failed.loaded_at) == ("loader_died", 0, None)
    assert not await partition_exists(api, left.feed_no)
    # Never matched.
    await api.run_worker()
    assert (await feed(api, left.id)).status == "failed"


@pytest.mark.slow
async def test_the_workers_sweep_fails_it_without_a_restart(api: MatchingApi, matching: ServiceProcess) -> None:
    left = await _killed_mid_upload(api, matching)
    assert api.ctx is not None
    # What the worker's feed job does on every tick.
    assert await sweep_broken_uploads(api.ctx) >= 1
    failed = await feed(api, left.id)
    assert (failed.status, failed.failure, failed.rows_loaded) == ("failed", "loader_died", 0)
    assert not await partition_exists(api, left.feed_no)


async def test_a_live_upload_is_never_swept(api: MatchingApi) -> None:
    assert api.ctx is not None
    client = new_feeder()
    more, asked = asyncio.Event(), asyncio.Event()

    async def body() -> AsyncIterator[bytes]:
        yield (VEHICLE + "\n" + "".join(vehicle(fresh_id()) + "\n" for _ in range(150))).encode()
        asked.set()
        await more.wait()
        yield ("".join(vehicle(fresh_id()) + "\n" for _ in range(10))).encode()

    upload = asyncio.create_task(
        api.http.post(
            FEEDS,
            params={"source": "vehicle", "as_of": "2026-11-20"},
            content=body(),
            headers={**api.as_(client), "content-type": "text/csv"},
        )
    )
    await asked.wait()
    [loading] = await feeds_of(api, client)
    await sweep_broken_uploads(api.ctx)
    assert (await feed(api, loading.id)).status == "received"
    more.set()
    reply = await upload
    assert (reply.status_code, reply.json()["rows_loaded"]) == (202, 160)
