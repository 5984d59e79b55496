"""The payment journey (DOMAIN.md §3, §9) as reusable steps through the gateway: a village assistant files a dibao
application, the township accepts it, matching verifies the household against the registries and casework opens the
case, the township investigates and proposes, the proposal is posted in the village, the county confirms, the
entitlement reaches disbursement's ledger, the county submits the month's roster, and finance reports the line paid.

Each step is one actor's work: its requests through the gateway, then a wait (`wait_until`) for the effect it causes
in another service (over the broker, or by a worker's job). A step returns what the next one needs. Every step looks
at the current state first and only does what is still to do, so a step may run again (after a worker was killed
mid-way, say) without a second application, case, entitlement or roster line.

Publicity lasts the county's `publicity_days` (at least 1), and the casework worker ends it on its business date:
`pass_publicity` moves the whole system's training clock (tests/e2e/training_clock.py) just past the posting's last
day, lets the worker's real job end it, and puts the clock back; no table is edited. Where a scenario runs two
families at once (`asyncio.gather`), the clock cannot be used: the other family's steps would run, and be dated, days
ahead while it stands moved. There `pass_publicity(..., by_clock=False)` moves the one case's posting dates back in
casework's table instead, as before the clock existed.

Personal data (identity numbers, the bank account) is registered with the whole system's privacy scan by every step
that sends it, and never put into an assertion message: replies are scrubbed before they are shown.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from libs.contracts.clock import CHINA_TZ, business_date, china_today
from libs.demo_county.intake import fictional_id
from libs.kernel.logging import scrub
from libs.kernel.settings import BaseServiceSettings
from tests.e2e.system import Actor, WholeSystem, new_county
from tests.e2e.training_clock import business_date as business_date_of
from tests.e2e.training_clock import days_ahead, one_clock_mover, read_clock
from tests.support.waiting import wait_until

T = TypeVar("T")

APPLICATIONS = "/api/v1/intake/applications"
CASES = "/api/v1/casework/cases"
STANDARDS = "/api/v1/casework/standards"
ROSTERS = "/api/v1/disbursement/rosters"
FINANCE_ROSTERS = "/api/v1/finance/rosters"
FEEDS = "/api/v1/matching/feeds"

# Generous: two cores shared with other helpers' sessions, and the development broker answers fetches slowly.
EVENT_TIMEOUT = 120.0
# Casework's worker looks at publicity every `CASEWORK_JOBS_INTERVAL_SECONDS` (30 s by default).
JOB_TIMEOUT = 180.0
POLL = 0.5
LOCK_ATTEMPTS = 5

# Case statuses after the township's proposal (so a repeated `investigate` or `publicise` has nothing to do).
_PROPOSED = {"publicity", "confirmation", "decided", "closed"}
_INVESTIGATED = _PROPOSED | {"township_review"}

_families = itertools.count(1)


# --- the people


@dataclass(frozen=True)
class Member:
    relation: str
    id_number: str
    name: str
    labour_capacity: str
    employment: str

    def body(self) -> dict[str, Any]:
        return {
            "relation": self.relation,
            "id_number": self.id_number,
            "name": self.name,
            "labour_capacity": self.labour_capacity,
            "employment": self.employment,
        }


@dataclass(frozen=True)
class Family:
    """A three-member household applying for dibao in a village of its own: the spouse earns wages, which the
    investigation verifies at another figure than the one declared."""

    county: str
    village: str
    members: tuple[Member, ...]
    declared_wages_12_months: str
    verified_wages_12_months: str
    bank_code: str
    account_no: str

    @property
    def township(self) -> str:
        return self.village[:9]

    @property
    def head(self) -> Member:
        return self.members[0]

    @property
    def earner(self) -> Member:
        return self.members[1]

    def personal_data(self) -> list[str]:
        return [*(m.id_number for m in self.members), self.account_no]

    def application_body(self) -> dict[str, Any]:
        return {
            "program": "dibao",
            "region_code": self.village,
            "channel": "counter",
            "applicant_id_number": self.head.id_number,
            "members": [m.body() for m in self.members],
            "income": [
                {
                    "member_id_number": self.earner.id_number,
                    "kind": "wages",
                    "amount_12_months": self.declared_wages_12_months,
                }
            ],
            "bank_account": {
                "bank_code": self.bank_code,
                "account_no": self.account_no,
                "holder_id_number": self.head.id_number,
            },
            "declarations": {
                "truthfulness_commitment": True,
                "verification_authorisation": True,
                "close_relative": {"declared": False, "relatives": []},
            },
        }


def new_family(system: WholeSystem, county: str, *, village_no: int | None = None) -> Family:
    """A family of fictional people in a new village of `county` (township 001), registered for the privacy scan."""
    n = next(_families)
    village = f"{county}001{village_no if village_no is not None else n:03d}"
    seq = f"{n % 100:02d}"  # the last sequence digit is the sex: odd for men, even for women
    family = Family(
        county=county,
        village=village,
        members=(
            Member("head", fictional_id("1976-05-11", f"{seq}1", county), "宋建军", "partial", "unemployed"),
            Member("spouse", fictional_id("1979-02-23", f"{seq}2", county), "何美兰", "partial", "flexible"),
            Member("child", fictional_id("2013-09-01", f"{seq}3", county), "宋小雨", "none", "student"),
        ),
        declared_wages_12_months="9600.00",
        verified_wages_12_months="10800.00",
        bank_code="ICBC",
        account_no=f"62220203{county}{n:04d}1",
    )
    system.remember_personal_data(family.personal_data())
    return family


@dataclass
class Cast:
    """Everyone who works on the journey, each signed in through the gateway with their own jurisdiction."""

    village_assistant: Actor
    township_officer: Actor
    county_officer: Actor
    finance: Actor  # the county finance bureau's client, scope `finance`
    registry: Actor  # the provincial data exchange, scope `registry_feed`


async def cast_for(system: WholeSystem, family: Family) -> Cast:
    return Cast(
        village_assistant=await system.staff("village_assistant", family.village, "村协理员"),
        township_officer=await system.staff("township_officer", family.township, "乡镇民政办 经办人"),
        county_officer=await system.staff("county_officer", family.county, "县民政局 科长"),
        finance=await system.partner("finance", family.county),
        registry=await system.partner("registry_feed", family.county[:2]),
    )


# --- requests


class UnexpectedReply(AssertionError):
    pass


async def _call(
    actor: Actor, method: str, path: str, *, expect: Collection[int] = (200,), **kwargs: Any
) -> httpx.Response:
    reply = await actor.http.request(method, path, **kwargs)
    if reply.status_code not in expect:
        # Scrubbed: a problem body can quote what was sent, and assertion messages never show personal data.
        raise UnexpectedReply(f"{method} {path} answered {reply.status_code}: {scrub(reply.text)[:2000]}")
    return reply


async def _get(actor: Actor, path: str, **params: str) -> dict[str, Any]:
    body: dict[str, Any] = (await _call(actor, "GET", path, params=params)).json()
    return body


async def _post(actor: Actor, path: str, body: Any = None, *, expect: Collection[int] = (200,)) -> dict[str, Any]:
    result: dict[str, Any] = (await _call(actor, "POST", path, json=body, expect=expect)).json()
    return result


async def _wait(probe: Callable[[], Awaitable[T]], done: Callable[[T], bool], timeout: float = EVENT_TIMEOUT) -> T:
    return await wait_until(probe, done, timeout=timeout, every=POLL)


async def _all_items(actor: Actor, path: str, **params: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        page = await _get(actor, path, **params, **({"cursor": cursor} if cursor else {}))
        items += page["items"]
        cursor = page.get("next_cursor")
        if not cursor:
            return items


# --- the county's standards


@dataclass(frozen=True)
class Standard:
    county: str
    dibao_standard: str
    publicity_days: int


async def set_standard(
    cast: Cast,
    county: str,
    *,
    dibao_standard: str,
    publicity_days: int,
    effective_from: dt.date,
) -> Standard:
    """The county officer sets the county's dibao standard and publicity period; a repeat finds them set."""
    body = {
        "region_prefix": county,
        "effective_from": effective_from.isoformat(),
        "figures": {"dibao_standard": dibao_standard, "publicity_days": publicity_days},
    }
    reply = await _call(cast.county_officer, "POST", STANDARDS, json=body, expect=(201, 409))
    if reply.status_code == 409:
        assert reply.json()["code"] == "figure_exists", scrub(reply.text)
    figures = (await _get(cast.county_officer, f"{STANDARDS}/in-force", region_code=county))["figures"]
    return Standard(county, str(figures["dibao_standard"]["value"]), int(figures["publicity_days"]["value"]))


