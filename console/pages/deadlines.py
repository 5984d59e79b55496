"""发放时限: whether a month's money reached people on time (seed 001 三(四): the roster and funding letter to finance
by the 5th, the money paid by the 10th), for a county officer's county and a city supervisor's counties.

Two lists of the month, as disbursement answers them: counties late submitting their roster, and rosters with lines
paid after the deadline or still unpaid past it; a roster's late lines page by page, masked as the API masks them.
The deadline itself (the 10th, or a region's own day) is the API's figure.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from console.gateway_client import ApiProblem
from console.pages.rosters import period_typed
from console.sessions import Session
from console.web import current_session, gateway_of, page, settings_of
from libs.contracts.clock import china_today

router = APIRouter(prefix="/payment-deadlines")

ROSTERS = "/api/v1/disbursement/rosters"
RosterId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
Typed = Annotated[str | None, Query(max_length=32)]
PAGE_SIZE = 50
LATENESS = {"pending": "逾期未发放", "paid_late": "逾期发放"}


def _last_month() -> str:
    # On the 7th the month to chase is the one whose money was due by the 10th of this month: this month's roster.
    today = china_today()
    return f"{today.year}-{today.month:02d}"


async def _answer(request: Request, session: Session, path: str, params: dict[str, Any]) -> tuple[Any, str | None]:
    try:
        return await gateway_of(request).call(session, "GET", path, params=params), None
    except ApiProblem as refused:
        return [], refused.message


@router.get("", response_class=HTMLResponse)
async def deadlines_page(request: Request, period: Typed = None) -> HTMLResponse:
    """The month's late submissions and late payments in the person's jurisdiction."""
    session = current_session(request)
    wanted = period_typed(period) if period else _last_month()
    if wanted is None:
        return page(request, "deadlines.html", 422, session=session, person=session.person, period=period,
                    wanted=None, late=[], unpaid=[], problem="请按“2026年12月”的格式填写期别")  # fmt: skip
    (late, late_problem), (unpaid, unpaid_problem) = await asyncio.gather(
        _answer(request, session, f"{ROSTERS}/late", {"period": wanted}),
        _answer(request, session, f"{ROSTERS}/unpaid-by-deadline", {"period": wanted}),
    )
    return page(request, "deadlines.html", session=session, person=session.person, period=period or wanted,
                wanted=wanted, late=late, unpaid=unpaid, problem=late_problem or unpaid_problem)  # fmt: skip


@router.get("/{roster_id}", response_class=HTMLResponse)
async def late_lines_page(
    request: Request, roster_id: RosterId, cursor: Annotated[str | None, Query(max_length=512)] = None
) -> HTMLResponse:
    """A roster's lines paid after the deadline or unpaid past it, page by page."""
    session = current_session(request)
    gateway = gateway_of(request)
    try:
        roster, listed = await asyncio.gather(
            gateway.call(session, "GET", f"{ROSTERS}/{roster_id}"),
            gateway.listing(session, f"{ROSTERS}/{roster_id}/late-lines", {}, cursor, PAGE_SIZE),
        )
    except ApiProblem as refused:
        return page(request, "refused.html", refused.status, session=session, person=session.person,
                    message=refused.message)  # fmt: skip
    here = f"{settings_of(request).base_path}/payment-deadlines/{roster_id}"
    return page(request, "late_lines.html", session=session, person=session.person, roster=roster,
                lines=listed.items, lateness=LATENESS,
                next_page=f"{here}?{urlencode({'cursor': listed.next_cursor})}" if listed.next_cursor else None,
                first_page=here if cursor else None)  # fmt: skip
