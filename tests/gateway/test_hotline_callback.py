"""A new 12345 platform's callback is handed to complaints when the client is created (gateway/auth/hotline.py):
the secret that signs the result pushes is known only then (CONTRACTS.md §2)."""

from __future__ import annotations

import asyncio

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.auth.callback_delivery import SECRET_SEAL, Answer
from libs.devstack.stack import DevStack
from libs.kernel.pii import PiiVault
from services.complaints.context import PLATFORM_SIGNING_SEAL
from services.complaints.definition import DEFINITION as COMPLAINTS
from services.complaints.push.signing import signature, verify
from tests.gateway.harness import (
    ADMIN_PASSWORD,
    RunningGateway,
    assert_problem,
    bound_socket,
    complaints_app,
    gateway_settings,
    running_gateway,
    serve_on,
    unique_name,
    unique_region,
)

CLIENTS = "/api/v1/admin/clients"
PLATFORMS = "/api/v1/complaints/hotline-platforms"


async def _platform(engine: AsyncEngine, client_id: str) -> dict[str, str] | None:
    async with engine.connect() as conn:
        row = (
            (
                await conn.execute(
                    text("SELECT * FROM complaints.hotline_platforms WHERE client_id = :c"), {"c": client_id}
                )
            )
            .mappings()
            .one_or_none()
        )
    return None if row is None else {k: str(v) for k, v in row.items()}


async def test_a_hotline_client_with_a_callback_is_registered_with_complaints(
    gateway: RunningGateway, admin_token: str, engine: AsyncEngine
) -> None:
    body = {"name": unique_name("hotline"), "scopes": ["hotline"], "region_code": unique_region(4),
            "callback_url": "https://hotline.example/jiuzhu/results"}  # fmt: skip
    async with gateway.client(token=admin_token) as client:
        created = await client.post(CLIENTS, json=body)
        listed = await client.get(PLATFORMS)
    assert created.status_code == 201, created.text
    client_id, secret = created.json()["client_id"], created.json()["client_secret"]
    assert listed.status_code == 200, listed.text
    mine = [p for p in listed.json() if p["client_id"] == client_id]
    assert [p["callback_url"] for p in mine] == [body["callback_url"]]
    assert secret not in listed.text
    stored = await _platform(engine, client_id)
    assert stored is not None
    assert secret not in stored["secret_sealed"]
    # Sealed with complaints' own key, and it is the very secret the platform got: the pushes will verify.
    vault = PiiVault(COMPLAINTS.settings().pii_key.get_secret_value())
    assert vault.decrypt(stored["secret_sealed"], context=PLATFORM_SIGNING_SEAL) == secret


async def test_clients_without_a_hotline_callback_are_not_registered(
    gateway: RunningGateway, admin_token: str, engine: AsyncEngine
) -> None:
    without_url = {"name": unique_name("hotline"), "scopes": ["hotline"], "region_code": unique_region(4)}
    finance = {"name": unique_name("finance"), "scopes": ["finance"], "region_code": unique_region(6),
               "callback_url": "https://finance.example/cb"}  # fmt: skip
    async with gateway.client(token=admin_token) as client:
        replies = [await client.post(CLIENTS, json=b) for b in (without_url, finance)]
    for reply in replies:
        assert reply.status_code == 201, reply.text
        assert await _platform(engine, reply.json()["client_id"]) is None


