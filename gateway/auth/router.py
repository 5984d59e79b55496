"""`POST /api/v1/auth/token` and the administration endpoints `/api/v1/admin/*` (CONTRACTS.md §1)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response

from gateway.auth import clients as client_service
from gateway.auth import hotline
from gateway.auth import users as user_service
from gateway.auth.dependencies import AdminCaller
from gateway.auth.grants import issue_token
from gateway.auth.schemas import (
    ClientCreate,
    ClientCreated,
    ClientOut,
    TokenResponse,
    UserCreate,
    UserOut,
)
from gateway.runtime import Runtime, get_runtime
from libs.kernel.db import DbSession
from libs.kernel.pagination import Cursor, Limit, Page, decode_cursor, page_of

RuntimeDep = Annotated[Runtime, Depends(get_runtime)]

_PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}
_ADMIN_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "No or invalid access token", **_PROBLEM},
    403: {"description": "Not a system_admin, or outside the administrator's jurisdiction", **_PROBLEM},
    422: {"description": "Invalid input", **_PROBLEM},
}

auth_router = APIRouter(prefix="/api/v1/auth", tags=["auth"])
admin_router = APIRouter(prefix="/api/v1/admin", tags=["admin"], responses=_ADMIN_ERRORS)


@auth_router.post(
    "/token",
    response_model=TokenResponse,
    responses={
        400: {"description": "Malformed request or unsupported grant type", **_PROBLEM},
        401: {"description": "invalid_grant (staff) or invalid_client (partner)", **_PROBLEM},
        429: {"description": "Too many failures from this address; see Retry-After", **_PROBLEM},
    },
    # The form is parsed by hand (OAuth errors, not 422s), so it is described here for the OpenAPI document.
    openapi_extra={"requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": {
        "type": "object",
        "required": ["grant_type"],
        "properties": {name: {"type": "string"} for name in (
            "grant_type", "username", "password", "client_id", "client_secret", "scope")},
    }}}}},
)  # fmt: skip
async def token(request: Request, response: Response, rt: RuntimeDep) -> TokenResponse:
    """OAuth 2.0 token endpoint, form-encoded: `grant_type=password` for staff, `client_credentials` for partners
    (credentials in the form or HTTP Basic)."""
    issued = await issue_token(request, rt)
    response.headers["Cache-Control"] = "no-store"  # RFC 6749 §5.1
    response.headers["Pragma"] = "no-cache"
    return issued


@admin_router.post("/users", response_model=UserOut, status_code=201, responses={409: _PROBLEM})
async def create_user(body: UserCreate, session: DbSession, admin: AdminCaller, rt: RuntimeDep) -> UserOut:
    """Create a staff user inside your own jurisdiction (the password is never returned)."""
    user = await user_service.create_user(session, rt.hasher, admin.principal, body)
    return user_service.user_out(user)


@admin_router.get("/users", response_model=Page[UserOut])
async def list_users(
    session: DbSession, admin: AdminCaller, cursor: Cursor = None, limit: Limit = 100
) -> Page[UserOut]:
    """Staff users inside your jurisdiction, by username."""
    after = decode_cursor(cursor)
    rows = await user_service.list_users(session, admin.principal, str(after[0]) if after else None, limit)
    return page_of(rows, limit, key=lambda u: [u.username], item=user_service.user_out)


@admin_router.post(
    "/clients",
    response_model=ClientCreated,
    status_code=201,
    responses={502: {"description": "callback_not_registered: complaints could not take the callback", **_PROBLEM}},
)
async def create_client(
    body: ClientCreate, response: Response, session: DbSession, admin: AdminCaller, rt: RuntimeDep
) -> ClientCreated:
    """Register a partner client; `client_secret` appears in this response only and is stored hashed. A hotline
    client's `callback_url` is registered with complaints, which signs its result pushes with the secret (502
    `callback_not_registered` if complaints cannot take it: nothing is created)."""
    response.headers["Cache-Control"] = "no-store"  # the one copy of the secret must not linger in a cache
    created = await client_service.create_client(session, rt.hasher, admin.principal, body)
    if hotline.needs_callback(created):
        await hotline.register_callback(rt, admin, created)
    return created


@admin_router.get("/clients", response_model=Page[ClientOut])
async def list_clients(
    session: DbSession, admin: AdminCaller, cursor: Cursor = None, limit: Limit = 100
) -> Page[ClientOut]:
    """Partner clients inside your jurisdiction, by client id (secrets are never listed)."""
    after = decode_cursor(cursor)
    rows = await client_service.list_clients(session, admin.principal, str(after[0]) if after else None, limit)
    return page_of(rows, limit, key=lambda c: [c.client_id], item=client_service.client_out)
