"""Cutting people off and letting them back: deactivate and reactivate users and clients, reset and change passwords,
unlock, revoke every token (issue 17: "users and clients can only be created and listed").

Every act is done by an administrator inside their own jurisdiction (an account outside it is a 404, as if it did not
exist), is recorded in `gateway.admin_actions` in the same transaction, and takes effect on every gateway replica
within seconds: what ends access also revokes the account's access tokens and staff sessions.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TypeVar

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.audit.actions import AdminActionKind, record_action
from gateway.auth import clients, hotline
from gateway.auth.callback_delivery import Answer, add_delivery, drop_pending
from gateway.auth.clients import client_created
from gateway.auth.errors import (
    CannotDeactivateSelf,
    ClientNotFound,
    NotAHotlineClient,
    UserNotFound,
    WeakPassword,
    WrongClientSecret,
    WrongCurrentPassword,
)
from gateway.auth.models import Client, User
from gateway.auth.password_policy import generate_password
from gateway.auth.rate_limit import clear_account
from gateway.auth.schemas import CallbackChange, ClientCreate, ClientCreated
from gateway.auth.sessions import revoke_subject_sessions
from gateway.auth.tokens import Caller
from gateway.auth.users import acceptable_password
from gateway.runtime import Runtime
from libs.contracts.staff import Scope
from libs.kernel.auth import Principal

Account = TypeVar("Account", User, Client)
# How an act finds its account: by the id in the path, inside the administrator's jurisdiction, locked or not.
InReach = Callable[[AsyncSession, Principal, str, bool], Awaitable[Account]]


async def user_in_reach(session: AsyncSession, admin: Principal, user_id: str, lock: bool = True) -> User:
    try:
        key = uuid.UUID(user_id)
    except ValueError:
        raise UserNotFound("No such user") from None
    query = select(User).where(User.id == key)
    user = await session.scalar(query.with_for_update() if lock else query)
    if user is None or not admin.covers(user.region_code):
        raise UserNotFound("No such user")
    return user


async def client_in_reach(session: AsyncSession, admin: Principal, client_id: str, lock: bool = True) -> Client:
    query = select(Client).where(Client.client_id == client_id)
    client = await session.scalar(query.with_for_update() if lock else query)
    if client is None or not admin.covers(client.region_code):
        raise ClientNotFound("No such client")
    return client


async def _cut_off(rt: Runtime, session: AsyncSession, account: User | Client) -> None:
    await rt.revocations.revoke_all(session, account.subject)
    if isinstance(account, User):  # only staff have sessions (refresh tokens) to end
        await revoke_subject_sessions(session, account.subject)


async def _record(
    session: AsyncSession, admin: Principal, act: str, account: User | Client, reason: str, request_id: str | None
) -> None:
    """The act in `gateway.admin_actions`; its kind is the account's kind and the act (`user_unlocked` …)."""
    await record_action(session, admin, AdminActionKind(f"{account.audit_kind}_{act}"), target_kind=account.audit_kind,
                        target_id=account.subject, target_name=account.label, region_code=account.region_code,
                        reason=reason, request_id=request_id)  # fmt: skip


async def set_active(
    rt: Runtime,
    session: AsyncSession,
    admin: Principal,
    in_reach: InReach[Account],
    account_id: str,
    *,
    active: bool,
    reason: str,
    request_id: str | None,
) -> Account:
    """Deactivate (sign-in refused, every token and session refused) or reactivate a user or a client."""
    account = await in_reach(session, admin, account_id, True)
    if not active and isinstance(account, User) and account.subject == admin.subject:
        raise CannotDeactivateSelf("You cannot deactivate your own account")
    if account.is_active != active:
        account.is_active = active
        account.updated_at = datetime.now(UTC)
        if not active:
            await _cut_off(rt, session, account)
        await _record(session, admin, "reactivated" if active else "deactivated", account, reason, request_id)
    return account


async def unlock(session: AsyncSession, admin: Principal, in_reach: InReach[Account], account_id: str, *, reason: str,
                 request_id: str | None) -> Account:  # fmt: skip
    """Clear the failed attempts counted against a user or a client (those counted per address stay)."""
    account = await in_reach(session, admin, account_id, False)
    await clear_account(session, account.login)
    await _record(session, admin, "unlocked", account, reason, request_id)
    return account


async def revoke_tokens(rt: Runtime, session: AsyncSession, admin: Principal, in_reach: InReach[Account],
                        account_id: str, *, reason: str, request_id: str | None) -> Account:  # fmt: skip
    """Refuse every token (and, for a user, every session) issued to the account until now."""
    account = await in_reach(session, admin, account_id, False)
    await _cut_off(rt, session, account)
    await _record(session, admin, "tokens_revoked", account, reason, request_id)
    return account


