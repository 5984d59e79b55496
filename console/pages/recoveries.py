"""追缴: the recovery orders (追回单) of the person's jurisdiction, money paid for months not due (after a death, a
stop), and an order's page where the county records money paid back (登记追回) or writes the rest off (核销).

The console decides nothing: what is owed, deducted, collected, waived and outstanding is as the API answers it; the
forms are offered to county officers while the order is open, and every refusal (more than is outstanding, a date to
come, an order closed meanwhile) is shown in the catalogue's Chinese beside the field it concerns, what was typed kept.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console import words
from console.field_messages import beside_fields
from console.gateway_client import ApiProblem
from console.sessions import Session
from console.web import current_session, gateway_of, page, settings_of

router = APIRouter(prefix="/recoveries")

RECOVERIES = "/api/v1/disbursement/recoveries"
RecoveryId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
Filter = Annotated[str | None, Query(max_length=32)]
Text = Annotated[str, Form(max_length=4000)]
Token = Annotated[str, Form(max_length=256)]
# The API answers at most this many orders, newest first, without a cursor: the page says so when it is reached.
PAGE_SIZE = 50
Cursor = Annotated[str | None, Query(max_length=512)]
_DONE = {
    "collected": "追回款已登记，尚欠金额已更新。",
    "waived": "已核销，剩余欠款不再追缴。",
}
# Beside a field the API found wanting (`validation_failed`), in the words of the form.
_WANTED = {
    "amount": "金额不正确：以元为单位，大于零，最多两位小数",
    "received_on": "日期不正确：请填写今天或以前的日期",
    "note": "备注不超过 2000 字",
    "reason": "请填写核销理由（不超过 2000 字）",
}
# Refusals of the whole request that concern one field.
_CODES = {
    "collect": {"invalid_amount": "amount", "amount_above_ceiling": "amount", "amount_exceeds_outstanding": "amount"},
    "waive": {},
}


def _refused(request: Request, session: Session, message: str, status_code: int) -> HTMLResponse:
    return page(request, "refused.html", status_code, session=session, person=session.person, message=message)


def _townships(session: Session) -> dict[str, str]:
    """The regions under the person's own, by name, to filter on (the API keeps the filter inside the jurisdiction)."""
    own = session.person.region_code
    return {code: name for code, name in sorted(session.region_names.items())
            if code.startswith(own) and code != own and len(code) <= 9}  # fmt: skip


@router.get("", response_class=HTMLResponse)
async def recoveries_page(
    request: Request, region_code: Filter = None, status: Filter = None, cursor: Cursor = None
) -> HTMLResponse:
    """追缴台账: the orders of the jurisdiction (or a region of it), newest first, with what each still owes; 50 a
    page."""
    session = current_session(request)
    params = {k: v for k, v in (("region_code", region_code), ("status", status)) if v}
    problem, items, next_cursor = None, [], None
    try:
        listed = await gateway_of(request).listing(session, RECOVERIES, params, cursor, PAGE_SIZE)
        items, next_cursor = listed.items, listed.next_cursor
    except ApiProblem as refused:
        problem = refused.message
    here = f"{settings_of(request).base_path}/recoveries"
    region_options = {"": "全部", **_townships(session)}
    if region_code and region_code not in region_options:
        region_options[region_code] = region_code
    return page(request, "recoveries.html", session=session, person=session.person, items=items, problem=problem,
                filter_region=region_code or "", filter_status=status or "", region_options=region_options,
                status_options={"": "全部", **words.RECOVERY_STATUSES},
                next_page=f"{here}?{urlencode({**params, 'cursor': next_cursor})}" if next_cursor else None,
                first_page=f"{here}?{urlencode(params)}" if cursor else None)  # fmt: skip


