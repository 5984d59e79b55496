"""NUL (U+0000) in a path, a query or a JSON body is a 422 problem naming where it was, before the endpoint runs
(PostgreSQL cannot take it: it was a 500); everything else reaches the endpoint untouched, the body included."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request

from libs.kernel.errors import PROBLEM_JSON, install_error_handlers
from libs.kernel.input_guard import InputGuardMiddleware, body_limit
from libs.kernel.web import RequestContextMiddleware


def build_app(seen: list[Any]) -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/rosters/{roster_id}")
    async def roster(roster_id: str, status: str | None = None) -> dict[str, str | None]:
        seen.append(roster_id)
        return {"roster_id": roster_id, "status": status}

    @app.post("/items")
    async def items(request: Request) -> dict[str, Any]:
        body = await request.body()
        seen.append(body)
        return {"length": len(body)}

    app.add_middleware(InputGuardMiddleware)
    app.add_middleware(RequestContextMiddleware, service="test", log_requests=False)
    return app


@pytest.fixture
def seen() -> list[Any]:
    return []


@pytest.fixture
async def client(seen: list[Any]) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(build_app(seen))
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as c:
        yield c


def assert_refused(reply: httpx.Response, loc: list[Any]) -> None:
    assert reply.status_code == 422, reply.text
    assert reply.headers["content-type"] == PROBLEM_JSON
    problem = reply.json()
    assert problem["code"] == "validation_failed"
    assert problem["errors"] == [
        {"loc": loc, "msg": "must not contain the NUL character (U+0000)", "type": "nul_character"}
    ]
    assert problem["correlation_id"] == reply.headers["x-request-id"]


async def test_nul_in_the_path_or_the_query_is_refused(client: httpx.AsyncClient, seen: list[Any]) -> None:
    assert_refused(await client.get("/rosters/a%00b"), ["path"])
    assert_refused(await client.get("/rosters/r1", params={"status": "paid\x00"}), ["query", "status"])
    assert seen == []
    fine = await client.get("/rosters/r1", params={"status": "paid", "note": "100%"})
    assert fine.json() == {"roster_id": "r1", "status": "paid"}


async def test_nul_anywhere_in_a_json_body_is_refused_with_where(client: httpx.AsyncClient, seen: list[Any]) -> None:
    body = {"results": [{"line_id": "l1"}, {"line_id": "l2", "note": "a\x00b"}]}
    assert_refused(await client.post("/items", json=body), ["body", "results", 1, "note"])
    assert_refused(await client.post("/items", json={"raw": {"k\x00": 1}}), ["body", "raw"])
    # The problem never repeats the value (it may be personal data).
    reply = await client.post("/items", json={"name": "王五\x00140402198001011234"})
    assert_refused(reply, ["body", "name"])
    assert "140402198001011234" not in reply.text
    assert seen == []


async def test_other_bodies_reach_the_endpoint_whole(client: httpx.AsyncClient, seen: list[Any]) -> None:
    # A literal backslash-u-0000 is six ordinary characters, not NUL.
    literal = json.dumps({"note": "\\u0000"}).encode()
    big = json.dumps({"rows": ["行" * 100] * 2000}).encode()
    csv = b"id_number,name\n1,a\x00b\n"  # not JSON: a feed's rows are checked where they are read
    for content, media in ((literal, "application/json"), (big, "application/json"), (csv, "text/csv")):
        reply = await client.post("/items", content=content, headers={"content-type": media})
        assert reply.json() == {"length": len(content)}, media
    assert seen == [literal, big, csv]


def limited_app(seen: list[Any], limit: int) -> FastAPI:
    app = build_app(seen)
    app.user_middleware.clear()
    app.add_middleware(InputGuardMiddleware, limit=body_limit(("/stream",), limit))
    app.add_middleware(RequestContextMiddleware, service="test", log_requests=False)

    @app.post("/stream")
    async def stream(request: Request) -> dict[str, int]:
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
        return {"length": size}

    return app


async def test_a_body_over_the_limit_is_refused_unread_whatever_its_framing(seen: list[Any]) -> None:
    transport = httpx.ASGITransport(limited_app(seen, 1024))
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        declared = await client.post("/items", content=b"x" * 1025, headers={"content-type": "text/plain"})
        assert declared.status_code == 413, declared.text
        assert declared.json()["code"] == "payload_too_large"

        async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: counted as it arrives
            for _ in range(100):
                yield b"[" * 100

        chunked = await client.post("/items", content=chunks(), headers={"content-type": "application/json"})
        assert chunked.status_code == 413, chunked.text
        assert seen == []

        at_limit = await client.post("/items", content=b"x" * 1024, headers={"content-type": "text/plain"})
        assert at_limit.json() == {"length": 1024}
        streamed = await client.post("/stream", content=b"x" * 100_000)
        assert streamed.json() == {"length": 100_000}  # a streamed route has no limit


@pytest.mark.parametrize("depth", [33, 100_000])
async def test_json_nested_too_deep_is_a_422_not_a_recursion_error(
    client: httpx.AsyncClient, seen: list[Any], depth: int
) -> None:
    body = b"[" * depth + b"]" * depth
    reply = await client.post("/items", content=body, headers={"content-type": "application/json"})
    assert reply.status_code == 422, reply.text
    assert reply.json()["code"] == "too_deep"
    assert seen == []
    # Brackets inside strings are text, not nesting.
    fine = await client.post("/items", json={"note": "[" * 1000, "list": [[[1]]]})
    assert fine.status_code == 200


async def test_nul_in_a_form_field_is_refused(client: httpx.AsyncClient, seen: list[Any]) -> None:
    reply = await client.post("/items", data={"username": "admin\x00", "password": "x"})
    assert_refused(reply, ["body", "username"])
    assert seen == []
