"""Sign-in and sign-out: the gateway checks the password; the console keeps the tokens in a server-side session."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console.gateway_client import ApiProblem, person_of
from console.pages.password import password_page_of
from console.security import safe_next
from console.web import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    current_session,
    gateway_of,
    page,
    sessions_of,
    settings_of,
)

router = APIRouter()

Field = Annotated[str, Form(max_length=256)]


def _login_page(request: Request, *, next_page: str, username: str = "", error: str | None = None,
                status_code: int = 200) -> HTMLResponse:  # fmt: skip
    token = secrets.token_urlsafe(32)
    response = page(request, "login.html", status_code, csrf_token=token, next_page=next_page, username=username,
                    error=error)  # fmt: skip
    settings = settings_of(request)
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=settings.cookie_secure,
                        path=settings.base_path)  # fmt: skip
    return response


@router.get("/login", response_class=HTMLResponse)
async def login_form(request: Request, next: str | None = None) -> Response:
    """The sign-in form (用户名, 密码, 登录); someone already signed in goes on to the page they wanted."""
    base = settings_of(request).base_path
    wanted = safe_next(next, base)
    if sessions_of(request).get(request.cookies.get(SESSION_COOKIE)) is not None:
        return RedirectResponse(wanted, status_code=303)
    return _login_page(request, next_page=wanted)


@router.post("/login", response_class=HTMLResponse)
async def login(
    request: Request,
    username: Field = "",
    password: Field = "",
    csrf_token: Field = "",
    next: Field = "",
) -> Response:
    """Sign in through the gateway's token endpoint; on success the session cookie, then the page wanted."""
    settings = settings_of(request)
    wanted = safe_next(next, settings.base_path)
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(expected.encode(), csrf_token.encode()):
        return _login_page(request, next_page=wanted, username=username, error="页面已过期，请重新登录",
                           status_code=403)  # fmt: skip
    if not username.strip() or not password:
        return _login_page(request, next_page=wanted, username=username, error="请输入用户名和密码", status_code=422)
    client_ip = request.client.host if request.client else None
    try:
        tokens = await gateway_of(request).sign_in(username.strip(), password, client_ip=client_ip)
    except ApiProblem as problem:
        return _login_page(request, next_page=wanted, username=username, error=problem.message,
                           status_code=problem.status if 400 <= problem.status < 500 else 502)  # fmt: skip
    session = sessions_of(request).open(person_of(username.strip(), tokens.access_token), tokens.access_token,
                                        tokens.refresh_token, tokens.expires_in,
                                        must_change_password=tokens.password_change_required)  # fmt: skip
    # Names of the person's regions now, so a first page that calls no API (the filing form) shows names, not codes.
    await gateway_of(request).load_regions(session)
    going = password_page_of(settings.base_path, wanted) if session.must_change_password else wanted
    response = RedirectResponse(going, status_code=303)
    response.set_cookie(SESSION_COOKIE, session.id, httponly=True, samesite="lax", secure=settings.cookie_secure,
                        path=settings.base_path)  # fmt: skip
    response.delete_cookie(LOGIN_CSRF_COOKIE, path=settings.base_path)
    return response


@router.post("/logout")
async def logout(request: Request, csrf_token: Field = "") -> Response:
    """Sign out (退出登录): the refresh token is revoked at the gateway and the session ends here."""
    settings = settings_of(request)
    session = current_session(request)
    if not session.csrf_matches(csrf_token):
        return page(request, "refused.html", 403, message="页面已过期，请刷新后重试")
    sessions_of(request).close(session.id)
    await gateway_of(request).sign_out(session)
    response = RedirectResponse(f"{settings.base_path}/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path=settings.base_path)
    return response
