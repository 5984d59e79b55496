"""The result push to the 12345 platform (CONTRACTS.md §2, issue 7): a closed work order's body POSTed, signed with
the client's secret, to a real HTTP server that fails for a while and then accepts; delivered once, nothing lost,
nothing duplicated, across restarts of the worker and of the whole service.

Other tests' pending deliveries are due in the same runs of the job (one database): each test registers its own
fresh hotline client's platform and asserts only on its own work orders.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
import structlog

from libs.kernel.auth import Principal
from libs.kernel.service import create_service_app
from services.complaints.definition import DEFINITION as COMPLAINTS
from services.complaints.push.delivery import ResultPush
from services.complaints.push.signing import SIGNATURE_HEADER, verify
from tests.complaints.platform_support import (
    PLATFORMS,
    at,
    deliveries,
    delivery,
    platforms,
    pusher,
    register,
    run,
)
from tests.complaints.support import (
    WORK_ORDERS,
    ComplaintsApi,
    admin,
    county_officer,
    hotline,
    new_county,
    new_village,
    township_officer,
    work_order,
)
from tests.support.hotline_platform import fake_platform

HOUR = timedelta(hours=1)


def fresh_secret() -> str:
    return f"s3cret-{uuid.uuid4().hex}"


@pytest.fixture
async def job(api: ComplaintsApi) -> AsyncIterator[ResultPush]:
    """The worker's push job, on the test's clock."""
    push = ResultPush(pusher(api))
    yield push
    await push.aclose()


async def resolved(api: ComplaintsApi, village: str, client: Principal) -> tuple[str, dict[str, Any]]:
    """A work order of `client`, resolved; its number and the body the platform reads at resolution."""
    created = await api.post_work_order(work_order(village), client)
    await api.investigate_and_resolve(created["complaint_id"], township_officer(village))
    reply = await api.get(f"{WORK_ORDERS}/{created['work_order_no']}", client)
    assert reply.status_code == 200, reply.text
    return created["work_order_no"], dict(reply.json())


def instants(body: dict[str, Any]) -> dict[str, Any]:
    """The work order with its times as instants: the same moment may be written in UTC or China time."""
    out = dict(body)
    out["due_at"] = at(body["due_at"])
    out["history"] = [{**h, "at": at(h["at"])} for h in body["history"]]
    if body["result"] is not None:
        out["result"] = {**body["result"], "handled_at": at(body["result"]["handled_at"])}
    return out


async def next_due(api: ComplaintsApi, client: Principal, *nos: str) -> None:
    """The clock to the latest retry time of these work orders' pending deliveries."""
    pending = [d for no in nos for d in await deliveries(api, client, no) if d["state"] == "pending"]
    api.clock.at = max(at(d["next_attempt_at"]) for d in pending)


def log_of(d: dict[str, Any]) -> list[tuple[int | None, str | None]]:
    return [(a["http_status"], a["error"]) for a in d["attempt_log"]]


async def test_only_an_administrator_registers_a_platform_and_its_secret_is_never_shown(api: ComplaintsApi) -> None:
    client = hotline(new_county())
    secret = fresh_secret()
    url = "https://12345.example.cn/jiuzhu/results"
    put = await api.put(f"{PLATFORMS}/{client.subject}", admin(), {"callback_url": url, "client_secret": secret})
    assert put.status_code == 200, put.text
    assert put.json()["client_id"] == client.subject
    assert put.json()["callback_url"] == url
    listed = await api.get(PLATFORMS, admin())
    assert listed.status_code == 200
    assert secret not in put.text + listed.text
    assert "client_secret" not in (await platforms(api))[client.subject]

    # A county officer neither changes nor reads the callbacks.
    officer = county_officer(new_county())
    other = {"callback_url": "https://evil.example.cn/steal", "client_secret": fresh_secret()}
    assert (await api.put(f"{PLATFORMS}/{client.subject}", officer, other)).status_code == 403
    assert (await api.get(PLATFORMS, officer)).status_code == 403
    # Bad URLs and short secrets are refused, for a known client and a new one alike, changing nothing.
    newcomer = hotline(new_county())
    for bad in (
        {"callback_url": "not a url", "client_secret": fresh_secret()},
        {"callback_url": "ftp://12345.example.cn/results", "client_secret": fresh_secret()},
        {"callback_url": "https://12345.example.cn/other", "client_secret": "s3cret-too-short"[:15]},
    ):
        for who in (client, newcomer):
            assert (await api.put(f"{PLATFORMS}/{who.subject}", admin(), bad)).status_code == 422
    known = await platforms(api)
    assert known[client.subject]["callback_url"] == url
    assert newcomer.subject not in known

    moved = await register(api, client, "https://12345.example.cn/v2/results", fresh_secret())
    assert (await platforms(api))[client.subject] == moved