async def reset_password(
    rt: Runtime,
    session: AsyncSession,
    admin: Principal,
    user_id: str,
    *,
    password: str | None,
    reason: str,
    request_id: str | None,
) -> tuple[User, str | None]:
    """A temporary password (given or generated) the user must replace at the next sign-in; every session ends and
    the account is unlocked. The generated one is returned to show once."""
    user = await user_in_reach(session, admin, user_id)
    generated = generate_password(username=user.username) if password is None else None
    temporary = password if password is not None else generated
    assert temporary is not None
    acceptable_password(temporary, user.username)
    user.password_hash = await rt.hasher.hash(temporary)
    user.must_change_password = True
    user.password_changed_at = user.updated_at = datetime.now(UTC)
    await _cut_off(rt, session, user)
    await clear_account(session, user.username)
    await _record(session, admin, "password_reset", user, reason, request_id)
    return user, generated


async def change_own_password(
    rt: Runtime, session: AsyncSession, principal: Principal, *, current: str, new: str, request_id: str | None
) -> User:
    """The signed-in user's new password (the current one proves it is them); every other session ends."""
    user = await session.scalar(select(User).where(User.id == uuid.UUID(principal.subject)).with_for_update())
    if user is None or not user.is_active:
        raise UserNotFound("No such user")
    if not await rt.hasher.verify(user.password_hash, current):
        raise WrongCurrentPassword(
            "The current password is wrong",
            errors=[{"loc": ["body", "current_password"], "msg": "wrong password", "type": "wrong"}],
        )
    if new == current:
        raise WeakPassword(
            "The new password must differ from the current one",
            errors=[{"loc": ["body", "new_password"], "msg": "same as the current password", "type": "weak"}],
        )
    acceptable_password(new, user.username, field="new_password")
    user.password_hash = await rt.hasher.hash(new)
    user.must_change_password = False
    user.password_changed_at = user.updated_at = datetime.now(UTC)
    await _cut_off(rt, session, user)
    await _record(session, principal, "password_changed", user, "own password", request_id)
    return user


async def change_callback(
    rt: Runtime,
    session: AsyncSession,
    admin: Caller,
    client_id: str,
    change: CallbackChange,
    *,
    request_id: str | None,
) -> Client:
    """A hotline client's callback, registered with complaints under the client's own region (gateway.auth.hotline).

    Only the gateway makes this change (gateway.routes.GATEWAY_WRITES): it alone knows the client's region, and the
    secret must match the one the client was given, so nobody can point another region's results at themself."""
    client = await client_in_reach(session, admin.principal, client_id)
    if Scope.hotline.value not in client.scopes or not client.is_active:
        raise NotAHotlineClient("Only an active hotline client has a callback")
    secret = change.client_secret
    if not await rt.hasher.verify(client.secret_hash, secret):
        raise WrongClientSecret(
            "The client secret is not this client's",
            errors=[{"loc": ["body", "client_secret"], "msg": "not this client's secret", "type": "wrong"}],
        )
    url = str(change.callback_url)
    await hotline.register_callback(rt, admin, client_created(client, secret, url))
    await drop_pending(session, client.client_id)  # a creation's callback still pending must not arrive after this
    client.callback_url = url
    client.updated_at = datetime.now(UTC)
    await _record(session, admin.principal, "callback_changed", client, change.reason, request_id)
    return client


async def create_client(rt: Runtime, admin: Principal, data: ClientCreate, *, request_id: str | None) -> ClientCreated:
    """Create a partner client in a transaction of its own, with its record and, for a hotline client, the callback
    in the gateway's outbox (gateway.auth.callback_delivery); after the commit complaints is asked once at once."""
    async with rt.db.sessions.begin() as session:
        created = await clients.create_client(session, rt.hasher, admin, data)
        await record_action(session, admin, AdminActionKind.client_created, target_kind="client",
                            target_id=created.client_id, target_name=created.name, region_code=created.region_code,
                            detail={"scopes": created.scopes}, request_id=request_id)  # fmt: skip
        callback = created.callback_url if hotline.needs_callback(created) else None
        if callback is not None:
            hotline.check_allowed(rt.settings, callback)  # raising here rolls everything back
            await add_delivery(session, rt.vault, admin, client_id=created.client_id, url=callback,
                               region=created.region_code, secret=created.client_secret)  # fmt: skip
    if callback is not None and await rt.callbacks.deliver(created.client_id) is Answer.refused:
        # Complaints' own policy refused it (its operator allows less than the gateway's): the secret was never
        # shown, so the client is withdrawn and the answer is the same as for the gateway's refusal.
        await _withdraw(rt, admin, created, request_id)
        raise hotline.refused("refused by the complaints service's outbound policy")
    return created


async def _withdraw(rt: Runtime, admin: Principal, created: ClientCreated, request_id: str | None) -> None:
    async with rt.db.sessions.begin() as session:
        await drop_pending(session, created.client_id)
        await session.execute(delete(Client).where(Client.client_id == created.client_id))
        await record_action(session, admin, AdminActionKind.client_withdrawn, target_kind="client",
                            target_id=created.client_id, target_name=created.name, region_code=created.region_code,
                            reason="callback_url_refused by the complaints service", request_id=request_id)  # fmt: skip
