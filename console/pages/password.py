"""修改密码: a person chooses their own password (also the way out of an administrator's reset)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console.gateway_client import ApiProblem
from console.security import safe_next
from console.sessions import Session
from console.web import current_session, gateway_of, page, sessions_of, settings_of

router = APIRouter()

Field = Annotated[str, Form(max_length=256)]
# Which field a refusal belongs beside (the message itself is the catalogue's Chinese).
_FIELD_OF = {"wrong_current_password": "current_password", "weak_password": "new_password"}


def password_page_of(base: str, wanted: str) -> str:
    return f"{base}/password?next={quote(wanted, safe='')}"


def _form(request: Request, session: Session, next_page: str, errors: dict[str, str] | None = None,
          status_code: int = 200) -> HTMLResponse:  # fmt: skip
    return page(request, "password.html", status_code, session=session, person=session.person, next_page=next_page,
                errors=errors or {}, required=session.must_change_password)  # fmt: skip


@router.get("/password", response_class=HTMLResponse)
async def password_form(request: Request, next: str | None = None) -> HTMLResponse:
    """The form: 当前密码, 新密码, 确认新密码."""
    session = current_session(request, changing_password=True)
    return _form(request, session, safe_next(next, settings_of(request).base_path))


@router.post("/password", response_class=HTMLResponse)
async def change_password(
    request: Request,
    current_password: Field = "",
    new_password: Field = "",
    confirm_password: Field = "",
    csrf_token: Field = "",
    next: Field = "",
) -> Response:
    """Change the password through the gateway; every other session of the account ends, this one goes on."""
    session = current_session(request, changing_password=True)
    wanted = safe_next(next, settings_of(request).base_path)
    if not session.csrf_matches(csrf_token):
        return page(request, "refused.html", 403, message="页面已过期，请刷新后重试")
    errors: dict[str, str] = {}
    if not current_password:
        errors["current_password"] = "请输入当前密码"  # noqa: S105 - a message, not a password
    if not new_password:
        errors["new_password"] = "请输入新密码"  # noqa: S105 - a message
    elif new_password != confirm_password:
        errors["confirm_password"] = "两次输入的新密码不一致"  # noqa: S105 - a message
    if errors:
        return _form(request, session, wanted, errors, 422)
    try:
        tokens = await gateway_of(request).change_password(session, current_password, new_password)
    except ApiProblem as problem:
        field = _FIELD_OF.get(problem.code, "new_password")
        return _form(
            request, session, wanted, {field: problem.message}, problem.status if problem.status < 500 else 502
        )
    sessions_of(request).renew(session, tokens.access_token, tokens.refresh_token, tokens.expires_in)
    return RedirectResponse(wanted, status_code=303)
