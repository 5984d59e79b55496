"""A case's page: the timeline, the verification report, the home investigations, the calculation line by line, the
proposal, publicity and the county's confirmation, with the form for the step the case is at.

Which form shows follows the case's status and the person's role, for convenience only: the API decides (recusal,
county investigation, jurisdiction, delegation) and its refusal is shown in Chinese beside the field it names, with
everything typed kept.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console.field_messages import beside_fields
from console.gateway_client import ApiProblem
from console.sessions import Session
from console.web import current_session, gateway_of, page

router = APIRouter(prefix="/cases")

CASES = "/api/v1/casework/cases"
CaseId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
Step = Annotated[str, Path(pattern=r"^(investigations|evaluations|proposal|objections|decision)$")]
_INCOME_ROWS = 3
_MAX_FIELDS = 200
_MAX_VALUE = 2000
_DONE = {
    "investigations": "入户调查已记录。",
    "death": "已登记死亡：自死亡次月起暂停发放，并开启本户的死亡复核。",
    "death_known": "该死亡已在复核中，未重复登记。",
    "evaluations": "民主评议结果已记录。",
    "proposal": "初审意见已提交。",
    "objections": "异议已记录。",
    "decision": "审核确认意见已提交。",
}
# Which form a status offers, and to whom (the API still decides).
_STEPS = {
    "investigating": ("investigations", {"township_officer", "county_officer"}),
    "township_review": ("proposal", {"township_officer"}),
    "publicity": ("objections", {"township_officer", "county_officer"}),
    "confirmation": ("decision", {"county_officer", "township_officer"}),
}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _investigation(form: dict[str, str]) -> dict[str, Any]:
    names = [form.get(f"investigator_{i}", "") for i in (1, 2)]
    income = []
    for i in range(_INCOME_ROWS):
        row = {k: form.get(f"verified_income-{i}-{k}", "") for k in ("member_id_number", "kind", "amount_12_months")}
        if row["member_id_number"] or row["amount_12_months"]:
            income.append(row)
    body: dict[str, Any] = {
        # The API needs two named officers; their account, where known, is the name as typed.
        "investigators": [{"user": name, "name": name} for name in names],
        "visited_on": form.get("visited_on", ""),
        "findings": form.get("findings", ""),
        "neighbour_visits": form.get("neighbour_visits", ""),
        "verified_income": income,
    }
    # A review's form asks for the household's 属实承诺书 (issue 21); the API refuses a review without it, beside the
    # field it names. An unticked box is sent as unsigned, so the refusal says so rather than "missing".
    if "commitment-signed_by" in form:
        body["commitment"] = {
            "signed": form.get("commitment-signed") == "on",
            "signed_by": form.get("commitment-signed_by", ""),
            "signer_relation": form.get("commitment-signer_relation", ""),
            "signed_on": form.get("commitment-signed_on", ""),
        }
    return body


def _evaluation(form: dict[str, str]) -> dict[str, Any]:
    # The panel one per line, "姓名" or "姓名 职务"; the counts as typed (the API refuses what is not a number).
    lines = _lines(form.get("panel", ""))
    panel = [dict(zip(("name", "role"), line.split(maxsplit=1), strict=False)) for line in lines]
    counts = {k: form.get(k, "") or "0" for k in ("agree", "disagree", "abstain")}
    fields = {k: form.get(k, "") for k in ("held_on", "place", "participants", "result", "dissent")}
    return {**fields, **counts, "panel": panel}


def _body(step: str, form: dict[str, str]) -> dict[str, Any]:
    if step == "investigations":
        return _investigation(form)
    if step == "evaluations":
        return _evaluation(form)
    if step == "proposal":
        proposal: dict[str, Any] = {"outcome": form.get("outcome", ""), "reasons": _lines(form.get("reasons", ""))}
        for optional in ("review_class", "stop_ground"):
            if form.get(optional):
                proposal[optional] = form[optional]
        return proposal
    if step == "objections":
        return {"summary": form.get("summary", ""), "raised_by": form.get("raised_by", "")}
    return {"decision": form.get("decision", ""), "reasons": _lines(form.get("reasons", ""))}


async def _show(request: Request, session: Session, case_id: str, *, status_code: int = 200,
                form: dict[str, str] | None = None, problem: str | None = None,
                errors: dict[str, str] | None = None, done: str | None = None) -> HTMLResponse:  # fmt: skip
    try:
        case: dict[str, Any] = await gateway_of(request).call(session, "GET", f"{CASES}/{case_id}")
    except ApiProblem as refused:
        return page(request, "refused.html", refused.status, session=session, person=session.person,
                    message=refused.message)  # fmt: skip
    step, roles = _STEPS.get(str(case["status"]), (None, set()))
    offered = step if step and roles & set(session.person.roles) else None
    shown = {"case": case, "step": offered, "form": form or {}, "problem": problem, "errors": errors or {},
             "done": _DONE.get(done or ""), "income_rows": range(_INCOME_ROWS)}  # fmt: skip
    return page(request, "case.html", status_code, session=session, person=session.person, **shown)


@router.get("/{case_id}", response_class=HTMLResponse)
async def case_page(request: Request, case_id: CaseId, done: str | None = None) -> HTMLResponse:
    """案件详情, with the form for the step it is at."""
    return await _show(request, current_session(request), case_id, done=done)


@router.post("/{case_id}/{step}", response_class=HTMLResponse)
async def act(request: Request, case_id: CaseId, step: Step) -> Response:
    """入户调查 / 初审意见 / 异议 / 审核确认: the form sent to the API as this person."""
    session = current_session(request)
    submitted = await request.form(max_fields=_MAX_FIELDS)
    form = {k: v.strip()[:_MAX_VALUE] for k, v in submitted.multi_items() if isinstance(v, str)}
    if not session.csrf_matches(form.get("csrf_token")):
        return page(request, "refused.html", 403, session=session, person=session.person,
                    message="页面已过期，请刷新后重试")  # fmt: skip
    try:
        await gateway_of(request).call(session, "POST", f"{CASES}/{case_id}/{step}", json=_body(step, form))
    except ApiProblem as refused:
        return await _show(request, session, case_id, status_code=refused.status, form=form, problem=refused.message,
                           errors=beside_fields(refused.errors))  # fmt: skip
    return RedirectResponse(f"{request.url.path.rsplit('/', 1)[0]}?done={step}", status_code=303)
