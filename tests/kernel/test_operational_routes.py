"""`/metrics` and the API description are not for everyone (issue 17, finding 15): metrics need the metrics token,
and in production a service describes its API only to the gateway."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from libs.devstack.stack import DevStack
from libs.kernel.api_docs import DOCS_READER
from libs.kernel.auth import INTERNAL_HEADER, InternalTokens, Principal, PrincipalKind
from libs.kernel.service import create_service_app
from services.intake.definition import DEFINITION as INTAKE

METRICS_TOKEN = "metrics-token-of-these-tests-0123456789"


@asynccontextmanager
async def intake(**overrides: Any) -> AsyncIterator[httpx.AsyncClient]:
    app = create_service_app(INTAKE, INTAKE.settings().with_overrides(role="api", **overrides))
    transport = httpx.ASGITransport(app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://x") as client:
        yield client


def internal_token(principal: Principal = DOCS_READER) -> dict[str, str]:
    return {INTERNAL_HEADER: InternalTokens(INTAKE.settings().internal_token_secret.get_secret_value()).sign(principal)}


async def test_metrics_answer_only_the_bearer_of_the_metrics_token(stack: DevStack) -> None:
    async with intake(metrics_token=METRICS_TOKEN) as client:
        missing = await client.get("/metrics")
        wrong = await client.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}x"})
        # A service's internal token is no metrics token.
        internal_bearer = f"Bearer {internal_token()[INTERNAL_HEADER]}"
        internal = await client.get("/metrics", headers={"Authorization": internal_bearer})
        right = await client.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    for refused in (missing, wrong, internal):
        assert refused.status_code == 401, refused.text
        assert refused.json()["code"] == "invalid_metrics_token"
        assert "jiuzhu_http_requests_total" not in refused.text
        assert refused.headers["www-authenticate"].startswith("Bearer")
    assert right.status_code == 200
    assert "jiuzhu_http_requests_total" in right.text


async def test_without_a_metrics_token_there_are_no_metrics(stack: DevStack) -> None:
    async with intake(metrics_token=None) as client:
        reply = await client.get("/metrics", headers={"Authorization": "Bearer "})
    assert reply.status_code == 404
    assert "jiuzhu_" not in reply.text


@pytest.mark.parametrize("environment", ["local", "test"])
async def test_locally_and_in_tests_the_api_is_described_to_anyone(stack: DevStack, environment: str) -> None:
    async with intake(environment=environment) as client:
        docs, spec = await client.get("/docs"), await client.get("/openapi.json")
    assert docs.status_code == 200
    assert "swagger" in docs.text.lower()
    assert spec.status_code == 200
    assert "/api/v1/intake/applications" in spec.json()["paths"]


async def test_in_production_a_service_describes_its_api_to_the_gateway_only(stack: DevStack) -> None:
    staff = Principal("u-1", PrincipalKind.staff, "someone", "14", roles=frozenset({"county_officer"}))
    forged = {INTERNAL_HEADER: InternalTokens("another-secret-of-at-least-32-chars!!").sign(DOCS_READER)}
    async with intake(environment="production") as client:
        docs = await client.get("/docs", headers=internal_token())
        redoc = await client.get("/redoc")
        anonymous = await client.get("/openapi.json")
        forged_reply = await client.get("/openapi.json", headers=forged)
        gateway = await client.get("/openapi.json", headers=internal_token())
        # Any principal the gateway signed may read it; the reader's own token opens no staff route.
        as_staff = await client.get("/openapi.json", headers=internal_token(staff))
        reader_on_a_route = await client.get("/api/v1/intake/applications", headers=internal_token())
    for hidden in (docs, redoc, anonymous, forged_reply):
        assert hidden.status_code == 404, hidden.text
        assert "/api/v1/intake" not in hidden.text
    assert gateway.status_code == 200
    assert "/api/v1/intake/applications" in gateway.json()["paths"]
    assert as_staff.status_code == 200
    assert reader_on_a_route.status_code == 403, reader_on_a_route.text


async def test_expose_docs_opens_them_in_production_too(stack: DevStack) -> None:
    async with intake(environment="production", expose_docs=True) as client:
        docs, spec = await client.get("/docs"), await client.get("/openapi.json")
    assert (docs.status_code, spec.status_code) == (200, 200)
