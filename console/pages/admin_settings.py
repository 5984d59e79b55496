"""系统管理 · 区划名称 and 救助标准: the names of the regions under the administrator's jurisdiction, and the local
figures casework decides with (DOMAIN.md §12), as the API lists and takes them.

A figure is added, never changed: a new value is a new row from a new date (the API refuses a second row of the same
prefix, date and figure). Money is typed and shown in 元 per person and month; the API takes it as a decimal string.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console import words
from console.gateway_client import ApiProblem
from console.pages.admin_forms import REQUIRED, Field, Token, expired, place, refused_page
from console.sessions import Session
from console.web import current_session, gateway_of, page, settings_of

router = APIRouter(prefix="/admin")

REGIONS = "/api/v1/regions"
NAME_REGION = "/api/v1/admin/regions"
STANDARDS = "/api/v1/casework/standards"
PAGE_SIZE = 50
Prefix = Annotated[str | None, Query(max_length=12)]
Cursor = Annotated[str | None, Query(max_length=512)]
Done = Annotated[str | None, Query(max_length=32)]
_REGION_CODES = {"outside_jurisdiction": "code", "role_required": "code"}
_STANDARD_FIELDS = {"region_prefix": "region_prefix", "effective_from": "effective_from", "figures": "value"}
_STANDARD_CODES = {"figure_exists": "effective_from", "invalid_figure": "value", "amount_above_ceiling": "value",
                   "outside_jurisdiction": "region_prefix"}  # fmt: skip
_DONE = {"named": "区划名称已保存，各页面将显示此名称。", "added": "救助标准已添加，自生效日期起适用。"}
_YES, _NO = {"是", "true", "1"}, {"否", "false", "0"}


def _under_of(session: Session, under: str | None) -> str:
    """Whose regions to list: the prefix asked for, else the administrator's own jurisdiction."""
    return (under or session.person.region_code).strip()


async def _regions_page(request: Request, session: Session, under: str, *, done: str | None = None,
                        typed: dict[str, str] | None = None, errors: dict[str, str] | None = None,
                        problem: str | None = None, status_code: int = 200) -> HTMLResponse:  # fmt: skip
    regions: list[dict[str, Any]] = []
    if under:
        try:
            regions = await gateway_of(request).call(session, "GET", REGIONS, params={"under": under})
        except ApiProblem as refused:
            problem = problem or refused.message
    return page(request, "admin_regions.html", status_code, session=session, person=session.person, under=under,
                regions=regions, form=typed or {"code": under}, errors=errors or {}, problem=problem,
                done=_DONE.get(done or ""))  # fmt: skip


@router.get("/regions", response_class=HTMLResponse)
async def regions(request: Request, under: Prefix = None, done: Done = None) -> HTMLResponse:
    """区划名称: the named regions under a prefix (the administrator's own by default) and the form to name one."""
    session = current_session(request)
    return await _regions_page(request, session, _under_of(session, under), done=done)


@router.post("/regions", response_class=HTMLResponse)
async def name_region(request: Request, code: Field = "", name: Field = "", under: Field = "",
                      csrf_token: Token = "") -> Response:  # fmt: skip
    """Name a county, township or village; a new name replaces the old one."""
    session = current_session(request)
    if not session.csrf_matches(csrf_token):
        return expired(request, session)
    typed = {"code": code.strip(), "name": name.strip()}
    shown = _under_of(session, under)
    if not typed["code"]:
        # Without a code there is no address to send the name to.
        return await _regions_page(request, session, shown, typed=typed, errors={"code": REQUIRED}, status_code=422)
    try:
        await gateway_of(request).call(session, "PUT", f"{NAME_REGION}/{quote(typed['code'], safe='')}",
                                       json={"name": typed["name"]})  # fmt: skip
    except ApiProblem as refused:
        placed = place(refused, typed, fields={"code": "code", "name": "name"}, codes=_REGION_CODES)
        status = refused.status if refused.status < 500 else 502
        return await _regions_page(request, session, shown, typed=typed, errors=placed.errors,
                                   problem=placed.problem, status_code=status)  # fmt: skip
    session.regions_loaded_at = None  # every page shows the new name from the next request on
    base = settings_of(request).base_path
    return RedirectResponse(f"{base}/admin/regions?{urlencode({'under': shown, 'done': 'named'})}", status_code=303)


