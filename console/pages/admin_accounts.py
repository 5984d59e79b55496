"""系统管理 · 用户管理 and 对接系统: a system administrator's staff users and partner clients, as the admin API lists
them inside the administrator's jurisdiction.

The API decides everything (who may be created where, which roles, the password policy); a refusal comes back beside
the field it concerns with everything typed kept. A generated temporary password and a new client's secret are shown
once, on the page that answers the form, and never again (pages are not cached).
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console import words
from console.gateway_client import ApiProblem
from console.pages.admin_forms import Field, Token, expired, place, refused_page
from console.sessions import Session
from console.web import current_session, gateway_of, page, settings_of

router = APIRouter(prefix="/admin")

USERS = "/api/v1/admin/users"
CLIENTS = "/api/v1/admin/clients"
PAGE_SIZE = 50
AccountId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_.-]{1,64}$")]
Cursor = Annotated[str | None, Query(max_length=512)]
Done = Annotated[str | None, Query(max_length=32)]
_USER_FIELDS = {"username": "username", "display_name": "display_name", "roles": "role",
                "region_code": "region_code", "password": "password"}  # fmt: skip
_USER_CODES = {"username_taken": "username", "weak_password": "password", "outside_jurisdiction": "region_code"}
_CLIENT_FIELDS = {"name": "name", "scopes": "scopes", "region_code": "region_code", "callback_url": "callback_url"}
_CLIENT_CODES = {"callback_url_refused": "callback_url", "outside_jurisdiction": "region_code"}
_DONE = {"created": "用户已创建，请将用户名和初始密码告知本人；首次登录后请本人修改密码。",
         "deactivate": "账号已停用，其登录和所有会话即刻失效。", "reactivate": "账号已启用，可重新登录。"}  # fmt: skip


async def _listed(request: Request, session: Session, path: str, cursor: str | None) -> tuple[list[Any], str | None]:
    listed = await gateway_of(request).listing(session, path, {}, cursor, PAGE_SIZE)
    return list(listed.items), listed.next_cursor


async def _users_page(
    request: Request,
    session: Session,
    *,
    cursor: str | None = None,
    done: str | None = None,
    typed: dict[str, str] | None = None,
    refused: ApiProblem | None = None,
) -> HTMLResponse:
    try:
        users, next_cursor = await _listed(request, session, USERS, cursor)
    except ApiProblem as problem:
        return refused_page(request, session, problem)
    form = typed or {"role": "village_assistant", "region_code": session.person.region_code}
    placed = place(refused, form, fields=_USER_FIELDS, codes=_USER_CODES) if refused else None
    here = f"{settings_of(request).base_path}/admin/users"
    return page(request, "admin_users.html", refused.status if refused and refused.status < 500 else 200,
                session=session, person=session.person, users=users, form=form, done=_DONE.get(done or ""),
                errors=placed.errors if placed else {}, problem=placed.problem if placed else None,
                next_page=f"{here}?{urlencode({'cursor': next_cursor})}" if next_cursor else None,
                first_page=here if cursor else None)  # fmt: skip


@router.get("/users", response_class=HTMLResponse)
async def users(request: Request, cursor: Cursor = None, done: Done = None) -> HTMLResponse:
    """用户管理: the staff users of the jurisdiction, a page at a time, and the form to create one."""
    return await _users_page(request, current_session(request), cursor=cursor, done=done)


@router.post("/users", response_class=HTMLResponse)
async def create_user(request: Request, username: Field = "", display_name: Field = "", role: Field = "",
                      region_code: Field = "", password: Field = "", csrf_token: Token = "") -> Response:  # fmt: skip
    """新建用户 with one 岗位; the initial password is the administrator's, held to the policy by the API."""
    session = current_session(request)
    if not session.csrf_matches(csrf_token):
        return expired(request, session)
    typed = {"username": username.strip(), "display_name": display_name.strip(), "role": role,
             "region_code": region_code.strip(), "password": password}  # fmt: skip
    body = {"username": typed["username"], "display_name": typed["display_name"], "roles": [role] if role else [],
            "region_code": typed["region_code"], "password": password}  # fmt: skip
    try:
        created = await gateway_of(request).call(session, "POST", USERS, json=body)
    except ApiProblem as refused:
        typed["password"] = ""  # a password is never written back into a page
        return await _users_page(request, session, typed=typed, refused=refused)
    base = settings_of(request).base_path
    return RedirectResponse(f"{base}/admin/users/{created['user_id']}?done=created", status_code=303)


async def _user_page(request: Request, session: Session, user_id: str, *, done: str | None = None,
                     typed: dict[str, str] | None = None, refused: ApiProblem | None = None,
                     form_of: str = "") -> HTMLResponse:  # fmt: skip
    try:
        user = await gateway_of(request).call(session, "GET", f"{USERS}/{user_id}")
    except ApiProblem as problem:
        return refused_page(request, session, problem)
    typed = typed or {}
    placed = place(refused, typed, fields={"reason": f"{form_of}-reason"}, codes={}) if refused else None
    return page(request, "admin_user.html", refused.status if refused and refused.status < 500 else 200,
                session=session, person=session.person, user=user, done=_DONE.get(done or ""), typed=typed,
                errors=placed.errors if placed else {}, problem=placed.problem if placed else None)  # fmt: skip


