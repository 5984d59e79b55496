"""填写申请: a village assistant (or a township officer at the counter) files an application on one page.

Rows of members, income, expenditure, assets and close relatives grow with a button (no script needed). `保存草稿`
saves it as a draft through the API, `提交` saves and submits; either way everything typed stays on the page when the
API refuses, with each refusal beside its field. Once saved, the page keeps the draft's id, so trying again replaces
that draft instead of filing a second one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console.field_messages import beside_fields
from console.gateway_client import ApiProblem
from console.sessions import Session
from console.web import current_session, gateway_of, page, settings_of

router = APIRouter(prefix="/applications")

APPLICATIONS = "/api/v1/intake/applications"
# Rows a form starts with, and the most it may grow to (the API's own limits).
GROUPS = {"members": (3, 30), "income": (1, 200), "expenditure": (1, 50), "assets": (1, 100), "relatives": (1, 20)}
COLUMNS = {
    "members": ("relation", "name", "id_number", "labour_capacity", "employment", "health"),
    "income": ("member_id_number", "kind", "amount_12_months"),
    "expenditure": ("kind", "amount_12_months"),
    "assets": ("kind", "member_id_number", "description"),
    "relatives": ("member_id_number", "staff_name", "staff_unit", "relation"),
}
# Columns chosen from a list always hold a value: a row counts as filled only when something else is typed in it.
CHOSEN = frozenset({"relation", "kind", "labour_capacity", "employment", "health"})
SINGLE = ("application_id", "program", "region_code", "channel", "bank_code", "account_no", "holder_id_number",
          "truthfulness_commitment", "verification_authorisation", "declared")  # fmt: skip
_MAX_FIELDS = 1500
_MAX_VALUE = 200


@dataclass
class Filing:
    """What the form holds: every value as typed, and how many rows each group shows."""

    values: dict[str, str] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=lambda: {g: start for g, (start, _) in GROUPS.items()})

    def get(self, name: str) -> str:
        return self.values.get(name, "")

    def row(self, group: str, index: int) -> dict[str, str]:
        return {column: self.get(f"{group}-{index}-{column}") for column in COLUMNS[group]}

    def filled(self, group: str) -> list[dict[str, str]]:
        rows = (self.row(group, i) for i in range(self.rows[group]))
        return [r for r in rows if any(v for k, v in r.items() if k not in CHOSEN)]


async def _read(request: Request) -> tuple[Filing, str]:
    form = await request.form(max_fields=_MAX_FIELDS)
    filing = Filing()
    for name, value in form.multi_items():
        if isinstance(value, str):
            filing.values[name] = value.strip()[:_MAX_VALUE]
    for group, (start, most) in GROUPS.items():
        typed = filing.get(f"{group}_rows")
        filing.rows[group] = min(most, max(start, int(typed))) if typed.isdigit() else start
    action = filing.get("action")
    if action.startswith("add_") and action[4:] in GROUPS:
        group = action[4:]
        filing.rows[group] = min(GROUPS[group][1], filing.rows[group] + 1)
    return filing, action


def _body(filing: Filing) -> dict[str, Any]:
    members = [{**m, "illness": ""} for m in filing.filled("members")]
    heads = [m["id_number"] for m in members if m.get("relation") == "head"] or [m["id_number"] for m in members]
    head = heads[0] if heads else ""
    bank = None
    if filing.get("account_no"):
        bank = {"bank_code": filing.get("bank_code"), "account_no": filing.get("account_no"),
                "holder_id_number": filing.get("holder_id_number") or head}  # fmt: skip
    assets = [{k: v for k, v in a.items() if v or k == "kind"} for a in filing.filled("assets")]
    return {
        "program": filing.get("program"),
        "region_code": filing.get("region_code"),
        "channel": filing.get("channel") or "counter",
        "applicant_id_number": head,
        "members": [{k: v for k, v in m.items() if k != "illness" or v} for m in members],
        "income": filing.filled("income"),
        "expenditure": filing.filled("expenditure"),
        "assets": [{**a, "member_id_number": a.get("member_id_number") or None} for a in assets],
        "obligors": [],
        "bank_account": bank,
        "declarations": {
            "truthfulness_commitment": filing.get("truthfulness_commitment") == "on",
            "verification_authorisation": filing.get("verification_authorisation") == "on",
            "close_relative": {
                "declared": filing.get("declared") == "yes",
                "relatives": filing.filled("relatives") if filing.get("declared") == "yes" else [],
            },
        },
    }


def _form(request: Request, session: Session, filing: Filing, *, problem: str | None = None,
          errors: dict[str, str] | None = None, status_code: int = 200) -> HTMLResponse:  # fmt: skip
    # The villages the person may file for, by name, where the county has named them; else the code is typed.
    prefix = session.person.region_code
    villages = {c: n for c, n in sorted(session.region_names.items()) if len(c) == 12 and c.startswith(prefix)}
    return page(request, "filing.html", status_code, session=session, person=session.person, filing=filing,
                problem=problem, errors=errors or {}, groups=GROUPS, villages=villages)  # fmt: skip


@router.get("/new", response_class=HTMLResponse)
async def new_application(request: Request) -> HTMLResponse:
    """An empty form, in the person's village when they work for one."""
    session = current_session(request)
    filing = Filing()
    if len(session.person.region_code) == 12:
        filing.values["region_code"] = session.person.region_code
    filing.values.update({"program": "dibao", "channel": "counter", "members-0-relation": "head", "declared": "no"})
    return _form(request, session, filing)


@router.post("/new", response_class=HTMLResponse)
async def file_application(request: Request) -> Response:
    """保存草稿 or 提交; another button only grows a group of rows."""
    session = current_session(request)
    filing, action = await _read(request)
    if not session.csrf_matches(filing.values.get("csrf_token")):
        return page(request, "refused.html", 403, session=session, person=session.person,
                    message="页面已过期，请刷新后重试")  # fmt: skip
    if action not in {"save", "submit"}:
        return _form(request, session, filing)
    gateway, body = gateway_of(request), _body(filing)
    saved = filing.get("application_id")
    try:
        if saved:
            await gateway.call(session, "PUT", f"{APPLICATIONS}/{saved}", json=body)
        else:
            created = await gateway.call(session, "POST", APPLICATIONS, json=body)
            saved = filing.values["application_id"] = str(created["application_id"])
        if action == "submit":
            await gateway.call(session, "POST", f"{APPLICATIONS}/{saved}/submit")
    except ApiProblem as refused:
        note = "（草稿已保存，可修改后再次提交）" if saved else ""
        errors = beside_fields(refused.errors)
        status = refused.status
        return _form(request, session, filing, problem=refused.message + note, errors=errors, status_code=status)
    base = settings_of(request).base_path
    return RedirectResponse(f"{base}/applications/{saved}?done={'submitted' if action == 'submit' else 'saved'}",
                            status_code=303)  # fmt: skip