def figure_value(name: str, typed: str) -> Any:
    """The JSON form the API takes for a figure as typed: 元 as a decimal string, a flag, whole numbers, or a list
    of percentages. Anything else goes as typed, for the API to refuse beside the field."""
    text = typed.strip()
    if name in words.MONEY_FIGURES:
        amount = text.replace(",", "").replace("，", "").removeprefix("¥").strip()
        # People write 800 or 812.5; the API takes exactly two decimals. Nothing is rounded: more decimals go as typed.
        return f"{Decimal(amount):.2f}" if re.fullmatch(r"[0-9]{1,12}(\.[0-9]{1,2})?", amount) else amount
    if name in ("confirmation_delegated", "rigid_expense_declared") and text.lower() in _YES | _NO:
        return text.lower() in _YES
    if name == "complaint_line":
        return text  # a telephone number, never a whole number ("0355…" keeps its zero)
    if name == "gradual_exit_schedule_pct":
        parts = [p for p in re.split(r"[,，、\s]+", text) if p]
        return [int(p) for p in parts] if parts and all(p.isdigit() for p in parts) else text
    return int(text) if re.fullmatch(r"-?[0-9]{1,9}", text) else text


async def _standards_page(request: Request, session: Session, prefix: str, *, cursor: str | None = None,
                          done: str | None = None, typed: dict[str, str] | None = None,
                          refused: ApiProblem | None = None) -> HTMLResponse:  # fmt: skip
    params: dict[str, Any] = {"limit": PAGE_SIZE}
    params.update({k: v for k, v in (("region_prefix", prefix), ("cursor", cursor)) if v})
    try:
        listed: dict[str, Any] = await gateway_of(request).call(session, "GET", STANDARDS, params=params)
    except ApiProblem as problem:
        return refused_page(request, session, problem)
    form = typed or {"region_prefix": prefix or session.person.region_code, "name": "dibao_standard"}
    placed = place(refused, form, fields=_STANDARD_FIELDS, codes=_STANDARD_CODES) if refused else None
    here, shown = f"{settings_of(request).base_path}/admin/standards", {"region_prefix": prefix} if prefix else {}
    next_cursor = listed.get("next_cursor")
    return page(request, "admin_standards.html", refused.status if refused and refused.status < 500 else 200,
                session=session, person=session.person, figures=listed.get("items", []), prefix=prefix, form=form,
                errors=placed.errors if placed else {}, problem=placed.problem if placed else None,
                done=_DONE.get(done or ""),
                next_page=f"{here}?{urlencode({**shown, 'cursor': next_cursor})}" if next_cursor else None,
                first_page=f"{here}?{urlencode(shown)}" if cursor else None)  # fmt: skip


@router.get("/standards", response_class=HTMLResponse)
async def standards(request: Request, region_prefix: Prefix = None, cursor: Cursor = None,
                    done: Done = None) -> HTMLResponse:  # fmt: skip
    """救助标准: the rows set inside the jurisdiction (or a prefix) with the wider ones that apply, and the form."""
    session = current_session(request)
    return await _standards_page(request, session, (region_prefix or "").strip(), cursor=cursor, done=done)


@router.post("/standards", response_class=HTMLResponse)
async def add_standard(request: Request, region_prefix: Field = "", effective_from: Field = "", name: Field = "",
                       value: Field = "", csrf_token: Token = "") -> Response:  # fmt: skip
    """添加一项标准 from a date."""
    session = current_session(request)
    if not session.csrf_matches(csrf_token):
        return expired(request, session)
    typed = {"region_prefix": region_prefix.strip(), "effective_from": effective_from.strip(), "name": name,
             "value": value.strip()}  # fmt: skip
    body = {"region_prefix": typed["region_prefix"], "effective_from": typed["effective_from"],
            "figures": {name: figure_value(name, value)}}  # fmt: skip
    try:
        await gateway_of(request).call(session, "POST", STANDARDS, json=body)
    except ApiProblem as refused:
        # Listed for the whole jurisdiction: the prefix typed may be the very thing refused.
        return await _standards_page(request, session, "", typed=typed, refused=refused)
    base, shown = settings_of(request).base_path, {"region_prefix": typed["region_prefix"], "done": "added"}
    return RedirectResponse(f"{base}/admin/standards?{urlencode(shown)}", status_code=303)
