"""Who is calling the gateway: the bearer token checked, and the administrator check of /api/v1/admin."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from gateway.auth.errors import (
    AccessTokenExpired,
    AccessTokenRevoked,
    InvalidAccessToken,
    MissingToken,
    PasswordChangeRequired,
)
from gateway.auth.tokens import AccessTokens, Caller, InvalidToken
from gateway.runtime import get_runtime
from libs.contracts.staff import StaffRole
from libs.kernel.auth import PrincipalKind
from libs.kernel.errors import RoleRequired, Unauthorized

_CHALLENGE = 'Bearer realm="jiuzhu"'


def bearer_token(authorization: str | None) -> str | None:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


# Why a token was refused (gateway.auth.tokens.InvalidToken.reason) → the problem and its detail.
_REASONS: dict[str, tuple[type[Unauthorized], str]] = {
    "token_expired": (AccessTokenExpired, "The access token has expired"),
    "token_revoked": (AccessTokenRevoked, "The access token has been revoked; sign in again"),
}


def authenticate(authorization: str | None, tokens: AccessTokens, *, for_password_change: bool = False) -> Caller:
    """The caller an `Authorization` header proves; every failure is a 401 with a Bearer challenge (RFC 6750 §3).

    A token issued after an administrator reset the password serves only to choose a new one
    (`for_password_change`): anywhere else it is a 403 `password_change_required`.

    Shared by the FastAPI dependencies below and the raw ASGI proxy route (gateway.proxy).
    """
    token = bearer_token(authorization)
    if token is None:
        raise MissingToken(
            "Send an access token from /api/v1/auth/token as 'Authorization: Bearer <token>'",
            headers={"WWW-Authenticate": _CHALLENGE},
        )
    try:
        caller = tokens.verify(token)
    except InvalidToken as exc:
        problem, detail = _REASONS.get(exc.reason, (InvalidAccessToken, "The access token is not valid"))
        raise problem(
            detail,
            headers={"WWW-Authenticate": f'{_CHALLENGE}, error="invalid_token"'},
        ) from exc
    if caller.password_change_required and not for_password_change:
        raise PasswordChangeRequired(
            "Your password was reset by an administrator: choose a new one at POST /api/v1/auth/password first"
        )
    return caller


async def current_caller(request: Request) -> Caller:
    """The verified caller (see `authenticate`)."""
    caller = authenticate(request.headers.get("authorization"), get_runtime(request).access_tokens)
    # The access audit (gateway.audit) reads who the caller was from here.
    request.state.principal = caller.principal
    return caller


CurrentCaller = Annotated[Caller, Depends(current_caller)]


async def password_changing_caller(request: Request) -> Caller:
    """The verified caller, also one whose token serves only to change the password."""
    caller = authenticate(
        request.headers.get("authorization"), get_runtime(request).access_tokens, for_password_change=True
    )
    request.state.principal = caller.principal
    return caller


PasswordChangingCaller = Annotated[Caller, Depends(password_changing_caller)]


async def admin_caller(caller: CurrentCaller) -> Caller:
    principal = caller.principal
    if principal.kind is not PrincipalKind.staff or StaffRole.system_admin.value not in principal.roles:
        raise RoleRequired("Administration needs the role system_admin")
    return caller


AdminCaller = Annotated[Caller, Depends(admin_caller)]
