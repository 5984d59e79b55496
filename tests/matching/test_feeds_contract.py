"""The registry provider API (CONTRACTS.md §5): 202 on upload, the status for the uploading client only, what is
refused (and leaves nothing behind), an interrupted upload, repeated feeds, and how long records are kept."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import func, select

from libs.contracts.clock import business_date
from libs.contracts.staff import Scope, StaffRole
from libs.kernel.auth import Principal
from services.matching.feeds import loading
from services.matching.feeds.models import Feed
from services.matching.feeds.schemas import FeedOut
from services.matching.hits.models import Hit
from tests.matching.feed_support import (
    FEEDS,
    VEHICLE,
    assert_problem,
    feed,
    feeds_of,
    footprint,
    new_feeder,
    partition_exists,
    records,
    upload_stream,
    vehicle,
)
from tests.matching.support import (
    Broker,
    MatchingApi,
    csv_feed,
    fresh_id,
    member,
    new_county,
    new_village,
    recipient_household,
    staff,
)
from tests.support import principals


async def test_upload_is_accepted_and_only_its_client_reads_it(api: MatchingApi) -> None:
    client = new_feeder()
    body = csv_feed(VEHICLE, [vehicle(fresh_id()), vehicle(fresh_id()), vehicle("bad")])
    reply = await api.upload("vehicle", body, principal=client)
    assert reply.status_code == 202, reply.text
    accepted = reply.json()
    assert accepted["status"] == "received"
    assert (accepted["source"], accepted["as_of"]) == ("vehicle", "2026-11-20")
    assert (accepted["rows_total"], accepted["rows_loaded"], accepted["rows_rejected"]) == (3, 2, 1)
    assert accepted["rejects"] == [{"row": 3, "reason": "invalid_id_number"}]
    feed_id = accepted["feed_id"]
    assert [f.id for f in await feeds_of(api, client)] == [feed_id]

    mine = await api.get(f"{FEEDS}/{feed_id}", client)
    assert mine.status_code == 200
    assert (mine.json()["feed_id"], mine.json()["status"]) == (feed_id, "received")
    # Another provider's feed is as good as absent, and so is an unknown one.
    assert_problem(await api.get(f"{FEEDS}/{feed_id}", new_feeder()), 404, "not_found")
    assert_problem(await api.get(f"{FEEDS}/{feed_id}/rejects", new_feeder()), 404, "not_found")
    assert_problem(await api.get(f"{FEEDS}/{uuid.uuid4()}", client), 404, "not_found")

    await api.run_worker()
    done = (await api.get(f"{FEEDS}/{feed_id}", client)).json()
    assert done["status"] == "done"
    assert (done["rows_total"], done["rows_loaded"], done["rows_rejected"], done["hits_raised"]) == (3, 2, 1, 0)
    assert done["finished_at"] is not None


async def test_the_answer_is_the_feed_as_received_though_its_run_takes_it_at_once(
    api: MatchingApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker is told at the load's commit and may match the feed before the provider has its answer: the
    answer is still the receipt the contract promises (`received`), and the feed's status goes on from there."""
    client = new_feeder()
    finish = loading.finish

    async def finish_then_run(*args: Any) -> FeedOut:
        answer = await finish(*args)
        await api.run_worker()  # the run takes the feed the moment its load commits
        return answer

    monkeypatch.setattr(loading, "finish", finish_then_run)
    reply = await api.upload("vehicle", csv_feed(VEHICLE, [vehicle(fresh_id())]), principal=client)
    assert reply.status_code == 202, reply.text
    accepted = reply.json()
    assert (accepted["status"], accepted["rows_loaded"], accepted["finished_at"]) == ("received", 1, None)
    assert reply.headers["Location"] == f"{FEEDS}/{accepted['feed_id']}"
    assert (await feed(api, accepted["feed_id"])).status == "done"


async def test_status_is_readable_while_the_feed_loads(api: MatchingApi) -> None:
    client = new_feeder()
    rows = [vehicle(fresh_id()) for _ in range(300)]
    # About 60 bytes a row: each part of 100 rows is more than one 4096-byte block.
    parts = [("\n".join(rows[i : i + 100]) + "\n").encode() for i in range(0, 300, 100)]
    more = asyncio.Event()
    waiting = asyncio.Event()

    async def body() -> AsyncIterator[bytes]:
        yield (VEHICLE + "\n").encode() + parts[0]
        yield parts[1]
        waiting.set()  # asked for more: both parts were checked and counted
        await more.wait()
        yield parts[2]

    upload = asyncio.create_task(upload_stream(api, "vehicle", body(), client))
    await waiting.wait()
    (loading,) = await feeds_of(api, client)
    during = (await api.get(f"{FEEDS}/{loading.id}", client)).json()
    assert during["status"] == "received"
    assert (during["rows_total"], during["rows_loaded"], during["loaded_at"]) == (200, 200, None)
    # Not loaded yet: the worker leaves it alone.
    await api.run_worker()
    assert (await feed(api, loading.id)).status == "received"

    more.set()
    reply = await upload
    assert reply.status_code == 202, reply.text
    assert (reply.json()["rows_total"], reply.json()["rows_loaded"]) == (300, 300)
    assert reply.json()["loaded_at"] is not None
    assert len(await records(api, loading.feed_no)) == 300
    await api.run_worker()
    done = (await api.get(f"{FEEDS}/{loading.id}", client)).json()
    assert (done["status"], done["rows_loaded"], done["rows_rejected"], done["hits_raised"]) == ("done", 300, 0, 0)