async def test_a_result_is_delivered_once_after_the_platform_fails_three_times(
    api: ComplaintsApi, job: ResultPush
) -> None:
    async with fake_platform(503, 500, "drop") as fake:
        village = new_village(new_county())
        client = hotline(village[:6])
        secret = fresh_secret()
        await register(api, client, fake.url, secret)
        no, at_resolution = await resolved(api, village, client)
        assert at_resolution["status"] == "resolved"
        runs = []

        with structlog.testing.capture_logs() as logs:
            # Each failure backs off twice as long as the one before (30 s, 60 s, 120 s).
            for attempt, delay in enumerate((30, 60, 120), start=1):
                runs.append(api.clock())
                await run(api, job)
                d = await delivery(api, client, no)
                assert (d["state"], d["attempts"]) == ("pending", attempt)
                assert at(d["next_attempt_at"]) == api.clock() + timedelta(seconds=delay)
                # A moment before the retry time nothing goes out; at it, the next attempt does.
                api.clock.at = at(d["next_attempt_at"]) - timedelta(seconds=1)
                await run(api, job)
                assert len(fake.of(no)) == attempt
                api.clock.at = at(d["next_attempt_at"])
            runs.append(api.clock())
            await run(api, job)
            # Delivered: later runs send nothing more.
            for _ in range(3):
                api.clock.at = api.clock() + HOUR
                await run(api, job)

        sent = fake.of(no)
        assert [r.answer for r in sent] == [503, 500, "drop", 200]
        assert [r.json()["work_order_no"] for r in fake.accepted()] == [no]
        d = await delivery(api, client, no)
        assert d["state"] == "delivered"
        assert d["attempts"] == 4
        assert d["last_error"] is None
        assert d["next_attempt_at"] is None
        assert at(d["delivered_at"]) == runs[-1]
        assert log_of(d) == [(503, "HTTP 503"), (500, "HTTP 500"), (None, "RemoteProtocolError"), (200, None)]
        assert [at(a["at"]) for a in d["attempt_log"]] == runs
        # Every attempt sends the same bytes under the same delivery id, signed with the client's secret.
        assert {r.body for r in sent} == {sent[-1].body}
        assert {r.delivery_id for r in sent} == {d["delivery_id"]}
        assert all(verify(secret, r.body, r.headers[SIGNATURE_HEADER.lower()]) for r in sent)
        assert sent[-1].headers["content-type"] == "application/json"
        # The body is the work order as the platform read it at resolution.
        pushed = sent[-1].json()
        assert (pushed["work_order_no"], pushed["complaint_id"]) == (no, at_resolution["complaint_id"])
        assert pushed["status"] == "resolved"
        assert pushed["result"]["finding"] == "unsubstantiated"
        assert [h["status"] for h in pushed["history"]] == ["received", "assigned", "investigating", "resolved"]
        assert instants(pushed) == instants(at_resolution)
        # The signature is the client's: another secret, or an altered body, does not verify.
        header = sent[-1].headers[SIGNATURE_HEADER.lower()]
        assert header.startswith("sha256=")
        assert not verify(fresh_secret(), sent[-1].body, header)
        assert not verify(secret, sent[-1].body.replace(b"unsubstantiated", b"substantiated"), header)
        # The log counts; it never carries the reply or the caller (DOMAIN.md §11).
        assert "经核查" not in repr(logs)
        assert "李四" not in repr(logs)


