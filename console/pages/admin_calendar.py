"""系统管理 · 工作日历: the year's holiday schedule each service counts working-day deadlines with (受理, 审核审批,
投诉举报 each keep their own copy), and for a system administrator the form to load the State Council's schedule of a
year (国务院办公厅关于部分节假日安排的通知) into all three.

The console only reads the dates as typed (one a line or separated by commas) and sends them; whether the schedule
holds together (a date of another year, a make-up working day on a weekday, a day both off and working) is the API's
to say, and its refusal is shown beside the field it concerns, with what was typed kept.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console import words
from console.gateway_client import ApiProblem
from console.pages.admin_forms import REQUIRED, Token, expired
from console.sessions import Session
from console.web import current_session, gateway_of, page, settings_of

router = APIRouter(prefix="/admin")

Year = Annotated[str | None, Query(max_length=8)]
Done = Annotated[str | None, Query(max_length=32)]
Dates = Annotated[str, Form(max_length=4000)]
Source = Annotated[str, Form(max_length=1000)]
_CHINA = dt.timezone(dt.timedelta(hours=8))
_SEPARATORS = re.compile(r"[,，、;；\s]+")
_CHINESE_DATE = re.compile(r"^([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日$")
_FIELDS = ("holidays", "makeup_workdays")
# A refusal of the whole schedule, beside the field it concerns.
_CODES = {"makeup_day_not_weekend": "makeup_workdays", "day_both_off_and_working": "makeup_workdays",
          "malformed_schedule": "holidays"}  # fmt: skip


def _this_year() -> int:
    return dt.datetime.now(_CHINA).year


def _year_of(typed: str | None) -> int | None:
    text = (typed or "").strip().removesuffix("年")
    return int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else None


def parse_dates(typed: str) -> tuple[list[str], str | None]:
    """The dates typed (2027-01-01, 2027/1/1 or 2027年1月1日), as the API writes them; or the first one unreadable."""
    found = []
    for part in (p for p in _SEPARATORS.split(typed) if p):
        chinese = _CHINESE_DATE.match(part)
        pieces = chinese.groups() if chinese else tuple(re.split(r"[-/.]", part))
        try:
            day = dt.date(*(int(p) for p in pieces)) if len(pieces) == 3 else None
        except ValueError:
            day = None
        if day is None:
            return [], part
        found.append(day.isoformat())
    return found, None


async def _schedules(request: Request, session: Session, year: int) -> dict[str, dict[str, Any] | str]:
    """Each service's schedule of `year`, or the Chinese reason it could not be read."""
    shown: dict[str, dict[str, Any] | str] = {}
    for service in words.CALENDAR_SERVICES:
        try:
            shown[service] = await gateway_of(request).call(session, "GET", f"/api/v1/{service}/calendar/{year}")
        except ApiProblem as refused:
            shown[service] = refused.message
    return shown


async def _calendar_page(request: Request, session: Session, year: int, *, status_code: int = 200,
                         form: dict[str, str] | None = None, errors: dict[str, str] | None = None,
                         problem: str | None = None, results: dict[str, str] | None = None,
                         done: str | None = None) -> HTMLResponse:  # fmt: skip
    schedules = await _schedules(request, session, year)
    if form is None:
        # A year already loaded comes back into the form, for a correction to start from what is there.
        loaded = next((s for s in schedules.values() if isinstance(s, dict) and s.get("loaded")), None)
        form = {"year": str(year)}
        if loaded:
            form.update({name: "\n".join(str(d) for d in loaded.get(name, [])) for name in _FIELDS},
                        source=str(loaded.get("source", "")))  # fmt: skip
    return page(request, "admin_calendar.html", status_code, session=session, person=session.person, year=year,
                schedules=schedules, can_load="system_admin" in session.person.roles,
                form=form, errors=errors or {}, problem=problem, results=results or {},
                done="已将本年度节假日安排载入全部三项业务的工作日历。" if done == "loaded" else None)  # fmt: skip


@router.get("/calendar", response_class=HTMLResponse)
async def calendar(request: Request, year: Year = None, done: Done = None) -> HTMLResponse:
    """工作日历 of a year (this year by default), as each service holds it."""
    session = current_session(request)
    chosen = _year_of(year)
    problem = "年度应为 2000 至 2100 之间的四位数字" if year and chosen is None else None
    return await _calendar_page(request, session, chosen or _this_year(), problem=problem, done=done,
                                status_code=422 if problem else 200)  # fmt: skip


def _beside(refused: ApiProblem, typed: dict[str, str], year: int) -> dict[str, str]:
    placed: dict[str, str] = {}
    for error in refused.errors:
        loc = [str(p) for p in (error.get("loc") or []) if p != "body"]
        if loc and loc[0] in (*_FIELDS, "source"):
            placed.setdefault(loc[0], REQUIRED if not typed[loc[0]] else refused.message)
    if refused.code == "date_outside_year":
        # Beside the list that holds a date of another year (only to place the API's message).
        other = next((f for f in _FIELDS if any(not d.startswith(f"{year}-") for d in parse_dates(typed[f])[0])), None)
        placed.setdefault(other or "holidays", refused.message)
    elif refused.code in _CODES:
        placed.setdefault(_CODES[refused.code], refused.message)
    return placed


@router.post("/calendar", response_class=HTMLResponse)
async def load(request: Request, year: Source = "", holidays: Dates = "", makeup_workdays: Dates = "",
               source: Source = "", csrf_token: Token = "") -> Response:  # fmt: skip
    """载入 the State Council's schedule of a year into intake, casework and complaints, one after the other."""
    session = current_session(request)
    if not session.csrf_matches(csrf_token):
        return expired(request, session)
    typed = {"year": year.strip(), "holidays": holidays.strip(), "makeup_workdays": makeup_workdays.strip(),
             "source": source.strip()}  # fmt: skip
    chosen = _year_of(year)
    errors: dict[str, str] = {} if chosen else {"year": "年度应为 2000 至 2100 之间的四位数字"}
    body: dict[str, Any] = {"source": typed["source"]}
    for name in _FIELDS:
        body[name], unreadable = parse_dates(typed[name])
        if unreadable is not None:
            errors[name] = f"“{unreadable[:20]}”不是日期，请写作 {chosen or _this_year()}-01-01，每行一个或以逗号分隔"
    if not typed["source"]:
        errors["source"] = REQUIRED
    if errors or chosen is None:
        return await _calendar_page(request, session, chosen or _this_year(), status_code=422, form=typed,
                                    errors=errors)  # fmt: skip
    results: dict[str, str] = {}
    refusals: list[ApiProblem] = []
    for service in words.CALENDAR_SERVICES:
        try:
            await gateway_of(request).call(session, "PUT", f"/api/v1/{service}/calendar/{chosen}", json=body)
            results[service] = "已载入"
        except ApiProblem as refused:
            results[service] = f"未载入：{refused.message}"
            refusals.append(refused)
    if not refusals:
        base = settings_of(request).base_path
        return RedirectResponse(f"{base}/admin/calendar?{urlencode({'year': chosen, 'done': 'loaded'})}", 303)
    first = refusals[0]
    placed = _beside(first, typed, chosen) if len(refusals) == len(results) else {}
    status = first.status if first.status < 500 else 502
    return await _calendar_page(request, session, chosen, status_code=status, form=typed, errors=placed,
                                problem=None if placed else "工作日历未能全部载入，请查看各项业务的结果后重试。",
                                results=results)  # fmt: skip
