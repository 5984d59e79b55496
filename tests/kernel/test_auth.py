"""The internal principal token and the role, scope and jurisdiction checks every service applies."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import AsyncIterator
from typing import Annotated

import httpx
import jwt
import pytest
from fastapi import Depends, FastAPI

from libs.contracts.staff import Scope, StaffRole
from libs.kernel.auth import (
    INTERNAL_HEADER,
    CurrentPrincipal,
    InternalTokens,
    Principal,
    PrincipalKind,
    ensure_jurisdiction,
    require_roles,
    require_scope,
)
from libs.kernel.errors import OutsideJurisdiction, Unauthorized, install_error_handlers

SECRET = "test-internal-secret-0123456789abcdef"
TOKENS = InternalTokens(SECRET, ttl_seconds=300)

COUNTY_OFFICER = Principal(
    "u-county", PrincipalKind.staff, "County officer", "330102", frozenset({StaffRole.county_officer.value})
)
VILLAGE_ASSISTANT = Principal(
    "u-village",
    PrincipalKind.staff,
    "Village assistant",
    "330102001001",
    frozenset({StaffRole.village_assistant.value}),
)
ADMIN = Principal("u-admin", PrincipalKind.staff, "Administrator", "", frozenset({StaffRole.system_admin.value}))
FEED_CLIENT = Principal(
    "c-feed", PrincipalKind.client, "Public security registry", "33", scopes=frozenset({Scope.registry_feed.value})
)
# A partner client whose claims happen to name a staff role: roles are for staff only.
ODD_CLIENT = Principal(
    "c-odd",
    PrincipalKind.client,
    "Hotline",
    "33",
    frozenset({StaffRole.county_officer.value}),
    frozenset({Scope.hotline.value}),
)


def test_a_signed_principal_verifies_to_the_same_principal() -> None:
    for principal in (COUNTY_OFFICER, ADMIN, FEED_CLIENT, ODD_CLIENT):
        assert TOKENS.verify(TOKENS.sign(principal)) == principal


def test_an_expired_token_is_refused() -> None:
    token = TOKENS.sign(COUNTY_OFFICER, now=time.time() - 301)
    with pytest.raises(Unauthorized) as raised:
        TOKENS.verify(token)
    assert raised.value.instance_code == "invalid_internal_token"


def test_a_verified_token_is_remembered_only_until_it_expires() -> None:
    """Services remember verified tokens (the gateway reuses one per caller for minutes): never past their `exp`,
    and only the exact text that was verified."""
    tokens = InternalTokens(SECRET, ttl_seconds=300)
    token = tokens.sign(COUNTY_OFFICER, now=time.time() - 298)  # expires in one to two seconds
    assert tokens.verify(token) == COUNTY_OFFICER
    assert tokens.verify(token) == COUNTY_OFFICER
    header, claims, signature = token.split(".")
    with pytest.raises(Unauthorized):
        tokens.verify(f"{header}.{claims}.{signature[:-2]}AA")
    time.sleep(2.1)
    with pytest.raises(Unauthorized):
        tokens.verify(token)


def test_the_memory_of_verified_tokens_is_bounded() -> None:
    tokens = InternalTokens(SECRET, ttl_seconds=300, max_cached=3)
    many = [tokens.sign(Principal(f"u-{i}", PrincipalKind.staff, "x", "33")) for i in range(10)]
    for token in many:
        tokens.verify(token)
    assert len(tokens._verified) <= 3
    assert tokens.verify(many[0]).subject == "u-0"


def test_a_token_signed_with_another_secret_is_refused() -> None:
    forged = InternalTokens("another-secret-that-is-long-enough-0123").sign(ADMIN)
    with pytest.raises(Unauthorized):
        TOKENS.verify(forged)


def _tampered(token: str, **claims: object) -> str:
    header, payload, signature = token.split(".")
    decoded = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    decoded.update(claims)
    forged = base64.urlsafe_b64encode(json.dumps(decoded).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


@pytest.mark.parametrize(
    "token",
    [
        _tampered(TOKENS.sign(VILLAGE_ASSISTANT), roles=[StaffRole.system_admin.value]),
        _tampered(TOKENS.sign(VILLAGE_ASSISTANT), region=""),
        TOKENS.sign(COUNTY_OFFICER)[:-2] + "xx",
        "not-a-token",
        "",
    ],
    ids=["escalated-roles", "widened-region", "broken-signature", "garbage", "empty"],
)
def test_a_tampered_or_malformed_token_is_refused(token: str) -> None:
    with pytest.raises(Unauthorized):
        TOKENS.verify(token)


@pytest.mark.parametrize(
    "claims",
    [
        {
            "sub": "u-1",
            "kind": "staff",
            "region": "",
            "roles": ["system_admin"],
            "iss": "jiuzhu-gateway",
            "aud": "jiuzhu-users",
            "iat": 0,
            "exp": 2**40,
        },
        {
            "sub": "u-1",
            "kind": "staff",
            "region": "",
            "roles": ["system_admin"],
            "iss": "someone-else",
            "aud": "jiuzhu-services",
            "iat": 0,
            "exp": 2**40,
        },
        {
            "sub": "u-1",
            "kind": "staff",
            "region": "",
            "roles": ["system_admin"],
            "iss": "jiuzhu-gateway",
            "aud": "jiuzhu-services",
            "iat": 0,
        },
        {
            "sub": "u-1",
            "kind": "robot",
            "region": "",
            "iss": "jiuzhu-gateway",
            "aud": "jiuzhu-services",
            "iat": 0,
            "exp": 2**40,
        },
        {"sub": "u-1", "region": "", "iss": "jiuzhu-gateway", "aud": "jiuzhu-services", "iat": 0, "exp": 2**40},
    ],
    ids=["wrong-audience", "wrong-issuer", "no-expiry", "unknown-kind", "no-kind"],
)
def test_a_correctly_signed_token_with_the_wrong_claims_is_refused(claims: dict[str, object]) -> None:
    with pytest.raises(Unauthorized):
        TOKENS.verify(jwt.encode(claims, SECRET, algorithm="HS256"))


def test_an_unsigned_token_is_refused() -> None:
    claims = {**ADMIN.to_claims(), "iss": "jiuzhu-gateway", "aud": "jiuzhu-services", "iat": 0, "exp": 2**40}
    unsigned = jwt.encode(claims, "", algorithm="none")
    assert unsigned.endswith(".")  # no signature at all
    with pytest.raises(Unauthorized):
        TOKENS.verify(unsigned)


@pytest.mark.parametrize(
    ("prefix", "region", "covered"),
    [
        ("330102", "330102", True),
        ("330102", "330102001001", True),
        ("330102", "330103001001", False),
        ("330102", "3301", False),  # the whole city is wider than one county
        ("33", "330102001001", True),
        ("", "110101", True),  # the built-in administrator: the whole country
    ],
)
def test_a_principal_covers_its_region_and_everything_under_it(prefix: str, region: str, covered: bool) -> None:
    principal = Principal("u", PrincipalKind.staff, "u", prefix)
    assert principal.covers(region) is covered


def test_ensure_jurisdiction_raises_outside_jurisdiction() -> None:
    ensure_jurisdiction(COUNTY_OFFICER, "330102001001")
    with pytest.raises(OutsideJurisdiction) as raised:
        ensure_jurisdiction(COUNTY_OFFICER, "330103")
    assert (raised.value.status, raised.value.instance_code) == (403, "outside_jurisdiction")


def build_app() -> FastAPI:
    app = FastAPI()
    app.state.internal_tokens = TOKENS
    install_error_handlers(app)

    @app.get("/cases")
    async def cases(_: Annotated[Principal, Depends(require_roles(StaffRole.county_officer))]) -> dict[str, str]:
        return {"ok": "cases"}

    @app.get("/feeds")
    async def feeds(_: Annotated[Principal, Depends(require_scope(Scope.registry_feed))]) -> dict[str, str]:
        return {"ok": "feeds"}

    @app.get("/regions/{region_code}")
    async def region(region_code: str, principal: CurrentPrincipal) -> dict[str, str]:
        ensure_jurisdiction(principal, region_code)
        return {"ok": region_code}

    return app


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(build_app()), base_url="http://service") as c:
        yield c


def as_(principal: Principal) -> dict[str, str]:
    return {INTERNAL_HEADER: TOKENS.sign(principal)}


@pytest.mark.parametrize(
    ("principal", "status"),
    [(COUNTY_OFFICER, 200), (ADMIN, 200), (VILLAGE_ASSISTANT, 403), (ODD_CLIENT, 403), (FEED_CLIENT, 403)],
    ids=["holder", "admin", "other-role", "client-naming-the-role", "client"],
)
async def test_require_roles_admits_holders_and_administrators(
    client: httpx.AsyncClient, principal: Principal, status: int
) -> None:
    response = await client.get("/cases", headers=as_(principal))

    assert response.status_code == status
    if status == 403:
        assert response.json()["code"] == "role_required"


@pytest.mark.parametrize(
    ("principal", "status"),
    [(FEED_CLIENT, 200), (ODD_CLIENT, 403), (ADMIN, 403), (COUNTY_OFFICER, 403)],
    ids=["client-with-scope", "client-without", "admin", "staff"],
)
async def test_require_scope_admits_only_partner_clients_holding_it(
    client: httpx.AsyncClient, principal: Principal, status: int
) -> None:
    response = await client.get("/feeds", headers=as_(principal))

    assert response.status_code == status
    if status == 403:
        assert response.json()["code"] == "scope_required"


@pytest.mark.parametrize(
    ("principal", "region", "status"),
    [
        (COUNTY_OFFICER, "330102001001", 200),
        (COUNTY_OFFICER, "330103001001", 403),
        (VILLAGE_ASSISTANT, "330102001002", 403),
        (ADMIN, "110101001001", 200),
    ],
)
async def test_ensure_jurisdiction_in_an_endpoint(
    client: httpx.AsyncClient, principal: Principal, region: str, status: int
) -> None:
    response = await client.get(f"/regions/{region}", headers=as_(principal))

    assert response.status_code == status
    if status == 403:
        assert response.json()["code"] == "outside_jurisdiction"


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({}, "missing_principal"),
        ({INTERNAL_HEADER: ""}, "missing_principal"),
        ({INTERNAL_HEADER: "garbage"}, "invalid_internal_token"),
        (
            {INTERNAL_HEADER: InternalTokens("someone-elses-secret-0123456789abcd").sign(ADMIN)},
            "invalid_internal_token",
        ),
        ({INTERNAL_HEADER: TOKENS.sign(ADMIN, now=time.time() - 3600)}, "invalid_internal_token"),
    ],
    ids=["absent", "empty", "garbage", "wrong-secret", "expired"],
)
async def test_no_valid_principal_is_a_401_before_any_role_check(
    client: httpx.AsyncClient, headers: dict[str, str], code: str
) -> None:
    for path in ("/cases", "/feeds", "/regions/33"):
        response = await client.get(path, headers=headers)
        assert response.status_code == 401
        assert response.json()["code"] == code