# --- the registry partner


@dataclass(frozen=True)
class Feed:
    feed_id: str
    source: str
    status: str
    rows_loaded: int
    rows_rejected: int


async def send_death_register(system: WholeSystem, cast: Cast, county: str, as_of: dt.date) -> Feed:
    """The health commission's death register through the data exchange (CONTRACTS.md §5): one stranger of the county,
    none of the family, so matching has the `death` source loaded when it verifies the application. Deaths are an
    event source (every feed is kept), so this feed replaces no other scenario's. A repeat sends the register again."""
    stranger = fictional_id("1931-07-07", "995", county)
    system.remember_personal_data([stranger])
    body = f"id_number,name,event_date\n{stranger},过世者,{(as_of - dt.timedelta(days=3)).isoformat()}\n".encode()
    reply = await _call(
        cast.registry,
        "POST",
        FEEDS,
        params={"source": "death", "as_of": as_of.isoformat()},
        content=body,
        headers={"Content-Type": "text/csv"},
        expect=(202,),
    )
    feed_id = str(reply.json()["feed_id"])
    done = await _wait(lambda: _get(cast.registry, f"{FEEDS}/{feed_id}"), lambda f: f["status"] in {"done", "failed"})
    return Feed(feed_id, done["source"], done["status"], done["rows_loaded"], done["rows_rejected"])