class CountingPuts:
    """Complaints' app, counting the callback registrations it answered (set `arrived` after the first)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app, self.puts, self.arrived = app, 0, asyncio.Event()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)
        if scope["type"] == "http" and scope["method"] == "PUT" and scope["path"].startswith(PLATFORMS):
            self.puts += 1
            self.arrived.set()


async def _pending(engine: AsyncEngine, client_id: str) -> dict[str, str] | None:
    async with engine.connect() as conn:
        row = (
            (
                await conn.execute(
                    text("SELECT * FROM gateway.callback_deliveries WHERE client_id = :c"), {"c": client_id}
                )
            )
            .mappings()
            .one_or_none()
        )
    return None if row is None else {k: str(v) for k, v in row.items()}


async def test_a_client_created_while_complaints_is_down_reaches_complaints_once_it_is_back(
    stack: DevStack, admin_ready: None, engine: AsyncEngine, gateway: RunningGateway
) -> None:
    """Issue 18: the secret is not written to complaints inside the gateway's transaction. Complaints is down (its
    port bound, nobody listening: connections refused); the client is created all the same, its callback waits
    sealed in the gateway's outbox, and arrives exactly once when complaints comes up."""
    sock = bound_socket()
    complaints_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    settings = gateway_settings(stack, gateway.settings.intake_url, complaints_url=complaints_url,
                                callback_poll_seconds=0.05, callback_retry_min_seconds=0.05,
                                callback_retry_max_seconds=0.2)  # fmt: skip
    body = {"name": unique_name("hotline"), "scopes": ["hotline"], "region_code": unique_region(4),
            "callback_url": "https://hotline.example/cb"}  # fmt: skip
    complaints = CountingPuts(complaints_app())
    async with running_gateway(settings) as gw:
        token = await gw.password_token("admin", ADMIN_PASSWORD)
        async with gw.client(token=token) as client:
            created = await client.post(CLIENTS, json=body)
        assert created.status_code == 201, created.text
        client_id, secret = created.json()["client_id"], created.json()["client_secret"]
        assert await _platform(engine, client_id) is None
        waiting = await _pending(engine, client_id)
        assert waiting is not None
        assert int(waiting["attempts"]) >= 1
        assert secret not in str(waiting)  # sealed at rest
        assert (
            PiiVault(settings.pii_key.get_secret_value()).decrypt(waiting["secret_sealed"], context=SECRET_SEAL)
            == secret
        )

        async with serve_on(sock, complaints):
            async with asyncio.timeout(30):
                await complaints.arrived.wait()
            callbacks = gw.app.state.runtime.callbacks
            # Waits for the loop's transaction if it still holds the row: then nothing is left to send.
            assert await callbacks.deliver(client_id) is Answer.absent
            assert await callbacks.deliver_due() == 0
            assert complaints.puts == 1
            assert await _pending(engine, client_id) is None
            stored = await _platform(engine, client_id)
            assert stored is not None
            assert (stored["callback_url"], stored["region_code"]) == (body["callback_url"], body["region_code"])
            # The pushes are signed with the very secret the platform got: it verifies them.
            sealed_with = PiiVault(COMPLAINTS.settings().pii_key.get_secret_value())
            signing_key = sealed_with.decrypt(stored["secret_sealed"], context=PLATFORM_SIGNING_SEAL)
            result = b'{"work_order_id":"WO-1","status":"closed"}'
            assert verify(secret, result, signature(signing_key, result))
            # And the platform's secret now changes its callback through the gateway, complaints being up.
            async with gw.client(token=token) as client:
                change = {
                    "callback_url": "https://hotline.example/new",
                    "client_secret": secret,
                    "reason": "平台更换地址",
                }
                changed = await client.put(f"{CLIENTS}/{client_id}/callback", json=change)
            assert changed.status_code == 200, changed.text
            assert (await _platform(engine, client_id) or {})["callback_url"] == "https://hotline.example/new"


async def test_a_callback_is_changed_only_through_the_gateway_by_who_holds_the_clients_secret(
    gateway: RunningGateway, admin_token: str, engine: AsyncEngine
) -> None:
    """Finding 5: a regional administrator could point another region's hotline results at themself by writing to
    complaints directly. Only the gateway writes callbacks now, under the client's own region, and only with the
    client's secret."""
    region = unique_region(4)
    body = {"name": unique_name("hotline"), "scopes": ["hotline"], "region_code": region,
            "callback_url": "https://hotline.example/first"}  # fmt: skip
    async with gateway.client(token=admin_token) as client:
        created = (await client.post(CLIENTS, json=body)).json()
    client_id, secret = created["client_id"], created["client_secret"]
    change = f"{CLIENTS}/{client_id}/callback"
    new_url = "https://hotline.example/second"
    async with gateway.client(token=admin_token) as admin:
        direct = await admin.put(f"{PLATFORMS}/{client_id}", json={"callback_url": "https://evil.example/x",
                                                                   "client_secret": secret})  # fmt: skip
        wrong_secret = await admin.put(change, json={"callback_url": new_url, "client_secret": "x" * 40,
                                                     "reason": "平台更换地址"})  # fmt: skip
        changed = await admin.put(change, json={"callback_url": new_url, "client_secret": secret,
                                                "reason": "平台更换地址"})  # fmt: skip
    assert_problem(direct, 403, "use_admin_api")
    assert_problem(wrong_secret, 422, "wrong_client_secret")
    assert changed.status_code == 200, changed.text
    assert changed.json()["callback_url"] == new_url
    stored = await _platform(engine, client_id)
    assert stored is not None
    assert (stored["callback_url"], stored["region_code"]) == (new_url, region)

    other_region_admin = await _admin_of(gateway, admin_token, "15")
    async with gateway.client(token=other_region_admin) as admin:
        outside = await admin.put(change, json={"callback_url": "https://evil.example/x", "client_secret": secret,
                                                "reason": "接管"})  # fmt: skip
    assert_problem(outside, 404, "client_not_found")
    assert (await _platform(engine, client_id) or {})["callback_url"] == new_url


async def _admin_of(gateway: RunningGateway, admin_token: str, region: str) -> str:
    from tests.gateway.harness import new_staff

    return (await new_staff(gateway, admin_token, ["system_admin"], region)).token
