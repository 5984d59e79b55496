"""比对疑点: what the registry comparisons raised for the township to check within 14 days, and 确认 or 排除.

The console decides nothing: the list and the hit are as the API answers them to this person (their jurisdiction,
the person masked, the evidence as matching keeps it), the 确认期限 and 已逾期 are the API's, and the buttons call
its confirm and dismiss. A refusal (a hit checked already, outside the jurisdiction, no reason to dismiss) is shown in
the catalogue's Chinese, beside the field it names, with what was typed kept.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console import words
from console.field_messages import beside_fields
from console.gateway_client import ApiProblem
from console.sessions import Session
from console.web import current_session, gateway_of, page, settings_of

router = APIRouter(prefix="/hits")

HITS = "/api/v1/matching/hits"
HitId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
Token = Annotated[str, Form(max_length=256)]
Text = Annotated[str, Form(max_length=4000)]
Cursor = Annotated[str | None, Query(max_length=512)]
Filter = Annotated[str | None, Query(max_length=32)]
PAGE_SIZE = 50
_DONE = {
    "confirm": "已确认疑点属实：已转入复核（触发复核），请按复核案件办理。",
    "dismiss": "已排除疑点，排除理由已记录。",
}
# What to say beside a field the API names, in the words of the form (the API's own words are for developers).
_BESIDE = {
    "reason": "请填写排除的理由（不超过 2000 字）",
    "note": "说明不超过 2000 字",
}


def _refused(request: Request, session: Session, message: str, status_code: int) -> HTMLResponse:
    return page(request, "refused.html", status_code, session=session, person=session.person, message=message)


def _regions(session: Session) -> dict[str, str]:
    """The named places under the person's own region, for the filter (the API still decides what they may see)."""
    own = session.person.region_code
    under = sorted(code for code in session.region_names if code.startswith(own) and code != own)
    return {code: session.region_names[code] for code in under}


@router.get("", response_class=HTMLResponse)
async def hits_page(request: Request, status: Filter = "open", region_code: Filter = None,
                    overdue: Filter = None, cursor: Cursor = None) -> HTMLResponse:  # fmt: skip
    """比对疑点 of the person's jurisdiction, the soonest 确认期限 first; 待确认 unless another status is asked for."""
    session = current_session(request)
    filters = {k: v for k, v in (("status", status), ("region_code", region_code), ("overdue", overdue)) if v}
    problem = None
    hits: list[dict[str, Any]] = []
    next_cursor = None
    try:
        listed = await gateway_of(request).listing(session, HITS, filters, cursor, PAGE_SIZE)
        hits, next_cursor = listed.items, listed.next_cursor
    except ApiProblem as refused:
        problem = refused.message
    base = settings_of(request).base_path
    return page(
        request, "hits.html", session=session, person=session.person, hits=hits, problem=problem,
        filter_status=status or "", filter_region=region_code or "", filter_overdue=bool(overdue),
        regions=_regions(session),
        next_page=f"{base}/hits?{urlencode({**filters, 'cursor': next_cursor})}" if next_cursor else None,
        first_page=f"{base}/hits?{urlencode(filters)}" if cursor else None,
    )  # fmt: skip


def _evidence(hit: dict[str, Any]) -> list[tuple[str, str]]:
    """The evidence as the API gives it, each field in words; the record's own values stay as the registry wrote
    them (names come masked)."""
    shown: list[tuple[str, str]] = []
    order = list(words.EVIDENCE_FIELDS)  # the source first, the registry's own fields after (JSON keeps no order)
    fields = sorted((hit.get("evidence") or {}).items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99)
    for key, value in fields:
        if key == "source":
            text = words.word(words.SOURCES, value)
        elif key in {"as_of", "event_date", "start_date", "end_date", "registered_at", "acquired_at", "flight_date"}:
            text = words.chinese_date(value) if value else "—"
        elif isinstance(value, list | dict):
            text = "、".join(str(v) for v in value) if isinstance(value, list) else str(value)
        else:
            text = words.word(words.EVIDENCE_VALUES, value) if value is not None else "—"
        shown.append((words.word(words.EVIDENCE_FIELDS, key), text))
    return shown


async def _show(request: Request, session: Session, hit_id: str, *, status_code: int = 200,
                form: dict[str, str] | None = None, problem: str | None = None,
                errors: dict[str, str] | None = None, done: str | None = None) -> HTMLResponse:  # fmt: skip
    try:
        hit: dict[str, Any] = await gateway_of(request).call(session, "GET", f"{HITS}/{hit_id}")
    except ApiProblem as refused:
        return _refused(request, session, refused.message, refused.status)
    # Offered while open to a township officer; the API still decides (jurisdiction, a hit closed meanwhile).
    can_check = hit["status"] == "open" and "township_officer" in session.person.roles
    return page(request, "hit.html", status_code, session=session, person=session.person, hit=hit,
                evidence=_evidence(hit), can_check=can_check, form=form or {}, problem=problem,
                errors=errors or {}, done=_DONE.get(done or ""))  # fmt: skip


@router.get("/{hit_id}", response_class=HTMLResponse)
async def hit_page(request: Request, hit_id: HitId, done: Filter = None) -> HTMLResponse:
    """疑点详情: the person (masked), the rule, the evidence, the 确认期限, and how it was closed."""
    return await _show(request, current_session(request), hit_id, done=done)


async def _close(request: Request, hit_id: str, action: str, field: str, text: str, token: str) -> Response:
    session = current_session(request)
    if not session.csrf_matches(token):
        return _refused(request, session, "页面已过期，请刷新后重试", 403)
    form = {field: text}
    try:
        await gateway_of(request).call(session, "POST", f"{HITS}/{hit_id}/{action}", json=form)
    except ApiProblem as refused:
        errors = {name: _BESIDE.get(name, said) for name, said in beside_fields(refused.errors).items()}
        return await _show(request, session, hit_id, status_code=refused.status, form=form,
                           problem=refused.message, errors=errors)  # fmt: skip
    return RedirectResponse(f"{request.url.path.rsplit('/', 1)[0]}?done={action}", status_code=303)


@router.post("/{hit_id}/confirm", response_class=HTMLResponse)
async def confirm(request: Request, hit_id: HitId, note: Text = "", csrf_token: Token = "") -> Response:
    """确认: the suspicion is borne out; casework opens a triggered review with the evidence."""
    return await _close(request, hit_id, "confirm", "note", note, csrf_token)


@router.post("/{hit_id}/dismiss", response_class=HTMLResponse)
async def dismiss(request: Request, hit_id: HitId, reason: Text = "", csrf_token: Token = "") -> Response:
    """排除: the suspicion is unfounded, with the reason (required; the API refuses a dismissal without one)."""
    return await _close(request, hit_id, "dismiss", "reason", reason, csrf_token)
