"""Uploads a provider can retry and follow (CONTRACTS.md §5, 2026-12; issue 17, finding 14): an Idempotency-Key
makes a retried POST answer with the feed it repeats and store nothing twice, another body under a used key is a
conflict, the feed's address is in `Location`; and the two-step upload (`POST /feeds/uploads`, then `PUT` the body)
names the feed before its body streams, so its load can be followed by the id."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from libs.kernel.auth import Principal
from tests.matching.feed_support import (
    FEEDS,
    VEHICLE,
    assert_problem,
    feeds_of,
    footprint,
    new_feeder,
    records,
    vehicle,
)
from tests.matching.support import MatchingApi, csv_feed, fresh_id

UPLOADS = f"{FEEDS}/uploads"


async def post(
    api: MatchingApi,
    body: str | bytes | AsyncIterator[bytes],
    client: Principal,
    *,
    key: str | None = None,
    source: str = "vehicle",
    as_of: str = "2026-11-20",
) -> httpx.Response:
    headers = {**api.as_(client), "content-type": "text/csv", **({"Idempotency-Key": key} if key else {})}
    content = body.encode() if isinstance(body, str) else body
    return await api.http.post(FEEDS, params={"source": source, "as_of": as_of}, content=content, headers=headers)


async def put(api: MatchingApi, url: str, body: str | AsyncIterator[bytes], client: Principal) -> httpx.Response:
    content = body.encode() if isinstance(body, str) else body
    return await api.http.put(url, content=content, headers={**api.as_(client), "content-type": "text/csv"})


async def create_upload(
    api: MatchingApi, client: Principal, *, key: str | None = None, source: str = "vehicle"
) -> dict[str, Any]:
    headers = {**api.as_(client), **({"Idempotency-Key": key} if key else {})}
    reply = await api.http.post(UPLOADS, params={"source": source, "as_of": "2026-11-20"}, headers=headers)
    assert reply.status_code == 201, reply.text
    created: dict[str, Any] = reply.json()
    assert reply.headers["location"] == f"{FEEDS}/{created['feed_id']}"
    return created


def cars(n: int) -> str:
    return csv_feed(VEHICLE, [vehicle(fresh_id()) for _ in range(n)])


async def test_the_same_key_and_body_again_answer_with_the_same_feed(api: MatchingApi) -> None:
    client = new_feeder()
    body = cars(3)
    first = await post(api, body, client, key="extract-2026-11-20")
    assert first.status_code == 202, first.text
    feed_id = first.json()["feed_id"]
    assert first.headers["location"] == f"{FEEDS}/{feed_id}"

    again = await post(api, body, client, key="extract-2026-11-20")
    assert again.status_code == 202, again.text
    assert again.json()["feed_id"] == feed_id
    assert again.headers["location"] == f"{FEEDS}/{feed_id}"
    [stored] = await feeds_of(api, client)
    assert len(await records(api, stored.feed_no)) == 3

    # Once matched too: the answer is the feed as it is now.
    await api.run_worker()
    late = await post(api, body, client, key="extract-2026-11-20")
    assert (late.json()["feed_id"], late.json()["status"]) == (feed_id, "done")
    assert len(await feeds_of(api, client)) == 1
    # Keys are the client's own: another provider's same key is another feed.
    other = await post(api, body, new_feeder(), key="extract-2026-11-20")
    assert other.status_code == 202
    assert other.json()["feed_id"] != feed_id


async def test_another_body_or_source_under_a_used_key_is_a_conflict_that_stores_nothing(api: MatchingApi) -> None:
    client = new_feeder()
    first = await post(api, cars(2), client, key="k-1")
    feed_id = first.json()["feed_id"]
    before = await footprint(api)
    changed = assert_problem(await post(api, cars(2), client, key="k-1"), 409, "idempotency_key_reused")
    assert changed["feed_id"] == feed_id
    death = csv_feed("id_number,name,event_date", [f"{fresh_id()},李四,2026-11-02"])
    assert_problem(await post(api, death, client, key="k-1", source="death"), 409, "idempotency_key_reused")
    assert await footprint(api) == before
    assert [f.id for f in await feeds_of(api, client)] == [feed_id]


async def test_a_key_whose_feed_is_still_loading_names_that_feed(api: MatchingApi) -> None:
    client = new_feeder()
    more = asyncio.Event()
    waiting = asyncio.Event()
    rows = [vehicle(fresh_id()) for _ in range(200)]

    async def body() -> AsyncIterator[bytes]:
        yield (VEHICLE + "\n" + "\n".join(rows[:100]) + "\n").encode()
        waiting.set()
        await more.wait()
        yield ("\n".join(rows[100:]) + "\n").encode()

    first = asyncio.create_task(post(api, body(), client, key="slow"))
    await waiting.wait()
    (loading,) = await feeds_of(api, client)
    busy = assert_problem(await post(api, cars(1), client, key="slow"), 409, "feed_in_progress")
    assert busy["feed_id"] == loading.id
    more.set()
    done = await first
    assert (done.status_code, done.json()["rows_loaded"]) == (202, 200)
    assert len(await feeds_of(api, client)) == 1


@pytest.mark.parametrize("key", [b"two words", b"x" * 256, "ключ".encode(), b"", b"tab\tkey"])
async def test_a_malformed_key_is_refused(api: MatchingApi, key: bytes) -> None:
    before = await footprint(api)
    headers = {k.encode(): v.encode() for k, v in {**api.as_(new_feeder()), "content-type": "text/csv"}.items()}
    headers[b"idempotency-key"] = key
    reply = await api.http.post(FEEDS, params={"source": "vehicle"}, content=cars(1).encode("utf-8"), headers=headers)
    assert_problem(reply, 422, "invalid_idempotency_key")
    assert await footprint(api) == before


@pytest.mark.parametrize("as_of", ["9999-12-31", "0001-01-01", "1899-12-31", "2099-01-01"])
async def test_an_impossible_as_of_is_refused(api: MatchingApi, as_of: str) -> None:
    before = await footprint(api)
    body = assert_problem(await post(api, cars(1), new_feeder(), as_of=as_of), 422, "validation_failed")
    assert body["errors"][0]["loc"] == ["query", "as_of"]
    reply = await api.http.post(UPLOADS, params={"source": "vehicle", "as_of": as_of}, headers=api.as_(new_feeder()))
    assert_problem(reply, 422, "validation_failed")
    assert await footprint(api) == before


async def test_an_upload_is_named_first_and_followed_while_its_body_streams(api: MatchingApi) -> None:
    client = new_feeder()
    created = await create_upload(api, client)
    feed_id = created["feed_id"]
    assert created["upload_url"] == f"{UPLOADS}/{feed_id}"
    assert (created["status"], created["source"], created["as_of"]) == ("received", "vehicle", "2026-11-20")
    waiting = (await api.get(f"{FEEDS}/{feed_id}", client)).json()
    assert (waiting["status"], waiting["rows_total"], waiting["loaded_at"]) == ("received", 0, None)
    # Not the provider's: as good as absent.
    assert_problem(await api.get(f"{FEEDS}/{feed_id}", new_feeder()), 404, "not_found")
    assert_problem(await put(api, created["upload_url"], cars(1), new_feeder()), 404, "not_found")
    assert_problem(await put(api, f"{UPLOADS}/no-such-upload", cars(1), client), 404, "not_found")

    rows = [vehicle(fresh_id()) for _ in range(300)]
    body = VEHICLE + "\n" + "".join(f"{r}\n" for r in rows)
    more, asked = asyncio.Event(), asyncio.Event()

    async def streamed() -> AsyncIterator[bytes]:
        yield body[: len(body) * 2 // 3].encode()
        asked.set()
        await more.wait()
        yield body[len(body) * 2 // 3 :].encode()

    loading = asyncio.create_task(put(api, created["upload_url"], streamed(), client))
    await asked.wait()
    during = (await api.get(f"{FEEDS}/{feed_id}", client)).json()
    assert during["status"] == "received"
    assert 0 < during["rows_total"] < 300
    assert during["loaded_at"] is None
    assert_problem(await put(api, created["upload_url"], body, client), 409, "upload_in_progress")
    more.set()
    loaded = await loading
    assert loaded.status_code == 202, loaded.text
    assert loaded.headers["location"] == f"{FEEDS}/{feed_id}"
    assert (loaded.json()["feed_id"], loaded.json()["rows_loaded"]) == (feed_id, 300)

    # The same body again is answered as the first; any other is a conflict. Nothing is stored twice.
    repeated = await put(api, created["upload_url"], body, client)
    assert (repeated.status_code, repeated.json()["rows_loaded"]) == (202, 300)
    before = await footprint(api)
    assert_problem(await put(api, created["upload_url"], cars(2), client), 409, "upload_already_loaded")
    assert await footprint(api) == before
    [stored] = await feeds_of(api, client)
    assert len(await records(api, stored.feed_no)) == 300
    await api.run_worker()
    assert (await api.get(f"{FEEDS}/{feed_id}", client)).json()["status"] == "done"


async def test_an_upload_refuses_a_body_on_creation_and_a_bad_header_on_put(api: MatchingApi) -> None:
    client = new_feeder()
    before = await footprint(api)
    reply = await api.http.post(
        UPLOADS, params={"source": "vehicle"}, content=cars(1).encode(), headers=api.as_(client)
    )
    assert_problem(reply, 422, "unexpected_body")
    assert await footprint(api) == before
    created = await create_upload(api, client)
    assert_problem(await put(api, created["upload_url"], "id_number,plate\n1,2\n", client), 422, "missing_columns")
    # Refused before anything was stored: the upload still waits for its body.
    good = await put(api, created["upload_url"], cars(2), client)
    assert (good.status_code, good.json()["rows_loaded"]) == (202, 2)


async def test_an_upload_created_twice_under_one_key_is_one_upload(api: MatchingApi) -> None:
    client = new_feeder()
    first = await create_upload(api, client, key="upload-1")
    again = await create_upload(api, client, key="upload-1")
    assert again["feed_id"] == first["feed_id"]
    assert len(await feeds_of(api, client)) == 1
    reply = await api.http.post(
        UPLOADS, params={"source": "death"}, headers={**api.as_(client), "Idempotency-Key": "upload-1"}
    )
    assert_problem(reply, 409, "idempotency_key_reused")
