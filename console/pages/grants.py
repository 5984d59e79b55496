"""临时救助: temporary grants paid once (issue 20) — the list with those not paid in time, the 先行救助 form, and a
grant's page with what its state allows (补充说明情况, 县级确认 or 追回, 重新发放 after a failed payment).

The console decides nothing: ceilings, the same-cause period, the 3-working-day clock, who may explain, confirm or
reclaim are the API's; the forms are offered where the grant's state (as the API answers it) would take them, and a
refusal is shown in the catalogue's Chinese beside the field it concerns, with everything typed kept.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console import words
from console.field_messages import beside_fields
from console.gateway_client import ApiProblem
from console.sessions import Session
from console.web import current_session, gateway_of, page, settings_of

router = APIRouter(prefix="/temporary-grants")

GRANTS = "/api/v1/casework/temporary-grants"
REGIONS = "/api/v1/regions"
GrantId = Annotated[str, Path(pattern=r"^grant-[0-9a-f-]{36}$")]
Filter = Annotated[str | None, Query(max_length=32)]
Cursor = Annotated[str | None, Query(max_length=512)]
Text = Annotated[str, Form(max_length=4000)]
Token = Annotated[str, Form(max_length=256)]
PAGE_SIZE = 50
_OFFICERS = frozenset({"township_officer", "county_officer"})
_BEIJING = dt.timezone(dt.timedelta(hours=8))
_DONE = {
    "granted": "已先行救助，付款指令已发送财政。请在事后补充说明情况。",
    "explained": "情况说明已提交，等待县级确认。",
    "confirmed": "县级已确认该笔临时救助。",
    "reclaimed": "已追回：已发放的款项将予以追缴。",
    "reissued": "已按更正后的账户重新发放。",
}
# The fields of the 先行救助 form, as the API's body names them (`person-id_number` for ["body", "person", ...]).
FIELDS = ("region_code", "person-name", "person-id_number", "family_size", "cause", "situation", "amount",
          "account-bank_code", "account-account_no", "account-holder_name",
          "discovered_date", "discovered_time")  # fmt: skip
# A refusal of the whole request that concerns one field: shown beside it in the catalogue's words.
_CODE_FIELDS = {
    "above_advance_ceiling": "amount",
    "above_grant_limit": "amount",
    "same_cause_helped": "cause",
    "discovered_in_future": "discovered_date",
    "discovered_too_long_ago": "discovered_date",
    "account_missing": "account-account_no",
}
# What the validator found wanting, in the words of the form (it answers in English).
_WANTED = {
    "family_size": "家庭人口应为 1 至 30 之间的整数",
    "situation": "请填写困难情形（不超过 2000 字）",
    "cause": "请选择救助事由",
    "region_code": "请选择发生困难的村（社区）或乡镇（街道）",
    "account-bank_code": "请选择开户银行",
    "account-account_no": "银行账号应为 12 至 30 位数字",
    "discovered_date": "请填写发现的日期和时间",
    "explanation": "请填写情况说明（不超过 2000 字）",
    "reason": "追回须填写理由（不超过 2000 字）",
}


def _refused(request: Request, session: Session, message: str, status_code: int) -> HTMLResponse:
    return page(request, "refused.html", status_code, session=session, person=session.person, message=message)


def _regions(session: Session, *, places: bool) -> dict[str, str]:
    """The regions under the person's own by name: townships to filter on, or (`places`) the villages and townships
    where an emergency may be helped; the API keeps either inside the jurisdiction."""
    own = session.person.region_code
    names = session.region_names
    found = {}
    for code in sorted(names):
        if code.startswith(own) and (len(code) in (9, 12) if places else (code != own and len(code) <= 9)):
            township = names.get(code[:9]) if len(code) == 12 else None
            found[code] = f"{township} {names[code]}" if township else names[code]
    return found


def _errors(refused: ApiProblem, fields: tuple[str, ...]) -> dict[str, str]:
    """Each field the refusal names, beside it; a field this form lacks is left for the message at the top."""
    placed: dict[str, str] = {}
    for name, said in beside_fields(refused.errors).items():
        name = "discovered_date" if name == "discovered_at" else name
        if name in fields:
            own_words = refused.code == "validation_failed"
            wanted = _WANTED.get(name, said) if own_words else refused.message
            placed.setdefault(name, wanted)
    if refused.code in _CODE_FIELDS and _CODE_FIELDS[refused.code] in fields:
        placed[_CODE_FIELDS[refused.code]] = refused.message
    return placed


def _money(typed: str) -> str:
    """元 as people write them (¥1,200 or 1200.5) in the API's form, two decimals; anything else as typed."""
    text = typed.replace(",", "").replace("，", "").removeprefix("¥").removeprefix("￥").strip()
    whole, dot, cents = text.partition(".")
    if whole.isdigit() and len(whole) <= 12 and (not dot or (cents.isdigit() and len(cents) <= 2)):
        return f"{whole}.{cents.ljust(2, '0')}"
    return text


