"""The OAuth 2.0 grants of `POST /api/v1/auth/token`: password (RFC 6749 §4.3, staff), client credentials (§4.4,
partners) and refresh token (§6, staff sessions).

Malformed requests are refused before the login limits are consulted: only a real guess at a secret counts as a
failure. A guess is admitted (or refused with 429) before any hash is computed, so a blocked source or a locked
account cannot keep the hashing threads busy.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote_plus

from fastapi import Request

from gateway.auth.clients import authenticate_client, client_principal
from gateway.auth.errors import InvalidClient, InvalidGrant, InvalidRequest, InvalidScope, UnsupportedGrantType
from gateway.auth.schemas import TokenResponse
from gateway.auth.sessions import exchange, open_session
from gateway.auth.users import active_user, authenticate_user, staff_principal
from gateway.runtime import Runtime
from libs.kernel.auth import Principal
from libs.kernel.presenters import from_row

_MAX_FORM_BYTES = 16 * 1024
# A username or client id, a password or secret: anything longer is no credential of ours (and is not hashed).
_MAX_NAME, _MAX_SECRET = 128, 256
_BASIC_CHALLENGE = {"WWW-Authenticate": 'Basic realm="jiuzhu"'}


def source_address(request: Request) -> str:
    """The caller's address as the server saw it; uvicorn only rewrites it from X-Forwarded-For for peers listed
    in `trusted_proxies`, so a caller cannot choose it."""
    return request.client.host if request.client is not None else "unknown"


async def read_form(request: Request) -> dict[str, str]:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "application/x-www-form-urlencoded":
        raise InvalidRequest("The token request must be application/x-www-form-urlencoded (RFC 6749)")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > _MAX_FORM_BYTES:
            raise InvalidRequest("The token request is too large")
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=32)
    except ValueError as exc:  # also UnicodeDecodeError
        raise InvalidRequest("The token request body is not valid form encoding") from exc
    form: dict[str, str] = {}
    for key, value in pairs:
        if key in form:  # RFC 6749 §3.2: parameters must not be repeated
            raise InvalidRequest(f"The parameter {key!r} appears more than once")
        form[key] = value
    return form


def _client_credentials(request: Request, form: dict[str, str]) -> tuple[str, str, bool]:
    """(client_id, client_secret, sent with HTTP Basic) from the Authorization header or the form."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "basic":
        if "client_secret" in form:  # RFC 6749 §2.3: one authentication method per request
            raise InvalidRequest("Send the client credentials either with HTTP Basic or in the form, not both")
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError) as exc:
            raise InvalidClient("The HTTP Basic credentials are malformed", headers=_BASIC_CHALLENGE) from exc
        client_id, sep, secret = decoded.partition(":")
        if not sep or not client_id or not secret:
            raise InvalidClient("The HTTP Basic credentials are malformed", headers=_BASIC_CHALLENGE)
        # RFC 6749 §2.3.1: both parts are form-urlencoded before they are joined.
        return unquote_plus(client_id), unquote_plus(secret), True
    client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
    if not client_id or not secret:
        raise InvalidClient("client_id and client_secret are required")
    return client_id, secret, False


@dataclass(frozen=True)
class Granted:
    principal: Principal
    scope: str
    refresh_token: str | None = None
    password_change_required: bool = False


async def _password_grant(rt: Runtime, form: dict[str, str], source: str) -> Granted:
    username, password = form.get("username", ""), form.get("password", "")
    if not username or not password:
        raise InvalidRequest("username and password are required for grant_type=password")
    if len(username) > _MAX_NAME or len(password) > _MAX_SECRET:
        raise InvalidGrant()
    attempt = await rt.throttle.admit(source, username)
    async with rt.db.sessions.begin() as session:
        user = await authenticate_user(session, rt.hasher, username, password)
        refresh = await open_session(session, rt.sessions, str(user.id)) if user is not None else None
    if user is None or refresh is None:
        raise InvalidGrant()
    await rt.throttle.succeeded(attempt, username)
    return Granted(staff_principal(user), " ".join(sorted(user.roles)), refresh, user.must_change_password)


async def _refresh_grant(rt: Runtime, form: dict[str, str]) -> Granted:
    raw = form.get("refresh_token", "")
    if not raw:
        raise InvalidRequest("refresh_token is required for grant_type=refresh_token")
    async with rt.db.sessions.begin() as session:
        exchanged = await exchange(session, rt.sessions, raw)
        user = await active_user(session, exchanged[0]) if exchanged is not None else None
    # Unknown, expired, revoked or already used; or a user cut off, or whose password changed since.
    if exchanged is None or user is None:
        raise InvalidGrant("The refresh token is not valid; sign in again")
    principal = staff_principal(user)
    return Granted(principal, " ".join(sorted(user.roles)), exchanged[1], user.must_change_password)


async def _client_credentials_grant(rt: Runtime, request: Request, form: dict[str, str], source: str) -> Granted:
    client_id, secret, basic = _client_credentials(request, form)
    if len(client_id) > _MAX_NAME or len(secret) > _MAX_SECRET:
        raise InvalidClient(headers=_BASIC_CHALLENGE if basic else None)
    attempt = await rt.throttle.admit(source, client_id)
    async with rt.db.sessions.begin() as session:
        client = await authenticate_client(session, rt.hasher, client_id, secret)
    if client is None:
        raise InvalidClient(headers=_BASIC_CHALLENGE if basic else None)
    await rt.throttle.succeeded(attempt, client_id)
    requested = set(form.get("scope", "").split())
    if requested and not requested <= set(client.scopes):
        raise InvalidScope(f"This client holds the scopes: {' '.join(sorted(client.scopes))}")
    granted = sorted(requested or client.scopes)
    return Granted(client_principal(client, granted), " ".join(granted))


async def issue_token(request: Request, rt: Runtime) -> TokenResponse:
    form = await read_form(request)
    grant_type = form.get("grant_type", "")
    source = source_address(request)
    if grant_type == "password":
        granted = await _password_grant(rt, form, source)
    elif grant_type == "client_credentials":
        granted = await _client_credentials_grant(rt, request, form, source)
    elif grant_type == "refresh_token":
        granted = await _refresh_grant(rt, form)
    elif not grant_type:
        raise InvalidRequest("grant_type is required")
    else:
        raise UnsupportedGrantType(
            "Use grant_type=password or refresh_token (staff) or grant_type=client_credentials (partners)"
        )
    request.state.principal = granted.principal  # so the access audit records who signed in
    return tokens_for(rt, granted)


def tokens_for(rt: Runtime, granted: Granted) -> TokenResponse:
    issued = rt.access_tokens.issue(granted.principal, password_change_required=granted.password_change_required)
    # The grant's scope, refresh token and password flag, with the token just issued.
    return from_row(TokenResponse, granted, access_token=issued.access_token, expires_in=issued.expires_in)
