"""我的待办: what this person must do next, by kind, oldest deadline first, as the API lists it for them.

Each kind is one list call through the gateway as the person (their jurisdiction and role decide what comes back),
counted by the owning service's `…/counts` where it has one. The village reports missing this month and the county's
roster of the month are read from their own endpoints (casework's overdue reports, disbursement's rosters).
A kind their role may not see is left out; one the API cannot answer just now says so, and the rest still show.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from console import words
from console.gateway_client import ApiProblem
from console.pages.rosters import STEPS
from console.sessions import Session
from console.web import current_session, gateway_of, page, settings_of
from libs.contracts.clock import china_today

router = APIRouter()

PAGE_SIZE = 50


@dataclass(frozen=True)
class Kind:
    title: str
    path: str
    params: dict[str, str]
    roles: frozenset[str]
    # Where the service counts this kind of work (its `…/counts` endpoint) and which count it is: a status, or
    # "overdue", or several statuses added up. Without one, the count is what the first page holds.
    counted: tuple[str, str | tuple[str, ...]] | None = None
    # How the kind is read: a page of a list (`items`), or one of the two reads below that are not lists.
    read: str = "list"


@dataclass
class Row:
    what: str
    where: str
    status: str
    due: str
    overdue: bool
    link: str | None = None
    due_day: dt.date | None = None  # for putting every kind's work in one order


@dataclass
class Listed:
    kind: Kind
    rows: list[Row] = field(default_factory=list)
    more: bool = False
    unavailable: bool = False
    total: int | None = None  # from the service's counts
    note: str | None = None  # said instead of the rows (the roster of the month not built yet)
    note_link: str | None = None

    @property
    def count(self) -> str:
        if self.total is not None:
            return str(self.total)
        return f"{len(self.rows)}+" if self.more else str(len(self.rows))


_TOWNSHIP, _COUNTY, _CITY = "township_officer", "county_officer", "city_supervisor"
_APPLICATION_COUNTS, _CASE_COUNTS = "/api/v1/intake/applications/counts", "/api/v1/casework/cases/counts"
_APPLICATIONS, _CASES = "/api/v1/intake/applications", "/api/v1/casework/cases"
_HITS, _COMPLAINTS = "/api/v1/matching/hits", "/api/v1/complaints"
_VILLAGE_REPORTS, _ROSTERS = "/api/v1/casework/village-reports/overdue", "/api/v1/disbursement/rosters"
_GRANTS = "/api/v1/casework/temporary-grants"
# The lists whose work a page exports as a ledger (console.pages.ledgers), with the page's filters.
_LEDGERS = {_APPLICATIONS: "applications", _CASES: "cases"}
_GRANT_COUNTS = f"{_GRANTS}/counts"
# Complaints still to answer, whatever step they are at (the ledger's open statuses).
_OPEN_COMPLAINTS = ("received", "assigned", "investigating")
# A roster in one of these waits for the county officer's next step (lock, submit, reconcile; the rosters page
# offers them); one submitted waits for finance, one reconciled is done.
_ROSTER_TO_DO = frozenset().union(*(step.offered_in for step in STEPS.values()))


def _applications(title: str, status: str, roles: frozenset[str]) -> Kind:
    return Kind(title, _APPLICATIONS, {"status": status}, roles, (_APPLICATION_COUNTS, status))


def _cases(title: str, status: str, roles: frozenset[str]) -> Kind:
    if status == "overdue":
        return Kind(title, _CASES, {"overdue": "true"}, roles, (_CASE_COUNTS, "overdue"))
    return Kind(title, _CASES, {"status": status}, roles, (_CASE_COUNTS, status))


_ASSISTANT, _OFFICERS = frozenset({"village_assistant"}), frozenset({_TOWNSHIP, _COUNTY, _CITY})
KINDS: tuple[Kind, ...] = (
    _applications("退回补充的申请", "returned", _ASSISTANT),
    _applications("申请草稿", "draft", _ASSISTANT),
    _applications("待受理的申请", "submitted", frozenset({_TOWNSHIP})),
    Kind("待确认的比对疑点（14日内）", _HITS, {"status": "open"}, frozenset({_TOWNSHIP}), (f"{_HITS}/counts", "open")),
    _cases("待入户调查的案件", "investigating", frozenset({_TOWNSHIP})),
    _cases("待乡镇审核的案件", "township_review", frozenset({_TOWNSHIP})),
    _cases("待县级审核确认的案件", "confirmation", frozenset({_COUNTY})),
    _cases("逾期的案件", "overdue", _OFFICERS),
    Kind("待办结的投诉", f"{_COMPLAINTS}/due", {}, _OFFICERS, (f"{_COMPLAINTS}/counts", _OPEN_COMPLAINTS)),
    Kind("本月未报送的村级月报", _VILLAGE_REPORTS, {}, _OFFICERS, read="village_reports"),
    Kind("本月花名册", _ROSTERS, {}, frozenset({_COUNTY}), read="roster"),
    Kind(
        "待补充说明的先行救助",
        _GRANTS,
        {"review": "explanation_due"},
        frozenset({_TOWNSHIP}),
        (_GRANT_COUNTS, "explanation_due"),
        read="grants",
    ),
    Kind(
        "待县级确认的临时救助",
        _GRANTS,
        {"review": "to_confirm"},
        frozenset({_COUNTY}),
        (_GRANT_COUNTS, "to_confirm"),
        read="grants",
    ),
    Kind(
        "超时未发放的临时救助", f"{_GRANTS}/overdue", {}, _OFFICERS, (_GRANT_COUNTS, "overdue"), read="grants_overdue"
    ),
)


def _link(item: dict[str, Any], base: str) -> str | None:
    """The page of the item: a case (cases carry an application number too), an application, a hit or a complaint."""
    if item.get("hit_id"):
        return f"{base}/hits/{item['hit_id']}"
    if item.get("complaint_id"):
        return f"{base}/complaints/{item['complaint_id']}"
    if item.get("case_id"):
        return f"{base}/cases/{item['case_id']}"
    if item.get("application_id"):
        return f"{base}/applications/{item['application_id']}"
    return None


def _row(item: dict[str, Any], base: str) -> Row:
    """One line of a list, whichever API it came from (applications, cases, hits, complaints)."""
    name = item.get("applicant_name") or item.get("applicant_name_masked") or item.get("person_name_masked")
    what = " · ".join(
        str(part)
        for part in (
            item.get("application_no") or item.get("work_order_no"),
            words.word(words.PROGRAMS, item["program"]) if item.get("program") else None,
            name,
            item.get("title") or words.chinese_part(item.get("description")),
        )
        if part
    )
    status = item.get("status", "")
    status_word = (
        words.APPLICATION_STATUSES.get(status)
        or words.CASE_STATUSES.get(status)
        or words.HIT_STATUSES.get(status)
        or words.COMPLAINT_STATUSES.get(status)
        or str(status)
    )
    due = item.get("due_date") or item.get("due_at")
    return Row(
        what=what or str(item.get("case_id") or item.get("hit_id") or item.get("complaint_id") or ""),
        where=str(item.get("region_code", "")),
        status=status_word,
        due=words.chinese_date(due) if due else "",
        overdue=bool(item.get("overdue")),
        link=_link(item, base),
        due_day=words.china_day(due) if due else None,
    )


def _grant_row(item: dict[str, Any], base: str, *, clock: bool) -> Row:
    """A temporary grant; its pay-by day is a deadline only on the overdue list (an explanation or a confirmation has
    none of its own in the API)."""
    pay_by = item.get("pay_by") if clock else None
    payment, review = (
        words.word(words.GRANT_PAYMENTS, item.get("payment")),
        words.word(words.GRANT_REVIEWS, item.get("review")),
    )
    return Row(
        what=f"{item.get('name_masked', '')} · {words.word(words.GRANT_CAUSES, item.get('cause'))} · "
        f"{words.yuan(item.get('amount'))}",
        where=str(item.get("region_code", "")),
        status=f"{payment}，{review}",
        due=words.chinese_date(pay_by) if pay_by else "",
        overdue=bool(item.get("overdue")),
        link=f"{base}/temporary-grants/{item.get('grant_id')}",
        due_day=words.china_day(pay_by) if pay_by else None,
    )


def _this_month() -> str:
    today = china_today()
    return f"{today.year:04d}-{today.month:02d}"


def _village_reports(kind: Kind, body: Any) -> Listed:
    """The villages of the person's area without a report this month, the soonest due first."""
    missing = [m for m in (body.get("missing") or []) if isinstance(m, dict)] if isinstance(body, dict) else []
    missing.sort(key=lambda m: (str(m.get("due_date", "")), str(m.get("village_code", ""))))
    rows = [
        Row(
            what=f"{words.chinese_month(body.get('period'))}村级月报未报送 · 救助家庭 {m.get('households', 0)} 户",
            where=str(m.get("village_code", "")),
            status="未报送",
            due=words.chinese_date(m["due_date"]) if m.get("due_date") else "",
            overdue=bool(m.get("overdue")),
            due_day=words.china_day(m.get("due_date")),
        )
        for m in missing
    ]
    return Listed(kind, rows, total=len(rows))