# --- intake


@dataclass(frozen=True)
class Application:
    application_id: str
    application_no: str
    status: str
    due_date: str | None
    case_id: str  # the case casework opened for it


async def _cases_of_village(actor: Actor, village: str) -> list[dict[str, Any]]:
    return await _all_items(actor, CASES, region_code=village)


async def case_of(actor: Actor, village: str, application_id: str) -> dict[str, Any] | None:
    """Casework's case summary for an application, or None while casework has not opened it."""
    found = [c for c in await _cases_of_village(actor, village) if c["application_id"] == application_id]
    assert len(found) <= 1, f"{len(found)} cases for application {application_id}"
    return found[0] if found else None


async def apply(system: WholeSystem, cast: Cast, family: Family) -> Application:
    """The village assistant files and submits the family's application, the township officer accepts it (受理, the
    clock starts); then casework opens its case from `application-submitted`. A repeat finds the family's open or
    decided application and carries on from its status."""
    system.remember_personal_data(family.personal_data())
    assistant, township = cast.village_assistant, cast.township_officer
    mine = await _all_items(township, APPLICATIONS, region_code=family.village, id_number=family.head.id_number)
    mine = [a for a in mine if a["status"] != "withdrawn"]
    assert len(mine) <= 1, f"{len(mine)} applications for one household"
    if mine:
        application = await _get(township, f"{APPLICATIONS}/{mine[0]['application_id']}")
    else:
        application = await _post(assistant, APPLICATIONS, family.application_body(), expect=(201,))
    path = f"{APPLICATIONS}/{application['application_id']}"
    if application["status"] == "draft":
        application = await _post(assistant, f"{path}/submit")
    if application["status"] == "submitted":
        application = await _post(township, f"{path}/accept")
    assert application["status"] in {"accepted", "decided"}, application["status"]
    case = await _wait(
        lambda: case_of(cast.township_officer, family.village, str(application["application_id"])),
        lambda c: c is not None,
    )
    assert case is not None
    return Application(
        application_id=str(application["application_id"]),
        application_no=str(application["application_no"]),
        status=str(application["status"]),
        due_date=application["due_date"],
        case_id=str(case["case_id"]),
    )


# --- casework


async def get_case(actor: Actor, case_id: str) -> dict[str, Any]:
    return await _get(actor, f"{CASES}/{case_id}")


@dataclass(frozen=True)
class Verification:
    case_id: str
    case_status: str
    # (masked identity number, source) → clear | finding | unavailable
    findings: dict[tuple[str, str], str]
    pending_in_matching: int  # applications of the village matching watches while they are pending


async def verify(cast: Cast, family: Family, application: Application) -> Verification:
    """Matching's economic verification (逢进必核): it checks every member against every loaded registry on
    `application-submitted` and sends `verification-completed`; casework records the report and opens the
    investigation. Nobody acts: the step waits for the report in the case."""
    case = await _wait(
        lambda: get_case(cast.township_officer, application.case_id),
        lambda c: c["status"] != "awaiting_verification" and bool(c["verification"]),
    )
    summary = await _get(cast.county_officer, "/api/v1/matching/watch-list/summary", region_code=family.village)
    return Verification(
        case_id=application.case_id,
        case_status=case["status"],
        findings={(f["member_id_number_masked"], f["source"]): f["outcome"] for f in case["verification"]},
        pending_in_matching=int(summary["pending_applications"]),
    )


