"""The public API through the gateway, on behalf of the signed-in person.

The console holds no rule of its own: what the API refuses comes back as an `ApiProblem` carrying the problem's code
and its Chinese message (`title_zh`, from the error catalogue), shown beside the field it names. An access token near
its end is renewed with the session's refresh token; a session that cannot be renewed raises `SignInAgain`.
"""

from __future__ import annotations

import base64
import json
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from console.sessions import Person, Session

TOKEN_PATH = "/api/v1/auth/token"  # noqa: S105 - a path, not a secret
REVOKE_PATH = "/api/v1/auth/revoke"
PASSWORD_PATH = "/api/v1/auth/password"  # noqa: S105 - a path, not a secret
REGIONS_PATH = "/api/v1/regions"
_REGIONS_FRESH_SECONDS = 300
# Renew this long before the access token ends, so a request never reaches the API with a token about to lapse.
_RENEW_BEFORE_SECONDS = 60
_RESPONSE_LIMIT = 8 * 1024 * 1024


class SignInAgain(Exception):
    """The session can no longer act for the person: they sign in again."""


@dataclass
class ApiProblem(Exception):
    status: int
    code: str
    message: str  # Chinese where the catalogue has the code, else the API's own text
    errors: list[dict[str, Any]] = field(default_factory=list)

    def field_messages(self) -> dict[str, str]:
        """Field name → message, for the fields a 422 names (`loc` ends with the field)."""
        found: dict[str, str] = {}
        for error in self.errors:
            loc = error.get("loc") or []
            if loc:
                found.setdefault(str(loc[-1]), self.message)
        return found


def problem_of(response: httpx.Response) -> ApiProblem:
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    message = body.get("title_zh") or body.get("detail") or body.get("title") or f"请求未成功（{response.status_code}）"
    if body.get("suggested_outcome") and body.get("detail"):
        # A review outcome the rule does not allow: the rule's own reason (in Chinese) says what to propose instead.
        message = body["detail"]
    errors = body.get("errors") if isinstance(body.get("errors"), list) else []
    return ApiProblem(response.status_code, str(body.get("code") or "unknown"), str(message), errors or [])


def _claims(access_token: str) -> dict[str, Any]:
    """The token's claims, read for display only: the token came straight from the gateway over our own channel, and
    the API checks it again on every call."""
    try:
        payload = access_token.split(".")[1]
        data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def person_of(username: str, access_token: str) -> Person:
    claims = _claims(access_token)
    roles = claims.get("roles") if isinstance(claims.get("roles"), list) else []
    return Person(
        username=username,
        display_name=str(claims.get("display") or username),
        region_code=str(claims.get("region") or ""),
        roles=tuple(str(r) for r in roles or []),
    )


@dataclass(frozen=True)
class Listing:
    """One page of a paginated list as the API answered it."""

    items: list[dict[str, Any]]
    next_cursor: str | None


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str | None
    expires_in: int
    password_change_required: bool


