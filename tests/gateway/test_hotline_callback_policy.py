"""A hotline client's callback URL is checked before the client is created (issue 17, finding 5;
gateway/auth/hotline.py): a URL pointing at loopback, link-local or private addresses (or plain http in production)
is `422 callback_url_refused` and no client is created, whether the gateway's own policy refuses it or complaints'
does; and complaints is told the new client's region, so that only administrators of that region may change it."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from libs.devstack.stack import DevStack
from libs.kernel.service import create_service_app
from services.complaints.definition import DEFINITION as COMPLAINTS
from tests.gateway.harness import (
    ADMIN_PASSWORD,
    INTERNAL_SECRET,
    RunningGateway,
    assert_problem,
    gateway_settings,
    running_gateway,
    unique_name,
    unique_region,
)
from tests.support.loopback_server import serving

CLIENTS = "/api/v1/admin/clients"
INTERNAL_URLS = ("https://127.0.0.1/results", "http://169.254.169.254/latest/meta-data/", "https://10.0.0.1/cb")


def _hotline_client(url: str) -> dict[str, Any]:
    return {"name": unique_name("hotline"), "scopes": ["hotline"], "region_code": unique_region(4), "callback_url": url}


async def _clients_named(engine: AsyncEngine, name: str) -> int:
    async with engine.connect() as conn:
        return int(await conn.scalar(text("SELECT count(*) FROM gateway.clients WHERE name = :n"), {"n": name}) or 0)


async def _platforms_at(engine: AsyncEngine, url: str) -> int:
    async with engine.connect() as conn:
        count = await conn.scalar(
            text("SELECT count(*) FROM complaints.hotline_platforms WHERE callback_url = :u"), {"u": url}
        )
    return int(count or 0)


def _unique(url: str) -> str:
    """The URL with a path no other request used, so the platforms table is asked about this test's only."""
    return f"{url.rstrip('/')}/{uuid.uuid4().hex}"


async def test_a_callback_to_an_internal_address_creates_no_client(
    stack: DevStack, admin_ready: None, engine: AsyncEngine, gateway: RunningGateway
) -> None:
    # A production-like gateway (https required, no private targets) in front of the real complaints process.
    settings = gateway_settings(
        stack,
        gateway.settings.intake_url,
        complaints_url=gateway.settings.complaints_url,
        environment="production",
        outbound_allow_private=False,
    )
    async with running_gateway(settings) as strict:
        token = await strict.password_token("admin", ADMIN_PASSWORD)
        async with strict.client(token=token) as client:
            for url in (*map(_unique, INTERNAL_URLS), _unique("http://hotline.example.cn/results")):
                body = _hotline_client(url)
                refused = await client.post(CLIENTS, json=body)
                problem = assert_problem(refused, 422, "callback_url_refused")
                assert problem["errors"][0]["loc"] == ["body", "callback_url"]
                assert "client_secret" not in refused.text
                assert await _clients_named(engine, body["name"]) == 0
                assert await _platforms_at(engine, url) == 0
            # A public https callback is created as before.
            fine = _hotline_client(_unique("https://hotline.example.cn/results"))
            created = await client.post(CLIENTS, json=fine)
    assert created.status_code == 201, created.text
    assert await _clients_named(engine, fine["name"]) == 1


@contextlib.asynccontextmanager
async def _strict_complaints() -> AsyncIterator[str]:
    """A real complaints API, on the session's database, whose operator allows no private callback targets."""
    settings = COMPLAINTS.settings().with_overrides(
        role="api", internal_token_secret=INTERNAL_SECRET, outbound_allow_private=False
    )
    async with serving(create_service_app(COMPLAINTS, settings), lifespan="on") as url:
        yield url


async def test_a_callback_complaints_refuses_creates_no_client_either(
    stack: DevStack, admin_ready: None, engine: AsyncEngine, gateway: RunningGateway
) -> None:
    # The gateway allows private targets (the test stack's policy); complaints' operator does not.
    async with _strict_complaints() as complaints_url:
        settings = gateway_settings(stack, gateway.settings.intake_url, complaints_url=complaints_url)
        async with running_gateway(settings) as lenient:
            token = await lenient.password_token("admin", ADMIN_PASSWORD)
            async with lenient.client(token=token) as client:
                url = _unique("https://10.0.0.1/cb")
                body = _hotline_client(url)
                refused = await client.post(CLIENTS, json=body)
    assert_problem(refused, 422, "callback_url_refused")
    assert await _clients_named(engine, body["name"]) == 0
    assert await _platforms_at(engine, url) == 0


async def test_complaints_is_told_the_new_clients_region(
    gateway: RunningGateway, admin_token: str, engine: AsyncEngine
) -> None:
    body = _hotline_client(_unique("https://hotline.example.cn/results"))
    async with gateway.client(token=admin_token) as client:
        created = await client.post(CLIENTS, json=body)
    assert created.status_code == 201, created.text
    async with engine.connect() as conn:
        region = await conn.scalar(
            text("SELECT region_code FROM complaints.hotline_platforms WHERE client_id = :c"),
            {"c": created.json()["client_id"]},
        )
    assert region == body["region_code"]