def _roster(kind: Kind, body: Any, base: str) -> Listed:
    """The county's roster of this month (a cancelled one does not count), or a note that it is not built yet."""
    items = body.get("items", []) if isinstance(body, dict) else []
    live = [r for r in items if isinstance(r, dict) and r.get("status") != "cancelled"]
    if not live:
        return Listed(kind, total=1, note="本月花名册尚未生成", note_link=f"{base}/rosters")
    roster = live[0]
    row = Row(
        what=f"{words.chinese_month(roster.get('period'))}花名册 · {roster.get('line_count', 0)} 户",
        where=str(roster.get("region_code", "")),
        status=words.word(words.ROSTER_STATUSES, roster.get("status")),
        due=words.chinese_date(roster["due_date"]) if roster.get("due_date") else "",
        overdue=bool(roster.get("late")) and roster.get("status") in _ROSTER_TO_DO,
        link=f"{base}/rosters/{roster['roster_id']}",
    )
    return Listed(kind, [row], total=1 if roster.get("status") in _ROSTER_TO_DO else 0)


def _params(kind: Kind, session: Session) -> dict[str, str | int]:
    region, month = session.person.region_code, _this_month()
    if kind.read == "village_reports":
        return {"region_code": region, "period": month}
    if kind.read == "roster":
        return {"region_code": region[:6], "period": month, "limit": PAGE_SIZE}
    return {**kind.params, "limit": PAGE_SIZE}


