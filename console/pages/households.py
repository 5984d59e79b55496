"""户籍查询 and 家庭档案: households as the registry answers them to the signed-in person, and their payments.

The search offers what casework's household list can filter by (a member's full name or identity number, exactly;
a region code, a village's or a wider one as a prefix; the status), pages as the API pages, and shows the head's name
masked as the API masks it. A search by name or identity number is sent as a form (POST, with the CSRF token), so
neither sits in an address, the browser's history or a log line.

The file (家庭档案) joins three answers: the household from casework (now, or with `as_of` as it stood at the end of
that day), its kept versions, and disbursement's payment file. The API decides who may see what: a refusal of the
household is shown in the catalogue's Chinese and nothing else is shown; a payment file the person may not read, or
that does not exist yet, leaves only its own section empty and says why.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse

from console.field_messages import message
from console.gateway_client import ApiProblem
from console.sessions import Session
from console.web import current_session, gateway_of, page
from libs.contracts.clock import CHINA_TZ, china_today

router = APIRouter(prefix="/households")

HOUSEHOLDS = "/api/v1/casework/households"
PAYMENT_FILE = "/api/v1/disbursement/households"
PAGE_SIZE = 50
HouseholdId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
# Long enough for anything a person might type; the API says whether it is right.
Typed = Annotated[str, Form(max_length=64)]
TypedQuery = Annotated[str, Query(max_length=64)]
CursorForm = Annotated[str, Form(max_length=1024)]
CursorQuery = Annotated[str, Query(max_length=1024)]
# The API's query parameter → the search form's field.
_FIELD_OF_PARAM = {"person_id_number": "id_number", "name": "name", "region_code": "region_code", "status": "status"}
_REGION_MESSAGE = "地区代码不正确：填写村（社区）、乡镇或县的数字代码"
_STATUS_OPTIONS = {"": "全部", "active": "在保", "closed": "已停保"}


@dataclass
class Search:
    """What the search form holds, as typed, and what the API answered for it."""

    name: str = ""
    id_number: str = ""
    region_code: str = ""
    status: str = ""
    cursor: str = ""
    items: list[dict[str, Any]] = field(default_factory=list)
    next_cursor: str | None = None
    errors: dict[str, str] = field(default_factory=dict)
    problem: str | None = None

    def params(self) -> dict[str, str]:
        wanted = {"name": self.name, "person_id_number": self.id_number, "region_code": self.region_code,
                  "status": self.status, "cursor": self.cursor}  # fmt: skip
        return {"limit": str(PAGE_SIZE), **{k: v for k, v in wanted.items() if v}}


def _beside_fields(problem: ApiProblem) -> dict[str, str]:
    """A 422 on the list's query parameters, placed beside the search form's fields."""
    placed: dict[str, str] = {}
    for error in problem.errors:
        loc = [str(part) for part in error.get("loc") or []]
        name = next((_FIELD_OF_PARAM[p] for p in loc if p in _FIELD_OF_PARAM), None)
        if name == "region_code":
            placed.setdefault(name, _REGION_MESSAGE)
        elif name is not None:
            placed.setdefault(name, message(name, str(error.get("type") or "")))
    return placed


async def _run(request: Request, session: Session, search: Search) -> int:
    """Ask the API; the page's status code (the refusal's, so a test or a proxy sees it too)."""
    try:
        body = await gateway_of(request).call(session, "GET", HOUSEHOLDS, params=search.params())
    except ApiProblem as refused:
        search.errors = _beside_fields(refused)
        if refused.code == "outside_jurisdiction" and search.region_code:
            search.errors["region_code"] = refused.message
        if not search.errors:
            search.problem = refused.message
        return refused.status if refused.status < 500 else 502
    search.items = [item for item in body.get("items", []) if isinstance(item, dict)]
    search.next_cursor = body.get("next_cursor") or None
    return 200


def _search_page(request: Request, session: Session, search: Search, status_code: int) -> HTMLResponse:
    return page(request, "households.html", status_code, session=session, person=session.person, search=search,
                status_options=_STATUS_OPTIONS)  # fmt: skip


@router.get("", response_class=HTMLResponse)
async def search_households(
    request: Request, region_code: TypedQuery = "", status: TypedQuery = "", cursor: CursorQuery = ""
) -> HTMLResponse:
    """户籍查询: the households of the person's jurisdiction (or of a region in it), a page at a time."""
    session = current_session(request)
    search = Search(region_code=region_code.strip(), status=status.strip(), cursor=cursor)
    return _search_page(request, session, search, await _run(request, session, search))


