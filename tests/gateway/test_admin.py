"""`/api/v1/admin/*`: creating and listing staff users and partner clients, by system administrators only."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.gateway.harness import RunningGateway, assert_problem, new_staff, unique_name, unique_region

USERS = "/api/v1/admin/users"
CLIENTS = "/api/v1/admin/clients"


def _user(**changes: Any) -> dict[str, Any]:
    body = {"username": unique_name("user"), "password": "A-long-enough-passphrase-7", "display_name": "王 科长",
            "roles": ["county_officer"], "region_code": "140402"}  # fmt: skip
    return {**body, **changes}


async def _count(engine: AsyncEngine, sql: str, **params: Any) -> int:
    async with engine.connect() as conn:
        return int(await conn.scalar(text(sql), params) or 0)


async def test_create_user_returns_201_without_the_password(
    gateway: RunningGateway, admin_token: str, engine: AsyncEngine
) -> None:
    body = _user(roles=["county_officer", "city_supervisor"])
    async with gateway.client(token=admin_token) as client:
        reply = await client.post(USERS, json=body)
        duplicate = await client.post(USERS, json={**body, "username": body["username"].upper()})
    assert reply.status_code == 201, reply.text
    created = reply.json()
    assert created["username"] == body["username"]
    assert created["roles"] == ["city_supervisor", "county_officer"]
    assert "password" not in reply.text
    assert body["password"] not in reply.text
    assert_problem(duplicate, 409, "username_taken")
    stored = await _count(
        engine, "SELECT count(*) FROM gateway.users WHERE username = :u AND password_hash LIKE '$argon2id$%'",
        u=body["username"],
    )  # fmt: skip
    assert stored == 1
    # The new user can sign in.
    assert await gateway.password_token(body["username"], body["password"])


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"roles": ["village_head"]}, "roles"),
        ({"roles": []}, "roles"),
        ({"region_code": "1404021"}, "region_code"),
        ({"region_code": "14ab"}, "region_code"),
        ({"region_code": ""}, "body"),  # "" (everywhere) only for system_admin
        ({"password": "short-pw"}, "password"),
        ({"username": "has space"}, "username"),
        ({"extra": "field"}, "extra"),
        # PostgreSQL cannot store NUL: refused before the table sees it (it was a 500).
        ({"display_name": "王\u0000科长"}, "display_name"),
    ],
)
async def test_invalid_user_is_422_and_creates_nothing(
    gateway: RunningGateway, admin_token: str, engine: AsyncEngine, changes: dict[str, Any], field: str
) -> None:
    body = _user(**changes)
    async with gateway.client(token=admin_token) as client:
        reply = await client.post(USERS, json=body)
    problem = assert_problem(reply, 422, "validation_failed")
    assert any(field in [str(p) for p in error["loc"]] for error in problem["errors"]), problem
    assert body["password"] not in reply.text
    assert await _count(engine, "SELECT count(*) FROM gateway.users WHERE username = :u", u=body["username"]) == 0


async def test_only_system_admins_administer(gateway: RunningGateway, admin_token: str) -> None:
    officer = await new_staff(gateway, admin_token, ["county_officer"], "140402")
    async with gateway.client(token=officer.token) as client:
        users = await client.post(USERS, json=_user())
        clients = await client.get(CLIENTS)
    async with gateway.client() as anonymous:
        no_token = await anonymous.get(USERS)
    assert_problem(users, 403, "role_required")
    assert_problem(clients, 403, "role_required")
    assert_problem(no_token, 401, "missing_token")


async def test_a_regional_admin_stays_inside_its_jurisdiction(gateway: RunningGateway, admin_token: str) -> None:
    region = unique_region(6)
    regional = await new_staff(gateway, admin_token, ["system_admin"], region)
    async with gateway.client(token=regional.token) as client:
        inside = await client.post(USERS, json=_user(region_code=region + "001"))
        outside = await client.post(USERS, json=_user(region_code="150102"))
        everywhere = await client.post(USERS, json=_user(region_code="", roles=["system_admin"]))
        partner_outside = await client.post(CLIENTS, json={"name": "x", "scopes": ["finance"], "region_code": "14"})
    assert inside.status_code == 201, inside.text
    for reply in (outside, everywhere, partner_outside):
        assert_problem(reply, 403, "outside_jurisdiction")


async def test_user_list_is_paginated_and_scoped_to_the_jurisdiction(gateway: RunningGateway, admin_token: str) -> None:
    region = unique_region(9)
    regional = await new_staff(gateway, admin_token, ["system_admin"], region)
    async with gateway.client(token=regional.token) as client:
        for _ in range(3):
            assert (await client.post(USERS, json=_user(region_code=region + "001"))).status_code == 201
        seen: list[str] = []
        cursor: str | None = None
        while True:
            params: dict[str, str | int] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
            page = (await client.get(USERS, params=params)).json()
            seen += [u["username"] for u in page["items"]]
            assert all(u["region_code"].startswith(region) for u in page["items"])
            assert all("password" not in key for u in page["items"] for key in u)
            cursor = page["next_cursor"]
            if cursor is None:
                break
        bad_cursor = await client.get(USERS, params={"cursor": "not-ours"})
        too_many = await client.get(USERS, params={"limit": 1001})
    assert len(seen) == 4 == len(set(seen))  # the regional admin and its three users, nobody else
    assert seen == sorted(seen)
    assert_problem(bad_cursor, 422, "invalid_cursor")
    assert_problem(too_many, 422, "validation_failed")


async def test_create_client_shows_the_secret_once_and_stores_only_its_hash(
    gateway: RunningGateway, admin_token: str, engine: AsyncEngine
) -> None:
    body = {"name": unique_name("hotline"), "scopes": ["hotline"], "region_code": "1404",
            "callback_url": "https://hotline.example/callback"}  # fmt: skip
    async with gateway.client(token=admin_token) as client:
        reply = await client.post(CLIENTS, json=body)
        listed = await client.get(CLIENTS, params={"limit": 1000})
        bad = [
            await client.post(CLIENTS, json={**body, "scopes": ["payroll"]}),
            await client.post(CLIENTS, json={**body, "region_code": ""}),
            await client.post(CLIENTS, json={**body, "callback_url": "ftp://x"}),
        ]
    assert reply.status_code == 201, reply.text
    created = reply.json()
    secret = created["client_secret"]
    assert created["client_id"]
    assert len(secret) >= 32
    assert created["callback_url"] == body["callback_url"]
    assert secret not in listed.text
    assert "client_secret" not in listed.text
    assert created["client_id"] in listed.text
    async with engine.connect() as conn:
        row = (await conn.execute(text("SELECT * FROM gateway.clients WHERE client_id = :c"),
                                  {"c": created["client_id"]})).mappings().one()  # fmt: skip
    assert row["secret_hash"].startswith("$argon2id$")
    assert all(secret not in str(value) for value in row.values())
    for refused in bad:
        assert_problem(refused, 422, "validation_failed")
    assert await gateway.client_token(created["client_id"], secret)