async def _listed(request: Request, session: Session, kind: Kind) -> Listed | None:
    try:
        body = await gateway_of(request).call(session, "GET", kind.path, params=_params(kind, session))
    except ApiProblem as problem:
        if problem.status == 403:
            return None  # not this person's work after all
        return Listed(kind, unavailable=True)
    base = settings_of(request).base_path
    if kind.read == "village_reports":
        return _village_reports(kind, body)
    if kind.read == "roster":
        return _roster(kind, body, base)
    items = [i for i in body.get("items", []) if isinstance(i, dict)] if isinstance(body, dict) else []
    if kind.read.startswith("grants"):
        rows = [_grant_row(i, base, clock=kind.read == "grants_overdue") for i in items]
    else:
        rows = [_row(i, base) for i in items]
    return Listed(kind, rows, more=bool(body.get("next_cursor")))


async def _counts(request: Request, session: Session, path: str) -> dict[str, Any] | None:
    try:
        found = await gateway_of(request).call(session, "GET", path)
    except ApiProblem:
        return None  # the lists still show; their counts are then what a page holds
    return found if isinstance(found, dict) else None


def _total(counts: dict[str, Any] | None, key: str | tuple[str, ...]) -> int | None:
    if counts is None:
        return None
    by_status = counts.get("by_status") or {}
    if isinstance(key, tuple):
        values = [by_status.get(k, 0) for k in key]
        return sum(values) if all(isinstance(v, int) for v in values) else None
    value = counts.get("overdue") if key == "overdue" else by_status.get(key, 0)
    return int(value) if isinstance(value, int) else None


@router.get("/", response_class=HTMLResponse)
async def home(request: Request) -> HTMLResponse:
    """我的待办 for the signed-in person."""
    session = current_session(request)
    roles = set(session.person.roles)
    kinds = [k for k in KINDS if k.roles & roles]
    count_paths = sorted({k.counted[0] for k in kinds if k.counted})
    found_lists, found_counts = await asyncio.gather(
        asyncio.gather(*(_listed(request, session, k) for k in kinds)),
        asyncio.gather(*(_counts(request, session, path) for path in count_paths)),
    )
    counts = dict(zip(count_paths, found_counts, strict=True))
    listed = [found for found in found_lists if found]
    for found in listed:
        if found.kind.counted and not found.unavailable:
            found.total = _total(counts[found.kind.counted[0]], found.kind.counted[1])
    return page(request, "home.html", session=session, person=session.person, listed=listed, soonest=_soonest(listed),
                ledgers=_LEDGERS)  # fmt: skip


SOONEST = 10


def _soonest(listed: list[Listed]) -> list[tuple[str, Row]]:
    """Every kind's work with a deadline in one list, the oldest deadline first: what to do next."""
    dated = [(found.kind.title, row) for found in listed for row in found.rows if row.due_day is not None]
    dated.sort(key=lambda pair: (pair[1].due_day or dt.date.max, pair[0]))
    return dated[:SOONEST]
