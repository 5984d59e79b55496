"""`/api/v1/admin`: staff users and partner clients, created, listed, cut off and restored by system
administrators inside their jurisdiction (CONTRACTS.md §1; gateway.auth.accounts)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response

from gateway.audit.actions import AdminActionKind, record_action
from gateway.auth import accounts
from gateway.auth import clients as client_service
from gateway.auth import users as user_service
from gateway.auth.account_routes import AccountKind, Docs, mount_account_routes
from gateway.auth.dependencies import AdminCaller
from gateway.auth.schemas import (
    CallbackChange,
    ClientCreate,
    ClientCreated,
    ClientOut,
    PasswordReset,
    PasswordResetDone,
    UserCreate,
    UserOut,
)
from gateway.runtime import Runtime, get_runtime
from libs.kernel.db import DbSession
from libs.kernel.errors import PROBLEM, request_id_of
from libs.kernel.pagination import Page

RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
UserId = Annotated[str, Path(max_length=64)]
ClientId = Annotated[str, Path(max_length=64)]
_ADMIN_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "No or invalid access token", **PROBLEM},
    403: {"description": "Not a system_admin, or outside the administrator's jurisdiction", **PROBLEM},
    422: {"description": "Invalid input", **PROBLEM},
}
_BAD_CURSOR: dict[int | str, dict[str, Any]] = {422: {"description": "Invalid input, or invalid_cursor", **PROBLEM}}
_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No such account in your jurisdiction", **PROBLEM}}

admin_router = APIRouter(prefix="/api/v1/admin", tags=["admin"], responses=_ADMIN_ERRORS)


@admin_router.post("/users", response_model=UserOut, status_code=201, responses={409: PROBLEM})
async def create_user(
    body: UserCreate, request: Request, session: DbSession, admin: AdminCaller, rt: RuntimeDep
) -> UserOut:
    """Create a staff user inside your own jurisdiction (the password, held to the policy, is never returned)."""
    user = await user_service.create_user(session, rt.hasher, admin.principal, body)
    await record_action(session, admin.principal, AdminActionKind.user_created, target_kind="user",
                        target_id=str(user.id), target_name=user.username, region_code=user.region_code,
                        detail={"roles": sorted(user.roles)}, request_id=request_id_of(request))  # fmt: skip
    return user_service.user_out(user)


@admin_router.post("/users/{user_id}/password", response_model=PasswordResetDone, responses=_NOT_FOUND)
async def reset_password(
    user_id: UserId,
    body: PasswordReset,
    request: Request,
    response: Response,
    session: DbSession,
    admin: AdminCaller,
    rt: RuntimeDep,
) -> PasswordResetDone:
    """Give a temporary password (yours, or one generated and shown here once); the user must choose their own at
    the next sign-in. Every session ends and the account is unlocked."""
    response.headers["Cache-Control"] = "no-store"
    user, generated = await accounts.reset_password(rt, session, admin.principal, user_id, password=body.password,
                                                    reason=body.reason, request_id=request_id_of(request))  # fmt: skip
    return PasswordResetDone(user=user_service.user_out(user), temporary_password=generated)


mount_account_routes(
    admin_router,
    AccountKind(
        noun="user",
        listing=user_service.list_users,
        key=lambda user: user.username,
        find=accounts.user_in_reach,
        present=user_service.user_out,
        out=UserOut,
        page=Page[UserOut],
        docs=Docs(
            listed="Staff users inside your jurisdiction, by username.",
            one="One staff user inside your jurisdiction.",
            deactivate="Cut a user off: sign-in refused, every token and session refused within seconds. Not your own "
            "account.",
            reactivate="Let a deactivated user sign in again (tokens from before stay refused).",
            unlock="Unlock an account locked by failed sign-ins (the addresses the guesses came from stay counted).",
            revoke_tokens="Sign a user out everywhere: every token and session issued until now is refused within "
            "seconds.",
        ),
        bad_cursor=_BAD_CURSOR,
        responses=_NOT_FOUND,
        deactivate_responses={409: PROBLEM},
    ),
)


@admin_router.post(
    "/clients",
    response_model=ClientCreated,
    status_code=201,
    responses={
        422: {"description": "Invalid input, or callback_url_refused: the callback may not be called", **PROBLEM}
    },
)
async def create_client(
    body: ClientCreate, request: Request, response: Response, admin: AdminCaller, rt: RuntimeDep
) -> ClientCreated:
    """Register a partner client; `client_secret` appears in this response only and is stored hashed. A hotline
    client's `callback_url` is handed to complaints, which signs its result pushes with the secret: at once, or,
    while complaints is unavailable, as soon as it is back (the gateway keeps it sealed until then)."""
    response.headers["Cache-Control"] = "no-store"  # the one copy of the secret must not linger in a cache
    return await accounts.create_client(rt, admin.principal, body, request_id=request_id_of(request))


@admin_router.put(
    "/clients/{client_id}/callback",
    response_model=ClientOut,
    responses={**_NOT_FOUND, 502: {"description": "callback_not_registered", **PROBLEM}},
)
async def change_callback(
    client_id: ClientId, body: CallbackChange, request: Request, session: DbSession, admin: AdminCaller, rt: RuntimeDep
) -> ClientOut:
    """Point a hotline client's result pushes at a new callback URL (held to the outbound policy: `422
    callback_url_refused`). The client's secret, as the partner holds it, proves the change is theirs (`422
    wrong_client_secret`); complaints signs the pushes with it."""
    client = await accounts.change_callback(rt, session, admin, client_id, body, request_id=request_id_of(request))
    return client_service.client_out(client)


mount_account_routes(
    admin_router,
    AccountKind(
        noun="client",
        listing=client_service.list_clients,
        key=lambda client: client.client_id,
        find=accounts.client_in_reach,
        present=client_service.client_out,
        out=ClientOut,
        page=Page[ClientOut],
        docs=Docs(
            listed="Partner clients inside your jurisdiction, by client id (secrets are never listed).",
            one="One partner client inside your jurisdiction.",
            deactivate="Cut a partner off: its secret refused, every token it holds refused within seconds.",
            reactivate="Let a deactivated partner obtain tokens again (tokens from before stay refused).",
            unlock="Unlock a partner client locked by failed secrets.",
            revoke_tokens="Refuse every token the partner holds now (it obtains new ones with its secret).",
        ),
        bad_cursor=_BAD_CURSOR,
        responses=_NOT_FOUND,
        deactivate_responses={},
    ),
)
