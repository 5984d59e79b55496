"""The public page (信息公开, issue 22): per county, the standards in force, how to apply, the complaint line and the
standing posting, for anyone, without signing in. The figures come from casework's public API through the gateway's
public paths; the procedure is said here in the words of the notices (seed 001 三(四)(五)(七)(九), seed 004 二(四)(七),
seed 000 五(一)(二))."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from console.gateway_client import ApiProblem
from console.web import gateway_of, page

router = APIRouter()

PUBLIC = "/api/v1/casework/public"
# As the API bounds it: 1000 pages of 50 households.
MAX_PAGE = 1000


def _client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


def _refused(request: Request, problem: ApiProblem) -> HTMLResponse:
    status = problem.status if 400 <= problem.status < 500 else 502
    return page(request, "public_refused.html", status, message=problem.message)


@router.get("/public", response_class=HTMLResponse)
async def public_counties(request: Request) -> HTMLResponse:
    """The counties with a public page."""
    try:
        listed: dict[str, Any] = await gateway_of(request).public(PUBLIC, client_ip=_client_ip(request))
    except ApiProblem as problem:
        return _refused(request, problem)
    return page(request, "public_counties.html", counties=listed.get("items", []))


@router.get("/public/{county_code}", response_class=HTMLResponse)
async def public_county(
    request: Request,
    county_code: Annotated[str, Path(max_length=6)],
    page_no: Annotated[str, Query(alias="page", max_length=8)] = "1",
) -> HTMLResponse:
    """One county's page: standards, how to apply, complaint line, and one page of the standing posting."""
    # Checked here, so a mistyped address is a page in Chinese rather than the framework's JSON.
    if not re.fullmatch(r"[0-9]{6}", county_code):
        return page(request, "public_refused.html", 404, message="没有这个区县的信息公开页面")
    if not page_no.isdigit() or not 1 <= int(page_no) <= MAX_PAGE:
        return page(request, "public_refused.html", 422, message=f"页码应为 1 至 {MAX_PAGE} 之间的整数")
    gateway, address = gateway_of(request), _client_ip(request)
    try:
        county: dict[str, Any] = await gateway.public(f"{PUBLIC}/{county_code}", client_ip=address)
        posting: dict[str, Any] = await gateway.public(
            f"{PUBLIC}/{county_code}/posting", client_ip=address, params={"page": page_no}
        )
    except ApiProblem as problem:
        return _refused(request, problem)
    return page(request, "public.html", county=county, posting=posting)
