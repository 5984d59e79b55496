"""An application's page: what was declared, where it stands, and for the township, 受理 or 退回补充.

The console decides nothing: it shows the application as the API answers it to this person, and the buttons call the
API's accept and return; a refusal (not in a status that allows it, recusal, outside the jurisdiction) is shown in
the catalogue's Chinese with what was typed kept.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console.gateway_client import ApiProblem
from console.sessions import Session
from console.web import current_session, gateway_of, page

router = APIRouter(prefix="/applications")

APPLICATIONS = "/api/v1/intake/applications"
ApplicationId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
MissingText = Annotated[str, Form(max_length=50 * 210)]
Token = Annotated[str, Form(max_length=256)]
_MAX_MISSING = 50
_DONE = {
    "accepted": "已受理，办理期限自今日起算。",
    "returned": "已退回补充，申请人将收到一次性告知的补充材料清单。",
    "saved": "草稿已保存。",
    "submitted": "申请已提交，等待乡镇受理。",
    "extended": "办理期限已延长。",
    "withdrawn": "申请已撤回。",
}
# 延长办理期限 (once, for a special case) and 撤回申请 (at the applicant's request): each needs its reason.
_REASONED = {"extend": "extended", "withdraw": "withdrawn"}
_OFFICERS = frozenset({"township_officer", "county_officer"})
Reason = Annotated[str, Form(max_length=2000)]


def _form_refused(request: Request, session: Session) -> HTMLResponse:
    return page(request, "refused.html", 403, session=session, person=session.person,
                message="页面已过期，请刷新后重试")  # fmt: skip


async def _show(
    request: Request,
    session: Session,
    application_id: str,
    *,
    status_code: int = 200,
    problem: str | None = None,
    missing_text: str = "",
    reason_text: dict[str, str] | None = None,
    done: str | None = None,
) -> HTMLResponse:
    try:
        application: dict[str, Any] = await gateway_of(request).call(session, "GET", f"{APPLICATIONS}/{application_id}")
    except ApiProblem as refused:
        return page(request, "refused.html", refused.status, session=session, person=session.person,
                    message=refused.message)  # fmt: skip
    # Offered where the API would allow it; the API still decides (recusal, jurisdiction) when the button is used.
    roles, status = set(session.person.roles), application["status"]
    can_decide = "township_officer" in roles and status == "submitted"
    officer = bool(roles & _OFFICERS)
    can = {
        "can_extend": officer and status == "accepted" and not application.get("extension_reason"),
        "can_withdraw": officer and status in {"draft", "submitted", "returned", "accepted"},
        "can_edit": bool(roles & (_OFFICERS | {"village_assistant"})) and status in {"draft", "returned"},
    }
    shown = {"app": application, "problem": problem, "missing_text": missing_text, "done": _DONE.get(done or "")}
    return page(request, "application.html", status_code, session=session, person=session.person,
                can_decide=can_decide, reason_text=reason_text, **can, **shown)  # fmt: skip


@router.get("/{application_id}", response_class=HTMLResponse)
async def application_page(request: Request, application_id: ApplicationId, done: str | None = None) -> HTMLResponse:
    """申请详情."""
    return await _show(request, current_session(request), application_id, done=done)


@router.post("/{application_id}/accept", response_class=HTMLResponse)
async def accept(request: Request, application_id: ApplicationId, csrf_token: Token = "") -> Response:
    """受理: the statutory clock starts."""
    session = current_session(request)
    if not session.csrf_matches(csrf_token):
        return _form_refused(request, session)
    try:
        await gateway_of(request).call(session, "POST", f"{APPLICATIONS}/{application_id}/accept")
    except ApiProblem as refused:
        return await _show(request, session, application_id, status_code=refused.status, problem=refused.message)
    return RedirectResponse(f"{request.url.path.rsplit('/', 1)[0]}?done=accepted", status_code=303)


@router.post("/{application_id}/return", response_class=HTMLResponse)
async def return_for_supplement(
    request: Request, application_id: ApplicationId, missing: MissingText = "", csrf_token: Token = ""
) -> Response:
    """退回补充 with the complete list of what is missing, one item a line (it happens at most once)."""
    session = current_session(request)
    if not session.csrf_matches(csrf_token):
        return _form_refused(request, session)
    items = [line.strip() for line in missing.splitlines() if line.strip()]
    if not items or len(items) > _MAX_MISSING or any(len(item) > 200 for item in items):
        message = "请逐行填写缺少的材料（至多 50 项，每项不超过 200 字）"
        return await _show(request, session, application_id, status_code=422, problem=message, missing_text=missing)
    body = {"missing": [{"item": item} for item in items]}
    try:
        await gateway_of(request).call(session, "POST", f"{APPLICATIONS}/{application_id}/return", json=body)
    except ApiProblem as refused:
        return await _show(request, session, application_id, status_code=refused.status, problem=refused.message,
                           missing_text=missing)  # fmt: skip
    return RedirectResponse(f"{request.url.path.rsplit('/', 1)[0]}?done=returned", status_code=303)


@router.post("/{application_id}/{action}", response_class=HTMLResponse)
async def with_reason(
    request: Request, application_id: ApplicationId, action: str, reason: Reason = "", csrf_token: Token = ""
) -> Response:
    """延长办理期限 or 撤回申请, each with its reason; the API decides whether the application allows it."""
    session = current_session(request)
    if action not in _REASONED:
        return page(request, "refused.html", 404, session=session, person=session.person, message="没有这项操作")
    if not session.csrf_matches(csrf_token):
        return _form_refused(request, session)
    if not reason.strip():
        return await _show(request, session, application_id, status_code=422, problem="请填写原因",
                           reason_text={action: reason})  # fmt: skip
    try:
        await gateway_of(request).call(
            session, "POST", f"{APPLICATIONS}/{application_id}/{action}", json={"reason": reason.strip()}
        )
    except ApiProblem as refused:
        return await _show(request, session, application_id, status_code=refused.status, problem=refused.message,
                           reason_text={action: reason})  # fmt: skip
    return RedirectResponse(f"{request.url.path.rsplit('/', 1)[0]}?done={_REASONED[action]}", status_code=303)