@router.get("/users/{user_id}", response_class=HTMLResponse)
async def user(request: Request, user_id: AccountId, done: Done = None) -> HTMLResponse:
    """One user: 停用/启用 and 重置密码, each with its reason."""
    return await _user_page(request, current_session(request), user_id, done=done)


@router.post("/users/{user_id}/password", response_class=HTMLResponse)
async def reset_password(request: Request, user_id: AccountId, reason: Field = "", csrf_token: Token = "") -> Response:
    """重置密码: the API generates a temporary password, shown on this answer once; the user chooses their own next."""
    session = current_session(request)
    if not session.csrf_matches(csrf_token):
        return expired(request, session)
    try:
        done = await gateway_of(request).call(session, "POST", f"{USERS}/{user_id}/password",
                                              json={"reason": reason.strip()})  # fmt: skip
    except ApiProblem as refused:
        return await _user_page(request, session, user_id, typed={"reset-reason": reason}, refused=refused,
                                form_of="reset")  # fmt: skip
    return page(request, "admin_password_done.html", session=session, person=session.person, user=done["user"],
                temporary_password=done.get("temporary_password"))  # fmt: skip


# After /password: a path parameter would take that word too.
@router.post("/users/{user_id}/{act}", response_class=HTMLResponse)
async def user_act(request: Request, user_id: AccountId, act: Annotated[str, Path(pattern="^(de|re)activate$")],
                   reason: Field = "", csrf_token: Token = "") -> Response:  # fmt: skip
    """停用 or 启用, with the reason kept in the record of administrative acts."""
    session = current_session(request)
    if not session.csrf_matches(csrf_token):
        return expired(request, session)
    try:
        await gateway_of(request).call(session, "POST", f"{USERS}/{user_id}/{act}", json={"reason": reason.strip()})
    except ApiProblem as refused:
        return await _user_page(request, session, user_id, typed={f"{act}-reason": reason}, refused=refused,
                                form_of=act)  # fmt: skip
    base = settings_of(request).base_path
    return RedirectResponse(f"{base}/admin/users/{user_id}?done={act}", status_code=303)


async def _clients_page(
    request: Request,
    session: Session,
    *,
    cursor: str | None = None,
    typed: dict[str, Any] | None = None,
    refused: ApiProblem | None = None,
) -> HTMLResponse:
    try:
        clients, next_cursor = await _listed(request, session, CLIENTS, cursor)
    except ApiProblem as problem:
        return refused_page(request, session, problem)
    form = typed or {"region_code": session.person.region_code, "scopes": []}
    text = {k: v for k, v in form.items() if isinstance(v, str)} | {"scopes": ",".join(form.get("scopes", []))}
    placed = place(refused, text, fields=_CLIENT_FIELDS, codes=_CLIENT_CODES) if refused else None
    here = f"{settings_of(request).base_path}/admin/clients"
    return page(request, "admin_clients.html", refused.status if refused and refused.status < 500 else 200,
                session=session, person=session.person, clients=clients, form=form, scopes=words.SCOPES,
                errors=placed.errors if placed else {}, problem=placed.problem if placed else None,
                next_page=f"{here}?{urlencode({'cursor': next_cursor})}" if next_cursor else None,
                first_page=here if cursor else None)  # fmt: skip


@router.get("/clients", response_class=HTMLResponse)
async def clients(request: Request, cursor: Cursor = None) -> HTMLResponse:
    """对接系统: the partner clients of the jurisdiction and the form to register one."""
    return await _clients_page(request, current_session(request), cursor=cursor)


@router.post("/clients", response_class=HTMLResponse)
async def create_client(request: Request) -> Response:
    """新建对接系统: its client_id and secret are shown on the answer, once."""
    session = current_session(request)
    form = await request.form(max_fields=20)
    text = {k: v.strip()[:2048] for k, v in form.items() if isinstance(v, str)}
    if not session.csrf_matches(text.get("csrf_token")):
        return expired(request, session)
    scopes = [s for s in form.getlist("scopes") if isinstance(s, str) and s in words.SCOPES]
    typed: dict[str, Any] = {"name": text.get("name", ""), "region_code": text.get("region_code", ""),
                             "callback_url": text.get("callback_url", ""), "scopes": scopes}  # fmt: skip
    body = {k: v for k, v in typed.items() if k != "callback_url" or v}
    try:
        created = await gateway_of(request).call(session, "POST", CLIENTS, json=body)
    except ApiProblem as refused:
        return await _clients_page(request, session, typed=typed, refused=refused)
    return page(request, "admin_client_created.html", 201, session=session, person=session.person, client=created)
