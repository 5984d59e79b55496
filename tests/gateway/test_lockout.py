"""Limits on guessing (gateway.auth.rate_limit): per source address, and per account whatever the address.

Issue 17: 40 guesses at `admin` from 8 addresses were all answered 401, because failures were limited per source
only. Now an account locks after `account_failure_limit` failures from anywhere, even against the right password,
until the failures age out or an administrator unlocks it (recorded); an address that sprays many accounts is blocked
on its own. These gateways run with small limits so the tests stay short.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from libs.devstack.stack import DevStack
from tests.gateway.harness import (
    RunningGateway,
    ServiceProcess,
    assert_problem,
    gateway_settings,
    new_partner,
    new_staff,
    running_gateway,
    unique_ip,
    unique_name,
)

TOKEN = "/api/v1/auth/token"
ACCOUNT_LIMIT = 3


@pytest.fixture(scope="module")
async def strict(stack: DevStack, intake: ServiceProcess, admin_ready: None) -> AsyncIterator[RunningGateway]:
    settings = gateway_settings(stack, intake.url, login_failure_limit=6, account_failure_limit=ACCOUNT_LIMIT)
    async with running_gateway(settings) as gw:
        yield gw


def _password(username: str, password: str) -> dict[str, str]:
    return {"grant_type": "password", "username": username, "password": password}


async def test_guesses_at_one_account_from_many_addresses_lock_it_even_for_the_right_password(
    strict: RunningGateway, admin_token: str, engine: AsyncEngine
) -> None:
    staff = await new_staff(strict, admin_token, ["county_officer"], "140402")
    bystander = await new_staff(strict, admin_token, ["county_officer"], "140402")
    for n in range(ACCOUNT_LIMIT):  # each guess from another address: the per-source limit never applies
        async with strict.client(unique_ip()) as client:
            guess = await client.post(TOKEN, data=_password(staff.username, f"Wrong-guess-{n}-x"))
        assert_problem(guess, 401, "invalid_grant")
    async with strict.client(unique_ip()) as client:
        right = await client.post(TOKEN, data=_password(staff.username.upper(), staff.password))  # case folds too
        other = await client.post(TOKEN, data=_password(bystander.username, bystander.password))
    body = assert_problem(right, 429, "account_locked")
    assert 1 <= int(right.headers["retry-after"]) <= strict.settings.login_failure_window_seconds
    assert "locked" in body["detail"]
    assert other.status_code == 200  # one account's lock is nobody else's
    async with engine.connect() as conn:
        counted = await conn.scalar(
            text("SELECT count(*) FROM gateway.login_failures WHERE account = :a"), {"a": staff.username}
        )
    assert counted == ACCOUNT_LIMIT  # the refused attempt tested no password and is not counted


async def test_an_unknown_username_locks_like_a_known_one(strict: RunningGateway) -> None:
    """Otherwise the lock would tell which usernames exist."""
    nobody = unique_name("nobody")
    replies = []
    for n in range(ACCOUNT_LIMIT + 1):
        async with strict.client(unique_ip()) as client:
            replies.append(await client.post(TOKEN, data=_password(nobody, f"Wrong-guess-{n}-x")))
    assert [r.status_code for r in replies] == [401] * ACCOUNT_LIMIT + [429]
    assert_problem(replies[-1], 429, "account_locked")


async def test_an_administrator_unlocks_and_the_act_is_recorded(
    strict: RunningGateway, admin_token: str, engine: AsyncEngine
) -> None:
    staff = await new_staff(strict, admin_token, ["township_officer"], "140402001")
    for n in range(ACCOUNT_LIMIT + 1):
        async with strict.client(unique_ip()) as client:
            await client.post(TOKEN, data=_password(staff.username, f"Wrong-guess-{n}-x"))
    user_id = strict.app.state.runtime.access_tokens.verify(staff.token).principal.subject
    async with strict.client(token=admin_token) as admin:
        no_reason = await admin.post(f"/api/v1/admin/users/{user_id}/unlock", json={})
        unlocked = await admin.post(f"/api/v1/admin/users/{user_id}/unlock", json={"reason": "本人来电核实"})
    assert no_reason.status_code == 422
    assert unlocked.status_code == 200, unlocked.text
    async with strict.client(unique_ip()) as client:
        again = await client.post(TOKEN, data=_password(staff.username, staff.password))
    assert again.status_code == 200, again.text
    async with engine.connect() as conn:
        acts = (
            await conn.execute(
                text("SELECT action, reason FROM gateway.admin_actions WHERE target_id = :t ORDER BY id"),
                {"t": user_id},
            )
        ).all()
    assert ("user_unlocked", "本人来电核实") in [tuple(a) for a in acts]


async def test_a_right_password_clears_the_accounts_failures_but_not_the_addresses(
    strict: RunningGateway, admin_token: str, engine: AsyncEngine
) -> None:
    staff = await new_staff(strict, admin_token, ["village_assistant"], "140402001001")
    ip = unique_ip()
    async with strict.client(ip) as client:
        for n in range(ACCOUNT_LIMIT - 1):
            assert_problem(await client.post(TOKEN, data=_password(staff.username, f"Wrong-{n}-xx")), 401,
                           "invalid_grant")  # fmt: skip
        assert (await client.post(TOKEN, data=_password(staff.username, staff.password))).status_code == 200
        # The count restarted: as many wrong tries again before the lock.
        for n in range(ACCOUNT_LIMIT - 1):
            assert_problem(await client.post(TOKEN, data=_password(staff.username, f"Again-{n}-xx")), 401,
                           "invalid_grant")  # fmt: skip
        assert (await client.post(TOKEN, data=_password(staff.username, staff.password))).status_code == 200
    async with engine.connect() as conn:
        by_source = await conn.scalar(text("SELECT count(*) FROM gateway.login_failures WHERE source = :s"), {"s": ip})
    assert by_source == 2 * (ACCOUNT_LIMIT - 1)  # the address's failures still count for the address


async def test_an_address_guessing_at_many_accounts_is_blocked_before_any_password_is_checked(
    strict: RunningGateway, admin_token: str
) -> None:
    ip = unique_ip()
    limit = strict.settings.login_failure_limit
    async with strict.client(ip) as client:
        for _ in range(limit):
            assert_problem(await client.post(TOKEN, data=_password(unique_name("spray"), "Spray-2026-xx")), 401,
                           "invalid_grant")  # fmt: skip
        blocked = await client.post(TOKEN, data=_password(unique_name("spray"), "Spray-2026-xx"))
        as_client = await client.post(
            TOKEN, data={"grant_type": "client_credentials", "client_id": "jzc_x", "client_secret": "y"}
        )
    for reply in (blocked, as_client):
        assert_problem(reply, 429, "too_many_failures")
        assert 1 <= int(reply.headers["retry-after"]) <= strict.settings.login_failure_window_seconds


async def test_a_partner_client_locks_too(strict: RunningGateway, admin_token: str) -> None:
    partner = await new_partner(strict, admin_token, ["finance"], "140402")
    for n in range(ACCOUNT_LIMIT):
        async with strict.client(unique_ip()) as client:
            wrong = await client.post(TOKEN, data={"grant_type": "client_credentials", "client_id": partner.client_id,
                                                   "client_secret": f"not-it-{n}"})  # fmt: skip
        assert_problem(wrong, 401, "invalid_client")
    async with strict.client(unique_ip()) as client:
        right = await client.post(TOKEN, data={"grant_type": "client_credentials", "client_id": partner.client_id,
                                               "client_secret": partner.secret})  # fmt: skip
    assert_problem(right, 429, "account_locked")
