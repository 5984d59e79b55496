"""Blocks checked in the API's worker processes (issue 23): the keys and the COPY text are the ones the single-thread
path gives, byte for byte, and the keys are the service's HMAC of the number (CONTRACTS.md §5, DOMAIN.md §11)."""

from __future__ import annotations

import asyncio
import datetime as dt
import random
from collections.abc import AsyncIterator
from dataclasses import replace

import httpx
import numpy as np
import pytest

from libs.devstack.stack import DevStack
from libs.kernel.auth import InternalTokens
from libs.kernel.pii import PiiVault
from libs.kernel.service import create_service_app
from services.matching.definition import DEFINITION as MATCHING
from services.matching.feeds.checking import BlockChecker, BlockJob, check, line_count
from services.matching.feeds.parsing import BodyFormat
from services.matching.persons import PersonKeys
from tests.matching.feed_support import VEHICLE, all_rejects, chunks, feed, new_feeder, records, upload_stream, vehicle
from tests.matching.support import Clock, MatchingApi, fresh_id
from tests.support.id_numbers import make_id

SECRET = "test-feed-checking-secret-0123456789abcdef"
KEYS = PersonKeys(PiiVault(SECRET))
TODAY = dt.date(2026, 11, 20)
PENSION = ("id_number", "name", "status", "monthly_amount")


