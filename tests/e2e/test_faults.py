"""The payment journey survives faults (issue 8): every service's worker killed (SIGKILL) in the middle of the step
that needs it and started again, and the broker losing everything it held, refilled from the services' outboxes with
their `replay` command. Each time the journey completes and nothing is applied twice.

A step runs as a task while its worker dies: the step's requests reach the API (still up), the work they cause waits
in an outbox, a topic or a half-done batch, and the restarted worker picks it up (at-least-once delivery and
idempotent consumers, CONTRACTS.md §6). The complaints worker is killed while it owes a `help-requested` to intake.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable
from typing import TypeVar

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from libs.contracts.clock import CHINA_TZ, china_today
from tests.e2e.journey_hotline import (
    LEADS,
    WORK_ORDERS,
    Place,
    call,
    fresh_phone,
    help_work_order,
    person,
    work_order_no,
)
from tests.e2e.journey_payment import (
    Journey,
    apply,
    approve,
    assert_applied_once,
    cast_for,
    entitlement,
    from_application,
    groundwork,
    investigate,
    new_family,
    pass_publicity,
    publicise,
    report_paid,
    roster_line,
    verify,
)
from tests.e2e.system import SERVICES, WholeSystem, new_county
from tests.support.waiting import wait_until

pytestmark = pytest.mark.timeout(1200)

T = TypeVar("T")
# Long enough for the step's requests to land and the worker to be busy with what they caused.
KILL_AFTER = 0.5
DOWN_FOR = 3.0


async def _with_worker_killed(system: WholeSystem, service: str, step: Awaitable[T]) -> T:
    """Run `step` while `service`'s worker is killed shortly after it starts and started again a few seconds later."""
    task = asyncio.ensure_future(step)
    await asyncio.sleep(KILL_AFTER)
    system.kill_worker(service)
    await asyncio.sleep(DOWN_FOR)
    assert not task.done() or task.exception() is None
    await system.start_worker(service)
    return await task


async def test_each_worker_killed_mid_journey_the_journey_completes_once(whole_system: WholeSystem) -> None:
    system = whole_system
    family = new_family(system, new_county())
    cast = await cast_for(system, family)
    standard, feed = await groundwork(system, cast, family, dibao_standard="760.00", publicity_days=3)
    # intake's relay dies with `application-submitted` to publish; casework's consumer dies while it opens the case.
    application = await _with_worker_killed(system, "intake", apply(system, cast, family))
    verification = await _with_worker_killed(system, "matching", verify(cast, family, application))
    investigation = await investigate(cast, family, application.case_id, china_today())
    publicity = await publicise(cast, family, application.case_id)
    # casework's worker ends the publicity with its job, and publishes the decision's events after the county confirms.
    confirmation = await _with_worker_killed(system, "casework", pass_publicity(system, cast, application.case_id))
    decision = await _with_worker_killed(system, "casework", approve(cast, application))
    # disbursement's worker takes the entitlement into its ledger and checks the account.
    ent = await _with_worker_killed(system, "disbursement", entitlement(cast, decision))
    line = await roster_line(cast, family.county, decision.effective_month, decision.household_id)
    payment = await report_paid(cast, line, dt.datetime.now(CHINA_TZ).replace(microsecond=0))
    done = Journey(family, cast, standard, feed, application, verification, investigation, publicity, confirmation,
                   decision, ent, line, payment)  # fmt: skip
    assert payment.line["status"] == "paid"
    await assert_applied_once(done)


async def test_the_complaints_worker_killed_owing_an_event_the_lead_arrives_once(whole_system: WholeSystem) -> None:
    place = Place.fresh()
    township = await whole_system.staff("township_officer", place.township)
    hotline = await whole_system.partner("hotline", place.county)
    caller, phone = person(place.county, "1979-09-03", "622", "周桂兰"), fresh_phone(place.county)
    whole_system.remember_personal_data([caller.id_number, phone])

    async def post_and_wait_for_the_lead() -> list[str]:
        await call(hotline, "POST", WORK_ORDERS, 201, json=help_work_order(work_order_no(), place, caller, phone))

        async def leads() -> list[str]:
            params = {"region_code": place.village, "source": "hotline"}
            return [str(i["lead_id"]) for i in (await call(township, "GET", LEADS, params=params))["items"]]

        return await wait_until(leads, bool, timeout=120, every=0.5)

    found = await _with_worker_killed(whole_system, "complaints", post_and_wait_for_the_lead())
    assert len(found) == 1
    # Redeliveries after the restart have had their time: still one lead.
    await asyncio.sleep(5)
    again = await call(township, "GET", LEADS, params={"region_code": place.village, "source": "hotline"})
    assert [str(i["lead_id"]) for i in again["items"]] == found


async def _unsent(system: WholeSystem, service: str) -> int:
    engine = create_async_engine(system.stack.database_url.replace("postgresql://", "postgresql+asyncpg://", 1))
    try:
        async with engine.connect() as conn:
            count = await conn.scalar(text(f"SELECT count(*) FROM {service}.outbox WHERE sent_at IS NULL"))  # noqa: S608 - a fixed schema name
            return int(count or 0)
    finally:
        await engine.dispose()


async def test_the_broker_loses_everything_and_the_outboxes_replay_the_journey(whole_system: WholeSystem) -> None:
    """Casework's worker is down when the application is accepted; intake publishes `application-submitted`; the
    broker then loses it (and every other event it held). Replaying every service's outbox since the journey began
    brings the case; the rest of the journey runs on the new broker and completes once."""
    system = whole_system
    since = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=5)
    family = new_family(system, new_county())
    cast = await cast_for(system, family)
    standard, feed = await groundwork(system, cast, family, dibao_standard="700.00", publicity_days=2)

    system.workers["casework"].stop()
    applying = asyncio.ensure_future(apply(system, cast, family))
    # Everything intake wrote has reached the broker, which then forgets it.
    await wait_until(lambda: _unsent(system, "intake"), lambda n: n == 0, timeout=120, every=0.5)
    await asyncio.sleep(1)
    assert not applying.done()
    await asyncio.to_thread(system.restart_broker)
    replayed = {service: await asyncio.to_thread(system.replay, service, since) for service in SERVICES}
    assert replayed["intake"] >= 1
    application = await applying
    done = await from_application(system, cast, family, standard, feed, application)
    await assert_applied_once(done)
    # Replayed events were taken once: every service's outbox is drained again and nothing is waiting.
    for service in SERVICES:
        await _drained(system, service)


async def _drained(system: WholeSystem, service: str) -> None:
    await wait_until(lambda: _unsent(system, service), lambda n: n == 0, timeout=120, every=0.5)