async def test_a_timeout_and_a_4xx_answer_are_retried_until_2xx(api: ComplaintsApi) -> None:
    # A short timeout: the platform that never answers is given up on within the run.
    job = ResultPush(pusher(api, push_timeout_seconds=0.3))
    try:
        async with fake_platform("hang", 400) as fake:
            village = new_village(new_county())
            client = hotline(village[:6])
            await register(api, client, fake.url, fresh_secret())
            no, _ = await resolved(api, village, client)
            for _ in range(2):
                await run(api, job)
                await next_due(api, client, no)
            await run(api, job)
            api.clock.at = api.clock() + HOUR
            await run(api, job)
    finally:
        await job.aclose()
    assert [r.answer for r in fake.of(no)] == ["hang", 400, 200]
    d = await delivery(api, client, no)
    assert (d["state"], d["attempts"]) == ("delivered", 3)
    assert log_of(d) == [(None, "ReadTimeout"), (400, "HTTP 400"), (200, None)]


async def test_the_back_off_doubles_up_to_its_longest_delay(api: ComplaintsApi, job: ResultPush) -> None:
    async with fake_platform(*[503] * 8) as fake:
        village = new_village(new_county())
        client = hotline(village[:6])
        await register(api, client, fake.url, fresh_secret())
        no, _ = await resolved(api, village, client)
        delays = []
        for _ in range(8):
            await run(api, job)
            d = await delivery(api, client, no)
            delays.append((at(d["next_attempt_at"]) - api.clock()).total_seconds())
            api.clock.at = at(d["next_attempt_at"])
        await run(api, job)
    assert delays == [30, 60, 120, 240, 480, 960, 1800, 1800]
    assert len(fake.of(no)) == 9
    assert [r.json()["work_order_no"] for r in fake.accepted()] == [no]
    assert (await delivery(api, client, no))["attempts"] == 9


async def test_a_pending_result_survives_a_restart_of_the_worker(api: ComplaintsApi) -> None:
    async with fake_platform(503, 503) as fake:
        village = new_village(new_county())
        client = hotline(village[:6])
        secret = fresh_secret()
        await register(api, client, fake.url, secret)
        no, _ = await resolved(api, village, client)
        first = ResultPush(pusher(api))
        await run(api, first)
        await next_due(api, client, no)
        await run(api, first)
        await first.aclose()  # the worker stops; only the database remembers the result
        assert (await delivery(api, client, no))["attempts"] == 2

        await next_due(api, client, no)
        restarted = ResultPush(pusher(api))
        try:
            await run(api, restarted)
            api.clock.at = api.clock() + HOUR
            await run(api, restarted)
        finally:
            await restarted.aclose()
    sent = fake.of(no)
    assert [r.answer for r in sent] == [503, 503, 200]
    assert len({r.delivery_id for r in sent}) == 1
    assert all(verify(secret, r.body, r.headers[SIGNATURE_HEADER.lower()]) for r in sent)
    d = await delivery(api, client, no)
    assert (d["state"], d["attempts"], d["delivery_id"]) == ("delivered", 3, sent[0].delivery_id)


async def test_a_pending_result_survives_a_restart_of_the_whole_service(api: ComplaintsApi, job: ResultPush) -> None:
    async with fake_platform(503) as fake:
        village = new_village(new_county())
        client = hotline(village[:6])
        await register(api, client, fake.url, fresh_secret())
        no, _ = await resolved(api, village, client)
        await run(api, job)
        await next_due(api, client, no)

        # Another process of complaints: its own app, engine and vault, on the same database.
        settings = COMPLAINTS.settings().with_overrides(role="api", push_batch_size=1000)
        app = create_service_app(COMPLAINTS, settings)
        async with app.router.lifespan_context(app):
            ctx = replace(app.state.runtime.context, clock=api.clock)
            other = ResultPush(ctx)
            try:
                for _ in range(2):
                    async with app.state.db.sessions.begin() as session:
                        await other(session)
                    api.clock.at = api.clock() + HOUR
            finally:
                await other.aclose()
        await run(api, job)  # the first process finds nothing left to send
    assert [r.answer for r in fake.of(no)] == [503, 200]
    assert (await delivery(api, client, no))["state"] == "delivered"


