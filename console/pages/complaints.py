"""投诉举报: the ledger of letters, visits, calls and 12345 work orders (工单) of the person's jurisdiction, and an
item's page with what an officer does with it: 核查记录 (办理记录), 答复信访人, 办结 with the 调查核实结论, 退回, and
for the county, 改派.

The console decides nothing: the ledger and the item are as the API answers them (caller and subject masked, the
deadline and 已逾期 the API's), the forms are offered while the item is open, and every refusal (not assigned to this
office, closed, a finding without a check first, a real-name item without written feedback) is shown in the
catalogue's Chinese beside the field it names, with what was typed kept.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console import words
from console.field_messages import beside_fields
from console.gateway_client import ApiProblem
from console.sessions import Session
from console.web import current_session, gateway_of, page, settings_of

router = APIRouter(prefix="/complaints")

COMPLAINTS = "/api/v1/complaints"
ComplaintId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
Action = Annotated[str, Path(pattern=r"^(notes|feedback|resolve|return|assignment)$")]
Cursor = Annotated[str | None, Query(max_length=512)]
Filter = Annotated[str | None, Query(max_length=32)]
PAGE_SIZE = 50
_MAX_FIELDS = 20
_MAX_VALUE = 4000
_OPEN = frozenset({"received", "assigned", "investigating"})
_OFFICERS = frozenset({"township_officer", "county_officer"})
_DONE = {
    "notes": "核查记录已保存，该件进入核查。",
    "feedback": "答复已记录。",
    "resolve": "已办结，办理结论已记录；12345 工单的结果将回传平台。",
    "return": "已退回，退回理由已记录。",
    "assignment": "已改派。",
}
# Beside a field the API found wanting (`validation_failed`), in the words of the form.
_WANTED = {
    "text": "请填写内容（不超过 4000 字）",
    "reply": "请填写答复内容（不超过 4000 字）",
    "reason": "请填写退回理由（不超过 4000 字）",
    "visited_on": "日期不正确：请填写今天或以前的日期",
    "method": "请选择答复方式",
    "finding": "请选择办理结论",
    "issue": "请选择反映的问题",
    "unit": "请选择承办单位",
    "note": "说明不超过 500 字",
}


def _refused(request: Request, session: Session, message: str, status_code: int) -> HTMLResponse:
    return page(request, "refused.html", status_code, session=session, person=session.person, message=message)


@router.get("", response_class=HTMLResponse)
async def complaints_page(request: Request, status: Filter = None, overdue: Filter = None,
                          cursor: Cursor = None) -> HTMLResponse:  # fmt: skip
    """The ledger (台账), newest first; 只看已逾期 lists the open items past their deadline, the longest first."""
    session = current_session(request)
    filters = {k: v for k, v in (("status", status), ("overdue", overdue)) if v}
    # The API lists overdue items on their own path (and only open ones, so no status with it).
    path, params = (f"{COMPLAINTS}/overdue", {}) if overdue else (COMPLAINTS, {"status": status} if status else {})
    problem = None
    items: list[dict[str, Any]] = []
    next_cursor = None
    try:
        listed = await gateway_of(request).listing(session, path, params, cursor, PAGE_SIZE)
        items, next_cursor = listed.items, listed.next_cursor
    except ApiProblem as refused:
        problem = refused.message
    base = settings_of(request).base_path
    return page(
        request, "complaints.html", session=session, person=session.person, items=items, problem=problem,
        filter_status=status or "", filter_overdue=bool(overdue),
        next_page=f"{base}/complaints?{urlencode({**filters, 'cursor': next_cursor})}" if next_cursor else None,
        first_page=f"{base}/complaints?{urlencode(filters)}" if cursor else None,
    )  # fmt: skip


def _townships(session: Session) -> dict[str, str]:
    """The county's townships by name, where to route an item (the API checks the unit is in the county)."""
    own = session.person.region_code
    return {code: name for code, name in sorted(session.region_names.items())
            if len(code) == 9 and code.startswith(own)}  # fmt: skip


async def _show(request: Request, session: Session, complaint_id: str, *, status_code: int = 200,
                form: dict[str, str] | None = None, problem: str | None = None,
                errors: dict[str, str] | None = None, done: str | None = None) -> HTMLResponse:  # fmt: skip
    try:
        item: dict[str, Any] = await gateway_of(request).call(session, "GET", f"{COMPLAINTS}/{complaint_id}")
    except ApiProblem as refused:
        return _refused(request, session, refused.message, refused.status)
    roles = set(session.person.roles)
    # Offered while the item is open to the officers who handle it; the API still decides (the unit it is assigned
    # to, an item closed meanwhile).
    can_handle = item["status"] in _OPEN and bool(roles & _OFFICERS)
    shown = {"item": item, "can_handle": can_handle, "can_assign": can_handle and "county_officer" in roles,
             "unit_options": {session.person.region_code: "县级自办", **_townships(session)},
             "finding_options": {"": "请选择", **words.FINDINGS}, "issue_options": {"": "不变", **words.ISSUES},
             "form": form or {}, "problem": problem, "errors": errors or {},
             "done": _DONE.get(done or "")}  # fmt: skip
    return page(request, "complaint.html", status_code, session=session, person=session.person, **shown)


@router.get("/{complaint_id}", response_class=HTMLResponse)
async def complaint_page(request: Request, complaint_id: ComplaintId, done: Filter = None) -> HTMLResponse:
    """投诉举报详情: the item, its history, the 核查记录, the answer, and the forms to handle it."""
    return await _show(request, current_session(request), complaint_id, done=done)


def _body(action: str, form: dict[str, str]) -> dict[str, Any]:
    """The form, named `<action>-<field>`, as the API's body of that action (blank optional fields left out)."""
    mine = {k.removeprefix(f"{action}-"): v for k, v in form.items() if k.startswith(f"{action}-")}
    optional = {"visited_on", "issue", "note"}
    return {k: v for k, v in mine.items() if v or k not in optional}


def _beside(action: str, refused: ApiProblem) -> dict[str, str]:
    """Each field the API names, beside its field in this action's form."""
    placed = {}
    for name in beside_fields(refused.errors):
        said = _WANTED.get(name, refused.message) if refused.code == "validation_failed" else refused.message
        placed[f"{action}-{name}"] = said
    return placed


@router.post("/{complaint_id}/{action}", response_class=HTMLResponse)
async def act(request: Request, complaint_id: ComplaintId, action: Action) -> Response:
    """核查记录 / 答复 / 办结 / 退回 / 改派: the form sent to the API as this person."""
    session = current_session(request)
    submitted = await request.form(max_fields=_MAX_FIELDS)
    form = {k: v.strip()[:_MAX_VALUE] for k, v in submitted.multi_items() if isinstance(v, str)}
    if not session.csrf_matches(form.get("csrf_token")):
        return _refused(request, session, "页面已过期，请刷新后重试", 403)
    try:
        await gateway_of(request).call(session, "POST", f"{COMPLAINTS}/{complaint_id}/{action}",
                                       json=_body(action, form))  # fmt: skip
    except ApiProblem as refused:
        return await _show(request, session, complaint_id, status_code=refused.status, form=form,
                           problem=refused.message, errors=_beside(action, refused))  # fmt: skip
    return RedirectResponse(f"{request.url.path.rsplit('/', 1)[0]}?done={action}", status_code=303)
