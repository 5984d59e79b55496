"""Every error is an RFC 9457 problem with a stable code and the request's correlation id, and never echoes input."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Annotated, ClassVar

import httpx
import pytest
import structlog
from fastapi import FastAPI, Query
from pydantic import BaseModel, Field

from libs.kernel.errors import PROBLEM_JSON, Problem, install_error_handlers
from libs.kernel.web import RequestContextMiddleware

SECRET_ID = "110101199003074514"
GENERATED_ID = re.compile(r"^[0-9a-f]{32}$")


class HouseholdLocked(Problem):
    status: ClassVar[int] = 409
    code: ClassVar[str] = "household_locked"
    title: ClassVar[str] = "The household is locked for review"


class Declaration(BaseModel):
    phone: str = Field(pattern=r"^1[3-9]\d{9}$")
    members: int = Field(ge=1, le=30)


def build_app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/households/{household_id}/lock", status_code=204)
    async def lock(household_id: str) -> None:
        raise HouseholdLocked(
            f"Household {household_id} is under review", headers={"Retry-After": "60"}, locked_until="2026-12-01"
        )

    @app.post("/declarations", status_code=201)
    async def declare(body: Declaration) -> dict[str, int]:
        return {"members": body.members}

    @app.get("/regions")
    async def regions(code: Annotated[str, Query(pattern=r"^\d{2,12}$")]) -> dict[str, str]:
        return {"code": code}

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError(f"asyncpg exploded at /srv/jiuzhu/db.py line 42 for {SECRET_ID}")

    app.add_middleware(RequestContextMiddleware, service="test", log_requests=False)
    return app


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    # raise_app_exceptions=False: Starlette re-raises after sending the 500, as a real server would log and carry on.
    transport = httpx.ASGITransport(build_app(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as c:
        yield c


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    body: dict[str, object] = response.json()
    assert (body["status"], body["code"]) == (status, code)
    assert body["type"] == f"https://jiuzhu.example/problems/{code}"
    assert isinstance(body["title"], str)
    assert isinstance(body["detail"], str)
    assert body["title"]
    assert body["detail"]
    return body


async def test_a_problem_becomes_its_status_and_code_with_the_request_id(client: httpx.AsyncClient) -> None:
    response = await client.post("/households/hh-9/lock", headers={"X-Request-ID": "gw-5f1c:42"})

    body = assert_problem(response, 409, "household_locked")
    assert body["title"] == "The household is locked for review"
    assert body["detail"] == "Household hh-9 is under review"
    assert body["locked_until"] == "2026-12-01"
    assert response.headers["Retry-After"] == "60"
    assert response.headers["X-Request-ID"] == "gw-5f1c:42"
    assert body["correlation_id"] == "gw-5f1c:42"


@pytest.mark.parametrize(
    ("body", "bad_fields"),
    [
        ({"phone": f"id {SECRET_ID}", "members": "SECRET-members-value"}, {("body", "phone"), ("body", "members")}),
        ({"phone": "13812345678", "members": 99}, {("body", "members")}),
        ({"members": 2}, {("body", "phone")}),
        ([SECRET_ID], {("body",)}),
    ],
    ids=["wrong-types", "out-of-range", "missing-field", "wrong-shape"],
)
async def test_a_validation_error_lists_what_is_wrong_without_echoing_the_input(
    client: httpx.AsyncClient, body: object, bad_fields: set[tuple[str, ...]]
) -> None:
    response = await client.post("/declarations", json=body, headers={"X-Request-ID": "req-422"})

    problem = assert_problem(response, 422, "validation_failed")
    assert problem["correlation_id"] == "req-422"
    errors = problem["errors"]
    assert isinstance(errors, list)
    assert {tuple(e["loc"]) for e in errors} == bad_fields
    for error in errors:
        assert isinstance(error["msg"], str)
        assert error["msg"]
        assert not {"input", "ctx", "url"} & set(error)
    assert SECRET_ID not in response.text
    assert "SECRET-members-value" not in response.text
    assert "99" not in response.text


async def test_a_malformed_json_body_is_a_422_that_echoes_nothing(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/declarations", content=f'{{"phone": "{SECRET_ID}", '.encode(), headers={"content-type": "application/json"}
    )

    problem = assert_problem(response, 422, "validation_failed")
    assert problem["errors"]
    assert SECRET_ID not in response.text


async def test_a_bad_query_parameter_is_a_422_that_echoes_nothing(client: httpx.AsyncClient) -> None:
    response = await client.get("/regions", params={"code": f"x{SECRET_ID}"})

    problem = assert_problem(response, 422, "validation_failed")
    assert problem["errors"] == [
        {
            "loc": ["query", "code"],
            "msg": problem["errors"][0]["msg"],  # type: ignore[index]
            "type": "string_pattern_mismatch",
        }
    ]
    assert SECRET_ID not in response.text


async def test_an_unknown_route_is_a_404_problem(client: httpx.AsyncClient) -> None:
    response = await client.get("/no/such/route", headers={"X-Request-ID": "req-404"})

    body = assert_problem(response, 404, "not_found")
    assert body["correlation_id"] == response.headers["X-Request-ID"] == "req-404"


async def test_a_wrong_method_is_a_405_problem_with_allow(client: httpx.AsyncClient) -> None:
    response = await client.delete("/declarations")

    assert_problem(response, 405, "method_not_allowed")
    assert response.headers["Allow"] == "POST"


async def test_an_unexpected_exception_is_a_500_problem_without_internals(client: httpx.AsyncClient) -> None:
    response = await client.get("/boom", headers={"X-Request-ID": "req-500"})

    body = assert_problem(response, 500, "internal_error")
    assert body["correlation_id"] == "req-500"
    for internal in ("RuntimeError", "asyncpg", "/srv/jiuzhu", "line 42", SECRET_ID, "Traceback"):
        assert internal not in response.text


async def test_a_500_carries_the_request_id_in_its_header_and_its_log_line(client: httpx.AsyncClient) -> None:
    # The operator holding only the response header must be able to find the logged traceback.
    with structlog.testing.capture_logs(processors=[structlog.contextvars.merge_contextvars]) as logs:
        response = await client.get("/boom", headers={"X-Request-ID": "req-500-log"})

    assert response.status_code == 500
    [failure] = [entry for entry in logs if entry["event"] == "request.failed"]
    assert (response.headers.get("X-Request-ID"), failure.get("request_id")) == ("req-500-log", "req-500-log")


async def test_a_request_id_is_generated_when_none_is_sent(client: httpx.AsyncClient) -> None:
    first = await client.get("/no/such/route")
    second = await client.get("/no/such/route")

    assert GENERATED_ID.match(first.headers["X-Request-ID"])
    assert first.json()["correlation_id"] == first.headers["X-Request-ID"]
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]


@pytest.mark.parametrize(
    "sent",
    [
        "abc\r\nSet-Cookie: session=stolen",
        "abc\nlevel=critical",
        "a" * 129,
        "req id with spaces",
        '{"json": 1}',
        "",
    ],
    ids=["crlf-injection", "newline", "too-long", "spaces", "json", "empty"],
)
async def test_an_unsafe_request_id_is_replaced(client: httpx.AsyncClient, sent: str) -> None:
    response = await client.get("/no/such/route", headers={"X-Request-ID": sent})

    echoed = response.headers.get_list("X-Request-ID")
    assert len(echoed) == 1
    assert GENERATED_ID.match(echoed[0])
    assert response.json()["correlation_id"] == echoed[0]
    assert "Set-Cookie" not in response.headers


async def test_a_sane_request_id_of_the_maximum_length_is_kept(client: httpx.AsyncClient) -> None:
    sent = "r" * 120 + "-_.:1234"
    response = await client.get("/no/such/route", headers={"X-Request-ID": sent})

    assert response.headers["X-Request-ID"] == sent
