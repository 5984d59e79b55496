"""The push of every household change to a real (fake) provincial HTTP server (CONTRACTS.md §4): in order per
household, each change once, retried with a doubling back-off until accepted; and the operators' delivery log.

Other tests' queued changes may go out in these pushes too, so assertions only look at this test's households.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
import structlog
from sqlalchemy import select

from libs.contracts.staff import Scope, StaffRole
from services.casework.context import PROVINCE_CONTEXT
from services.casework.province.feed import queue_new_versions
from services.casework.province.push import ProvincePush, push_job, retry_delay
from services.casework.province.service import item_of
from services.casework.registry.models import Household, HouseholdVersion
from services.casework.registry.service import record_version
from services.casework.registry.state import load_state
from tests.casework.province_support import (
    T0,
    FakeProvince,
    Program,
    add_household,
    casework,
    change_amount,
    drain,
    fake_province,
    push,
    pusher,
    queued,
)
from tests.casework.support import CaseworkApi, client, new_county, new_village, staff
from tests.support.loopback_server import listening_socket

CHANGES = "/api/v1/casework/province-changes"


@pytest.fixture
async def province() -> AsyncIterator[FakeProvince]:
    async with fake_province() as fake:
        yield fake


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=5.0, trust_env=False) as c:
        yield c


async def test_every_change_arrives_once_in_order_per_household_despite_failures(
    api: CaseworkApi, province: FakeProvince, http: httpx.AsyncClient
) -> None:
    ctx, clock = pusher(api, province.url)
    await drain(api, ctx, http)
    province.requests.clear()
    province.failures = 2
    county = new_county()
    a = await add_household(api, ctx, new_village(county), [Program("dibao", 10000)], queue=True)
    b = await add_household(api, ctx, new_village(county), [Program("dibao", 20000)], queue=True)
    for step in (1, 2, 3):
        clock.at = clock() + timedelta(seconds=1)
        await change_amount(api, ctx, a, 10000 + step * 100)
        await change_amount(api, ctx, b, 20000 + step * 100)

    rounds = 0
    with structlog.testing.capture_logs() as logs:
        while any(c.delivered_at is None for c in await queued(api, [a, b])):
            rounds += 1
            assert rounds < 100, "the push never finished"
            if await push(api, ctx, http) == 0:
                # Nothing went out: every due change waits for its retry time, which the clock now passes.
                clock.at = clock() + timedelta(seconds=16)

    amounts = {hid: [i["programs"][0]["monthly_amount"] for i in province.received([hid])] for hid in (a, b)}
    assert amounts == {
        a: ["100.00", "101.00", "102.00", "103.00"],
        b: ["200.00", "201.00", "202.00", "203.00"],
    }
    changes = await queued(api, [a, b])
    assert province.refused == 2
    # The first batch (a's first change, b's first change, a's second) failed twice, then went through.
    assert [(c.household_id, c.attempts, c.last_error) for c in changes[:3]] == [
        (a, 2, "HTTP 503"),
        (b, 2, "HTTP 503"),
        (a, 2, "HTTP 503"),
    ]
    assert all(c.attempts == 0 and c.last_error is None for c in changes[3:])
    events = [e["event"] for e in logs if e["event"].startswith("province.")]
    assert events[:2] == ["province.push_failed", "province.push_failed"]
    assert "province.pushed" in events
    # Counts only: no name or identity number of anyone pushed reaches the log.
    logged = repr(logs)
    assert not any(
        str(m["id_number"]) in logged or str(m["name"]) in logged for m in province.received([a])[0]["members"]
    )
    for headers, body in province.requests:
        assert headers["authorization"] == "Bearer prov-token"
        assert uuid.UUID(headers["x-request-id"])
        assert len(body["items"]) <= 3


async def test_a_later_change_waits_for_an_earlier_one_that_is_backing_off(
    api: CaseworkApi, province: FakeProvince, http: httpx.AsyncClient
) -> None:
    ctx, clock = pusher(api, province.url, province_batch_size=1000)
    county = new_county()
    province.failures = 1
    a = await add_household(api, ctx, new_village(county), [Program("dibao", 10000)], queue=True)
    assert await push(api, ctx, http) == 0  # refused: a's first change backs off for 2 s
    await change_amount(api, ctx, a, 10100)  # due at once, but behind the first
    b = await add_household(api, ctx, new_village(county), [Program("dibao", 20000)], queue=True)

    await push(api, ctx, http)

    # b's change goes; a's second change does not overtake a's first.
    assert province.received([a]) == []
    assert [i["household_id"] for i in province.received([b])] == [b]
    first, second = await queued(api, [a])
    assert (first.attempts, first.delivered_at, second.attempts, second.delivered_at) == (1, None, 0, None)
    assert first.next_attempt_at == clock() + timedelta(seconds=2)

    clock.at = clock() + timedelta(seconds=2)
    await push(api, ctx, http)

    assert [i["programs"][0]["monthly_amount"] for i in province.received([a])] == ["100.00", "101.00"]
    assert all(c.delivered_at == clock() for c in await queued(api, [a]))


async def test_a_network_error_is_recorded_and_retried_with_a_doubling_capped_delay(
    api: CaseworkApi, http: httpx.AsyncClient
) -> None:
    closed = listening_socket()
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there any more: connections are refused
    ctx, clock = pusher(api, f"http://127.0.0.1:{port}", province_batch_size=1000)
    a = await add_household(api, ctx, new_village(new_county()), [Program("dibao", 10000)], queue=True)

    delays = []
    for _ in range(5):
        assert await push(api, ctx, http) == 0
        (change,) = await queued(api, [a])
        delays.append((change.next_attempt_at - clock()).total_seconds())
        clock.at = change.next_attempt_at

    assert (change.attempts, change.last_error, change.delivered_at) == (5, "ConnectError", None)
    assert delays == [2.0, 4.0, 8.0, 16.0, 16.0]
    assert [retry_delay(ctx, n).total_seconds() for n in (1, 2, 3, 4, 5, 30, 5000)] == [2, 4, 8, 16, 16, 16, 16]


async def test_enqueue_seals_the_item_as_it_is_now(api: CaseworkApi) -> None:
    ctx = casework(api)
    api.clock.at = T0
    hid = await add_household(api, ctx, new_village(new_county()), [Program("dibao", 56000)], queue=True)

    (change,) = await queued(api, [hid])
    async with api.db.sessions() as session:
        state = await load_state(session, ctx, await session.get_one(Household, hid))

    assert json.loads(ctx.open(change.item_sealed, PROVINCE_CONTEXT)) == item_of(state)
    assert state.members[0].id_number not in change.item_sealed
    assert (change.created_at, change.next_attempt_at, change.attempts, change.delivered_at) == (T0, T0, 0, None)


async def test_the_feed_takes_each_recorded_version_once_in_order(api: CaseworkApi) -> None:
    """The registry's versions become queued changes in the order they were recorded, each once: a version taken is
    marked, so later runs neither queue it again nor look at it."""
    ctx = casework(api)
    api.clock.at = T0
    hid = await add_household(api, ctx, new_village(new_county()), [Program("dibao", 10000)])
    recorded = []
    for minutes in (1, 2):
        api.clock.at = T0 + timedelta(minutes=minutes)
        async with api.db.sessions.begin() as session:
            household = await session.get_one(Household, hid, with_for_update=True)
            await record_version(session, ctx, household, [], case_id=None)
            recorded.append(household.version)

    async def run() -> int:
        async with api.db.sessions.begin() as session:
            return await queue_new_versions(session, ctx)

    for _ in range(100):  # other tests' versions may be waiting too, oldest first
        if not await run():
            break
    assert [c.household_version for c in await queued(api, [hid])] == recorded
    assert await run() == 0
    assert [c.household_version for c in await queued(api, [hid])] == recorded
    async with api.db.sessions() as session:
        taken = (
            await session.scalars(select(HouseholdVersion.queued_at).where(HouseholdVersion.household_id == hid))
        ).all()
    assert len(taken) == 2
    assert None not in taken


async def test_the_job_pushes_only_once_a_base_url_is_configured(api: CaseworkApi, province: FakeProvince) -> None:
    idle, clock = pusher(api, "")
    a = await add_household(api, idle, new_village(new_county()), [Program("dibao", 10000)], queue=True)
    idle_job = push_job(idle)
    assert isinstance(idle_job.run, ProvincePush)
    async with api.db.sessions.begin() as session:
        await idle_job.run(session)
    assert (await queued(api, [a]))[0].delivered_at is None
    assert (province.requests, idle_job.run.client) == ([], None)

    live, _ = pusher(api, province.url, province_batch_size=1000, province_timeout_seconds=3.5)
    job = push_job(replace(live, clock=clock))
    assert isinstance(job.run, ProvincePush)
    clients = []
    for _ in range(2):
        async with api.db.sessions.begin() as session:
            await job.run(session)
        clients.append(job.run.client)
    await job.run.aclose()

    assert job.every == timedelta(seconds=live.settings.province_interval_seconds)
    assert [i["household_id"] for i in province.received([a])] == [a]
    assert (await queued(api, [a]))[0].delivered_at == clock()
    # One client for the job's life, made on its first push with the configured timeout.
    assert clients[0] is not None
    assert clients[1] is clients[0]
    assert clients[0].timeout == httpx.Timeout(3.5)


# --- the operators' delivery log ---------------------------------------------------------------------------------


async def test_officers_see_pending_and_delivered_changes_of_their_county(
    api: CaseworkApi, province: FakeProvince, http: httpx.AsyncClient
) -> None:
    county = new_county()
    ctx, clock = pusher(api, province.url, province_batch_size=1000)
    province.failures = 1
    a = await add_household(api, ctx, new_village(county), [Program("dibao", 10000)], queue=True)
    await push(api, ctx, http)
    b = await add_household(api, ctx, new_village(county), [Program("dibao", 20000)], queue=True)
    await push(api, ctx, http)
    officer = staff(StaffRole.county_officer, county)

    pending = await api.get(CHANGES, officer, {"status": "pending"})
    delivered = await api.get(CHANGES, officer, {"status": "delivered"})

    assert pending.status_code == 200, pending.text
    (row,) = pending.json()["items"]
    assert row["household_id"] == a
    assert (row["attempts"], row["last_error"], row["delivered_at"]) == (1, "HTTP 503", None)
    assert set(row) == {"id", "household_id", "attempts", "last_error", "created_at", "next_attempt_at", "delivered_at"}
    assert [r["household_id"] for r in delivered.json()["items"]] == [b]
    assert datetime.fromisoformat(delivered.json()["items"][0]["delivered_at"]) == clock()


async def test_the_delivery_log_pages_pending_changes_oldest_first(api: CaseworkApi) -> None:
    county = new_county()
    ctx = casework(api)
    hid = await add_household(api, ctx, new_village(county), [Program("dibao", 10000)], queue=True)
    for amount in (10100, 10200):
        await change_amount(api, ctx, hid, amount)
    ids = [c.id for c in await queued(api, [hid])]
    officer = staff(StaffRole.county_officer, county)

    first = (await api.get(CHANGES, officer, {"limit": 2})).json()
    second = (await api.get(CHANGES, officer, {"limit": 2, "cursor": first["next_cursor"]})).json()

    assert [r["id"] for r in first["items"]] + [r["id"] for r in second["items"]] == ids
    assert second["next_cursor"] is None


@pytest.mark.parametrize(
    ("who", "params", "status"),
    [
        pytest.param(lambda c: staff(StaffRole.village_assistant, c), {}, 403, id="village-assistant"),
        pytest.param(lambda c: staff(StaffRole.township_officer, c), {}, 403, id="township-officer"),
        pytest.param(lambda c: client(Scope.province, c), {}, 403, id="province-client"),
        pytest.param(lambda c: staff(StaffRole.county_officer, c), {"region_code": "650000"}, 403, id="other-county"),
        pytest.param(lambda c: staff(StaffRole.county_officer, c), {"status": "lost"}, 422, id="bad-status"),
        pytest.param(lambda c: staff(StaffRole.county_officer, c), {"cursor": "x"}, 422, id="bad-cursor"),
    ],
)
async def test_the_delivery_log_refuses_others_and_bad_input(
    api: CaseworkApi, who: Any, params: dict[str, Any], status: int
) -> None:
    county = new_county()
    await add_household(api, casework(api), new_village(county), [Program("dibao", 10000)], queue=True)

    answer = await api.get(CHANGES, who(county), params)

    assert answer.status_code == status, answer.text