REFUSED = [
    pytest.param("boats", "text/csv", f"{VEHICLE}\n", "unknown_source", id="unknown-source"),
    pytest.param("vehicle", "application/json", '{"id_number": "x"}', "unsupported_body_format", id="json"),
    pytest.param("vehicle", "text/plain", f"{VEHICLE}\n", "unsupported_body_format", id="text-plain"),
    pytest.param("vehicle", "application/xml", "<feed/>", "unsupported_body_format", id="xml"),
    pytest.param("vehicle", "text/csv", "", "empty_body", id="empty-csv"),
    pytest.param("vehicle", "text/csv", " \r\n\n", "empty_body", id="blank-csv"),
    pytest.param("death", "application/x-ndjson", "", "empty_body", id="empty-ndjson"),
    pytest.param("vehicle", "text/csv", "id_number,name,plate\nx,y,z\n", "missing_columns", id="missing-columns"),
    pytest.param("death", "text/csv", "id_number,name,event_date,Name\n", "duplicate_columns", id="duplicate"),
    pytest.param("death", "application/x-ndjson", '[{"id_number": "x"}]\n', "invalid_body", id="ndjson-array"),
    pytest.param("death", "application/x-ndjson", "id_number,name\n", "invalid_body", id="ndjson-not-json"),
    pytest.param("death", "text/csv", b"\xff\xfeid_number\n", "invalid_body", id="csv-not-utf8"),
]


@pytest.mark.parametrize(("source", "content_type", "body", "code"), REFUSED)
async def test_a_refused_upload_leaves_nothing(
    api: MatchingApi, source: str, content_type: str, body: str | bytes, code: str
) -> None:
    before = await footprint(api)
    reply = await api.upload(source, body, content_type=content_type)
    assert_problem(reply, 422, code)
    assert await footprint(api) == before


async def test_unknown_source_and_missing_columns_name_what_is_wrong(api: MatchingApi) -> None:
    unknown = assert_problem(await api.upload("boats", f"{VEHICLE}\n"), 422, "unknown_source")
    assert unknown["errors"][0]["loc"] == ["query", "source"]
    assert "vehicle" in unknown["errors"][0]["msg"]
    missing = assert_problem(await api.upload("vehicle", "id_number,plate,kind\n"), 422, "missing_columns")
    # Optional columns are not asked for; every required one that is absent is named.
    assert [e["loc"] for e in missing["errors"]] == [
        ["body", "header", name] for name in ("name", "vehicle_type", "registered_at", "deregistered")
    ]
    prison = await api.upload("prison", csv_feed("id_number,name,start_date", [f"{fresh_id()},王五,2024-02-03"]))
    assert prison.status_code == 202, prison.text


@pytest.mark.parametrize("as_of", ["2026-13-01", "yesterday", "20261120", ""])
async def test_an_invalid_as_of_is_a_validation_problem(api: MatchingApi, as_of: str) -> None:
    before = await footprint(api)
    reply = await api.http.post(
        FEEDS,
        params={"source": "vehicle", "as_of": as_of},
        content=csv_feed(VEHICLE, [vehicle(fresh_id())]).encode(),
        headers={**api.as_(new_feeder()), "content-type": "text/csv"},
    )
    body = assert_problem(reply, 422, "validation_failed")
    assert body["errors"][0]["loc"] == ["query", "as_of"]
    assert await footprint(api) == before


async def test_without_as_of_the_extract_is_of_the_business_day(api: MatchingApi) -> None:
    # The router's documented default (CONTRACTS.md §5 always names as_of; providers may leave it out).
    api.clock.set_day(dt.date(2026, 11, 24))
    reply = await api.upload("vehicle", csv_feed(VEHICLE, [vehicle(fresh_id())]), as_of=None)
    assert reply.status_code == 202, reply.text
    assert reply.json()["as_of"] == business_date(api.clock()).isoformat() == "2026-11-24"