async def investigate(cast: Cast, family: Family, case_id: str, visited_on: dt.date) -> dict[str, Any]:
    """The township's home investigation (入户调查) by two officers: the spouse's wages as verified, which replace the
    declared figure in the calculation. Recorded once; a repeat finds the case past the investigation."""
    case = await get_case(cast.township_officer, case_id)
    if case["status"] in _INVESTIGATED:
        return case
    assert case["status"] == "investigating", case["status"]
    body = {
        "investigators": [{"user": "inv-1", "name": "调查员甲"}, {"user": "inv-2", "name": "调查员乙"}],
        "visited_on": visited_on.isoformat(),
        "findings": "入户核实，共同生活成员三人，与申报一致；配偶灵活就业",
        "neighbour_visits": "走访左右邻居两户，情况属实",
        "verified_income": [
            {
                "member_id_number": family.earner.id_number,
                "kind": "wages",
                "amount_12_months": family.verified_wages_12_months,
            }
        ],
    }
    return await _post(cast.township_officer, f"{CASES}/{case_id}/investigations", body, expect=(201,))


@dataclass(frozen=True)
class Publicity:
    case_id: str
    proposed_amount: str
    proposed_on: dt.date
    ends_on: dt.date | None  # None once the case has left publicity
    posting: list[dict[str, Any]]  # the village posting's items for this proposal (empty once it has ended)
    case: dict[str, Any]


def _proposed_on(case: dict[str, Any]) -> dt.date:
    at = next(h["at"] for h in reversed(case["history"]) if h["action"] == "proposed")
    return business_date(dt.datetime.fromisoformat(at))


async def publicise(cast: Cast, family: Family, case_id: str) -> Publicity:
    """The township's proposal (初审, approve with the calculated amount), which posts the case in the village (公示).
    A repeat finds the proposal made."""
    case = await get_case(cast.township_officer, case_id)
    if case["status"] not in _PROPOSED:
        assert case["status"] == "township_review", case["status"]
        body = {"outcome": "approved", "reasons": ["家庭人均收入低于当地低保标准"], "review_class": "B"}
        case = await _post(cast.township_officer, f"{CASES}/{case_id}/proposal", body)
    posting = await _get(cast.village_assistant, f"/api/v1/casework/postings/{family.village}")
    ends_on = case["publicity_ends_on"]
    return Publicity(
        case_id=case_id,
        proposed_amount=str(case["proposed_amount"]),
        proposed_on=_proposed_on(case),
        ends_on=dt.date.fromisoformat(ends_on) if ends_on and case["status"] == "publicity" else None,
        posting=[i for i in posting["items"] if i["stage"] == "proposed"],
        case=case,
    )


_BACKDATE = text(
    """
    UPDATE casework.cases
       SET publicity_started_on = publicity_started_on - (publicity_ends_on - CAST(:today AS date) + 1),
           publicity_ends_on = CAST(:today AS date) - 1
     WHERE id = :case_id AND status = 'publicity' AND publicity_ends_on >= CAST(:today AS date)
    """
)


