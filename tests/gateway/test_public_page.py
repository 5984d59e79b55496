"""The public page through the gateway (issue 22): its few paths pass without a token, limited per address; every
other path still needs one. Casework is real (in this process, on the session's database)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from gateway.auth.errors import PublicRateLimited
from gateway.public_paths import PublicRateLimit
from libs.contracts.staff import StaffRole
from libs.devstack.stack import DevStack
from libs.kernel.auth import INTERNAL_HEADER, InternalTokens
from libs.kernel.service import create_service_app
from tests.gateway.harness import (
    INTERNAL_SECRET,
    RunningGateway,
    assert_problem,
    bound_socket,
    gateway_settings,
    running_gateway,
    serve_on,
    unique_ip,
)
from tests.support.principals import staff
from tests.support.regions import new_county

PUBLIC = "/api/v1/casework/public"


def casework_app() -> FastAPI:
    from services.casework.definition import DEFINITION as CASEWORK

    settings = CASEWORK.settings().with_overrides(role="api", internal_token_secret=INTERNAL_SECRET)
    return create_service_app(CASEWORK, settings)


@contextlib.asynccontextmanager
async def public_gateway(stack: DevStack, **overrides: Any) -> AsyncIterator[tuple[RunningGateway, str]]:
    """The gateway routing casework to a real casework, and a county named there (as the gateway delivers names)."""
    county = new_county()
    async with serve_on(bound_socket(), casework_app()) as casework_url:
        admin = staff(StaffRole.system_admin, "")
        body = {"names": [{"code": county, "name": "示范县", "revision": 1}]}
        async with httpx.AsyncClient(base_url=casework_url) as direct:
            named = await direct.put(
                "/internal/v1/region-names",
                json=body,
                headers={INTERNAL_HEADER: InternalTokens(INTERNAL_SECRET).sign(admin)},
            )
        assert named.status_code == 200, named.text
        settings = gateway_settings(stack, "http://127.0.0.1:9", casework_url=casework_url, **overrides)
        async with running_gateway(settings) as gw:
            yield gw, county


async def test_the_public_paths_need_no_token_and_every_other_path_still_does(
    stack: DevStack, gateway_schema: None
) -> None:
    async with public_gateway(stack) as (gw, county), gw.client() as anyone:
        page = await anyone.get(f"{PUBLIC}/{county}")
        assert page.status_code == 200, page.text
        assert page.json()["county_name"] == "示范县"
        posting = await anyone.get(f"{PUBLIC}/{county}/posting", params={"page": "1"})
        assert (posting.status_code, posting.json()["items"]) == (200, [])
        listed = await anyone.get(PUBLIC)
        assert {"county_code": county, "county_name": "示范县"} in listed.json()["items"]
        # A token that is no good changes nothing on a public page (it is not even looked at).
        assert (await anyone.get(f"{PUBLIC}/{county}", headers={"Authorization": "Bearer nonsense"})).status_code == 200
        # The service still checks what it is asked: a bad page is its 422, an unknown county its 404.
        assert (await anyone.get(f"{PUBLIC}/{county}/posting", params={"page": "0"})).status_code == 422
        assert_problem(await anyone.get(f"{PUBLIC}/{new_county()}"), 404, "county_not_public")
        # Queries are short and bodies absent.
        assert_problem(await anyone.get(f"{PUBLIC}/{county}/posting", params={"page": "1" * 80}), 400, "bad_request")

        # Everything else stays closed: other casework paths, other methods, paths that only look alike.
        for method, path in (
            ("GET", f"/api/v1/casework/postings/{county}101201"),
            ("GET", f"/api/v1/casework/standards/in-force?region_code={county}"),
            ("POST", f"{PUBLIC}/{county}"),
            ("DELETE", f"{PUBLIC}/{county}/posting"),
            ("GET", f"{PUBLIC}/{county}/posting/x"),
            ("GET", f"{PUBLIC}/{county}101"),
            ("GET", f"{PUBLIC}/{county}/../../households"),
            ("GET", "/api/v1/intake/applications"),
        ):
            reply = await anyone.request(method, path)
            assert reply.status_code == 401, (method, path, reply.text)
            assert reply.json()["code"] == "missing_token"


async def test_the_public_pages_are_limited_per_address(stack: DevStack, gateway_schema: None) -> None:
    async with public_gateway(stack, public_rate_limit=3, public_rate_window_seconds=60) as (gw, county):
        address = unique_ip()
        async with gw.client(ip=address) as one:
            for _ in range(3):
                assert (await one.get(f"{PUBLIC}/{county}")).status_code == 200
            refused = await one.get(f"{PUBLIC}/{county}/posting")
            body = assert_problem(refused, 429, "public_rate_limited")
            assert body["title_zh"] == "该地址访问过于频繁，请稍后再试"
            assert 1 <= int(refused.headers["retry-after"]) <= 60
        # Another address is served as before; the first stays refused.
        async with gw.client(ip=unique_ip()) as other:
            assert (await other.get(f"{PUBLIC}/{county}")).status_code == 200
        async with gw.client(ip=address) as one:
            assert (await one.get(PUBLIC)).status_code == 429


def test_the_limit_counts_per_address_and_window_and_keeps_a_bounded_table() -> None:
    limit = PublicRateLimit(limit=2, window_seconds=10, max_addresses=3)
    limit.admit("a", now=0)
    limit.admit("a", now=1)
    with pytest.raises(PublicRateLimited) as refused:
        limit.admit("a", now=4)
    assert refused.value.headers == {"Retry-After": "6"}  # the window that began at 0 ends at 10
    limit.admit("b", now=4)  # another address is counted on its own
    limit.admit("a", now=10)  # a new window
    # Many addresses: the table keeps at most `max_addresses`, dropping the oldest windows first.
    for n in range(10):
        limit.admit(f"10.0.0.{n}", now=11)
    assert len(limit) == 3