@pytest.mark.parametrize(
    "principal",
    [
        pytest.param(staff(StaffRole.township_officer, "650101001"), id="township"),
        pytest.param(staff(StaffRole.system_admin, ""), id="admin"),
        pytest.param(principals.client(Scope.hotline), id="hotline-client"),
        pytest.param(principals.client(Scope.province), id="province-client"),
    ],
)
async def test_only_a_registry_client_feeds_or_reads_feeds(api: MatchingApi, principal: Principal) -> None:
    before = await footprint(api)
    reply = await api.upload("vehicle", csv_feed(VEHICLE, [vehicle(fresh_id())]), principal=principal)
    assert_problem(reply, 403, "scope_required")
    assert await footprint(api) == before
    accepted = await api.upload("vehicle", csv_feed(VEHICLE, [vehicle(fresh_id())]))
    feed_id = accepted.json()["feed_id"]
    assert_problem(await api.get(f"{FEEDS}/{feed_id}", principal), 403, "scope_required")
    assert_problem(await api.get(f"{FEEDS}/{feed_id}/rejects", principal), 403, "scope_required")


class ConnectionLost(Exception):
    pass


async def test_an_interrupted_upload_fails_and_keeps_no_records(api: MatchingApi) -> None:
    client = new_feeder()
    rows = [vehicle(fresh_id()) for _ in range(200)]

    async def body() -> AsyncIterator[bytes]:
        yield (VEHICLE + "\n" + "\n".join(rows[:100]) + "\n").encode()
        yield ("\n".join(rows[100:]) + "\n").encode()
        raise ConnectionLost

    # Not the provider's fault that the service can name: an internal error, and the provider sends it again.
    assert_problem(await upload_stream(api, "vehicle", body(), client), 500, "internal_error")
    (failed,) = await feeds_of(api, client)
    assert failed.status == "failed"
    assert (failed.rows_loaded, failed.loaded_at) == (0, None)
    assert failed.error
    assert not await partition_exists(api, failed.feed_no)
    status = (await api.get(f"{FEEDS}/{failed.id}", client)).json()
    assert (status["status"], status["rows_loaded"]) == ("failed", 0)
    # The worker never picks it up.
    await api.run_worker()
    assert (await feed(api, failed.id)).status == "failed"


async def test_the_same_feed_twice_raises_nothing_new(api: MatchingApi, broker: Broker) -> None:
    owner, dead = fresh_id(), fresh_id()
    household = await recipient_household(
        broker, [member(owner), member(dead, "李四", "spouse")], region_code=new_village(new_county())
    )
    cars = csv_feed(VEHICLE, [vehicle(owner, plate="晋A00001")])
    deaths = csv_feed("id_number,name,event_date", [f"{dead},李四,2026-11-02"])

    first_cars, second_cars = await api.load("vehicle", cars), await api.load("vehicle", cars)
    first_deaths, second_deaths = await api.load("death", deaths), await api.load("death", deaths)
    assert first_cars["feed_id"] != second_cars["feed_id"]
    assert (first_cars["status"], second_cars["status"]) == ("done", "done")
    assert (first_cars["hits_raised"], second_cars["hits_raised"]) == (1, 0)
    assert (first_deaths["deaths_raised"], second_deaths["deaths_raised"]) == (1, 0)
    assert api.ctx is not None
    async with api.db.sessions() as session:
        hits = await session.scalar(select(func.count()).where(Hit.person == api.ctx.keys.of(owner)))
    assert hits == 1
    events = [
        e for e in await api.outbox_events("death-detected") if e.subject == f"household/{household.household_id}"
    ]
    assert len(events) == 1


async def _latest_as_of(api: MatchingApi, source: str) -> dt.date:
    """The latest as_of any feed of `source` has, so the test's feeds are the newest three without pushing the date
    forward for the tests after it (as flow_support.latest_as_of)."""
    async with api.db.sessions() as session:
        newest = await session.scalar(select(func.max(Feed.as_of)).where(Feed.source == source))
    return max(newest or dt.date(2026, 11, 20), dt.date(2026, 11, 20))


async def test_a_snapshot_source_keeps_its_two_newest_feeds(api: MatchingApi) -> None:
    assert api.ctx is not None
    assert api.ctx.settings.feeds_kept_per_source == 2
    client = new_feeder()
    as_of = (await _latest_as_of(api, "vehicle")).isoformat()
    for _ in range(3):
        loaded = await api.load("vehicle", csv_feed(VEHICLE, [vehicle(fresh_id())]), principal=client, as_of=as_of)
        assert loaded["status"] == "done"
    oldest, middle, newest = await feeds_of(api, client)
    assert oldest.purged_at is not None
    assert not await partition_exists(api, oldest.feed_no)
    for kept in (middle, newest):
        assert kept.purged_at is None
        assert len(await records(api, kept.feed_no)) == 1
    # The purged feed itself stays readable, with its counts.
    status = (await api.get(f"{FEEDS}/{oldest.id}", client)).json()
    assert (status["status"], status["rows_loaded"]) == ("done", 1)


async def test_event_feeds_are_never_purged(api: MatchingApi) -> None:
    client = new_feeder()
    for _ in range(4):
        death = csv_feed("id_number,name,event_date", [f"{fresh_id()},李四,2026-11-02"])
        assert (await api.load("death", death, principal=client))["status"] == "done"
    kept = await feeds_of(api, client)
    assert len(kept) == 4
    for old in kept:
        assert old.purged_at is None
        assert await partition_exists(api, old.feed_no)
