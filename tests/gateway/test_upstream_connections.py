"""Connections between the gateway and the services (issue 17, finding 11: random 502s after an idle pause).

The gateway retires a pooled connection before the service would close it, and sends a request a reused connection
dropped once more on a fresh connection when that cannot repeat a write. Stub upstreams make the race certain; a real
intake process with a short keep-alive shows both ends agreeing.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator, Iterator

import httpx
import psutil
import pytest

from gateway.upstream_transport import Attempt, ReplayableBody, may_retry
from libs.devstack.processes import free_port, spawn, stop, wait_for_http
from libs.devstack.stack import DevStack
from tests.gateway.harness import (
    INTERNAL_SECRET,
    REPO_ROOT,
    RunningGateway,
    ServiceProcess,
    assert_problem,
    gateway_settings,
    running_gateway,
)
from tests.gateway.keepalive_stub import DroppingUpstream
from tests.support.waiting import wait_until

PROBES = "/api/v1/intake/diagnostics/probes"
WHOAMI = "/api/v1/intake/diagnostics/whoami"
SERVICE_KEEPALIVE = 1  # seconds: the services' http_keepalive_seconds in these tests
GATEWAY_KEEPALIVE = 0.5  # the gateway's upstream_keepalive_seconds: well below it, as in production (30 < 75)


@pytest.fixture
async def stubs() -> AsyncIterator[list[DroppingUpstream]]:
    started: list[DroppingUpstream] = []
    yield started
    for stub in started:
        await stub.close()


async def _stub(stubs: list[DroppingUpstream], stub: DroppingUpstream) -> str:
    stubs.append(stub)
    return await stub.start()


async def test_a_post_after_the_service_s_keep_alive_ran_out_goes_on_a_new_connection(
    stack: DevStack, stubs: list[DroppingUpstream], admin_token: str
) -> None:
    """Before: the gateway kept idle connections 30 s, the services 5 s, and a POST sent on a connection the service
    was closing got a 502. The stub closes (lazily, certainly) what has been idle for its keep-alive."""
    stub = DroppingUpstream("keepalive", keepalive_seconds=SERVICE_KEEPALIVE)
    url = await _stub(stubs, stub)
    settings = gateway_settings(stack, url, upstream_keepalive_seconds=GATEWAY_KEEPALIVE)
    async with running_gateway(settings) as gw, gw.client(token=admin_token) as client:
        first = await client.post(PROBES, json={"count": 1})
        await asyncio.wait_for(stub.expired.wait(), 10)  # the service's keep-alive has run out
        second = await client.post(PROBES, json={"count": 1})
    assert (first.status_code, second.status_code) == (200, 200), second.text
    assert (stub.seen("POST"), stub.reset) == (2, 0)
    assert stub.connections == 2  # the idle connection was retired, not reused


async def test_a_get_a_reused_connection_dropped_is_sent_again_once_on_a_fresh_connection(
    stack: DevStack, stubs: list[DroppingUpstream], admin_token: str
) -> None:
    """Every pooled connection is stale (the service restarted behind them): the retry must not take another."""
    stub = DroppingUpstream("reset_reused", hold_first=2)
    url = await _stub(stubs, stub)
    async with running_gateway(gateway_settings(stack, url)) as gw, gw.client(token=admin_token) as client:
        warm = await asyncio.gather(client.get(WHOAMI), client.get(WHOAMI))  # two connections into the pool
        reply = await client.get(WHOAMI)
    assert [r.status_code for r in warm] == [200, 200]
    assert reply.status_code == 200, reply.text
    # The two warm-up requests, the one on a stale connection (reset), and its one retry on a new connection.
    assert (stub.seen("GET"), stub.reset, stub.connections) == (4, 1, 3)


async def test_a_get_is_retried_once_only(stack: DevStack, stubs: list[DroppingUpstream], admin_token: str) -> None:
    stub = DroppingUpstream("reset_all", answered_first=1)
    url = await _stub(stubs, stub)
    async with running_gateway(gateway_settings(stack, url)) as gw, gw.client(token=admin_token) as client:
        warm = await client.get(WHOAMI)
        reply = await client.get(WHOAMI)
    assert warm.status_code == 200
    assert_problem(reply, 502, "service_unavailable")
    assert (stub.seen("GET"), stub.reset) == (3, 2)  # the warm-up, then the request and its single retry


async def test_a_post_that_may_have_reached_the_service_is_never_sent_twice(
    stack: DevStack, stubs: list[DroppingUpstream], admin_token: str
) -> None:
    stub = DroppingUpstream("reset_reused")
    url = await _stub(stubs, stub)
    async with running_gateway(gateway_settings(stack, url)) as gw, gw.client(token=admin_token) as client:
        warm = await client.get(WHOAMI)
        reply = await client.post(PROBES, json={"count": 1})
    assert warm.status_code == 200
    assert_problem(reply, 502, "service_unavailable")
    assert (stub.seen("POST"), stub.reset) == (1, 1)


def _stream(*chunks: bytes) -> httpx.AsyncByteStream:
    async def source() -> AsyncIterator[bytes]:
        for chunk in chunks:
            yield chunk

    stream = httpx.Request("POST", "http://intake.test", content=source()).stream
    assert isinstance(stream, httpx.AsyncByteStream)
    return stream


async def test_the_retry_rules() -> None:
    dropped = ConnectionResetError(104, "Connection reset by peer")
    untouched = ReplayableBody(_stream(b"{}"))
    read = ReplayableBody(_stream(b"{}"))
    assert [chunk async for chunk in read] == [b"{}"]
    reused, written = Attempt(reused=True), Attempt(reused=True, body_writes=1)

    assert may_retry("GET", reused, None, dropped)
    assert may_retry("PUT", written, read, dropped)  # idempotent, and the body is kept: sent again whole
    assert [chunk async for chunk in read.replay()] == [b"{}"]
    assert may_retry("POST", reused, untouched, dropped)  # nothing of it was sent: headers go with the first chunk
    assert not may_retry("POST", written, untouched, dropped)
    assert not may_retry("POST", reused, None, dropped)  # no body: its headers went out alone
    assert not may_retry("POST", reused, read, dropped)  # the whole body was handed over
    assert not may_retry("GET", Attempt(reused=False), None, dropped)  # a new connection failing: the service is down
    assert not may_retry("GET", reused, None, TimeoutError())  # too slow is not a dropped connection
    assert not may_retry("GET", reused, None, ValueError("bad"))


# --- A real service with a short keep-alive, in production mode -------------------------------------------------


@pytest.fixture(scope="module")
def short_keepalive_intake(stack: DevStack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceProcess]:
    """`python -m services.intake serve --role api` in production mode, keeping idle connections SERVICE_KEEPALIVE s."""
    port, log_path = free_port(), tmp_path_factory.mktemp("short-keepalive") / "intake.log"
    env = {
        **os.environ,
        **stack.environment(),
        "PYTHONPATH": str(REPO_ROOT),
        "JIUZHU_ENVIRONMENT": "production",
        "JIUZHU_INTERNAL_TOKEN_SECRET": INTERNAL_SECRET,
        "JIUZHU_HTTP_KEEPALIVE_SECONDS": str(SERVICE_KEEPALIVE),
    }
    argv = [sys.executable, "-m", "services.intake", "serve", "--role", "api", "--port", str(port)]
    proc = spawn(argv, log_path=log_path, env=env, cwd=REPO_ROOT)
    service = ServiceProcess("intake", port, log_path, proc)
    try:
        wait_for_http(f"{service.url}/readyz", watch={"intake": (proc, log_path)}, timeout=60)
        yield service
    finally:
        stop(proc)


async def test_a_service_closes_an_idle_connection_after_its_keep_alive(short_keepalive_intake: ServiceProcess) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", short_keepalive_intake.port)
    try:
        writer.write(b"GET /healthz HTTP/1.1\r\nHost: intake\r\n\r\n")
        await writer.drain()
        answer = await reader.readuntil(b'{"status":"ok"}')
        assert answer.startswith(b"HTTP/1.1 200")
        started = asyncio.get_running_loop().time()
        # The service closes the connection (end of stream) after its keep-alive; before, it took 5 s, always.
        assert await asyncio.wait_for(reader.read(), SERVICE_KEEPALIVE + 2.5) == b""
        assert asyncio.get_running_loop().time() - started >= SERVICE_KEEPALIVE - 0.2
    finally:
        writer.close()


async def _open_connections(service: ServiceProcess) -> list[object]:
    """The service's established connections on its port (the gateway's, in this test)."""
    return [
        c
        for c in psutil.Process(service.proc.pid).net_connections(kind="tcp")
        if c.status == psutil.CONN_ESTABLISHED and c.laddr.port == service.port
    ]


async def test_a_post_after_an_idle_pause_longer_than_the_service_s_keep_alive_is_answered(
    stack: DevStack, short_keepalive_intake: ServiceProcess, admin_token: str
) -> None:
    settings = gateway_settings(
        stack, short_keepalive_intake.url, upstream_keepalive_seconds=GATEWAY_KEEPALIVE, environment="production"
    )
    async with running_gateway(settings) as gw, gw.client(token=admin_token) as client:
        first = await client.post(PROBES, json={"count": 1})
        assert first.status_code == 202, first.text
        # Idle until the connection is gone (the gateway retired it, or the service's keep-alive ran out).
        await wait_until(lambda: _open_connections(short_keepalive_intake), lambda open_: not open_, timeout=10)
        second = await client.post(PROBES, json={"count": 1})
    assert second.status_code == 202, second.text


async def test_in_production_the_gateway_hides_its_docs_and_still_describes_the_partner_api(
    stack: DevStack, short_keepalive_intake: ServiceProcess
) -> None:
    """The partner document is assembled from the services' descriptions, which a production service gives only to
    the gateway (libs.kernel.api_docs)."""
    production = gateway_settings(stack, short_keepalive_intake.url, environment="production")
    async with running_gateway(production) as gw, gw.client() as client:
        docs, spec = await client.get("/docs"), await client.get("/openapi.json")
        partner = await client.get("/api/v1/partner-openapi.json")
        anonymous = await httpx.AsyncClient().get(f"{short_keepalive_intake.url}/openapi.json")
    assert (docs.status_code, spec.status_code, anonymous.status_code) == (404, 404, 404)
    assert partner.status_code == 200, partner.text
    assert partner.json()["openapi"] == "3.1.0"

    exposed = gateway_settings(stack, short_keepalive_intake.url, environment="production", expose_docs=True)
    async with running_gateway(exposed) as gw, gw.client() as client:
        assert (await client.get("/docs")).status_code == 200


async def test_the_gateway_s_metrics_need_the_metrics_token(gateway: RunningGateway) -> None:
    token = gateway.settings.metrics_token
    assert token is not None
    async with gateway.client() as client:
        refused = await client.get("/metrics")
        allowed = await client.get("/metrics", headers={"Authorization": f"Bearer {token.get_secret_value()}"})
    assert_problem(refused, 401, "invalid_metrics_token")
    assert allowed.status_code == 200
    assert "jiuzhu_gateway_upstream_seconds" in allowed.text