def _ids(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    born = [dt.date(1930, 1, 1) + dt.timedelta(days=rng.randrange(30_000)) for _ in range(count)]
    return [make_id(day, region=f"{rng.randrange(110000, 660000)}", seq=f"{rng.randrange(1000):03d}") for day in born]


def _pension_lines(count: int, seed: int) -> list[str]:
    """Mostly good rows, and every kind of bad one the checks name."""
    rng = random.Random(seed)
    lines = []
    for number in _ids(count, seed):
        kind = rng.randrange(20)
        if kind == 0:
            lines.append(f"{number[:-1]}Z,张三,normal,1200.00")  # invalid_id_number
        elif kind == 1:
            lines.append(f"{number},,normal,1200.00")  # missing_name
        elif kind == 2:
            lines.append(f"{number},李四,paused,1200.00")  # invalid_status
        elif kind == 3:
            lines.append(f"{number},王五,normal,12.345")  # invalid_monthly_amount
        elif kind == 4:
            lines.append("not,a,row")  # malformed_row
        else:
            lines.append(f"{number.lower()},欧阳娜娜,{rng.choice(['normal', 'Terminated'])},{rng.randrange(99999)}.5")
    return lines


def test_key_column_is_the_services_hmac_of_every_number() -> None:
    numbers = _ids(3000, seed=1)
    packed = np.frombuffer("".join(numbers).encode(), dtype=np.uint8).reshape(len(numbers), 18)
    column = KEYS.key_column(packed).to_pylist()
    vault = PiiVault(SECRET)
    # The stdlib HMAC (the vault's own keyed hash), the per-number key, and the loop the column replaced.
    assert column == [vault.keyed_hash(number)[:32] for number in numbers]
    assert column == [KEYS.of(number).hex for number in numbers]
    assert column == KEYS.hex_keys(packed.tobytes())
    assert KEYS.key_column(packed[:0]).to_pylist() == []


@pytest.mark.parametrize("processes", [1, 2])
async def test_blocks_checked_in_processes_equal_the_thread_path(processes: int) -> None:
    lines = _pension_lines(4000, seed=processes)
    blocks = ["\n".join(lines[i : i + 700]).encode() + b"\n" for i in range(0, len(lines), 700)]
    jobs, first_row = [], 1
    for block in blocks:
        jobs.append(BlockJob(block, BodyFormat.CSV, PENSION, "pension", first_row, TODAY))
        first_row += line_count(block)
    pooled = BlockChecker(KEYS, SECRET, processes)
    in_thread = BlockChecker(KEYS, SECRET, 0)
    assert (pooled.depth, in_thread.depth) == (processes, 1)
    from_pool = await asyncio.gather(*(pooled.submit(job) for job in jobs))
    from_thread = [await in_thread.submit(job) for job in jobs]
    for job, a, b in zip(jobs, from_pool, from_thread, strict=True):
        assert a.copy_data == b.copy_data == check(job, KEYS).copy_data
        assert (a.loaded, a.rejects, a.lines) == (b.loaded, b.rejects, b.lines)
    reasons = {reason for block in from_pool for _, reason in block.rejects}
    assert reasons == {
        "invalid_id_number",
        "missing_name",
        "invalid_status",
        "invalid_monthly_amount",
        "malformed_row",
    }
    assert sum(block.loaded for block in from_pool) + sum(len(block.rejects) for block in from_pool) == len(lines)
    for job, done in zip(jobs, from_pool, strict=True):
        rows = [row for row, _ in done.rejects]
        assert len(set(rows)) == len(rows)
        assert all(job.first_row <= row < job.first_row + done.lines for row in rows)


async def test_a_worker_with_other_keys_gives_other_keys() -> None:
    # The keys come from the secret handed to the workers, not from anything left over in the process.
    job = BlockJob(f"{_ids(1, seed=3)[0]},张三,normal,1\n".encode(), BodyFormat.CSV, PENSION, "pension", 1, TODAY)
    ours = await BlockChecker(KEYS, SECRET, 1).submit(job)
    theirs = await BlockChecker(KEYS, SECRET + "-other", 1).submit(job)
    assert ours.copy_data != theirs.copy_data
    assert ours.copy_data == check(job, KEYS).copy_data


@pytest.fixture
async def pooled_api(stack: DevStack) -> AsyncIterator[MatchingApi]:
    # As tests/matching/conftest.py's `api`, with blocks of 4 KiB checked in two worker processes.
    settings = MATCHING.settings().with_overrides(role="api", feed_block_bytes=4096, feed_check_processes=2)
    app = create_service_app(MATCHING, settings)
    tokens = InternalTokens(settings.internal_token_secret.get_secret_value())
    clock = Clock()
    clock.set_day(dt.date(2026, 11, 20))
    async with app.router.lifespan_context(app):
        app.state.runtime.context = replace(app.state.runtime.context, clock=clock)
        transport = httpx.ASGITransport(app)
        async with httpx.AsyncClient(transport=transport, base_url="http://matching", timeout=60) as http:
            yield MatchingApi(http, tokens, app.state.db, clock, app)


async def test_a_feed_checked_in_worker_processes_loads_in_order_with_its_rejects(pooled_api: MatchingApi) -> None:
    client = new_feeder()
    rows = [vehicle(fresh_id()) for _ in range(400)]
    rows[49] = vehicle("bad")
    rows[249] = vehicle(fresh_id(), name="")
    rows[399] = vehicle(fresh_id(), vehicle_type="boat")
    body = (VEHICLE + "\n" + "\n".join(rows) + "\n").encode()
    # About 60 bytes a row: six blocks or so, cut across the chunks the client sends.
    parts = [body[i : i + 5000] for i in range(0, len(body), 5000)]
    reply = await upload_stream(pooled_api, "vehicle", chunks(*parts), client)
    assert reply.status_code == 202, reply.text
    loaded = reply.json()
    assert (loaded["rows_total"], loaded["rows_loaded"], loaded["rows_rejected"]) == (400, 397, 3)
    rejects = await all_rejects(pooled_api, loaded["feed_id"], client, limit=10)
    assert sorted(rejects) == [(50, "invalid_id_number"), (250, "missing_name"), (400, "invalid_vehicle_type")]
    assert pooled_api.app is not None
    ours: PersonKeys = pooled_api.app.state.runtime.context.keys
    stored = await records(pooled_api, (await feed(pooled_api, loaded["feed_id"])).feed_no)
    assert [r["row_no"] for r in stored] == [n for n in range(1, 401) if n not in (50, 250, 400)]
    assert [r["person"].hex for r in stored[:3]] == [ours.of(line.split(",")[0]).hex for line in rows[:3]]
