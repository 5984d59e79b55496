"""花名册: the county's monthly payment rosters. Build the roster of a month, check its totals, funding letter
(资金拨付函) and lines, lock it, submit it to finance, and download its lines as a file.

The console decides nothing: the API builds the roster from its ledger and refuses what a roster's status does not
allow (a second roster of a month, a month before a later roster, a step from the wrong status, a draft outdated by a
change to the ledger), each shown in the catalogue's Chinese with what was typed kept. Buttons are offered for the
steps a status leads to; the API still decides when one is pressed. Names and account numbers are as the API masks
them; the download streams through the console's session, so the browser never holds the person's token.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

import httpx
from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse

from console import words
from console.gateway_client import ApiProblem
from console.pages.roster_file import MEDIA_TYPE, disposition, lines_csv
from console.sessions import Session
from console.web import current_session, gateway_of, page, settings_of
from libs.contracts.clock import china_today

router = APIRouter(prefix="/rosters")

ROSTERS = "/api/v1/disbursement/rosters"
RosterId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
StepName = Literal["rebuild", "lock", "submit", "cancel", "reconcile"]
Token = Annotated[str, Form(max_length=256)]
Typed = Annotated[str, Form(max_length=64)]
ReasonText = Annotated[str, Form(max_length=2000)]
Cursor = Annotated[str | None, Query(max_length=512)]
Filter = Annotated[str | None, Query(max_length=32)]
PAGE_SIZE = 50
FILE_PAGE = 1000  # the API's largest page: a county's file in as few calls as it allows


@dataclass(frozen=True)
class Step:
    button: str
    done: str
    offered_in: frozenset[str]  # the statuses the API lets this step start from (DOMAIN.md §9)


STEPS: dict[str, Step] = {
    "rebuild": Step("重新生成", "已按救助台账当前情况重新生成，请核对后锁定。", frozenset({"draft"})),
    "lock": Step("锁定", "花名册已锁定：发放明细和校验值不再变动，可以提交财政。", frozenset({"draft"})),
    "submit": Step("提交", "花名册已提交财政。", frozenset({"locked"})),
    "cancel": Step("作废", "花名册已作废，可为该月重新生成。", frozenset({"draft", "locked"})),
    "reconcile": Step("对账", "已对账，发放失败的明细转入以后月份补发。", frozenset({"paid", "partially_failed"})),
}
_DONE = {"built": "花名册已生成，请核对分类别合计与发放明细后锁定。"} | {k: s.done for k, s in STEPS.items()}
_PERIOD = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*$")
_PERIOD_HINT = "请按“2026年12月”的格式填写期别"


def period_typed(typed: str) -> str | None:
    """What a person types or picks for a month (2026-12, 2026年12月) as the API writes it, or None."""
    found = _PERIOD.match(typed or "")
    if found is None or not 1 <= int(found.group(2)) <= 12:
        return None
    return f"{found.group(1)}-{int(found.group(2)):02d}"


def _refused(request: Request, session: Session, message: str, status_code: int) -> HTMLResponse:
    return page(request, "refused.html", status_code, session=session, person=session.person, message=message)


def _expired(request: Request, session: Session) -> HTMLResponse:
    return _refused(request, session, "页面已过期，请刷新后重试", 403)


def _is_officer(session: Session) -> bool:
    return "county_officer" in session.person.roles


# --- the list and the build form


async def _live_roster(request: Request, session: Session, period: str) -> dict[str, Any] | None:
    """The county's roster of a month that is not cancelled, as the API lists it, or None."""
    try:
        body = await gateway_of(request).call(session, "GET", ROSTERS, params={"period": period, "limit": PAGE_SIZE})
    except ApiProblem:
        return None
    live = [r for r in body.get("items", []) if r.get("status") != "cancelled"]
    return live[0] if live else None


