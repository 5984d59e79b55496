"""Routing through the gateway to a real intake process: authentication, roles, scopes, jurisdiction, errors."""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import AsyncIterator
from urllib.parse import parse_qsl

import httpx
import pytest

from gateway.auth.tokens import AccessTokens
from libs.devstack.processes import free_port
from libs.devstack.stack import DevStack
from libs.kernel.auth import InternalTokens, Principal, PrincipalKind
from tests.gateway.harness import (
    INTERNAL_SECRET,
    RunningGateway,
    ServiceProcess,
    assert_problem,
    gateway_settings,
    new_partner,
    new_staff,
    running_gateway,
)
from tests.gateway.upstream_stub import StubUpstream

WHOAMI = "/api/v1/intake/diagnostics/whoami"
PROBES = "/api/v1/intake/diagnostics/probes"


async def _logged_request(service: ServiceProcess, request_id: str) -> dict[str, object]:
    """The service's JSON access line for `request_id`.

    The service writes it just after sending the response; a round trip to the same process is the barrier that
    lets us read it without sleeping.
    """
    async with httpx.AsyncClient() as client:
        for _ in range(20):
            for record in service.log_records():
                if record.get("request_id") == request_id and record.get("event") == "http.request":
                    return record
            await client.get(f"{service.url}/healthz")
    raise AssertionError(f"no log line of {service.name} carries request_id {request_id}")


async def test_staff_reach_the_service_with_the_request_id_followed(
    gateway: RunningGateway, admin_token: str, intake: ServiceProcess
) -> None:
    staff = await new_staff(gateway, admin_token, ["county_officer"], "140402")
    request_id = f"gw-test-{uuid.uuid4().hex}"
    async with gateway.client(token=staff.token) as client:
        reply = await client.get(WHOAMI, params={"region_code": "140402001"}, headers={"X-Request-ID": request_id})
    assert reply.status_code == 200, reply.text
    assert reply.headers["x-request-id"] == request_id
    who = reply.json()
    assert (who["kind"], who["name"], who["region_prefix"], who["roles"]) == (
        "staff", staff.username, "140402", ["county_officer"],
    )  # fmt: skip
    line = await _logged_request(intake, request_id)
    assert line["status"] == 200
    assert line["service"] == "intake"


async def test_no_or_bad_token_is_401_with_a_bearer_challenge(gateway: RunningGateway) -> None:
    staff = Principal("u-1", PrincipalKind.staff, "someone", "", roles=frozenset({"system_admin"}))
    async with gateway.client() as client:
        missing = await client.get(WHOAMI)
        garbage = await client.get(WHOAMI, headers={"Authorization": "Bearer not.a.token"})
        # A leaked internal token is no access token (other secret, other audience).
        internal = await client.get(
            WHOAMI, headers={"Authorization": f"Bearer {InternalTokens(INTERNAL_SECRET).sign(staff)}"}
        )
        expired_token = AccessTokens(gateway.settings.jwt_secret.get_secret_value(), 3600).issue(
            staff, now=time.time() - 7200
        )
        expired = await client.get(WHOAMI, headers={"Authorization": f"Bearer {expired_token.access_token}"})
    assert_problem(missing, 401, "missing_token")
    assert_problem(garbage, 401, "invalid_token")
    assert_problem(internal, 401, "invalid_token")
    assert_problem(expired, 401, "token_expired")
    for reply in (missing, garbage, internal, expired):
        assert reply.headers["www-authenticate"].startswith("Bearer")


async def test_the_service_refuses_a_role_it_does_not_grant(gateway: RunningGateway, admin_token: str) -> None:
    officer = await new_staff(gateway, admin_token, ["township_officer"], "140402001")
    async with gateway.client(token=officer.token) as client:
        reply = await client.post(PROBES, json={"count": 1})
    assert_problem(reply, 403, "role_required")


async def test_scopes_and_audiences_are_enforced_at_the_gateway(gateway: RunningGateway, admin_token: str) -> None:
    finance = await new_partner(gateway, admin_token, ["finance"], "140402")
    staff = await new_staff(gateway, admin_token, ["county_officer"], "140402")
    async with gateway.client(token=finance.token) as client:
        wrong_scope = await client.get("/api/v1/hotline/work-orders/HL1")
        staff_prefix = await client.get(WHOAMI)
    async with gateway.client(token=staff.token) as client:
        partner_prefix = await client.get("/api/v1/finance/rosters")
        feeds = await client.post("/api/v1/matching/feeds", params={"source": "death"})
    assert_problem(wrong_scope, 403, "scope_required")
    assert_problem(staff_prefix, 403, "staff_only")
    assert_problem(partner_prefix, 403, "scope_required")
    assert_problem(feeds, 403, "scope_required")  # longest prefix: the partner route, not the staff one


