"""Who is calling the gateway: the bearer token checked, and the administrator check of /api/v1/admin."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from gateway.auth.tokens import Caller, InvalidToken
from gateway.runtime import get_runtime
from libs.kernel.auth import PrincipalKind, StaffRole
from libs.kernel.errors import Forbidden, Unauthorized

_CHALLENGE = 'Bearer realm="jiuzhu"'


def bearer_token(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


async def current_caller(request: Request) -> Caller:
    """The verified caller; every failure is a 401 with a Bearer challenge (RFC 6750 §3)."""
    token = bearer_token(request)
    if token is None:
        raise Unauthorized(
            "Send an access token from /api/v1/auth/token as 'Authorization: Bearer <token>'",
            code="missing_token",
            headers={"WWW-Authenticate": _CHALLENGE},
        )
    try:
        caller = get_runtime(request).access_tokens.verify(token)
    except InvalidToken as exc:
        raise Unauthorized(
            "The access token has expired" if exc.reason == "token_expired" else "The access token is not valid",
            code=exc.reason,
            headers={"WWW-Authenticate": f'{_CHALLENGE}, error="invalid_token"'},
        ) from exc
    # The access audit (gateway.audit) reads who the caller was from here.
    request.state.principal = caller.principal
    return caller


CurrentCaller = Annotated[Caller, Depends(current_caller)]


async def admin_caller(caller: CurrentCaller) -> Caller:
    principal = caller.principal
    if principal.kind is not PrincipalKind.staff or StaffRole.system_admin.value not in principal.roles:
        raise Forbidden("Administration needs the role system_admin", code="role_required")
    return caller


AdminCaller = Annotated[Caller, Depends(admin_caller)]
