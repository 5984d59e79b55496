"""The training clock in a service (libs.kernel.training_clock): the offset a delivery stores, every process of the
service applying it in `ServiceContext.now()`, production ignoring it, and bad deliveries changing nothing. A real
intake app (API role) in process, on the session's database."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import delete

from libs.contracts.clock import china_today
from libs.contracts.staff import StaffRole
from libs.devstack.stack import DevStack
from libs.kernel.auth import INTERNAL_HEADER, InternalTokens, Principal, PrincipalKind
from libs.kernel.db import Database
from libs.kernel.service import create_service_app
from libs.kernel.settings import Environment
from libs.kernel.training_clock import MAX_OFFSET_DAYS, TrainingClock, effective_offset_days
from services.intake.definition import DEFINITION as INTAKE
from tests.support.waiting import wait_until

CLOCK = "/internal/v1/clock"
TABLE = INTAKE.tables.training_clock
ADMIN = Principal("u-admin", PrincipalKind.staff, "Administrator", "", frozenset({StaffRole.system_admin.value}))
COUNTY_ADMIN = Principal("u-cadmin", PrincipalKind.staff, "County admin", "140402", frozenset({"system_admin"}))
OFFICER = Principal("u-co", PrincipalKind.staff, "County officer", "", frozenset({StaffRole.county_officer.value}))


@pytest.mark.parametrize(
    ("environment", "stored", "applied"),
    [
        (Environment.production, 5, 0),  # whatever a table holds
        (Environment.production, 0, 0),
        (Environment.test, 5, 5),
        (Environment.local, MAX_OFFSET_DAYS, MAX_OFFSET_DAYS),
        (Environment.test, MAX_OFFSET_DAYS + 1, MAX_OFFSET_DAYS),  # a row written by hand: its nearest bound
        (Environment.test, -3, 0),  # never behind the real calendar
    ],
)
def test_the_offset_a_process_applies(environment: Environment, stored: int, applied: int) -> None:
    assert effective_offset_days(environment, stored) == applied


class Intake:
    def __init__(self, http: httpx.AsyncClient, tokens: InternalTokens, db: Database, runtime: Any) -> None:
        self.http, self.tokens, self.db, self.runtime = http, tokens, db, runtime

    async def put(self, body: dict[str, Any], principal: Principal = ADMIN) -> httpx.Response:
        return await self.http.put(CLOCK, json=body, headers={INTERNAL_HEADER: self.tokens.sign(principal)})

    async def get(self, principal: Principal = ADMIN) -> httpx.Response:
        return await self.http.get(CLOCK, headers={INTERNAL_HEADER: self.tokens.sign(principal)})


async def _forget(db: Database) -> None:
    # The row is the gateway's to version: a test's own versions must not outlive it (later deliveries would lose).
    async with db.sessions.begin() as session:
        await session.execute(delete(TABLE))


@pytest.fixture
async def intake(stack: DevStack) -> AsyncIterator[Intake]:
    settings = INTAKE.settings().with_overrides(role="api")
    assert settings.environment is not Environment.production
    app = create_service_app(INTAKE, settings)
    tokens = InternalTokens(settings.internal_token_secret.get_secret_value())
    async with app.router.lifespan_context(app):
        await _forget(app.state.db)
        await app.state.runtime.training_clock.load(app.state.db.sessions, TABLE)
        try:
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://intake") as http:
                yield Intake(http, tokens, app.state.db, app.state.runtime)
        finally:
            await _forget(app.state.db)


# The gateway's versions count up from 1, and a gateway of another test on this database (the gateway's tests share
# it) may deliver its own to intake's table at any moment: this test's versions lie far above any of those, so such a
# delivery never outranks them.
HIGH = 10**12


def _delivery(offset_days: int, version: int) -> dict[str, Any]:
    return {"offset_days": offset_days, "version": HIGH + version, "set_at": datetime.now(UTC).isoformat()}


async def test_a_delivered_offset_moves_every_process_of_the_service(intake: Intake) -> None:
    before = intake.runtime.context.now()
    reply = await intake.put(_delivery(3, 7))
    assert reply.status_code == 200, reply.text
    assert reply.json()["offset_days"] == 3
    assert reply.json()["business_date"] == (china_today() + timedelta(days=3)).isoformat()
    # The process that took the delivery applies it at once, in the one context its endpoints, handlers and jobs read.
    ctx = intake.runtime.context
    assert ctx.now() - before >= timedelta(days=3)
    assert ctx.today() == china_today() + timedelta(days=3)
    # Another process of the service (a worker, a restarted API) finds it in the service's own table.
    worker = TrainingClock(Environment.test)
    assert not worker.loaded
    await worker.load(intake.db.sessions, TABLE)
    assert (worker.offset_days, worker.version, worker.loaded) == (3, HIGH + 7, True)
    # A repeat, or an older delivery arriving late, changes nothing.
    assert (await intake.put(_delivery(3, 7))).json()["version"] == HIGH + 7
    stale = await intake.put(_delivery(1, 6))
    assert (stale.json()["offset_days"], stale.json()["version"]) == (3, HIGH + 7)
    assert (await intake.get()).json()["offset_days"] == 3
    # A read that saw an older row than the process holds (it began before a delivery) never takes it back.
    await _forget(intake.db)
    await worker.load(intake.db.sessions, TABLE)
    assert (worker.offset_days, worker.version) == (3, HIGH + 7)


async def test_production_never_applies_a_stored_offset(intake: Intake) -> None:
    assert (await intake.put(_delivery(30, 8))).status_code == 200
    production = TrainingClock(Environment.production)
    await production.load(intake.db.sessions, TABLE)
    assert (production.offset_days, production.loaded) == (0, True)


async def test_production_refuses_a_delivery(stack: DevStack) -> None:
    settings = INTAKE.settings().with_overrides(role="api", environment="production")
    app = create_service_app(INTAKE, settings)
    tokens = InternalTokens(settings.internal_token_secret.get_secret_value())
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://intake") as http:
            reply = await http.put(CLOCK, json=_delivery(2, 9), headers={INTERNAL_HEADER: tokens.sign(ADMIN)})
        assert (reply.status_code, reply.json()["code"]) == (409, "clock_fixed_in_production"), reply.text
        assert app.state.runtime.context.today() == china_today()


@pytest.mark.parametrize(
    "body",
    [
        _delivery(MAX_OFFSET_DAYS + 1, 9),
        _delivery(-1, 9),
        {**_delivery(2, 0), "version": 0},
        {**_delivery(2, 9), "region_code": "14"},
        {"offset_days": 2, "version": 9, "set_at": "2026-12-07T10:00:00"},  # no zone
        {"offset_days": "2", "version": 9},
        {**_delivery(2, 9), "offset_days": 2.5},
    ],
)
async def test_a_bad_delivery_is_refused_and_changes_nothing(intake: Intake, body: dict[str, Any]) -> None:
    reply = await intake.put(body)
    assert reply.status_code == 422, reply.text
    assert (await intake.get()).json()["offset_days"] == 0
    assert intake.runtime.context.today() == china_today()


@pytest.mark.parametrize("principal", [COUNTY_ADMIN, OFFICER])
async def test_only_a_national_administrator_delivers(intake: Intake, principal: Principal) -> None:
    reply = await intake.put(_delivery(2, 9), principal)
    assert (reply.status_code, reply.json()["code"]) == (403, "role_required"), reply.text
    assert (await intake.get()).json()["offset_days"] == 0
    no_token = await intake.http.put(CLOCK, json=_delivery(2, 9))
    assert no_token.status_code == 401


async def test_another_process_follows_a_delivery_when_its_commit_notifies_not_at_its_next_refresh(
    intake: Intake,
) -> None:
    # A follower whose own refresh is far off: only the delivery's NOTIFY can bring the offset to it in time.
    worker = TrainingClock(Environment.test, refresh_seconds=3600)
    stop = asyncio.Event()
    following = asyncio.create_task(worker.follow(intake.db.sessions, TABLE, stop, intake.runtime.settings))
    try:
        await wait_until(_loaded(worker), lambda w: w.loaded, timeout=30)
        assert (worker.offset_days, worker.version) == (0, 0)
        reply = await intake.put(_delivery(4, 11))
        assert reply.status_code == 200, reply.text
        followed = await wait_until(_loaded(worker), lambda w: w.version == HIGH + 11, timeout=30)
        assert followed.offset_days == 4
    finally:
        stop.set()
        await following


def _loaded(worker: TrainingClock) -> Callable[[], Awaitable[TrainingClock]]:
    async def probe() -> TrainingClock:
        return worker

    return probe
