"""Region names reach every service (gateway.regions.delivery → libs.kernel.region_names): a name given at the gateway
is in the service's own table moments later, a new name replaces it there, a service that was not reachable catches
up, and the service takes names from the gateway acting for the whole country only."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.regions.delivery import DELIVERER
from libs.devstack.stack import DevStack
from libs.kernel.auth import INTERNAL_HEADER, InternalTokens, Principal, PrincipalKind
from tests.gateway.harness import (
    ADMIN_PASSWORD,
    INTERNAL_SECRET,
    ServiceProcess,
    assert_problem,
    gateway_settings,
    running_gateway,
    unique_region,
)
from tests.support.waiting import wait_until

NAMES = "/internal/v1/region-names"


async def _intake_name(engine: AsyncEngine, code: str) -> tuple[str, int] | None:
    async with engine.connect() as conn:
        row = (
            await conn.execute(text("SELECT name, revision FROM intake.region_names WHERE code = :c"), {"c": code})
        ).first()
    return None if row is None else (str(row[0]), int(row[1]))


async def _until_named(engine: AsyncEngine, code: str, name: str) -> tuple[str, int]:
    held = await wait_until(
        lambda: _intake_name(engine, code), lambda h: h is not None and h[0] == name, timeout=15, every=0.1
    )
    assert held is not None
    return held


async def _cursors(engine: AsyncEngine) -> dict[str, int]:
    async with engine.connect() as conn:
        rows = await conn.execute(text("SELECT service, delivered_revision FROM gateway.region_name_cursors"))
        return {str(r[0]): int(r[1]) for r in rows}


async def test_a_name_given_at_the_gateway_reaches_the_services_and_a_new_one_replaces_it(
    stack: DevStack, intake: ServiceProcess, complaints: ServiceProcess, admin_ready: None, engine: AsyncEngine
) -> None:
    settings = gateway_settings(
        stack, intake.url, complaints_url=complaints.url, background_delivery=True, clock_delivery_seconds=0.5
    )
    county = unique_region(6)
    async with running_gateway(settings) as gw:
        token = await gw.password_token("admin", ADMIN_PASSWORD)
        async with gw.client(token=token) as client:
            named = await client.put(f"/api/v1/admin/regions/{county}", json={"name": "平遥县"})
            assert named.status_code == 200, named.text
            _, first = await _until_named(engine, county, "平遥县")
            renamed = await client.put(f"/api/v1/admin/regions/{county}", json={"name": "平遥县（新）"})
            assert renamed.status_code == 200, renamed.text
            _, second = await _until_named(engine, county, "平遥县（新）")
        assert second > first
        # Every service (each routed to intake or complaints here) is recorded as having the newest name.
        cursors = await wait_until(
            lambda: _cursors(engine), lambda c: min(c.values(), default=0) >= second, timeout=15, every=0.1
        )
    assert set(cursors) >= {"intake", "casework", "matching", "complaints", "disbursement"}
    assert min(cursors[s] for s in ("intake", "casework", "matching", "complaints", "disbursement")) >= second


async def _deliver(intake: ServiceProcess, principal: Principal, body: Any) -> httpx.Response:
    token = InternalTokens(INTERNAL_SECRET).sign(principal)
    async with httpx.AsyncClient(base_url=intake.url) as client:
        return await client.put(NAMES, json=body, headers={INTERNAL_HEADER: token})


async def test_a_service_keeps_the_latest_revision_and_takes_names_from_the_whole_country_only(
    intake: ServiceProcess, engine: AsyncEngine
) -> None:
    code = unique_region(9)
    newer = await _deliver(intake, DELIVERER, {"names": [{"code": code, "name": "古陶镇", "revision": 10**12}]})
    assert newer.status_code == 200, newer.text
    assert newer.json() == {"kept": 1}
    # An older revision arriving late (a second gateway replica, a retry) changes nothing.
    older = await _deliver(intake, DELIVERER, {"names": [{"code": code, "name": "旧名", "revision": 10**12 - 1}]})
    assert older.json() == {"kept": 0}
    assert await _intake_name(engine, code) == ("古陶镇", 10**12)

    county_admin = Principal(
        subject="county-admin",
        kind=PrincipalKind.staff,
        name="county-admin",
        region_prefix=code[:6],
        roles=frozenset({"system_admin"}),
    )
    body = {"names": [{"code": code, "name": "冒名", "revision": 10**12 + 1}]}
    assert_problem(await _deliver(intake, county_admin, body), 403, "role_required")
    for bad in (
        {"names": [{"code": "12345", "name": "五位", "revision": 1}]},
        {"names": [{"code": code, "name": "", "revision": 1}]},
        {"names": [{"code": code, "name": "x" * 41, "revision": 1}]},
        {"names": [{"code": code, "name": "零", "revision": 0}]},
        {"names": [{"code": code, "name": "多余", "revision": 2, "extra": 1}]},
        {"names": [{"code": code, "name": "超量", "revision": 2}]} | {"more": []},
    ):
        assert_problem(await _deliver(intake, DELIVERER, bad), 422, "validation_failed")
    async with httpx.AsyncClient(base_url=intake.url) as client:
        assert (await client.put(NAMES, json=body)).status_code == 401
    assert await _intake_name(engine, code) == ("古陶镇", 10**12)
