"""`/api/v1/admin/clock`: the training clock, moved by a national system administrator only, refused in production,
every change recorded, bad input changing nothing; delivered to the real intake and complaints processes behind the
gateway (every other service is routed to intake here)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from libs.contracts.clock import china_today
from libs.devstack.stack import DevStack
from tests.gateway.harness import (
    ADMIN_PASSWORD,
    RunningGateway,
    ServiceProcess,
    assert_problem,
    gateway_settings,
    new_staff,
    running_gateway,
)

CLOCK = "/api/v1/admin/clock"


async def _put(gw: RunningGateway, token: str, body: dict[str, Any]) -> Any:
    async with gw.client(token=token) as client:
        return await client.put(CLOCK, json=body)


async def _get(gw: RunningGateway, token: str) -> dict[str, Any]:
    async with gw.client(token=token) as client:
        reply = await client.get(CLOCK)
    assert reply.status_code == 200, reply.text
    body: dict[str, Any] = reply.json()
    return body


async def _acts(engine: AsyncEngine) -> list[tuple[str, str | None, dict[str, Any]]]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            text("SELECT action, reason, detail FROM gateway.admin_actions WHERE target_kind = 'clock' ORDER BY id")
        )
        return [(r[0], r[1], r[2]) for r in rows]


@pytest.fixture
async def clock_back_to_zero(gateway: RunningGateway, admin_token: str) -> AsyncIterator[None]:
    # The gateway's and the services' tables are shared with the tests after this one: leave the real calendar.
    yield
    reply = await _put(gateway, admin_token, {"offset_days": 0, "reason": "测试结束，恢复实际日期", "rewind": True})
    assert reply.status_code == 200, reply.text


@pytest.mark.usefixtures("clock_back_to_zero")
async def test_an_administrator_moves_the_whole_system_forward_and_back(
    gateway: RunningGateway, admin_token: str, engine: AsyncEngine
) -> None:
    acts_before = len(await _acts(engine))
    start = await _get(gateway, admin_token)
    reply = await _put(gateway, admin_token, {"offset_days": 3, "reason": "培训：公示期"})
    assert reply.status_code == 200, reply.text
    moved = reply.json()
    assert (moved["offset_days"], moved["version"]) == (3, start["version"] + 1)
    assert moved["business_date"] == (china_today() + timedelta(days=3)).isoformat()
    # Delivered before the answer: every service behind the gateway (intake and complaints processes) applies it.
    assert set(moved["services"]) == {"intake", "casework", "matching", "complaints", "disbursement"}
    for name, applied in moved["services"].items():
        assert applied is not None, name
        assert (applied["offset_days"], applied["version"]) == (3, moved["version"]), name
        assert applied["business_date"] == moved["business_date"], name

    # Back without saying so: refused, nothing changed.
    back = await _put(gateway, admin_token, {"offset_days": 1, "reason": "回拨"})
    assert_problem(back, 409, "clock_backwards")
    assert (await _get(gateway, admin_token))["version"] == moved["version"]
    # The same offset again is no change: no new version, no record.
    same = await _put(gateway, admin_token, {"offset_days": 3, "reason": "重复"})
    assert same.json()["version"] == moved["version"]
    rewound = await _put(gateway, admin_token, {"offset_days": 1, "reason": "培训结束", "rewind": True})
    assert rewound.status_code == 200, rewound.text
    assert rewound.json()["services"]["intake"]["offset_days"] == 1

    acts = (await _acts(engine))[acts_before:]
    assert acts == [
        ("clock_moved", "培训：公示期", {"from_days": 0, "to_days": 3, "version": moved["version"]}),
        ("clock_rewound", "培训结束", {"from_days": 3, "to_days": 1, "version": moved["version"] + 1}),
    ]
    async with gateway.client(token=admin_token) as client:
        listed = await client.get("/api/v1/admin/audit/actions", params={"target_id": "training-clock", "limit": 2})
    assert listed.status_code == 200, listed.text
    items = listed.json()["items"]
    assert [(a["action"], a["target_kind"], a["region_code"]) for a in items] == [
        ("clock_rewound", "clock", ""),
        ("clock_moved", "clock", ""),
    ]
    assert items[0]["actor_subject"] == items[1]["actor_subject"] != ""


@pytest.mark.parametrize(
    "body",
    [
        {"offset_days": 401, "reason": "太远"},
        {"offset_days": -1, "reason": "过去"},
        {"offset_days": "2", "reason": "文字"},
        {"offset_days": True, "reason": "布尔"},
        {"offset_days": 2.0, "reason": "小数"},
        {"offset_days": 2},
        {"offset_days": 2, "reason": ""},
        {"offset_days": 2, "reason": "x" * 2001},
        {"offset_days": 2, "reason": "区域", "region_code": "14"},
        {"offset_days": 2, "reason": "回拨", "rewind": "yes"},
    ],
)
async def test_bad_input_changes_nothing(
    gateway: RunningGateway, admin_token: str, engine: AsyncEngine, body: dict[str, Any]
) -> None:
    before, acts = await _get(gateway, admin_token), await _acts(engine)
    reply = await _put(gateway, admin_token, body)
    assert_problem(reply, 422, "validation_failed")
    after = await _get(gateway, admin_token)
    assert (after["offset_days"], after["version"]) == (before["offset_days"], before["version"])
    assert await _acts(engine) == acts


async def test_only_a_national_system_admin_reads_or_moves_it(
    gateway: RunningGateway, admin_token: str, engine: AsyncEngine
) -> None:
    acts = await _acts(engine)
    county_admin = await new_staff(gateway, admin_token, ["system_admin"], "140402")
    officer = await new_staff(gateway, admin_token, ["county_officer"], "140402")
    body = {"offset_days": 5, "reason": "越权"}
    assert_problem(await _put(gateway, county_admin.token, body), 403, "outside_jurisdiction")
    assert_problem(await _put(gateway, officer.token, body), 403, "role_required")
    async with gateway.client(token=officer.token) as client:
        assert_problem(await client.get(CLOCK), 403, "role_required")
    async with gateway.client() as client:
        assert_problem(await client.put(CLOCK, json=body), 401, "missing_token")
    assert (await _get(gateway, admin_token))["offset_days"] == 0
    assert await _acts(engine) == acts


async def test_production_refuses_it_and_shows_the_real_date(
    stack: DevStack, intake: ServiceProcess, complaints: ServiceProcess, admin_ready: None, engine: AsyncEngine
) -> None:
    settings = gateway_settings(stack, intake.url, complaints_url=complaints.url, environment="production")
    acts = await _acts(engine)
    async with running_gateway(settings) as production:
        token = await production.password_token("admin", ADMIN_PASSWORD)
        reply = await _put(production, token, {"offset_days": 2, "reason": "生产环境"})
        assert_problem(reply, 409, "clock_fixed_in_production")
        shown = await _get(production, token)
    assert (shown["environment"], shown["offset_days"]) == ("production", 0)
    assert shown["business_date"] == china_today().isoformat()
    assert await _acts(engine) == acts