def _instant(day: str, time: str) -> str | None:
    """A date and a time in Beijing as the API's instant; None when either is not one."""
    try:
        return dt.datetime.combine(dt.date.fromisoformat(day), dt.time.fromisoformat(time), _BEIJING).isoformat()
    except ValueError:
        return None


@router.get("", response_class=HTMLResponse)
async def grants_page(request: Request, region_code: Filter = None, payment: Filter = None, review: Filter = None,
                      cursor: Cursor = None) -> HTMLResponse:  # fmt: skip
    """临时救助台账, newest first, 50 a page, and 超时未发放 (unpaid past their day, longest overdue first)."""
    session = current_session(request)
    gateway = gateway_of(request)
    params = {k: v for k, v in (("region_code", region_code), ("payment", payment), ("review", review)) if v}
    problem, items, next_cursor, overdue, more_overdue = None, [], None, [], False
    try:
        listed = await gateway.listing(session, GRANTS, params, cursor, PAGE_SIZE)
        items, next_cursor = listed.items, listed.next_cursor
        late = await gateway.listing(session, f"{GRANTS}/overdue", {"region_code": region_code} if region_code else {},
                                     None, PAGE_SIZE)  # fmt: skip
        overdue, more_overdue = late.items, late.next_cursor is not None
    except ApiProblem as refused:
        problem = refused.message
    here = f"{settings_of(request).base_path}/temporary-grants"
    region_options = {"": "全部", **_regions(session, places=False)}
    if region_code and region_code not in region_options:
        region_options[region_code] = region_code
    return page(request, "grants.html", session=session, person=session.person, items=items, problem=problem,
                overdue=overdue, more_overdue=more_overdue, can_grant=bool(set(session.person.roles) & _OFFICERS),
                filter_region=region_code or "", filter_payment=payment or "", filter_review=review or "",
                region_options=region_options, payment_options={"": "全部", **words.GRANT_PAYMENTS},
                review_options={"": "全部", **words.GRANT_REVIEWS},
                next_page=f"{here}?{urlencode({**params, 'cursor': next_cursor})}" if next_cursor else None,
                first_page=f"{here}?{urlencode(params)}" if cursor else None)  # fmt: skip


async def _grant_form(request: Request, session: Session, typed: dict[str, str], *, status_code: int = 200,
                      problem: str | None = None, errors: dict[str, str] | None = None) -> HTMLResponse:  # fmt: skip
    # The names of the places come with any call as this person; a form that calls nothing else asks for them.
    with contextlib.suppress(ApiProblem):  # no names: the code is typed instead
        await gateway_of(request).call(session, "GET", REGIONS, params={"under": session.person.region_code})
    places = _regions(session, places=True)
    if typed.get("region_code") and typed["region_code"] not in places:
        places[typed["region_code"]] = typed["region_code"]
    return page(request, "grant_new.html", status_code, session=session, person=session.person, form=typed,
                problem=problem, errors=errors or {}, places=places, causes=words.GRANT_CAUSES,
                banks={"": "（请选择）", **words.BANKS})  # fmt: skip


@router.get("/new", response_class=HTMLResponse)
async def new_grant(request: Request) -> HTMLResponse:
    """先行救助登记, discovered now (in Beijing) unless the officer says otherwise."""
    session = current_session(request)
    now = dt.datetime.now(_BEIJING)
    typed = {name: "" for name in FIELDS} | {"family_size": "1", "cause": "fire", "discovered_date": now.date()
             .isoformat(), "discovered_time": now.strftime("%H:%M")}  # fmt: skip
    return await _grant_form(request, session, typed)


@router.post("/new", response_class=HTMLResponse)
async def grant(request: Request) -> Response:
    """小金额先行救助: the grant through the API, then its page."""
    session = current_session(request)
    posted = await request.form(max_fields=40)
    if not session.csrf_matches(str(posted.get("csrf_token") or "")):
        return _refused(request, session, "页面已过期，请刷新后重试", 403)
    typed = {name: str(posted.get(name) or "").strip()[:4000] for name in FIELDS}
    discovered = _instant(typed["discovered_date"], typed["discovered_time"])
    if discovered is None:
        errors = {"discovered_date": _WANTED["discovered_date"]}
        return await _grant_form(request, session, typed, status_code=422, errors=errors)
    size = typed["family_size"]
    body = {
        "region_code": typed["region_code"],
        "person": {"id_number": typed["person-id_number"].upper(), "name": typed["person-name"]},
        "family_size": int(size) if size.isdigit() and len(size) < 4 else size,
        "cause": typed["cause"],
        "situation": typed["situation"],
        "amount": _money(typed["amount"]),
        "account": {"bank_code": typed["account-bank_code"], "account_no": typed["account-account_no"].replace(" ", ""),
                    "holder_name": typed["account-holder_name"]},
        "discovered_at": discovered,
    }  # fmt: skip
    try:
        created = await gateway_of(request).call(session, "POST", GRANTS, json=body)
    except ApiProblem as refused:
        errors = _errors(refused, FIELDS)
        return await _grant_form(request, session, typed, status_code=refused.status if refused.status < 500 else 502,
                           problem=refused.message, errors=errors)  # fmt: skip
    base = settings_of(request).base_path
    return RedirectResponse(f"{base}/temporary-grants/{created['grant_id']}?done=granted", status_code=303)


