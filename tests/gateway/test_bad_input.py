"""Bad input to the gateway is a 4xx problem and changes nothing (issue 17, finding 8: NUL in the token form's
username or client_id, and JSON nested 100,000 deep, were 500s)."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.gateway.harness import RunningGateway, assert_problem

TOKEN = "/api/v1/auth/token"


@pytest.mark.parametrize(
    "form",
    [
        {"grant_type": "password", "username": "admin\x00", "password": "x"},
        {"grant_type": "client_credentials", "client_id": "jzc\x00", "client_secret": "y"},
        {"grant_type": "password\x00", "username": "admin", "password": "x"},
    ],
    ids=["username", "client_id", "grant_type"],
)
async def test_nul_in_the_token_form_is_a_422(
    gateway: RunningGateway, engine: AsyncEngine, form: dict[str, str]
) -> None:
    async with engine.connect() as conn:
        before = await conn.scalar(text("SELECT count(*) FROM gateway.login_failures"))
    async with gateway.client() as client:
        reply = await client.post(TOKEN, data=form)
    problem = assert_problem(reply, 422, "validation_failed")
    assert problem["errors"][0]["type"] == "nul_character"
    async with engine.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM gateway.login_failures")) == before


@pytest.mark.parametrize("path", ["/api/v1/admin/users", "/api/v1/intake/applications", "/api/v1/hotline/work-orders"])
async def test_json_nested_100000_deep_is_a_422_before_authentication(
    gateway: RunningGateway, admin_token: str, path: str
) -> None:
    body = b'{"a":' * 100_000 + b"1" + b"}" * 100_000
    async with gateway.client(token=admin_token) as client:
        reply = await client.post(path, content=body, headers={"Content-Type": "application/json"})
    assert_problem(reply, 422, "too_deep")


async def test_an_overlong_username_or_password_is_refused_without_hashing(gateway: RunningGateway) -> None:
    async with gateway.client() as client:
        reply = await client.post(TOKEN, data={"grant_type": "password", "username": "u" * 200, "password": "p" * 9000})
    assert_problem(reply, 401, "invalid_grant")