class GatewayClient:
    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def sign_in(self, username: str, password: str, *, client_ip: str | None) -> Tokens:
        form = {"grant_type": "password", "username": username, "password": password}
        return await self._token(form, client_ip=client_ip)

    async def sign_out(self, session: Session) -> None:
        if session.refresh_token:
            # Best effort: the session is gone from the console either way.
            try:
                await self.http.post(REVOKE_PATH, data={"token": session.refresh_token})
            except httpx.HTTPError:
                return

    async def call(self, session: Session, method: str, path: str, **kwargs: Any) -> Any:
        """The API's JSON answer to `method path` as this person; an `ApiProblem` for a refusal."""
        response = await self._answer(session, method, path, **kwargs)
        return response.json() if response.content else None

    async def document(self, session: Session, path: str) -> httpx.Response:
        """A printed document (a kept PDF) as this person: the answer itself, its bytes and headers to pass on."""
        return await self._answer(session, "GET", path)

    async def _answer(self, session: Session, method: str, path: str, **kwargs: Any) -> httpx.Response:
        await self._renew_if_due(session)
        await self._regions_if_due(session)
        response = await self.http.request(method, path, headers=_bearer(session), **kwargs)
        if response.status_code == 401:
            await self._renew(session)
            response = await self.http.request(method, path, headers=_bearer(session), **kwargs)
            if response.status_code == 401:
                raise SignInAgain
        if len(response.content) > _RESPONSE_LIMIT:
            raise ApiProblem(502, "response_too_large", "接口返回的内容过大")
        if response.status_code >= 400:
            raise problem_of(response)
        return response

    async def download(self, session: Session, path: str, params: dict[str, str]) -> httpx.Response:
        """The API's file at `path` as this person, its body not yet read (the caller streams it on and closes it); an
        `ApiProblem` for a refusal, read whole (a problem is small)."""
        await self._renew_if_due(session)
        response = await self._open(session, path, params)
        if response.status_code == 401:
            await response.aclose()
            await self._renew(session)
            response = await self._open(session, path, params)
            if response.status_code == 401:
                await response.aclose()
                raise SignInAgain
        if response.status_code >= 400:
            try:
                await response.aread()
            finally:
                await response.aclose()
            raise problem_of(response)
        return response

    async def _open(self, session: Session, path: str, params: dict[str, str]) -> httpx.Response:
        request = self.http.build_request("GET", path, params=params, headers=_bearer(session))
        return await self.http.send(request, stream=True)

    async def listing(
        self, session: Session, path: str, params: dict[str, Any], cursor: str | None, limit: int
    ) -> Listing:
        """One page of the list at `path` (`items`, `next_cursor`) as this person, from `cursor` on."""
        body = await self.call(
            session, "GET", path, params={**params, "limit": limit, **({"cursor": cursor} if cursor else {})}
        )
        found = body if isinstance(body, dict) else {}
        items = [i for i in found.get("items", []) if isinstance(i, dict)]
        return Listing(items, found.get("next_cursor") or None)

    async def public(self, path: str, *, client_ip: str | None, params: dict[str, str] | None = None) -> Any:
        """A public page's JSON (信息公开: no token), asked for on behalf of the browser's address so the gateway's
        per-address limit counts people, not the console (it believes the address once the console's is listed in
        GATEWAY_TRUSTED_PROXIES, as for sign-in)."""
        headers = {"X-Forwarded-For": client_ip} if client_ip else {}
        response = await self.http.get(path, params=params, headers=headers)
        if len(response.content) > _RESPONSE_LIMIT:
            raise ApiProblem(502, "response_too_large", "接口返回的内容过大")
        if response.status_code >= 400:
            raise problem_of(response)
        return response.json()

    async def change_password(self, session: Session, current: str, new: str) -> Tokens:
        """`POST /api/v1/auth/password`: every earlier token of the account ends; the answer carries fresh ones."""
        body = {"current_password": current, "new_password": new}
        response = await self.http.post(PASSWORD_PATH, json=body, headers=_bearer(session))
        if response.status_code == 401:
            raise SignInAgain
        if response.status_code != 200:
            raise problem_of(response)
        return _tokens(response.json())

    async def load_regions(self, session: Session) -> None:
        """The region names of a session just opened (a failure leaves codes on screen, never a refused sign-in)."""
        try:
            await self._regions_if_due(session)
        except httpx.HTTPError:
            session.region_names = {}

    async def _regions_if_due(self, session: Session) -> None:
        """The names of the regions around the person: their county's (or their own wider jurisdiction's)."""
        loaded = session.regions_loaded_at
        if loaded is not None and time.monotonic() - loaded < _REGIONS_FRESH_SECONDS:
            return
        session.regions_loaded_at = time.monotonic()  # once per period even when the call below fails
        prefix = session.person.region_code[:6] or session.person.region_code
        if len(prefix) < 2 or session.must_change_password:
            return
        response = await self.http.get(REGIONS_PATH, params={"under": prefix}, headers=_bearer(session))
        if response.status_code == 200:
            session.region_names = {str(r["code"]): str(r["name"]) for r in response.json()}

    async def _renew_if_due(self, session: Session) -> None:
        if session.access_expires_at - time.monotonic() < _RENEW_BEFORE_SECONDS:
            await self._renew(session)

    async def _renew(self, session: Session) -> None:
        if not session.refresh_token:
            raise SignInAgain
        try:
            tokens = await self._token({"grant_type": "refresh_token", "refresh_token": session.refresh_token},
                                       client_ip=None)  # fmt: skip
        except ApiProblem as exc:
            raise SignInAgain from exc
        session.access_token = tokens.access_token
        session.refresh_token = tokens.refresh_token or session.refresh_token
        session.access_expires_at = time.monotonic() + tokens.expires_in

    async def _token(self, form: dict[str, str], *, client_ip: str | None) -> Tokens:
        headers = {"X-Forwarded-For": client_ip} if client_ip else {}
        response = await self.http.post(TOKEN_PATH, data=form, headers=headers)
        if response.status_code != 200:
            raise problem_of(response)
        return _tokens(response.json())


def _tokens(body: dict[str, Any]) -> Tokens:
    return Tokens(
        access_token=str(body["access_token"]),
        refresh_token=body.get("refresh_token"),
        expires_in=int(body.get("expires_in", 0)),
        password_change_required=bool(body.get("password_change_required")),
    )


def _bearer(session: Session) -> dict[str, str]:
    return {"Authorization": f"Bearer {session.access_token}"}
