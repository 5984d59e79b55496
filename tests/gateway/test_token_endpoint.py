"""`POST /api/v1/auth/token`: both grants and OAuth-shaped problems (the login limits: test_lockout.py)."""

from __future__ import annotations

import base64

import jwt

from gateway.auth.tokens import AUDIENCE
from tests.gateway.harness import RunningGateway, assert_problem, new_partner, new_staff, unique_ip

TOKEN = "/api/v1/auth/token"


def _claims(gw: RunningGateway, token: str) -> dict[str, object]:
    secret = gw.settings.jwt_secret.get_secret_value()
    claims: dict[str, object] = jwt.decode(token, secret, algorithms=["HS256"], audience=AUDIENCE)
    return claims


async def test_password_grant_issues_a_staff_token(gateway: RunningGateway, admin_token: str) -> None:
    staff = await new_staff(gateway, admin_token, ["township_officer"], "140402001")
    async with gateway.client() as client:
        reply = await client.post(
            TOKEN, data={"grant_type": "password", "username": staff.username.upper(), "password": staff.password}
        )
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert (body["token_type"], body["expires_in"], body["scope"]) == ("bearer", 3600, "township_officer")
    assert reply.headers["cache-control"] == "no-store"
    claims = _claims(gateway, body["access_token"])
    assert (claims["kind"], claims["name"], claims["region"]) == ("staff", staff.username, "140402001")
    assert claims["roles"] == ["township_officer"]
    assert claims["scopes"] == []


async def test_client_credentials_in_the_form_or_with_http_basic(gateway: RunningGateway, admin_token: str) -> None:
    partner = await new_partner(gateway, admin_token, ["finance", "province"], "14")
    basic = base64.b64encode(f"{partner.client_id}:{partner.secret}".encode()).decode()
    async with gateway.client() as client:
        reply = await client.post(
            TOKEN,
            data={"grant_type": "client_credentials", "scope": "finance"},
            headers={"Authorization": f"Basic {basic}"},
        )
    assert reply.status_code == 200, reply.text
    assert reply.json()["scope"] == "finance"  # narrowed to what was asked for
    claims = _claims(gateway, reply.json()["access_token"])
    assert (claims["kind"], claims["sub"], claims["region"], claims["scopes"]) == (
        "client", partner.client_id, "14", ["finance"],
    )  # fmt: skip
    assert _claims(gateway, partner.token)["scopes"] == ["finance", "province"]


async def test_wrong_password_and_unknown_user_are_both_invalid_grant(
    gateway: RunningGateway, admin_token: str
) -> None:
    staff = await new_staff(gateway, admin_token, ["county_officer"], "140402")
    async with gateway.client() as client:
        wrong = await client.post(
            TOKEN, data={"grant_type": "password", "username": staff.username, "password": "not-the-password"}
        )
        unknown = await client.post(
            TOKEN, data={"grant_type": "password", "username": "nobody-at-all", "password": "whatever-it-is"}
        )
    for reply in (wrong, unknown):
        body = assert_problem(reply, 401, "invalid_grant")
        assert body["error"] == "invalid_grant"
        assert "not-the-password" not in reply.text


async def test_bad_client_secret_is_invalid_client(gateway: RunningGateway, admin_token: str) -> None:
    partner = await new_partner(gateway, admin_token, ["hotline"], "1404")
    basic = base64.b64encode(f"{partner.client_id}:wrong-secret".encode()).decode()
    async with gateway.client() as client:
        in_form = await client.post(
            TOKEN,
            data={"grant_type": "client_credentials", "client_id": partner.client_id, "client_secret": "wrong"},
        )
        with_basic = await client.post(
            TOKEN, data={"grant_type": "client_credentials"}, headers={"Authorization": f"Basic {basic}"}
        )
        over_scoped = await client.post(
            TOKEN,
            data={"grant_type": "client_credentials", "client_id": partner.client_id,
                  "client_secret": partner.secret, "scope": "hotline finance"},
        )  # fmt: skip
    assert assert_problem(in_form, 401, "invalid_client")["error"] == "invalid_client"
    assert_problem(with_basic, 401, "invalid_client")
    assert with_basic.headers["www-authenticate"].startswith("Basic")
    assert_problem(over_scoped, 400, "invalid_scope")


async def test_malformed_requests_are_400_and_not_counted(gateway: RunningGateway) -> None:
    ip = unique_ip()
    async with gateway.client(ip) as client:
        unsupported = await client.post(TOKEN, data={"grant_type": "authorization_code", "code": "x"})
        missing = await client.post(TOKEN, data={"username": "a", "password": "b"})
        no_password = await client.post(TOKEN, data={"grant_type": "password", "username": "a"})
        as_json = await client.post(TOKEN, json={"grant_type": "password", "username": "a", "password": "b"})
        repeated = await client.post(
            TOKEN, content=b"grant_type=password&grant_type=password",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )  # fmt: skip
    assert assert_problem(unsupported, 400, "unsupported_grant_type")["error"] == "unsupported_grant_type"
    for reply in (missing, no_password, as_json, repeated):
        assert_problem(reply, 400, "invalid_request")
