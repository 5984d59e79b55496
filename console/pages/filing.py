"""填写申请: a village assistant (or a township officer at the counter) files an application in steps.

The first step (what is applied for, where, and the applicant) opens a draft through the API; every later step
saves the whole draft again before moving on, so work is never lost between steps and a draft saved yesterday is taken
up where it was left (`…/applications/{id}/edit`). The last step signs the declarations and submits. When the API
refuses, the step shows again with everything typed and each refusal beside its field; a refusal about another step's
field is listed with a link to that step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console import filing_form as form
from console.field_messages import beside_fields
from console.gateway_client import ApiProblem
from console.sessions import Session
from console.web import current_session, gateway_of, page, settings_of

router = APIRouter(prefix="/applications")

APPLICATIONS = "/api/v1/intake/applications"
LAST = len(form.STEPS) - 1
StepQuery = Annotated[int, Query(ge=0, le=LAST)]
DONE = {"saved": "草稿已保存。"}


@dataclass(frozen=True)
class Elsewhere:
    """A refusal about a field of another step."""

    step: int
    title: str
    message: str


def _form(
    request: Request,
    session: Session,
    filing: form.Filing,
    step: int,
    *,
    problem: str | None = None,
    refused: ApiProblem | None = None,
    done: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    errors: dict[str, str] = {}
    elsewhere: list[Elsewhere] = []
    for error in refused.errors if refused else []:
        loc = error.get("loc") if isinstance(error.get("loc"), list) else []
        if loc and loc[-1] == "applicant_id_number":
            loc = ["body", "members", 0, "id_number"]  # the applicant is the first step's person
        placed = beside_fields([{**error, "loc": loc}])
        at = form.step_of(loc or [])
        if at == step:
            errors.update({name: text for name, text in placed.items() if name not in errors})
        else:
            text = next(iter(placed.values()), refused.message if refused else "")
            elsewhere.append(Elsewhere(at, form.STEPS[at].title, text))
    # The villages the person may file for, by name, where the county has named them; else the code is typed.
    prefix = session.person.region_code
    villages = {c: n for c, n in sorted(session.region_names.items()) if len(c) == 12 and c.startswith(prefix)}
    return page(request, "filing.html", status_code, session=session, person=session.person, filing=filing,
                steps=form.STEPS, step=step, current=form.STEPS[step], last=LAST, problem=problem, errors=errors,
                elsewhere=elsewhere, done=DONE.get(done or ""), groups=form.GROUPS, first_row=form.first_row,
                villages=villages)  # fmt: skip


def _stale(request: Request, session: Session) -> HTMLResponse:
    message = "页面已过期，请刷新后重试"
    return page(request, "refused.html", 403, session=session, person=session.person, message=message)


async def _posted(request: Request) -> dict[str, str]:
    return form.read_posted(list((await request.form(max_fields=form.MAX_FIELDS)).multi_items()))


def _grow(filing: form.Filing, action: str) -> bool:
    """`增加一行` buttons: one more row of a group, nothing saved."""
    group = action.removeprefix("add_")
    if not action.startswith("add_") or group not in form.GROUPS:
        return False
    filing.rows[group] = min(form.GROUPS[group][1], filing.rows[group] + 1)
    return True


def _edit_url(request: Request, application_id: str, step: int, done: str | None = None) -> str:
    url = f"{settings_of(request).base_path}/applications/{application_id}/edit?step={step}"
    return f"{url}&done={done}" if done else url


@router.get("/new", response_class=HTMLResponse)
async def new_application(request: Request) -> HTMLResponse:
    """The first step of an empty form, in the person's village when they work for one."""
    session = current_session(request)
    return _form(request, session, form.blank(session.person.region_code), 0)


@router.post("/new", response_class=HTMLResponse)
async def open_draft(request: Request) -> Response:
    """The first step's `下一步` or `保存草稿`: the draft is opened through the API."""
    session = current_session(request)
    posted = await _posted(request)
    if not session.csrf_matches(posted.get("csrf_token")):
        return _stale(request, session)
    filing = form.blank(session.person.region_code)
    filing.take(form.STEPS[0], posted)
    action = posted.get("action", "")
    if _grow(filing, action) or action not in {"next", "save"}:
        return _form(request, session, filing, 0)
    try:
        created = await gateway_of(request).call(session, "POST", APPLICATIONS, json=form.body(filing))
    except ApiProblem as refused:
        return _form(request, session, filing, 0, problem=refused.message, refused=refused, status_code=refused.status)
    saved = str(created["application_id"])
    return RedirectResponse(_edit_url(request, saved, 1 if action == "next" else 0, "saved"), status_code=303)


async def _draft(request: Request, session: Session, application_id: str) -> form.Filing | Response:
    """The draft as the API holds it, or where to go instead (its page, once it can no longer change)."""
    try:
        content = await gateway_of(request).call(session, "GET", f"{APPLICATIONS}/{application_id}/content")
    except ApiProblem as refused:
        if refused.status == 409:
            base = settings_of(request).base_path
            return RedirectResponse(f"{base}/applications/{application_id}", status_code=303)
        return page(request, "refused.html", refused.status, session=session, person=session.person,
                    message=refused.message)  # fmt: skip
    return form.from_content(application_id, content if isinstance(content, dict) else {})


@router.get("/{application_id}/edit", response_class=HTMLResponse)
async def edit_step(request: Request, application_id: str, step: StepQuery = 0, done: str | None = None) -> Response:
    """A step of a saved draft (or of an application returned for supplement), as the API holds it."""
    session = current_session(request)
    filing = await _draft(request, session, application_id)
    if isinstance(filing, Response):
        return filing
    return _form(request, session, filing, step, done=done)


@router.post("/{application_id}/edit", response_class=HTMLResponse)
async def save_step(request: Request, application_id: str, step: StepQuery = 0) -> Response:
    """`上一步`, `下一步`, `保存草稿` or, at the last step, `提交申请`: the whole draft is saved first."""
    session = current_session(request)
    posted = await _posted(request)
    if not session.csrf_matches(posted.get("csrf_token")):
        return _stale(request, session)
    filing = await _draft(request, session, application_id)
    if isinstance(filing, Response):
        return filing
    filing.take(form.STEPS[step], posted)
    action = posted.get("action", "")
    moves = {"back": max(0, step - 1), "next": min(LAST, step + 1), "save": step, "submit": step}
    if _grow(filing, action) or action not in moves or (action == "submit" and step != LAST):
        return _form(request, session, filing, step)
    gateway = gateway_of(request)
    try:
        await gateway.call(session, "PUT", f"{APPLICATIONS}/{application_id}", json=form.body(filing))
        if action == "submit":
            await gateway.call(session, "POST", f"{APPLICATIONS}/{application_id}/submit")
    except ApiProblem as refused:
        saved = "（草稿已保存，可修改后再次提交）" if action == "submit" and refused.errors and _stored(refused) else ""
        return _form(request, session, filing, step, problem=refused.message + saved, refused=refused,
                     status_code=refused.status)  # fmt: skip
    if action == "submit":
        base = settings_of(request).base_path
        return RedirectResponse(f"{base}/applications/{application_id}?done=submitted", status_code=303)
    return RedirectResponse(_edit_url(request, application_id, moves[action], "saved"), status_code=303)


def _stored(refused: ApiProblem) -> bool:
    """A refusal of the stored application (at submission), not of what was just sent: the save went through."""
    first: Any = refused.errors[0].get("loc") if refused.errors else None
    return isinstance(first, list) and bool(first) and first[0] == "application"