async def _backdate_publicity(system: WholeSystem, case_id: str) -> None:
    """The one case's posting dates moved back by the period's length in casework's table (its length kept)."""
    settings = BaseServiceSettings(database_url=system.stack.database_url)
    engine = create_async_engine(settings.async_database_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(_BACKDATE, {"case_id": case_id, "today": china_today()})
    finally:
        await engine.dispose()


async def pass_publicity(system: WholeSystem, cast: Cast, case_id: str, *, by_clock: bool = True) -> dict[str, Any]:
    """The publicity period passes without objection, and casework's worker moves the case to confirmation.

    The training clock stands one day past the posting's last day until the worker's job has ended it, then goes back
    where it was (other cases of the system in publicity end with it); one step at a time moves it. Without
    `by_clock`, the posting's dates are moved back in casework's table instead (see the module's docstring for where).
    A repeat, or a case already past publicity, changes nothing."""

    async def until_ended() -> dict[str, Any]:
        return await _wait(
            lambda: get_case(cast.county_officer, case_id), lambda c: c["status"] != "publicity", timeout=JOB_TIMEOUT
        )

    if not by_clock:
        await _backdate_publicity(system, case_id)
        return await until_ended()
    async with one_clock_mover():
        case = await get_case(cast.county_officer, case_id)
        if case["status"] != "publicity":
            return case
        admin = await system.admin()
        days = (dt.date.fromisoformat(case["publicity_ends_on"]) - business_date_of(await read_clock(admin))).days + 1
        async with days_ahead(admin, max(days, 0), "测试：公示期满"):
            return await until_ended()


@dataclass(frozen=True)
class Decision:
    case_id: str
    application_id: str
    household_id: str
    outcome: str
    amount: str
    effective_month: str
    decided_on: dt.date
    application: dict[str, Any]  # intake's view after `case-decided`


async def approve(cast: Cast, application: Application) -> Decision:
    """The county's confirmation (审核确认); intake closes the application when `case-decided` arrives. A repeat finds
    the case decided and only waits for intake."""
    case = await get_case(cast.county_officer, application.case_id)
    if case["status"] == "confirmation":
        case = await _post(cast.county_officer, f"{CASES}/{application.case_id}/decision", {"decision": "confirm"})
    assert case["status"] == "decided", case["status"]
    seen = await _wait(
        lambda: _get(cast.township_officer, f"{APPLICATIONS}/{application.application_id}"),
        lambda a: a["status"] == "decided" and a["decision"] is not None,
    )
    decided_at = dt.datetime.fromisoformat(case["decided_at"])
    return Decision(
        case_id=application.case_id,
        application_id=application.application_id,
        household_id=str(case["household_id"]),
        outcome=str(case["outcome"]),
        amount=str(case["proposed_amount"]),
        effective_month=str(case["effective_month"]),
        decided_on=decided_at.astimezone(CHINA_TZ).date(),
        application=seen,
    )


# --- disbursement


@dataclass(frozen=True)
class Entitlement:
    household_id: str
    entitlement_id: str
    program: str
    status: str
    first_period: str
    amount: str
    account: dict[str, Any]
    file: dict[str, Any]  # disbursement's payment file of the household


def _entitled(file: dict[str, Any], case_id: str) -> bool:
    account = file["account"]
    return (
        any(e["case_id"] == case_id and e["schedule"] for e in file["entitlements"])
        and account is not None
        and account["status"] == "ok"
    )


async def entitlement(cast: Cast, decision: Decision) -> Entitlement:
    """The approval's `entitlement-changed` reaches disbursement's ledger: the household's entitlement with its
    monthly amount from the benefit month, and its payment account. Nobody acts: the step waits."""
    path = f"/api/v1/disbursement/households/{decision.household_id}"

    async def file() -> dict[str, Any]:
        reply = await _call(cast.county_officer, "GET", path, expect=(200, 404))
        return dict(reply.json()) if reply.status_code == 200 else {"entitlements": [], "account": None}

    seen = await _wait(file, lambda f: _entitled(f, decision.case_id))
    [ent] = [e for e in seen["entitlements"] if e["case_id"] == decision.case_id]
    first = ent["schedule"][0]
    return Entitlement(
        household_id=decision.household_id,
        entitlement_id=str(ent["entitlement_id"]),
        program=str(ent["program"]),
        status=str(ent["status"]),
        first_period=str(first["first_period"]),
        amount=str(first["amount"]),
        account=seen["account"],
        file=seen,
    )


@dataclass(frozen=True)
class RosterLine:
    roster_id: str
    period: str
    county: str
    roster_status: str
    line_id: str
    line_no: int
    household_id: str
    program: str
    amount: str
    line: dict[str, Any]  # the staff view (masked payee and account)
    roster: dict[str, Any]


async def _roster_of(officer: Actor, county: str, period: str) -> dict[str, Any] | None:
    rosters = await _all_items(officer, ROSTERS, region_code=county, period=period)
    live = [r for r in rosters if r["status"] != "cancelled"]
    assert len(live) <= 1, f"{len(live)} rosters for {county} {period}"
    return live[0] if live else None


async def roster_line(cast: Cast, county: str, period: str, household_id: str) -> RosterLine:
    """The county officer builds the county's roster for `period` from the ledger, locks it (rebuilding it when an
    event moved the ledger meanwhile) and submits it to finance; returns the household's line. A repeat carries on
    from the roster's status."""
    officer = cast.county_officer
    roster = await _roster_of(officer, county, period)
    if roster is None:
        roster = await _post(officer, ROSTERS, {"region_code": county, "period": period}, expect=(201,))
    path = f"{ROSTERS}/{roster['roster_id']}"
    for _ in range(LOCK_ATTEMPTS):
        if roster["status"] != "draft":
            break
        reply = await _call(officer, "POST", f"{path}/lock", expect=(200, 409))
        if reply.status_code == 200:
            roster = reply.json()
        elif reply.json().get("code") == "roster_outdated":
            roster = await _post(officer, f"{path}/rebuild")
        else:
            raise UnexpectedReply(f"locking roster {roster['roster_id']}: {scrub(reply.text)}")
    if roster["status"] == "locked":
        roster = await _post(officer, f"{path}/submit")
    assert roster["status"] not in {"draft", "locked", "cancelled"}, roster["status"]
    lines = await _all_items(officer, f"{path}/lines", household_id=household_id)
    assert len(lines) == 1, f"{len(lines)} lines for household {household_id} in roster {roster['roster_id']}"
    [line] = lines
    return RosterLine(
        roster_id=str(roster["roster_id"]),
        period=str(roster["period"]),
        county=county,
        roster_status=str(roster["status"]),
        line_id=str(line["line_id"]),
        line_no=int(line["line_no"]),
        household_id=household_id,
        program=str(line["program"]),
        amount=str(line["amount"]),
        line=line,
        roster=roster,
    )


@dataclass(frozen=True)
class Payment:
    roster_id: str
    line_id: str
    bank_txn_id: str
    accepted: int
    unchanged: int
    # What finance pulled for the line (payee, account, amount): personal data, never to be printed.
    pulled: dict[str, Any]
    finance_roster: dict[str, Any]  # the roster as finance lists it
    line: dict[str, Any]  # the staff view of the line once reported
    roster: dict[str, Any]  # the staff view of the roster once reported


async def report_paid(cast: Cast, line: RosterLine, paid_at: dt.datetime) -> Payment:
    """The finance bureau pulls the county's submitted roster of the month (CONTRACTS.md §3), finds the household's
    line, pays it and posts the result; disbursement records it on the line and the roster. The bank transaction id
    is derived from the line, so a repeat is the same result (`unchanged`), never a conflict."""
    finance = cast.finance
    listed = await _all_items(finance, FINANCE_ROSTERS, period=line.period, region_code=line.county)
    [finance_roster] = [r for r in listed if r["roster_id"] == line.roster_id]
    pulled = await _all_items(finance, f"{FINANCE_ROSTERS}/{line.roster_id}/lines")
    [mine] = [p for p in pulled if p["line_id"] == line.line_id]
    txn = f"TXN-{line.line_id[-16:]}"
    result = {"line_id": line.line_id, "status": "paid", "paid_at": paid_at.isoformat(), "bank_txn_id": txn}
    applied = await _post(finance, f"{FINANCE_ROSTERS}/{line.roster_id}/payment-results", {"results": [result]})

    async def staff_line() -> dict[str, Any]:
        lines = await _all_items(
            cast.county_officer, f"{ROSTERS}/{line.roster_id}/lines", household_id=line.household_id
        )
        return lines[0] if lines else {}

    reported = await _wait(staff_line, lambda s: s.get("status") == "paid")
    roster = await _get(cast.county_officer, f"{ROSTERS}/{line.roster_id}")
    return Payment(
        roster_id=line.roster_id,
        line_id=line.line_id,
        bank_txn_id=txn,
        accepted=int(applied["accepted"]),
        unchanged=int(applied["unchanged"]),
        pulled=mine,
        finance_roster=finance_roster,
        line=reported,
        roster=roster,
    )


# --- the whole journey


@dataclass(frozen=True)
class Journey:
    family: Family
    cast: Cast
    standard: Standard
    feed: Feed
    application: Application
    verification: Verification
    investigation: dict[str, Any]
    publicity: Publicity
    confirmation: dict[str, Any]
    decision: Decision
    entitlement: Entitlement
    line: RosterLine
    payment: Payment


async def journey(
    system: WholeSystem,
    family: Family,
    cast: Cast,
    *,
    dibao_standard: str = "820.00",
    publicity_days: int = 5,
) -> Journey:
    """Every step in order, from the county's standard to the payment result."""
    standard, feed = await groundwork(
        system, cast, family, dibao_standard=dibao_standard, publicity_days=publicity_days
    )
    application = await apply(system, cast, family)
    return await from_application(system, cast, family, standard, feed, application)


async def groundwork(
    system: WholeSystem, cast: Cast, family: Family, *, dibao_standard: str, publicity_days: int
) -> tuple[Standard, Feed]:
    """What the county has before anyone applies: this year's standard, and a death register for matching to check
    the family against."""
    today = china_today()
    standard = await set_standard(
        cast,
        family.county,
        dibao_standard=dibao_standard,
        publicity_days=publicity_days,
        effective_from=today.replace(month=1, day=1),
    )
    return standard, await send_death_register(system, cast, family.county, today)


async def filed(system: WholeSystem, *, submit: bool = False) -> tuple[Family, Cast, dict[str, Any]]:
    """A family of a county of its own, the county's groundwork laid, and the application its village assistant filed
    through the API: a draft, or submitted when `submit`. The application as the API last answered."""
    family = new_family(system, new_county())
    cast = await cast_for(system, family)
    await groundwork(system, cast, family, dibao_standard="760.00", publicity_days=3)
    created = await cast.village_assistant.http.post(APPLICATIONS, json=family.application_body())
    assert created.status_code == 201, created.text
    application: dict[str, Any] = created.json()
    if submit:
        submitted = await cast.village_assistant.http.post(f"{APPLICATIONS}/{application['application_id']}/submit")
        assert submitted.status_code == 200, submitted.text
        application = submitted.json()
    return family, cast, application


async def from_application(
    system: WholeSystem, cast: Cast, family: Family, standard: Standard, feed: Feed, application: Application
) -> Journey:
    """The journey's steps after casework opened the case: verification to the payment result."""
    verification = await verify(cast, family, application)
    investigation = await investigate(cast, family, application.case_id, china_today())
    publicity = await publicise(cast, family, application.case_id)
    confirmation = await pass_publicity(system, cast, application.case_id)
    decision = await approve(cast, application)
    ent = await entitlement(cast, decision)
    line = await roster_line(cast, family.county, decision.effective_month, decision.household_id)
    payment = await report_paid(cast, line, dt.datetime.now(CHINA_TZ).replace(microsecond=0))
    return Journey(family, cast, standard, feed, application, verification, investigation, publicity, confirmation,
                   decision, ent, line, payment)  # fmt: skip


async def assert_applied_once(first: Journey) -> None:
    """Exactly one of everything the journey creates: application, case, household, entitlement, roster, roster line
    and payment, as the township, the county and the household's payment file show them."""
    family, cast = first.family, first.cast
    township, county = cast.township_officer, cast.county_officer
    applications = await township.http.get(
        APPLICATIONS, params={"region_code": family.village, "id_number": family.head.id_number}
    )
    assert applications.status_code == 200
    assert len(applications.json()["items"]) == 1
    cases = await township.http.get(CASES, params={"region_code": family.village})
    assert [c["case_id"] for c in cases.json()["items"]] == [first.application.case_id]
    households = await township.http.get("/api/v1/casework/households", params={"region_code": family.village})
    [household] = households.json()["items"]
    assert (household["household_id"], household["programs"], household["member_count"]) == (
        first.decision.household_id,
        ["dibao"],
        3,
    )
    registry = await township.http.get(f"/api/v1/casework/households/{first.decision.household_id}")
    assert [(x["program"], x["monthly_amount"]) for x in registry.json()["entitlements"]] == [
        ("dibao", first.decision.amount)
    ]
    rosters = await county.http.get(ROSTERS, params={"region_code": family.county, "period": first.line.period})
    assert [r["roster_id"] for r in rosters.json()["items"]] == [first.line.roster_id]
    lines = await county.http.get(f"{ROSTERS}/{first.line.roster_id}/lines")
    assert [(x["household_id"], x["status"]) for x in lines.json()["items"]] == [(first.decision.household_id, "paid")]
    file = await county.http.get(f"/api/v1/disbursement/households/{first.decision.household_id}")
    assert [p["line_id"] for p in file.json()["payments"]] == [first.line.line_id]
    roster = (await county.http.get(f"{ROSTERS}/{first.line.roster_id}")).json()
    assert (roster["status"], roster["paid_lines"], roster["paid_amount"]) == ("paid", 1, first.decision.amount)
