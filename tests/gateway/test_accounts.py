"""Cutting people off (issue 17: "a disabled user's token works for its whole hour"): deactivation, password resets
and changes, revocation and staff sessions, each taking effect on every gateway replica within seconds."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from libs.devstack.stack import DevStack
from tests.gateway.harness import (
    RunningGateway,
    ServiceProcess,
    Staff,
    assert_problem,
    gateway_settings,
    new_partner,
    new_staff,
    running_gateway,
    unique_name,
)
from tests.support.waiting import wait_until

TOKEN = "/api/v1/auth/token"
WHOAMI = "/api/v1/intake/diagnostics/whoami"
REASON = {"reason": "调离岗位"}


@pytest.fixture(scope="module")
async def replica(stack: DevStack, intake: ServiceProcess, admin_ready: None) -> AsyncIterator[RunningGateway]:
    """A second gateway on the same database, as production runs several: revocations must reach it too."""
    async with running_gateway(gateway_settings(stack, intake.url, revocation_poll_seconds=0.2)) as gw:
        yield gw


def _subject(gw: RunningGateway, token: str) -> str:
    return str(gw.app.state.runtime.access_tokens.verify(token).principal.subject)


async def _whoami(gw: RunningGateway, token: str) -> int:
    async with gw.client(token=token) as client:
        return (await client.get(WHOAMI)).status_code


async def _sign_in(gw: RunningGateway, username: str, password: str) -> dict[str, Any]:
    async with gw.client() as client:
        reply = await client.post(TOKEN, data={"grant_type": "password", "username": username, "password": password})
    assert reply.status_code == 200, reply.text
    body: dict[str, Any] = reply.json()
    return body


async def _acts(engine: AsyncEngine, target: str) -> list[tuple[str, str | None]]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            text("SELECT action, actor_name FROM gateway.admin_actions WHERE target_id = :t ORDER BY id"), {"t": target}
        )
        return [(r[0], r[1]) for r in rows]


async def test_a_deactivated_user_is_refused_everywhere_within_seconds_cached_tokens_included(
    gateway: RunningGateway, replica: RunningGateway, admin_token: str, engine: AsyncEngine
) -> None:
    staff = await new_staff(gateway, admin_token, ["county_officer"], "140402")
    user_id = _subject(gateway, staff.token)
    assert await _whoami(gateway, staff.token) == 200
    assert await _whoami(replica, staff.token) == 200  # both replicas now hold the token in their verified cache

    async with gateway.client(token=admin_token) as admin:
        done = await admin.post(f"/api/v1/admin/users/{user_id}/deactivate", json=REASON)
    assert done.status_code == 200, done.text
    assert done.json()["is_active"] is False

    assert await _whoami(gateway, staff.token) == 401  # the replica that revoked: at once
    assert await wait_until(lambda: _whoami(replica, staff.token), lambda s: s == 401, timeout=10) == 401
    async with gateway.client(token=staff.token) as client:
        assert_problem(await client.get(WHOAMI), 401, "token_revoked")
    async with gateway.client() as client:
        signin = await client.post(
            TOKEN, data={"grant_type": "password", "username": staff.username, "password": staff.password}
        )
    assert_problem(signin, 401, "invalid_grant")
    assert [a for a, _ in await _acts(engine, user_id)][-1] == "user_deactivated"

    async with gateway.client(token=admin_token) as admin:
        back = await admin.post(f"/api/v1/admin/users/{user_id}/reactivate", json=REASON)
    assert back.json()["is_active"] is True
    assert await _whoami(gateway, staff.token) == 401  # tokens from before stay refused
    fresh = await _sign_in(gateway, staff.username, staff.password)
    assert await _whoami(gateway, fresh["access_token"]) == 200


async def test_an_administrator_cannot_reach_accounts_outside_their_jurisdiction_nor_themself(
    gateway: RunningGateway, admin_token: str
) -> None:
    regional = await new_staff(gateway, admin_token, ["system_admin"], "1404")
    outside = await new_staff(gateway, admin_token, ["county_officer"], "150102")
    async with gateway.client(token=regional.token) as admin:
        other = await admin.post(f"/api/v1/admin/users/{_subject(gateway, outside.token)}/deactivate", json=REASON)
        itself = await admin.post(f"/api/v1/admin/users/{_subject(gateway, regional.token)}/deactivate", json=REASON)
        garbage = await admin.post("/api/v1/admin/users/not-a-uuid/deactivate", json=REASON)
    assert_problem(other, 404, "user_not_found")
    assert_problem(itself, 409, "cannot_deactivate_self")
    assert_problem(garbage, 404, "user_not_found")
    assert await _whoami(gateway, outside.token) == 200


async def test_a_reset_password_serves_only_to_choose_a_new_one(
    gateway: RunningGateway, admin_token: str, engine: AsyncEngine
) -> None:
    staff = await new_staff(gateway, admin_token, ["township_officer"], "140402001")
    user_id = _subject(gateway, staff.token)
    async with gateway.client(token=admin_token) as admin:
        weak = await admin.post(f"/api/v1/admin/users/{user_id}/password", json={**REASON, "password": "a" * 12})
        reset = await admin.post(f"/api/v1/admin/users/{user_id}/password", json=REASON)
    assert_problem(weak, 422, "weak_password")
    assert reset.status_code == 200, reset.text
    assert reset.headers["cache-control"] == "no-store"
    temporary = reset.json()["temporary_password"]
    assert reset.json()["user"]["reset_pending"] is True
    assert await _whoami(gateway, staff.token) == 401  # every session ended

    signed_in = await _sign_in(gateway, staff.username, temporary)
    assert signed_in["password_change_required"] is True
    limited = signed_in["access_token"]
    change = "/api/v1/auth/password"
    new = "Brand-new-Pass-77"
    async with gateway.client(token=limited) as client:
        assert_problem(await client.get(WHOAMI), 403, "password_change_required")
        same = await client.post(change, json={"current_password": temporary, "new_password": temporary})
        wrong = await client.post(change, json={"current_password": "Not-it-2026-x", "new_password": new})
        changed = await client.post(change, json={"current_password": temporary, "new_password": new})
    assert_problem(same, 422, "weak_password")
    assert_problem(wrong, 422, "wrong_current_password")
    assert changed.status_code == 200, changed.text
    assert changed.json()["password_change_required"] is False
    assert await _whoami(gateway, changed.json()["access_token"]) == 200
    assert await _whoami(gateway, limited) == 401  # the limited token ended with the change
    assert [a for a, _ in await _acts(engine, user_id)][-2:] == ["user_password_reset", "user_password_changed"]


async def test_weak_passwords_are_refused_at_creation(gateway: RunningGateway, admin_token: str) -> None:
    for password in ("aaaaaaaaaaaa", "P@ssw0rd2026!", "abcdefgh1234AB", "zhang.san-2026-X"):
        body = {"username": "zhang.san", "password": password, "display_name": "张三", "roles": ["county_officer"],
                "region_code": "140402"}  # fmt: skip
        async with gateway.client(token=admin_token) as admin:
            reply = await admin.post("/api/v1/admin/users", json=body)
        problem = assert_problem(reply, 422, "weak_password")
        assert password not in reply.text
        assert problem["errors"][0]["loc"] == ["body", "password"]


async def test_a_session_refreshes_rotates_and_ends_on_reuse_or_sign_out(
    gateway: RunningGateway, admin_token: str
) -> None:
    staff = await new_staff(gateway, admin_token, ["village_assistant"], "140402001001")
    first = await _sign_in(gateway, staff.username, staff.password)
    assert first["refresh_token"].startswith("jzr_")

    async def refresh(token: str) -> Any:
        async with gateway.client() as client:
            return await client.post(TOKEN, data={"grant_type": "refresh_token", "refresh_token": token})

    second = await refresh(first["refresh_token"])
    assert second.status_code == 200, second.text
    assert second.json()["refresh_token"] != first["refresh_token"]
    assert await _whoami(gateway, second.json()["access_token"]) == 200
    # The first refresh token used again: someone else holds the session; the whole family ends.
    assert_problem(await refresh(first["refresh_token"]), 401, "invalid_grant")
    assert_problem(await refresh(second.json()["refresh_token"]), 401, "invalid_grant")

    other = await _sign_in(gateway, staff.username, staff.password)
    async with gateway.client() as client:
        out = await client.post("/api/v1/auth/revoke", data={"token": other["refresh_token"]})
        out_access = await client.post("/api/v1/auth/revoke", data={"token": other["access_token"]})
        unknown = await client.post("/api/v1/auth/revoke", data={"token": "jzr_nothing-of-ours"})
    assert (out.status_code, out_access.status_code, unknown.status_code) == (200, 200, 200)
    assert_problem(await refresh(other["refresh_token"]), 401, "invalid_grant")
    assert await _whoami(gateway, other["access_token"]) == 401
    assert await _whoami(gateway, staff.token) == 200  # signing out one session leaves the others


async def test_revoke_tokens_signs_a_user_out_everywhere(gateway: RunningGateway, admin_token: str) -> None:
    staff: Staff = await new_staff(gateway, admin_token, ["county_officer"], "140402")
    session = await _sign_in(gateway, staff.username, staff.password)
    user_id = _subject(gateway, staff.token)
    async with gateway.client(token=admin_token) as admin:
        assert (await admin.post(f"/api/v1/admin/users/{user_id}/revoke-tokens", json=REASON)).status_code == 200
    assert await _whoami(gateway, staff.token) == 401
    assert await _whoami(gateway, session["access_token"]) == 401
    async with gateway.client() as client:
        again = await client.post(
            TOKEN, data={"grant_type": "refresh_token", "refresh_token": session["refresh_token"]}
        )
    assert_problem(again, 401, "invalid_grant")
    assert (await _sign_in(gateway, staff.username, staff.password))["access_token"]  # the account itself is fine


async def test_a_deactivated_client_loses_its_tokens_and_its_secret(
    gateway: RunningGateway, replica: RunningGateway, admin_token: str, engine: AsyncEngine
) -> None:
    partner = await new_partner(gateway, admin_token, ["finance"], "140402")
    rosters = "/api/v1/finance/rosters"
    async with replica.client(token=partner.token) as client:
        assert (await client.get(rosters)).status_code != 401
    async with gateway.client(token=admin_token) as admin:
        listed = await admin.get(f"/api/v1/admin/clients/{partner.client_id}")
        done = await admin.post(f"/api/v1/admin/clients/{partner.client_id}/deactivate", json=REASON)
        missing = await admin.post(f"/api/v1/admin/clients/{unique_name('jzc')}/deactivate", json=REASON)
    assert listed.json()["is_active"] is True
    assert done.json()["is_active"] is False
    assert_problem(missing, 404, "client_not_found")

    async def status() -> int:
        async with replica.client(token=partner.token) as client:
            return (await client.get(rosters)).status_code

    assert await wait_until(status, lambda s: s == 401, timeout=10) == 401
    async with gateway.client() as client:
        secret = await client.post(TOKEN, data={"grant_type": "client_credentials", "client_id": partner.client_id,
                                                "client_secret": partner.secret})  # fmt: skip
    assert_problem(secret, 401, "invalid_client")
    assert [a for a, _ in await _acts(engine, partner.client_id)] == ["client_created", "client_deactivated"]
