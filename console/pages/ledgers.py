"""导出 Excel: the ledgers (台账) the services write, fetched as the signed-in person and streamed on to the browser.

Each list page links here with its own filters; this route passes on only the filters its API knows (empty ones left
out, each bounded) and the chunks as they come, so a county's ledger never sits whole in the console. The API decides
everything: jurisdiction, who may have whole numbers (`whole=1`, county officers, recorded in the access audit) and a
refusal, which is shown as a page in the catalogue's Chinese rather than saved as a broken file.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response, StreamingResponse
from starlette.background import BackgroundTask

from console.gateway_client import ApiProblem
from console.web import current_session, gateway_of, page

router = APIRouter(prefix="/ledgers")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_VALUE_MAX = 64
RosterId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]


class Ledger(StrEnum):
    households = "households"
    cases = "cases"
    applications = "applications"
    hits = "hits"
    complaints = "complaints"
    recoveries = "recoveries"


# Each ledger's API and the filters it takes (the same as the list it mirrors).
_EXPORTS: dict[Ledger, tuple[str, frozenset[str]]] = {
    Ledger.households: ("/api/v1/casework/households/export.xlsx", frozenset({"region_code", "status", "program"})),
    Ledger.cases: (
        "/api/v1/casework/cases/export.xlsx",
        frozenset({"region_code", "status", "program", "kind", "trigger", "household_id", "overdue"}),
    ),
    Ledger.applications: (
        "/api/v1/intake/applications/export.xlsx",
        frozenset({"region_code", "status", "program", "due_before", "overdue"}),
    ),
    Ledger.hits: (
        "/api/v1/matching/hits/export.xlsx",
        frozenset({"region_code", "status", "source", "rule", "overdue"}),
    ),
    Ledger.complaints: (
        "/api/v1/complaints/export.xlsx",
        frozenset({"region_code", "status", "category", "source", "repeats"}),
    ),
    Ledger.recoveries: (
        "/api/v1/disbursement/recoveries/export.xlsx",
        frozenset({"region_code", "status", "household_id"}),
    ),
}
_WHOLE = frozenset({Ledger.households, Ledger.cases, Ledger.applications, Ledger.hits, Ledger.recoveries})


def _params(request: Request, allowed: frozenset[str], *, whole: bool) -> dict[str, str]:
    wanted = {k: v.strip() for k, v in request.query_params.items() if k in allowed and v.strip()}
    params = {k: v for k, v in wanted.items() if len(v) <= _VALUE_MAX}
    if whole and request.query_params.get("whole") in {"1", "true"}:
        params["whole"] = "true"
    return params


async def _send(request: Request, path: str, params: dict[str, str]) -> Response:
    session = current_session(request)
    try:
        upstream = await gateway_of(request).download(session, path, params)
    except ApiProblem as refused:
        return page(request, "refused.html", refused.status if refused.status < 500 else 502, session=session,
                    person=session.person, message=refused.message)  # fmt: skip
    headers = {"Content-Disposition": upstream.headers.get("content-disposition", "attachment")}
    return StreamingResponse(upstream.aiter_bytes(), media_type=XLSX, headers=headers,
                             background=BackgroundTask(upstream.aclose))  # fmt: skip


@router.get("/{ledger}.xlsx", response_class=StreamingResponse)
async def export(request: Request, ledger: Ledger) -> Response:
    """The ledger of a list page, with the page's filters."""
    path, allowed = _EXPORTS[ledger]
    return await _send(request, path, _params(request, allowed, whole=ledger in _WHOLE))


@router.get("/roster-lines/{roster_id}.xlsx", response_class=StreamingResponse)
async def roster_lines(request: Request, roster_id: RosterId) -> Response:
    """A roster's lines (花名册), with its page's status filter."""
    path = f"/api/v1/disbursement/rosters/{roster_id}/lines/export.xlsx"
    return await _send(request, path, _params(request, frozenset({"status"}), whole=True))