async def _list_page(
    request: Request,
    session: Session,
    *,
    period: str = "",
    status: str = "",
    cursor: str | None = None,
    building: str | None = None,
    typed: str | None = None,
    problem: str | None = None,
    errors: dict[str, str] | None = None,
    existing: dict[str, Any] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    wanted = period_typed(period) if period else None
    filters = {k: v for k, v in (("period", wanted), ("status", status)) if v}
    listed_problem = _PERIOD_HINT if period and wanted is None else None
    rosters: list[dict[str, Any]] = []
    next_cursor = None
    if listed_problem is None:
        try:
            listed = await gateway_of(request).listing(session, ROSTERS, filters, cursor, PAGE_SIZE)
            rosters, next_cursor = listed.items, listed.next_cursor
        except ApiProblem as refused:
            listed_problem = refused.message
    built = await _live_roster(request, session, building) if building else None
    base = settings_of(request).base_path
    return page(
        request, "rosters.html", status_code, session=session, person=session.person, can_build=_is_officer(session),
        rosters=rosters, listed_problem=listed_problem, typed=typed if typed is not None else _this_month(),
        filter_period=period, filter_status=status, statuses=words.ROSTER_STATUSES, building=building, built=built,
        problem=problem, errors=errors or {}, existing=existing,
        next_page=f"{base}/rosters?{urlencode({**filters, 'cursor': next_cursor})}" if next_cursor else None,
        first_page=f"{base}/rosters?{urlencode(filters)}" if cursor else None,
    )  # fmt: skip


def _this_month() -> str:
    today = china_today()
    return f"{today.year}年{today.month}月"


@router.get("", response_class=HTMLResponse)
async def rosters_page(
    request: Request, period: Filter = None, status: Filter = None, cursor: Cursor = None, building: Filter = None
) -> HTMLResponse:
    """花名册 of the person's jurisdiction, newest month first; `building` names a month whose build is under way."""
    session = current_session(request)
    return await _list_page(request, session, period=period or "", status=status or "", cursor=cursor,
                            building=period_typed(building) if building else None)  # fmt: skip


@router.post("", response_class=HTMLResponse)
async def build(request: Request, period: Typed = "", csrf_token: Token = "") -> Response:
    """生成花名册: the county's draft roster of the month, from the ledger as it is now."""
    session = current_session(request)
    if not session.csrf_matches(csrf_token):
        return _expired(request, session)
    wanted = period_typed(period)
    if wanted is None:
        return await _list_page(request, session, typed=period, errors={"period": _PERIOD_HINT}, status_code=422)
    base = settings_of(request).base_path
    building = RedirectResponse(f"{base}/rosters?building={wanted}", status_code=303)
    body = {"region_code": session.person.region_code, "period": wanted}
    try:
        roster = await gateway_of(request).call(session, "POST", ROSTERS, json=body)
    except httpx.TimeoutException:
        return building  # a large county takes longer than one page may wait: the list shows when it is there
    except ApiProblem as refused:
        if refused.status == 504:
            return building
        beside = any(str((e.get("loc") or [""])[-1]) == "period" for e in refused.errors)
        existing = await _live_roster(request, session, wanted) if refused.code == "roster_exists" else None
        return await _list_page(request, session, typed=period, problem=None if beside else refused.message,
                                errors={"period": refused.message} if beside else None, existing=existing,
                                status_code=refused.status)  # fmt: skip
    return RedirectResponse(f"{base}/rosters/{roster['roster_id']}?done=built", status_code=303)


# --- one roster


async def _optional(request: Request, session: Session, path: str, **params: Any) -> tuple[Any, str | None]:
    """A part of the page the API may not give just now: the rest of the page still shows."""
    try:
        return await gateway_of(request).call(session, "GET", path, params=params or None), None
    except ApiProblem as refused:
        return None, refused.message


async def _show(
    request: Request,
    session: Session,
    roster_id: str,
    *,
    done: str | None = None,
    cursor: str | None = None,
    line_status: str = "",
    problem: str | None = None,
    reason: str = "",
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    path = f"{ROSTERS}/{roster_id}"
    try:
        roster: dict[str, Any] = await gateway_of(request).call(session, "GET", path)
    except ApiProblem as refused:
        return _refused(request, session, refused.message, refused.status)
    params: dict[str, Any] = {"limit": PAGE_SIZE}
    params.update({k: v for k, v in (("cursor", cursor), ("status", line_status)) if v})
    (letter, letter_problem), (lines, lines_problem) = await asyncio.gather(
        _optional(request, session, f"{path}/funding-letter"), _optional(request, session, f"{path}/lines", **params)
    )
    base = settings_of(request).base_path
    here = f"{base}/rosters/{roster_id}"
    line_filter = {"line_status": line_status} if line_status else {}
    next_cursor = (lines or {}).get("next_cursor")
    steps = [n for n, s in STEPS.items() if roster["status"] in s.offered_in] if _is_officer(session) else []
    return page(
        request, "roster.html", status_code, session=session, person=session.person, r=roster, letter=letter,
        letter_problem=letter_problem, lines=(lines or {}).get("items", []), lines_problem=lines_problem,
        line_status=line_status, line_statuses=words.LINE_STATUSES, steps={n: STEPS[n] for n in steps},
        done=_DONE.get(done or ""), problem=problem, reason=reason, errors=errors or {},
        next_page=f"{here}?{urlencode({**line_filter, 'cursor': next_cursor})}#lines-title" if next_cursor else None,
        first_page=f"{here}?{urlencode(line_filter)}#lines-title" if cursor else None,
    )  # fmt: skip


@router.get("/{roster_id}", response_class=HTMLResponse)
async def roster_page(
    request: Request, roster_id: RosterId, done: Filter = None, cursor: Cursor = None, line_status: Filter = None
) -> HTMLResponse:
    """One roster: its state, totals by program, funding letter, lines (a page at a time) and the steps it allows."""
    session = current_session(request)
    return await _show(request, session, roster_id, done=done, cursor=cursor, line_status=line_status or "")


@router.post("/{roster_id}/{step}", response_class=HTMLResponse)
async def take_step(
    request: Request, roster_id: RosterId, step: StepName, reason: ReasonText = "", csrf_token: Token = ""
) -> Response:
    """重新生成, 锁定, 提交 (to finance), 作废 (with its reason) or 对账, as the API allows it now."""
    session = current_session(request)
    if not session.csrf_matches(csrf_token):
        return _expired(request, session)
    body = None
    if step == "cancel":
        if not reason.strip():
            return await _show(request, session, roster_id, errors={"reason": "请填写作废原因"}, status_code=422)
        body = {"reason": reason.strip()}
    try:
        await gateway_of(request).call(session, "POST", f"{ROSTERS}/{roster_id}/{step}", json=body)
    except ApiProblem as refused:
        beside = any(str((e.get("loc") or [""])[-1]) == "reason" for e in refused.errors)
        return await _show(request, session, roster_id, problem=None if beside else refused.message, reason=reason,
                           errors={"reason": refused.message} if beside else None,
                           status_code=refused.status)  # fmt: skip
    base = settings_of(request).base_path
    return RedirectResponse(f"{base}/rosters/{roster_id}?done={step}", status_code=303)


@router.get("/{roster_id}/file", response_class=StreamingResponse)
async def download(request: Request, roster_id: RosterId) -> Response:
    """The roster's lines as a CSV file, fetched from the API as this person while the browser receives it."""
    session = current_session(request)
    gateway, path = gateway_of(request), f"{ROSTERS}/{roster_id}"
    try:
        # The roster and the first page before any byte is sent: a refusal is still a page, not a broken file.
        roster = await gateway.call(session, "GET", path)
        first = await gateway.call(session, "GET", f"{path}/lines", params={"limit": FILE_PAGE})
    except ApiProblem as refused:
        return _refused(request, session, refused.message, refused.status)

    async def next_page(cursor: str) -> dict[str, Any]:
        found: dict[str, Any] = await gateway.call(session, "GET", f"{path}/lines",
                                                   params={"limit": FILE_PAGE, "cursor": cursor})  # fmt: skip
        return found

    return StreamingResponse(lines_csv(first, next_page), media_type=MEDIA_TYPE,
                             headers={"Content-Disposition": disposition(roster)})  # fmt: skip
