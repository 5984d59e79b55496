"""登记死亡: a member's death as the village heard of it or a home visit found it (issue 20). Casework holds payment
from the month after the death, as for a death the registry reports, and opens the household's death review; the
console shows that review. Nothing is decided here: the API checks the member, the date and the jurisdiction.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console.field_messages import beside_fields
from console.gateway_client import ApiProblem
from console.sessions import Session
from console.web import current_session, gateway_of, page, settings_of

router = APIRouter(prefix="/households")

HouseholdId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
Typed = Annotated[str, Form(max_length=64)]
Note = Annotated[str, Form(max_length=2000)]
SOURCES = {"village_report": "村（居）委会报告", "home_visit": "入户核查发现"}


def _form(
    request: Request,
    session: Session,
    household_id: str,
    typed: dict[str, str],
    *,
    problem: str | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    return page(request, "death.html", status_code, session=session, person=session.person, household_id=household_id,
                typed=typed, sources=SOURCES, problem=problem, errors=errors or {})  # fmt: skip


@router.get("/{household_id}/death", response_class=HTMLResponse)
async def death_form(request: Request, household_id: HouseholdId) -> HTMLResponse:
    """The form: whose death (their identity number), the day, and how it became known."""
    session = current_session(request)
    return _form(request, session, household_id, {"source": "village_report"})


@router.post("/{household_id}/death", response_class=HTMLResponse)
async def record_death(request: Request, household_id: HouseholdId, id_number: Typed = "", death_date: Typed = "",
                       source: Typed = "", note: Note = "", csrf_token: Typed = "") -> Response:  # fmt: skip
    """登记: the API holds payment and opens the review; the review's page shows next."""
    session = current_session(request)
    typed = {"id_number": id_number.strip(), "death_date": death_date.strip(), "source": source, "note": note}
    if not session.csrf_matches(csrf_token):
        return page(request, "refused.html", 403, session=session, person=session.person,
                    message="页面已过期，请刷新后重试")  # fmt: skip
    if not typed["death_date"]:
        return _form(request, session, household_id, typed, errors={"death_date": "此项必填"}, status_code=422)
    path = f"/api/v1/casework/households/{household_id}/deaths"
    try:
        recorded = await gateway_of(request).call(session, "POST", path, json={**typed, "note": note.strip()})
    except ApiProblem as refused:
        errors = beside_fields(refused.errors)
        if refused.code == "not_a_member":
            errors.setdefault("id_number", refused.message)
        if refused.code == "death_in_future":
            errors.setdefault("death_date", refused.message)
        return _form(request, session, household_id, typed, problem=refused.message, errors=errors,
                     status_code=refused.status)  # fmt: skip
    done = "death" if recorded.get("created") else "death_known"
    base = settings_of(request).base_path
    return RedirectResponse(f"{base}/cases/{recorded['case_id']}?done={done}", status_code=303)