async def _show(request: Request, session: Session, grant_id: str, *, status_code: int = 200,
                form: dict[str, str] | None = None, problem: str | None = None,
                errors: dict[str, str] | None = None, done: str | None = None) -> HTMLResponse:  # fmt: skip
    try:
        found: dict[str, Any] = await gateway_of(request).call(session, "GET", f"{GRANTS}/{grant_id}")
    except ApiProblem as refused:
        return _refused(request, session, refused.message, refused.status)
    # Offered where the grant's state would take them; the API still decides who may (jurisdiction, role).
    roles = set(session.person.roles)
    officer = bool(roles & _OFFICERS)
    can = {
        "can_explain": officer and found["review"] == "explanation_due",
        "can_review": "county_officer" in roles and found["review"] == "to_confirm",
        "can_reissue": officer and found["payment"] == "failed" and found["review"] != "reclaimed",
    }
    return page(request, "grant.html", status_code, session=session, person=session.person, grant=found,
                form=form or {}, problem=problem, errors=errors or {}, done=_DONE.get(done or ""),
                banks={"": "（请选择）", **words.BANKS}, **can)  # fmt: skip


@router.get("/{grant_id}", response_class=HTMLResponse)
async def grant_page(request: Request, grant_id: GrantId, done: Filter = None) -> HTMLResponse:
    """一笔临时救助: its facts, its clock, its payment and review, and the forms its state allows."""
    return await _show(request, current_session(request), grant_id, done=done)


async def _send(request: Request, grant_id: str, action: str, body: dict[str, Any], form: dict[str, str],
                token: str, done: str) -> Response:  # fmt: skip
    session = current_session(request)
    if not session.csrf_matches(token):
        return _refused(request, session, "页面已过期，请刷新后重试", 403)
    try:
        await gateway_of(request).call(session, "POST", f"{GRANTS}/{grant_id}/{action}", json=body)
    except ApiProblem as refused:
        errors = _errors(refused, tuple(form))
        return await _show(request, session, grant_id, status_code=refused.status if refused.status < 500 else 502,
                           form=form, problem=None if errors else refused.message, errors=errors)  # fmt: skip
    base = settings_of(request).base_path
    return RedirectResponse(f"{base}/temporary-grants/{grant_id}?{urlencode({'done': done})}", status_code=303)


@router.post("/{grant_id}/explanation", response_class=HTMLResponse)
async def explain(request: Request, grant_id: GrantId, explanation: Text = "", csrf_token: Token = "") -> Response:
    """事后补充说明情况, for the county to confirm."""
    typed = explanation.strip()
    form = {"explanation": typed}
    return await _send(request, grant_id, "explanation", {"explanation": typed}, form, csrf_token, "explained")


@router.post("/{grant_id}/review", response_class=HTMLResponse)
async def review(request: Request, grant_id: GrantId, decision: Text = "", reason: Text = "",
                 csrf_token: Token = "") -> Response:  # fmt: skip
    """县级确认 or 追回 (with its reason): the button pressed is the decision."""
    typed = reason.strip()
    done = "reclaimed" if decision == "reclaim" else "confirmed"
    body = {"decision": decision, "reason": typed}
    return await _send(request, grant_id, "review", body, {"reason": typed}, csrf_token, done)


@router.post("/{grant_id}/reissue", response_class=HTMLResponse)
async def reissue(request: Request, grant_id: GrantId, bank_code: Text = "", account_no: Text = "",
                  holder_name: Text = "", csrf_token: Token = "") -> Response:  # fmt: skip
    """重新发放 after the bank refused the payment, to a corrected account."""
    form = {"account-bank_code": bank_code.strip(), "account-account_no": account_no.replace(" ", "").strip(),
            "account-holder_name": holder_name.strip()}  # fmt: skip
    account = {"bank_code": form["account-bank_code"], "account_no": form["account-account_no"],
               "holder_name": form["account-holder_name"]}  # fmt: skip
    return await _send(request, grant_id, "reissue", {"account": account}, form, csrf_token, "reissued")
