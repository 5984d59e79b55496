"""`/api/v1/auth`: tokens (CONTRACTS.md §1), sign-out (RFC 7009) and a staff member's own password."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from gateway.auth import accounts
from gateway.auth.dependencies import PasswordChangingCaller
from gateway.auth.errors import InvalidRequest, StaffOnly
from gateway.auth.grants import Granted, issue_token, read_form, source_address, tokens_for
from gateway.auth.schemas import PasswordChange, TokenResponse
from gateway.auth.sessions import end_session, open_session
from gateway.auth.tokens import InvalidToken
from gateway.auth.users import staff_principal
from gateway.runtime import Runtime, get_runtime
from libs.kernel.auth import PrincipalKind
from libs.kernel.db import DbSession
from libs.kernel.errors import PROBLEM, request_id_of

RuntimeDep = Annotated[Runtime, Depends(get_runtime)]

auth_router = APIRouter(prefix="/api/v1/auth", tags=["auth"])
_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}  # RFC 6749 §5.1


@auth_router.post(
    "/token",
    response_model=TokenResponse,
    responses={
        400: {"description": "Malformed request or unsupported grant type", **PROBLEM},
        401: {"description": "invalid_grant (staff) or invalid_client (partner)", **PROBLEM},
        429: {"description": "too_many_failures (this address) or account_locked; see Retry-After", **PROBLEM},
    },
    # The form is parsed by hand (OAuth errors, not 422s), so it is described here for the OpenAPI document.
    openapi_extra={"requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": {
        "type": "object",
        "required": ["grant_type"],
        "properties": {name: {"type": "string"} for name in (
            "grant_type", "username", "password", "client_id", "client_secret", "scope", "refresh_token")},
    }}}}},
)  # fmt: skip
async def token(request: Request, response: Response, rt: RuntimeDep) -> TokenResponse:
    """OAuth 2.0 token endpoint, form-encoded: `grant_type=password` for staff (with a refresh token for the
    session), `refresh_token` to continue it, `client_credentials` for partners (credentials in the form or HTTP
    Basic)."""
    issued = await issue_token(request, rt)
    response.headers.update(_NO_STORE)
    return issued


@auth_router.post(
    "/revoke",
    status_code=200,
    responses={400: {"description": "Malformed request", **PROBLEM}},
    openapi_extra={"requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": {
        "type": "object", "required": ["token"],
        "properties": {"token": {"type": "string"}, "token_type_hint": {"type": "string"}},
    }}}}},
)  # fmt: skip
async def revoke(request: Request, session: DbSession, rt: RuntimeDep) -> Response:
    """Sign-out (RFC 7009): the token presented, a refresh token (its whole session ends) or an access token, is
    refused from now on by every gateway. Always 200, whether or not the token was valid, so it tells nothing."""
    form = await read_form(request)
    raw = form.get("token", "")
    if not raw:
        raise InvalidRequest("token is required")
    subject = await end_session(session, raw)
    if subject is None:
        try:
            caller = rt.access_tokens.verify(raw)
        except InvalidToken:
            caller = None
        if caller is not None:
            await rt.revocations.revoke_token(session, caller.principal.subject, caller.jti, caller.expires_at)
    return Response(status_code=200, headers=_NO_STORE)


@auth_router.post(
    "/password",
    response_model=TokenResponse,
    responses={
        401: {"description": "No or invalid access token", **PROBLEM},
        403: {"description": "Partner clients have no password", **PROBLEM},
        422: {"description": "wrong_current_password or weak_password", **PROBLEM},
        429: {"description": "account_locked after wrong current passwords", **PROBLEM},
    },
)
async def change_password(
    body: PasswordChange,
    request: Request,
    response: Response,
    session: DbSession,
    caller: PasswordChangingCaller,
    rt: RuntimeDep,
) -> TokenResponse:
    """Choose a new password (also the way out of an administrator's reset). Every session and token of the account
    ends, this one included; the answer carries a fresh token and session."""
    principal = caller.principal
    if principal.kind is not PrincipalKind.staff:
        raise StaffOnly("Partner clients have secrets, not passwords")
    # A stolen token must not become a way to guess the password: wrong current passwords count as failed sign-ins.
    attempt = await rt.throttle.admit(source_address(request), principal.name)
    user = await accounts.change_own_password(
        rt, session, principal, current=body.current_password, new=body.new_password, request_id=request_id_of(request)
    )
    await rt.throttle.succeeded(attempt, principal.name)
    refresh = await open_session(session, rt.sessions, str(user.id))
    response.headers.update(_NO_STORE)
    return tokens_for(rt, Granted(staff_principal(user), " ".join(sorted(user.roles)), refresh))
