"""Helpers for the registry feed tests (CONTRACTS.md §5): direct reads of feeds, their partitions and rejects, problem
replies, and rows of the sources the tests feed."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import AsyncIterator
from typing import Any

import httpx
from sqlalchemy import func, select, text

from libs.contracts.clock import china_today
from libs.kernel.auth import Principal
from libs.kernel.errors import PROBLEM_JSON
from libs.kernel.pii import PiiVault
from services.matching.feeds.models import Feed, FeedReject, partition_name
from services.matching.feeds.parsing import BodyFormat, parse_block
from services.matching.feeds.validation import check_block, copy_columns
from services.matching.persons import PersonKeys
from services.matching.sources import SOURCES
from tests.matching.support import MatchingApi, feeder, fresh_id

VEHICLE = "id_number,name,plate,vehicle_type,registered_at,deregistered"
FEEDS = "/api/v1/matching/feeds"


def new_feeder() -> Principal:
    """A registry client of its own, so a test finds its feeds by client and no other test's."""
    return feeder()


def vehicle(
    id_number: str,
    name: str = "张三丰",
    plate: str = "晋D12345",
    vehicle_type: str = "car",
    registered_at: str = "2020-01-01",
    deregistered: str = "false",
) -> str:
    return f"{id_number},{name},{plate},{vehicle_type},{registered_at},{deregistered}"


def id_ending_in_x(born: dt.date = dt.date(1970, 5, 6)) -> str:
    """A fresh number whose check character is X (one in eleven are)."""
    while not (number := fresh_id(born)).endswith("X"):
        pass
    return number


def legacy_of(canonical: str) -> str:
    """The first-generation 15-digit number of someone born in the 1900s (GB 11643-1989: no century, no check)."""
    assert canonical[6:8] == "19"
    return canonical[:6] + canonical[8:17]


def assert_problem(reply: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert reply.status_code == status, reply.text
    assert reply.headers["content-type"].startswith(PROBLEM_JSON)
    body: dict[str, Any] = reply.json()
    assert body["code"] == code, body
    return body


async def feed(api: MatchingApi, feed_id: str) -> Feed:
    async with api.db.sessions() as session:
        row = await session.get(Feed, feed_id)
        assert row is not None
        return row


async def feeds_of(api: MatchingApi, client: Principal) -> list[Feed]:
    async with api.db.sessions() as session:
        query = select(Feed).where(Feed.client_id == client.subject).order_by(Feed.feed_no)
        return list((await session.scalars(query)).all())


async def footprint(api: MatchingApi) -> tuple[int, int, int]:
    """(feeds, rejects, record partitions) in the whole database: what a refused upload must leave unchanged."""
    async with api.db.sessions() as session:
        feeds = await session.scalar(select(func.count()).select_from(Feed))
        rejects = await session.scalar(select(func.count()).select_from(FeedReject))
        partitions = await session.scalar(
            text(
                "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'matching' AND c.relname ~ '^records_f[0-9]+$'"
            )
        )
    return int(feeds or 0), int(rejects or 0), int(partitions or 0)


async def partition_exists(api: MatchingApi, feed_no: int) -> bool:
    async with api.db.sessions() as session:
        found = await session.scalar(
            text("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'matching' AND table_name = :t"),
            {"t": partition_name(feed_no)},
        )
    return bool(found)


async def records(api: MatchingApi, feed_no: int) -> list[dict[str, Any]]:
    """Every record of a feed's partition, by row number, with every column."""
    async with api.db.sessions() as session:
        # The table name is built from an integer.
        table = partition_name(int(feed_no))
        rows = await session.execute(text(f"SELECT * FROM matching.{table} ORDER BY row_no"))  # noqa: S608
        return [dict(r._mapping) for r in rows]


async def all_rejects(api: MatchingApi, feed_id: str, client: Principal, limit: int) -> list[tuple[int, str]]:
    """Every reject of a feed, paged through `/feeds/{id}/rejects` `limit` at a time."""
    out: list[tuple[int, str]] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": limit, **({"cursor": cursor} if cursor else {})}
        reply = await api.get(f"{FEEDS}/{feed_id}/rejects", client, params=params)
        assert reply.status_code == 200, reply.text
        page = reply.json()
        assert len(page["items"]) <= limit
        out += [(item["row"], item["reason"]) for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            return out


def check_lines(source: str, header: list[str], lines: list[str]) -> tuple[list[dict[str, str]], list[tuple[int, str]]]:
    """CSV lines of `source` parsed and checked as one block: the rows as COPY would store them, and the rejects."""
    spec = SOURCES[source]
    wanted = ["id_number", "name", *spec.columns]
    parsed = parse_block("".join(f"{line}\n" for line in lines).encode(), BodyFormat.CSV, header, wanted, 1)
    checked = check_block(parsed, spec, PersonKeys(PiiVault("unit-test-secret")), china_today())
    rows = list(csv.DictReader(io.StringIO(checked.copy_data.decode()), fieldnames=copy_columns(spec)))
    assert checked.loaded == len(rows)
    return rows, checked.rejects


async def chunks(*parts: bytes) -> AsyncIterator[bytes]:
    for part in parts:
        yield part


async def upload_stream(
    api: MatchingApi,
    source: str,
    body: AsyncIterator[bytes],
    client: Principal,
    *,
    content_type: str = "text/csv",
    as_of: str = "2026-11-20",
) -> httpx.Response:
    """An upload whose body is streamed from `body` (chunked), as a provider's large extract is."""
    headers = {**api.as_(client), "content-type": content_type}
    return await api.http.post(FEEDS, params={"source": source, "as_of": as_of}, content=body, headers=headers)
