"""Hotline platforms' callbacks stay within their region and point outside the deployment (issue 17, finding 5):
only a system administrator covering the platform's region reads or changes its callback; a callback URL naming a
loopback, link-local or private address is refused at registration (422 `callback_url_refused`) and, resolved, before
every push, where a refused attempt is logged and retried, never lost."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from libs.contracts.staff import StaffRole
from libs.kernel.auth import Principal
from libs.kernel.errors import PROBLEM_JSON
from services.complaints.push.delivery import URL_REFUSED, ResultPush
from services.complaints.push.models import HotlinePlatform
from tests.complaints.platform_support import PLATFORMS, at, delivery, pusher, run
from tests.complaints.support import ComplaintsApi, admin, hotline, new_village, staff, township_officer, work_order
from tests.support.hotline_platform import fake_platform

# Jurisdictions of the test: the platforms live in province 14 (Shanxi), an intruder administers province 15.
SHANXI, INNER_MONGOLIA = "14", "15"
INTERNAL_URLS = ("https://127.0.0.1/results", "http://169.254.169.254/latest/meta-data/", "https://10.0.0.1/cb")


def fresh_secret() -> str:
    return f"s3cret-{uuid.uuid4().hex}"


def regional_admin(region: str) -> Principal:
    return staff(StaffRole.system_admin, region)


def client_id() -> str:
    return f"jzc_{uuid.uuid4().hex[:20]}"


async def stored(api: ComplaintsApi, client: str) -> dict[str, Any] | None:
    """The callback as kept (URL and sealed secret), or None."""
    async with api.db.sessions() as session:
        row = await session.get(HotlinePlatform, client)
        return None if row is None else {"callback_url": row.callback_url, "secret": row.secret_sealed}


async def put(api: ComplaintsApi, who: Principal, client: str, url: str, **extra: Any) -> Any:
    body = {"callback_url": url, "client_secret": fresh_secret(), **extra}
    return await api.put(f"{PLATFORMS}/{client}", who, body)


async def listed(api: ComplaintsApi, who: Principal) -> set[str]:
    reply = await api.get(PLATFORMS, who)
    assert reply.status_code == 200, reply.text
    return {p["client_id"] for p in reply.json()}


async def test_an_admin_of_another_region_neither_changes_nor_sees_a_platforms_callback(api: ComplaintsApi) -> None:
    client = client_id()
    # As the gateway registers a client it has just created in region 1404.
    created = await put(api, admin(), client, "https://12345.sx.example.cn/results", region_code="1404")
    assert created.status_code == 200, created.text
    assert created.json()["region_code"] == "1404"
    before = await stored(api, client)

    intruder = regional_admin(INNER_MONGOLIA)
    for extra in ({}, {"region_code": INNER_MONGOLIA}, {"region_code": "1404"}):
        taken = await put(api, intruder, client, "https://evil.example.cn/steal", **extra)
        assert taken.status_code == 403, taken.text
        assert taken.headers["content-type"] == PROBLEM_JSON
        assert taken.json()["code"] == "outside_jurisdiction"
    assert await stored(api, client) == before

    assert client not in await listed(api, intruder)
    assert client in await listed(api, regional_admin(SHANXI))
    assert client in await listed(api, admin())

    # The province's own administrator changes it, and a city administrator of 1404 too.
    for who in (regional_admin(SHANXI), regional_admin("1404")):
        moved = await put(api, who, client, "https://12345.sx.example.cn/v2/results")
        assert moved.status_code == 200, moved.text
        assert moved.json()["region_code"] == "1404"
    # A neighbouring city's administrator of the same province does not.
    assert (await put(api, regional_admin("1405"), client, "https://x.example.cn/")).status_code == 403


async def test_a_platform_of_unknown_region_is_the_whole_countrys_administrators(api: ComplaintsApi) -> None:
    """Rows registered before complaints knew the region: no regional administrator reads or changes them."""
    client = client_id()
    legacy = await put(api, admin(), client, "https://12345.example.cn/results")
    assert legacy.status_code == 200, legacy.text
    assert legacy.json()["region_code"] is None
    before = await stored(api, client)
    for region in (SHANXI, INNER_MONGOLIA):
        refused = await put(api, regional_admin(region), client, "https://12345.example.cn/mine", region_code=region)
        assert refused.status_code == 403, refused.text
        assert client not in await listed(api, regional_admin(region))
    assert await stored(api, client) == before
    # The whole country's administrator may give it its region.
    placed = await put(api, admin(), client, "https://12345.example.cn/results", region_code="1404")
    assert placed.status_code == 200, placed.text
    assert client in await listed(api, regional_admin(SHANXI))


async def test_an_admin_cannot_claim_another_regions_platform_by_naming_their_own_region(api: ComplaintsApi) -> None:
    village = new_village()
    platform = hotline(village[:4])
    await api.post_work_order(work_order(village), platform)
    # No callback registered yet: an administrator elsewhere claims the client (of province 65) for their own region.
    intruder = regional_admin(INNER_MONGOLIA)
    claim = await put(api, intruder, platform.subject, "https://evil.example.cn/", region_code=INNER_MONGOLIA)
    assert claim.status_code == 403, claim.text
    assert await stored(api, platform.subject) is None
    own = await put(
        api, regional_admin(village[:2]), platform.subject, "https://ok.example.cn/", region_code=village[:4]
    )
    assert own.status_code == 200, own.text


async def test_a_new_platform_without_a_region_is_the_whole_countrys_administrators_to_register(
    api: ComplaintsApi,
) -> None:
    client = client_id()
    refused = await put(api, regional_admin(SHANXI), client, "https://12345.example.cn/results")
    assert refused.status_code == 403, refused.text
    assert await stored(api, client) is None


async def test_callback_urls_to_internal_addresses_are_refused_and_change_nothing(api: ComplaintsApi) -> None:
    known = client_id()
    assert (await put(api, admin(), known, "https://12345.example.cn/results")).status_code == 200
    before = await stored(api, known)
    newcomer = client_id()
    with api.settings(environment="production", outbound_allow_private=False):
        for url in (*INTERNAL_URLS, "https://localhost/cb", "https://[::1]/cb", "http://12345.example.cn/results"):
            for client in (known, newcomer):
                reply = await put(api, admin(), client, url)
                assert reply.status_code == 422, (url, reply.text)
                assert reply.headers["content-type"] == PROBLEM_JSON
                problem = reply.json()
                assert problem["code"] == "callback_url_refused"
                assert problem["errors"][0]["loc"] == ["body", "callback_url"]
        assert await stored(api, known) == before
        assert await stored(api, newcomer) is None
        # A public https URL is fine in production.
        accepted = await put(api, admin(), newcomer, "https://12345.example.gov.cn/jiuzhu/results")
        assert accepted.status_code == 200, accepted.text


async def test_a_push_to_a_url_refused_at_that_moment_is_logged_and_retried(api: ComplaintsApi) -> None:
    village = new_village()
    platform = hotline(village[:6])
    created = await api.post_work_order(work_order(village), platform)
    number = created["work_order_no"]
    await api.investigate_and_resolve(created["complaint_id"], township_officer(village))
    strict, lenient = ResultPush(pusher(api, outbound_allow_private=False)), ResultPush(pusher(api))
    try:
        async with fake_platform() as fake:
            # Registered while private addresses were allowed (the test stack's policy); now they are not.
            registered = await put(api, admin(), platform.subject, fake.url)
            assert registered.status_code == 200, registered.text
            await run(api, strict)
            refused = await delivery(api, platform, number)
            assert refused["state"] == "pending"
            assert refused["last_error"] == URL_REFUSED
            assert [(a["http_status"], a["error"]) for a in refused["attempt_log"]] == [(None, URL_REFUSED)]
            assert api.clock.at is not None
            assert (at(refused["next_attempt_at"]) - api.clock.at).total_seconds() == 30
            assert fake.of(number) == []

            # Once the address may be called again, the same result goes out at its next attempt.
            api.clock.at = at(refused["next_attempt_at"])
            await run(api, lenient)
            done = await delivery(api, platform, number)
            assert done["state"] == "delivered"
            assert [a["error"] for a in done["attempt_log"]] == [URL_REFUSED, None]
            assert [r.delivery_id for r in fake.of(number)] == [done["delivery_id"]]
    finally:
        await strict.aclose()
        await lenient.aclose()


async def test_the_stored_region_is_the_one_the_gateway_sent(api: ComplaintsApi) -> None:
    client = client_id()
    reply = await put(api, admin(), client, "https://12345.example.cn/results", region_code="140402")
    assert reply.status_code == 200, reply.text
    async with api.db.sessions() as session:
        region = await session.scalar(select(HotlinePlatform.region_code).where(HotlinePlatform.client_id == client))
    assert region == "140402"
    bad = await put(api, admin(), client_id(), "https://12345.example.cn/results", region_code="1404x")
    assert bad.status_code == 422, bad.text