async def test_results_closed_while_the_platform_is_down_each_arrive_once(api: ComplaintsApi, job: ResultPush) -> None:
    async with fake_platform() as fake:
        fake.default = 503
        county = new_county()
        client = hotline(county)
        await register(api, client, fake.url, fresh_secret())
        nos = [(await resolved(api, new_village(county), client))[0] for _ in range(3)]
        for _ in range(2):
            village = new_village(county)
            created = await api.post_work_order(work_order(village), client)
            answer = {"reason": "非民政事项", "feedback": {"text": "非民政事项，已退回平台", "method": "hotline_reply"}}
            back = await api.act(created["complaint_id"], "return", township_officer(village), answer)
            assert back.status_code == 200, back.text
            nos.append(created["work_order_no"])

        for _ in range(3):
            await run(api, job)
            await next_due(api, client, *nos)
        assert [(await delivery(api, client, no))["attempts"] for no in nos] == [3] * 5
        fake.default = 200
        for _ in range(3):
            await run(api, job)
            api.clock.at = api.clock() + HOUR

    accepted = fake.accepted()
    assert Counter(r.json()["work_order_no"] for r in accepted) == dict.fromkeys(nos, 1)
    assert len({r.delivery_id for r in accepted}) == 5
    assert [len(fake.of(no)) for no in nos] == [4] * 5
    logged = [await delivery(api, client, no) for no in nos]
    assert [(d["state"], d["attempts"], d["status"]) for d in logged] == [("delivered", 4, "resolved")] * 3 + [
        ("delivered", 4, "returned")
    ] * 2
    assert {d["delivery_id"] for d in logged} == {r.delivery_id for r in accepted}


async def test_a_returned_work_order_is_pushed_with_its_reason(api: ComplaintsApi, job: ResultPush) -> None:
    async with fake_platform() as fake:
        village = new_village(new_county())
        client = hotline(village[:6])
        await register(api, client, fake.url, fresh_secret())
        created = await api.post_work_order(work_order(village), client)
        reason = "反映事项属人社部门职责，已退回"
        answer = {"reason": reason, "feedback": {"text": reason, "method": "hotline_reply"}}
        back = await api.act(created["complaint_id"], "return", township_officer(village), answer)
        assert back.status_code == 200, back.text
        await run(api, job)
    [pushed] = [r.json() for r in fake.accepted()]
    assert (pushed["work_order_no"], pushed["status"]) == (created["work_order_no"], "returned")
    assert (pushed["result"]["finding"], pushed["result"]["reply"]) == ("not_applicable", reason)
    assert pushed["history"][-1]["status"] == "returned"
    d = await delivery(api, client, created["work_order_no"])
    assert (d["state"], d["status"], d["attempts"]) == ("delivered", "returned", 1)


async def test_a_result_waits_for_its_platform_to_be_registered(api: ComplaintsApi, job: ResultPush) -> None:
    async with fake_platform() as fake:
        village = new_village(new_county())
        client = hotline(village[:6])
        no, _ = await resolved(api, village, client)
        await run(api, job)
        d = await delivery(api, client, no)
        assert (d["state"], d["attempts"], d["last_error"]) == ("pending", 1, "no_callback_configured")
        assert log_of(d) == [(None, "no_callback_configured")]
        assert at(d["next_attempt_at"]) == api.clock() + timedelta(seconds=30)
        assert fake.requests == []

        # Registering the platform makes the waiting result due at once, not at its retry time.
        api.clock.at = api.clock() + timedelta(seconds=5)
        await register(api, client, fake.url, fresh_secret())
        assert at((await delivery(api, client, no))["next_attempt_at"]) == api.clock()
        await run(api, job)
        api.clock.at = api.clock() + HOUR
        await run(api, job)
    assert [r.json()["work_order_no"] for r in fake.requests] == [no]
    d = await delivery(api, client, no)
    assert (d["state"], d["attempts"], d["last_error"]) == ("delivered", 2, None)
    assert log_of(d) == [(None, "no_callback_configured"), (200, None)]


async def test_the_pushed_body_is_the_json_the_platform_reads(api: ComplaintsApi, job: ResultPush) -> None:
    async with fake_platform() as fake:
        village = new_village(new_county())
        client = hotline(village[:6])
        await register(api, client, fake.url, fresh_secret())
        no, at_resolution = await resolved(api, village, client)
        await run(api, job)
    [pushed] = [r.json() for r in fake.accepted()]
    assert pushed["work_order_no"] == no
    assert pushed == at_resolution
