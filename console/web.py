"""What every page needs: the templates, the session of the request, and the redirect to sign-in."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, pass_context
from jinja2.runtime import Context

from console import words
from console.config import ConsoleSettings
from console.gateway_client import GatewayClient
from console.sessions import Session, SessionStore

SESSION_COOKIE = "jiuzhu_session"
LOGIN_CSRF_COOKIE = "jiuzhu_login_csrf"

_ENV = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=True)
templates = Jinja2Templates(env=_ENV)
templates.env.globals["words"] = words


@pass_context
def _region(context: Context, code: object) -> str:
    """A region by name ("城东街道 东关社区" for a village), its code only where no one has named it yet."""
    session = context.get("session")
    names: dict[str, str] = session.region_names if isinstance(session, Session) else {}
    text = str(code or "")
    if text not in names:
        return text
    township = names.get(text[:9]) if len(text) == 12 else None
    return f"{township} {names[text]}" if township else names[text]


templates.env.filters["region"] = _region
templates.env.filters.update(
    chinese_date=words.chinese_date,
    yuan=words.yuan,
    role=lambda r: words.word(words.ROLES, r),
    program=lambda p: words.word(words.PROGRAMS, p),
    application_status=lambda s: words.word(words.APPLICATION_STATUSES, s),
    case_status=lambda s: words.word(words.CASE_STATUSES, s),
    relation=lambda r: words.word(words.RELATIONS, r),
    labour=lambda v: words.word(words.LABOUR, v),
    employment=lambda v: words.word(words.EMPLOYMENT, v),
    income_kind=lambda v: words.word(words.INCOME, v),
    expenditure_kind=lambda v: words.word(words.EXPENDITURE, v),
    channel=lambda v: words.word(words.CHANNELS, v),
    bank=lambda v: words.word(words.BANKS, v),
    outcome=lambda v: words.word(words.OUTCOMES, v),
    trigger=lambda v: words.word(words.TRIGGERS, v),
    source=lambda v: words.word(words.SOURCES, v),
)


class NeedsSignIn(Exception):
    """No live session for this request: to the sign-in page, and back here afterwards."""

    def __init__(self, wanted: str) -> None:
        super().__init__(wanted)
        self.wanted = wanted


def settings_of(request: Request) -> ConsoleSettings:
    settings: ConsoleSettings = request.app.state.settings
    return settings


def sessions_of(request: Request) -> SessionStore:
    store: SessionStore = request.app.state.sessions
    return store


def gateway_of(request: Request) -> GatewayClient:
    client: GatewayClient = request.app.state.gateway
    return client


def wanted_page(request: Request) -> str:
    query = f"?{request.url.query}" if request.url.query else ""
    return f"{request.url.path}{query}"


class MustChangePassword(Exception):
    """The person's password was reset: the password page comes first, then the page they wanted."""

    def __init__(self, wanted: str) -> None:
        super().__init__(wanted)
        self.wanted = wanted


def current_session(request: Request, *, changing_password: bool = False) -> Session:
    session = sessions_of(request).get(request.cookies.get(SESSION_COOKIE))
    wanted = wanted_page(request) if request.method == "GET" else f"{settings_of(request).base_path}/"
    if session is None:
        raise NeedsSignIn(wanted)
    if session.must_change_password and not changing_password:
        raise MustChangePassword(wanted)
    return session


def to_sign_in(request: Request, wanted: str) -> RedirectResponse:
    base = settings_of(request).base_path
    response = RedirectResponse(f"{base}/login?next={quote(wanted, safe='')}", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path=base)
    return response


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    base = settings_of(request).base_path
    response: HTMLResponse = templates.TemplateResponse(request, template, {"base": base, **context},
                                                        status_code=status_code)  # fmt: skip
    return response