async def test_outside_jurisdiction_is_refused_by_the_gateway_and_by_the_service(
    gateway: RunningGateway, admin_token: str, intake: ServiceProcess
) -> None:
    staff = await new_staff(gateway, admin_token, ["county_officer"], "140402")
    async with gateway.client(token=staff.token) as client:
        inside = await client.get(WHOAMI, params={"region_code": "140402001001"})
        at_gateway = await client.get(WHOAMI, params=[("region_code", "140402"), ("region_code", "150102")])
    assert inside.status_code == 200, inside.text
    assert_problem(at_gateway, 403, "outside_jurisdiction")
    # The service does not rely on the gateway: the same principal forwarded straight to it is refused there too.
    principal = AccessTokens(gateway.settings.jwt_secret.get_secret_value(), 60).verify(staff.token).principal
    async with httpx.AsyncClient(base_url=intake.url) as direct:
        at_service = await direct.get(
            WHOAMI,
            params={"region_code": "150102"},
            headers={"X-Jiuzhu-Principal": InternalTokens(INTERNAL_SECRET).sign(principal)},
        )
    assert_problem(at_service, 403, "outside_jurisdiction")


async def test_a_partner_token_reaches_the_service_on_its_prefix(
    gateway: RunningGateway, admin_token: str, intake: ServiceProcess
) -> None:
    province = await new_partner(gateway, admin_token, ["province"], "14")
    request_id = f"gw-partner-{uuid.uuid4().hex}"
    async with gateway.client(token=province.token) as client:
        reply = await client.get(
            "/api/v1/province/warnings", params={"region_code": "1404"}, headers={"X-Request-ID": request_id}
        )
    # Intake answered (whatever its warnings API does today): the gateway let the partner through.
    line = await _logged_request(intake, request_id)
    assert line["status"] == reply.status_code
    assert reply.status_code not in (401, 502, 504)


async def test_unknown_paths_are_404_problems(gateway: RunningGateway, admin_token: str) -> None:
    async with gateway.client(token=admin_token) as client:
        unrouted = await client.get("/api/v1/nowhere/at/all")
        outside_api = await client.get("/nowhere")
        dotted = await client.get("/api/v1/hotline/%2E%2E/intake/diagnostics/whoami")
    assert_problem(unrouted, 404, "not_found")
    assert_problem(outside_api, 404, "not_found")
    assert_problem(dotted, 404, "not_found")


@pytest.fixture
async def echo() -> AsyncIterator[StubUpstream]:
    stub = StubUpstream("echo")
    yield stub
    await stub.close()


async def test_headers_are_cleaned_and_bodies_stream_through(
    stack: DevStack, echo: StubUpstream, admin_token: str
) -> None:
    url = await echo.start()
    async with running_gateway(gateway_settings(stack, url)) as gw:
        body = bytes(range(256)) * 8192  # 2 MiB

        async def upload() -> AsyncIterator[bytes]:
            for start in range(0, len(body), 65536):
                yield body[start : start + 65536]

        async with gw.client(ip="10.9.250.7", token=admin_token) as client:
            reply = await client.post(
                "/api/v1/casework/uploads/%E4%B8%AD%2Fx?a=1&b=%26%3D&c=%E4%B8%AD&c=2",
                content=upload(),
                headers={"X-Jiuzhu-Principal": "forged", "X-Forwarded-For": "6.6.6.6", "Cookie": "s=1",
                         "Connection": "keep-alive, X-Caller-Hop", "X-Caller-Hop": "x", "X-Custom": "kept"},
            )  # fmt: skip
    assert reply.status_code == 200, reply.text
    seen = reply.json()
    headers = {k: v for k, v in seen["headers"]}
    path, _, query = seen["target"].partition("?")
    assert path == "/api/v1/casework/uploads/%E4%B8%AD%2Fx"  # percent-encoding reaches the service as sent
    assert parse_qsl(query) == [("a", "1"), ("b", "&="), ("c", "中"), ("c", "2")]
    assert (seen["body_length"], seen["body_sha256"]) == (len(body), hashlib.sha256(body).hexdigest())
    for name in ("authorization", "cookie", "x-caller-hop"):
        assert name not in headers
    assert headers["x-custom"] == "kept"
    assert headers["x-forwarded-for"] == "10.9.250.7"
    assert headers["x-request-id"] == reply.headers["x-request-id"]
    principal = InternalTokens(INTERNAL_SECRET).verify(headers["x-jiuzhu-principal"])
    assert (principal.name, principal.roles) == ("admin", frozenset({"system_admin"}))
    for name in ("x-stub-hop", "keep-alive", "proxy-authenticate"):
        assert name not in reply.headers
    assert reply.headers.get_list("link") == ["<https://a.example>; rel=a", "<https://b.example>; rel=b"]


async def test_a_service_that_is_down_is_502(stack: DevStack, admin_token: str) -> None:
    nothing_there = f"http://127.0.0.1:{free_port()}"
    async with running_gateway(gateway_settings(stack, nothing_there)) as gw, gw.client(token=admin_token) as client:
        reply = await client.get(WHOAMI)
    body = assert_problem(reply, 502, "service_unavailable")
    assert body["service"] == "intake"
    assert "intake" in body["detail"]


async def test_a_service_that_is_too_slow_is_504(stack: DevStack, admin_token: str) -> None:
    stub = StubUpstream("hang")
    url = await stub.start()
    try:
        settings = gateway_settings(stack, url, upstream_timeout_seconds=0.5)
        async with running_gateway(settings) as gw, gw.client(token=admin_token) as client:
            reply = await client.get(WHOAMI)
    finally:
        await stub.close()
    body = assert_problem(reply, 504, "service_timeout")
    assert body["service"] == "intake"
    assert len(stub.received) == 1