@router.post("", response_class=HTMLResponse)
async def search_by_form(
    request: Request,
    csrf_token: Typed = "",
    name: Typed = "",
    id_number: Typed = "",
    region_code: Typed = "",
    status: Typed = "",
    cursor: CursorForm = "",
) -> HTMLResponse:
    """查询 (or 下一页) from the form: by a member's name or identity number (exactly), region and status."""
    session = current_session(request)
    if not session.csrf_matches(csrf_token):
        return page(request, "refused.html", 403, session=session, person=session.person,
                    message="页面已过期，请刷新后重试")  # fmt: skip
    search = Search(
        name=name.strip(),
        id_number=id_number.strip(),
        region_code=region_code.strip(),
        status=status.strip(),
        cursor=cursor,
    )
    return _search_page(request, session, search, await _run(request, session, search))


@dataclass
class PaymentFile:
    """Disbursement's answer, or why there is none to show."""

    file: dict[str, Any] | None = None
    note: str | None = None


async def _payment_file(request: Request, session: Session, household_id: str) -> PaymentFile:
    try:
        return PaymentFile(await gateway_of(request).call(session, "GET", f"{PAYMENT_FILE}/{household_id}"))
    except ApiProblem as refused:
        if refused.code == "household_not_found":
            # Disbursement knows a household once an entitlement of it reaches the ledger.
            return PaymentFile(note="暂无发放记录：保障待遇尚未进入发放台账。")
        if refused.status >= 500:
            return PaymentFile(note="发放记录暂时无法获取，请稍后刷新。")
        return PaymentFile(note=refused.message)


async def _household(request: Request, session: Session, household_id: str, as_of: str) -> dict[str, Any] | ApiProblem:
    params = {"as_of": as_of} if as_of else None
    try:
        found: dict[str, Any] = await gateway_of(request).call(
            session, "GET", f"{HOUSEHOLDS}/{household_id}", params=params
        )
    except ApiProblem as refused:
        return refused
    return found


async def _versions(request: Request, session: Session, household_id: str) -> list[dict[str, Any]] | ApiProblem:
    try:
        found: list[dict[str, Any]] = await gateway_of(request).call(
            session, "GET", f"{HOUSEHOLDS}/{household_id}/versions"
        )
    except ApiProblem as refused:
        return refused
    return found


def _china_day(at: object) -> str:
    """The China date of an instant the API wrote (ISO 8601 with an offset), as YYYY-MM-DD for an `as_of` link."""
    try:
        return dt.datetime.fromisoformat(str(at)).astimezone(CHINA_TZ).date().isoformat()
    except ValueError:
        return str(at)[:10]


@router.get("/{household_id}", response_class=HTMLResponse)
async def household_file(request: Request, household_id: HouseholdId, as_of: TypedQuery = "") -> HTMLResponse:
    """家庭档案: members, programs and amounts, review dates, the state on a past date, and payments."""
    session = current_session(request)
    as_of = as_of.strip()
    household, versions, payments = await asyncio.gather(
        _household(request, session, household_id, as_of),
        _versions(request, session, household_id),
        _payment_file(request, session, household_id),
    )
    if isinstance(versions, ApiProblem):
        # Outside the jurisdiction, or no such household: the API's refusal and nothing of the household.
        return page(request, "refused.html", versions.status if versions.status < 500 else 502, session=session,
                    person=session.person, message=versions.message)  # fmt: skip
    as_of_problem = None
    status_code = 200
    if isinstance(household, ApiProblem):
        if not as_of or household.code not in {"not_yet_registered", "validation_failed"}:
            return page(request, "refused.html", household.status if household.status < 500 else 502,
                        session=session, person=session.person, message=household.message)  # fmt: skip
        # A date before the household was registered (or not a date): said beside the date, the history still shown.
        as_of_problem = household.message if household.code == "not_yet_registered" else "请填写正确的日期"
        status_code = household.status
        household = None
    for version in versions:
        version["day"] = _china_day(version.get("recorded_at"))
    return page(request, "household.html", status_code, session=session, person=session.person,
                household_id=household_id, household=household, versions=versions, payments=payments, as_of=as_of,
                as_of_errors={"as_of": as_of_problem} if as_of_problem else {},
                today=china_today().isoformat())  # fmt: skip
