"""A feed that cannot be loaded fails at once, with why, and keeps none of its rows (issue 17, findings 13–15): a
provider that goes away mid-body, a body that cannot be cut into rows, a feed that is mostly garbage (stopped early,
its first rejects kept), an upload whose body never comes; and impossible dates are rejected rows, never a hold."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, MutableMapping
from typing import Any

from libs.kernel.auth import Principal
from services.matching.config import MatchingSettings
from services.matching.feeds.sweep import sweep_broken_uploads
from tests.matching.feed_support import (
    FEEDS,
    VEHICLE,
    all_rejects,
    assert_problem,
    feed,
    feeds_of,
    new_feeder,
    partition_exists,
    vehicle,
)
from tests.matching.flow_support import DEATH, TODAY, death_row, deaths_reported, died, new_household_id, paid_household
from tests.matching.support import Broker, MatchingApi, csv_feed, fresh_id, member, new_village


async def send_then_disconnect(
    api: MatchingApi, client: Principal, parts: list[bytes], *, key: str | None = None
) -> list[MutableMapping[str, Any]]:
    """An upload whose provider goes away after `parts`: the server tells the app `http.disconnect`, as uvicorn does
    when the connection drops mid-body."""
    assert api.app is not None
    headers = {**api.as_(client), "content-type": "text/csv", **({"idempotency-key": key} if key else {})}
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": FEEDS,
        "raw_path": FEEDS.encode(),
        "root_path": "",
        "query_string": b"source=vehicle&as_of=2026-11-20",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("matching", 80),
    }
    messages: list[dict[str, Any]] = [{"type": "http.request", "body": p, "more_body": True} for p in parts]
    messages.append({"type": "http.disconnect"})
    sent: list[MutableMapping[str, Any]] = []

    async def receive() -> dict[str, Any]:
        if messages:
            return messages.pop(0)
        await asyncio.Event().wait()  # nothing more ever comes
        raise AssertionError

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    await api.app(scope, receive, send)
    return sent


def rows_of(n: int) -> bytes:
    return ("".join(vehicle(fresh_id()) + "\n" for _ in range(n))).encode()


async def test_a_provider_that_goes_away_mid_body_fails_the_feed_at_once(api: MatchingApi) -> None:
    client = new_feeder()
    sent = await send_then_disconnect(api, client, [(VEHICLE + "\n").encode() + rows_of(100), rows_of(100)], key="k")
    assert sent[0]["status"] == 400
    (failed,) = await feeds_of(api, client)
    # At once: no sweep, no waiting for a stall to be noticed.
    assert (failed.status, failed.failure, failed.rows_loaded, failed.loaded_at) == (
        "failed",
        "client_disconnected",
        0,
        None,
    )
    assert not await partition_exists(api, failed.feed_no)
    status = (await api.get(f"{FEEDS}/{failed.id}", client)).json()
    assert (status["status"], status["failure"]) == ("failed", "client_disconnected")
    # Its key is free again: the provider sends the feed anew under it.
    retry = await api.http.post(
        FEEDS,
        params={"source": "vehicle", "as_of": "2026-11-20"},
        content=(VEHICLE + "\n").encode() + rows_of(3),
        headers={**api.as_(client), "content-type": "text/csv", "Idempotency-Key": "k"},
    )
    assert retry.status_code == 202, retry.text
    assert retry.json()["feed_id"] != failed.id
    assert retry.json()["rows_loaded"] == 3


async def test_a_mostly_garbage_feed_stops_early_and_keeps_its_first_rejects(api: MatchingApi) -> None:
    defaults = MatchingSettings.model_fields
    assert (defaults["feed_reject_floor"].default, defaults["feed_reject_ratio"].default) == (10_000, 0.5)
    api.use_settings(feed_reject_floor=50, feed_reject_ratio=0.5)
    client = new_feeder()
    garbage = b"".join(f"not-a-number-{i},x,y,z,w,v\n".encode() for i in range(20_000))
    sent_blocks = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal sent_blocks
        yield (VEHICLE + "\n").encode() + rows_of(10)
        for start in range(0, len(garbage), 4096):
            sent_blocks += 1
            yield garbage[start : start + 4096]

    reply = await api.http.post(
        FEEDS,
        params={"source": "vehicle", "as_of": "2026-11-20"},
        content=body(),
        headers={**api.as_(client), "content-type": "text/csv"},
    )
    problem = assert_problem(reply, 422, "too_many_rejects")
    (failed,) = await feeds_of(api, client)
    assert problem["feed_id"] == failed.id
    assert reply.headers["location"] == f"{FEEDS}/{failed.id}"
    assert (failed.status, failed.failure, failed.rows_loaded) == ("failed", "too_many_rejects", 0)
    assert failed.error
    assert "rejected" in failed.error
    assert not await partition_exists(api, failed.feed_no)
    # Stopped long before the end of the body, with the first rejects listed for the provider.
    assert failed.rows_total < 2_000
    rejects = await all_rejects(api, failed.id, client, limit=500)
    assert rejects[0] == (11, "invalid_id_number")
    assert len(rejects) == failed.rows_rejected > 50


async def test_a_line_longer_than_any_row_fails_the_feed(api: MatchingApi) -> None:
    api.use_settings(feed_max_line_bytes=64 * 1024)
    client = new_feeder()

    async def body() -> AsyncIterator[bytes]:
        yield (VEHICLE + "\n").encode() + rows_of(100)
        for _ in range(40):
            yield b"x" * 4096  # no line end, ever

    reply = await api.http.post(
        FEEDS,
        params={"source": "vehicle", "as_of": "2026-11-20"},
        content=body(),
        headers={**api.as_(client), "content-type": "text/csv"},
    )
    assert_problem(reply, 422, "unframed_body")
    (failed,) = await feeds_of(api, client)
    assert (failed.status, failed.failure, failed.rows_loaded) == ("failed", "unframed_body", 0)
    assert not await partition_exists(api, failed.feed_no)


async def test_an_upload_whose_body_never_comes_expires(api: MatchingApi) -> None:
    assert api.ctx is not None
    client = new_feeder()
    reply = await api.http.post(f"{FEEDS}/uploads", params={"source": "vehicle"}, headers=api.as_(client))
    feed_id = reply.json()["feed_id"]
    await sweep_broken_uploads(api.ctx)
    assert (await feed(api, feed_id)).status == "received"
    api.clock.at = api.clock() + dt.timedelta(minutes=api.ctx.settings.feed_upload_expiry_minutes + 1)
    assert await sweep_broken_uploads(api.ctx) >= 1
    expired = await feed(api, feed_id)
    assert (expired.status, expired.failure) == ("failed", "upload_expired")
    late = await api.http.put(
        reply.json()["upload_url"],
        content=(VEHICLE + "\n").encode() + rows_of(1),
        headers={**api.as_(client), "content-type": "text/csv"},
    )
    assert_problem(late, 409, "upload_failed")


async def test_impossible_death_dates_are_rejected_rows_and_hold_no_one(api: MatchingApi, broker: Broker) -> None:
    api.clock.set_day(TODAY)
    people = [fresh_id(dt.date(1940, 1, 1)) for _ in range(4)]
    await paid_household(broker, new_household_id(), new_village(), [member(p) for p in people])
    days = ["0001-01-01", "9999-12-31", "1899-12-31", (TODAY + dt.timedelta(days=2)).isoformat()]
    loaded = await api.load("death", csv_feed(DEATH, [died(p, on=d) for p, d in zip(people, days, strict=True)]))
    assert loaded["status"] == "done"
    assert (loaded["rows_loaded"], loaded["rows_rejected"], loaded["deaths_raised"]) == (0, 4, 0)
    assert [r["reason"] for r in loaded["rejects"]] == [
        "invalid_event_date",
        "invalid_event_date",
        "invalid_event_date",
        "future_event_date",
    ]
    for person in people:
        assert await deaths_reported(api, person) == []
        assert await death_row(api, person) is None