async def _show(request: Request, session: Session, recovery_id: str, *, status_code: int = 200,
                form: dict[str, str] | None = None, problem: str | None = None,
                errors: dict[str, str] | None = None, done: str | None = None) -> HTMLResponse:  # fmt: skip
    gateway = gateway_of(request)
    try:
        order: dict[str, Any] = await gateway.call(session, "GET", f"{RECOVERIES}/{recovery_id}")
        collections = await gateway.call(session, "GET", f"{RECOVERIES}/{recovery_id}/collections")
    except ApiProblem as refused:
        return _refused(request, session, refused.message, refused.status)
    # Offered to the county while the order is open; the API still decides (jurisdiction, closed meanwhile).
    can_act = order["status"] == "open" and "county_officer" in session.person.roles
    paid_back = collections if isinstance(collections, list) else []
    return page(request, "recovery.html", status_code, session=session, person=session.person, order=order,
                collections=paid_back, can_act=can_act, form=form or {}, problem=problem, errors=errors or {},
                done=_DONE.get(done or ""))  # fmt: skip


@router.get("/{recovery_id}", response_class=HTMLResponse)
async def recovery_page(request: Request, recovery_id: RecoveryId, done: Filter = None) -> HTMLResponse:
    """追回单详情: the months, the amount, what was deducted, collected and waived, and the forms."""
    return await _show(request, current_session(request), recovery_id, done=done)


def _beside(action: str, refused: ApiProblem) -> dict[str, str]:
    """Each field the API names, beside its field in this action's form (`collect-amount`)."""
    placed = {}
    for name in beside_fields(refused.errors):
        said = _WANTED.get(name, refused.message) if refused.code == "validation_failed" else refused.message
        placed[f"{action}-{name}"] = said
    if refused.code in _CODES[action]:
        placed.setdefault(f"{action}-{_CODES[action][refused.code]}", refused.message)
    return placed


async def _send(request: Request, session: Session, recovery_id: str, action: str, path: str,
                body: dict[str, Any], form: dict[str, str], token: str) -> Response:  # fmt: skip
    if not session.csrf_matches(token):
        return _refused(request, session, "页面已过期，请刷新后重试", 403)
    try:
        await gateway_of(request).call(session, "POST", f"{RECOVERIES}/{recovery_id}/{path}", json=body)
    except ApiProblem as refused:
        errors = _beside(action, refused)
        return await _show(request, session, recovery_id, status_code=refused.status if refused.status < 500 else 502,
                           form=form, problem=None if errors else refused.message, errors=errors)  # fmt: skip
    base = settings_of(request).base_path
    done = "collected" if action == "collect" else "waived"
    return RedirectResponse(f"{base}/recoveries/{recovery_id}?{urlencode({'done': done})}", status_code=303)


def _amount(typed: str) -> str:
    """元 as people write them (¥1,200 or 1200.5) in the API's form, two decimals; anything else as typed."""
    text = typed.replace(",", "").replace("，", "").removeprefix("¥").removeprefix("￥").strip()
    whole, dot, cents = text.partition(".")
    if whole.isdigit() and len(whole) <= 12 and (not dot or (cents.isdigit() and len(cents) <= 2)):
        return f"{whole}.{cents.ljust(2, '0')}"
    return text


@router.post("/{recovery_id}/collections", response_class=HTMLResponse)
async def collect(request: Request, recovery_id: RecoveryId, amount: Text = "", received_on: Text = "",
                  note: Text = "", csrf_token: Token = "") -> Response:  # fmt: skip
    """登记追回: money paid back at the bureau or by transfer, at most what is outstanding."""
    session = current_session(request)
    form = {"collect-amount": amount.strip(), "collect-received_on": received_on.strip(), "collect-note": note.strip()}
    body = {"amount": _amount(amount), "received_on": received_on.strip(), "note": note.strip()}
    return await _send(request, session, recovery_id, "collect", "collections", body, form, csrf_token)


@router.post("/{recovery_id}/waive", response_class=HTMLResponse)
async def waive(request: Request, recovery_id: RecoveryId, reason: Text = "", csrf_token: Token = "") -> Response:
    """核销: what is outstanding written off, with the county's reason."""
    session = current_session(request)
    form = {"waive-reason": reason.strip()}
    return await _send(request, session, recovery_id, "waive", "waive", {"reason": reason.strip()}, form, csrf_token)
