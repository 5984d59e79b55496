"""统计分析: a month's figures for a region the person may see (their jurisdiction by default), with drill-down county →
township → village, 24 months of trends per program, bars by township, the deadline figures, and the monthly report
(导出月报表, .xlsx).

The console counts nothing: every figure is one the services answered (`console.statistics_figures`), the region's
names are theirs (`region_name`), and a month or region they refuse is shown with their Chinese message.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from console import words
from console.gateway_client import ApiProblem
from console.pages.rosters import period_typed
from console.sessions import Session
from console.statistics_charts import bars_by_child, child_level, trend_charts
from console.statistics_figures import (
    PAGE_COLUMNS,
    RATES,
    TIMELINESS_COLUMNS,
    MonthAnswers,
    StatisticsFetcher,
    parent_of,
    rate,
    trend_months,
)
from console.statistics_report import SERVICE_NAMES, chinese_month, monthly_report, report_filename
from console.web import current_session, gateway_of, page, settings_of
from libs.contracts.clock import china_today
from libs.kernel.xlsx import disposition

router = APIRouter(prefix="/statistics")

Typed = Annotated[str | None, Query(max_length=32)]
_REGION = re.compile(r"^([0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{9}|[0-9]{12})$")
_MONTH_HINT = "请按“2026年12月”的格式填写统计月份"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _this_month() -> str:
    today = china_today()
    return f"{today.year}-{today.month:02d}"


def shown(value: int | None, unit: str) -> str:
    """A figure as the page writes it: amounts in yuan with two decimals, counts as they are, "—" when absent."""
    if value is None:
        return "—"
    if unit == "元":
        return words.yuan(Decimal(value) / 100)
    return f"{value:,}"


def _regions(session: Session) -> list[str]:
    """The named regions in the person's jurisdiction to pick from (the API still decides what they may see)."""
    own = session.person.region_code
    return sorted(code for code in session.region_names if code.startswith(own) and code != own)


def _refused(request: Request, session: Session, status: int, message: str, month: str | None) -> HTMLResponse:
    return page(request, "statistics.html", status, session=session, person=session.person, month=month,
                answers=None, problem=message, regions=_regions(session))  # fmt: skip


def _asked(month: str | None, region: str | None) -> tuple[str | None, str | None]:
    """The month and region typed or linked, checked; None for the part that is wrong (its message)."""
    wanted = period_typed(month) if month else _this_month()
    if wanted is None:
        return None, _MONTH_HINT
    if region and not _REGION.match(region):
        return None, "所选地区不正确，请从统计页面的地区链接进入"
    return wanted, None


@router.get("", response_class=HTMLResponse)
async def statistics_page(request: Request, month: Typed = None, region: Typed = None) -> HTMLResponse:
    """The month's figures of the region and its children, the trends and the deadlines."""
    session = current_session(request)
    wanted, problem = _asked(month, region)
    if wanted is None:
        return _refused(request, session, 422, problem or _MONTH_HINT, month)
    fetcher = StatisticsFetcher(gateway_of(request), session)
    try:
        answers = await fetcher.month(wanted, region)
    except ApiProblem as refused:
        return _refused(request, session, refused.status, refused.message, month or wanted)
    months = trend_months(wanted)
    trend_services = [s for s in ("casework", "disbursement") if s in answers.answers]
    trend_problem = None
    earlier: list[MonthAnswers] = []
    if trend_services:
        try:
            earlier = await fetcher.trend(months[:-1], region, trend_services)
        except ApiProblem as refused:
            trend_problem = refused.message
    total = answers.total()
    base = settings_of(request).base_path
    here = f"{base}/statistics"
    top = session.person.region_code

    def link(code: str) -> str:
        return f"{here}?{urlencode({'month': wanted, 'region': code})}"

    parent = parent_of(total.code, top)
    return page(
        request, "statistics.html", session=session, person=session.person, month=month or wanted,
        wanted=wanted, month_name=chinese_month(wanted), answers=answers, total=total, children=answers.children(),
        columns=PAGE_COLUMNS, timeliness=TIMELINESS_COLUMNS, rates=RATES, rate=rate, shown=shown,
        missing=[SERVICE_NAMES.get(s, s) for s in answers.missing], level=child_level(total.code),
        drill=lambda code: link(code) if len(code) > len(total.code) and len(code) < 12 else None,
        up=link(parent) if parent else None,
        report=f"{here}/report.xlsx?{urlencode({'month': wanted, **({'region': region} if region else {})})}",
        trends=[] if trend_problem or not trend_services else trend_charts([*earlier, answers]),
        trend_problem=trend_problem, bars=bars_by_child(answers), problem=None, regions=_regions(session),
    )  # fmt: skip


@router.get("/report.xlsx", response_model=None)
async def monthly_report_file(request: Request, month: Typed = None, region: Typed = None) -> Response:
    """导出月报表: the month's report of the region as .xlsx (rows: the regions below it; 合计 last)."""
    session = current_session(request)
    wanted, problem = _asked(month, region)
    if wanted is None:
        return _refused(request, session, 422, problem or _MONTH_HINT, month)
    try:
        answers = await StatisticsFetcher(gateway_of(request), session).month(wanted, region)
    except ApiProblem as refused:
        return _refused(request, session, refused.status, refused.message, month or wanted)
    name = report_filename(answers.total().name, wanted)
    headers = {"Content-Disposition": disposition(name, f"report-{wanted}.xlsx")}
    return Response(monthly_report(answers), media_type=XLSX, headers=headers)
