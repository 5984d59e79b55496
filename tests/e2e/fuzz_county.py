"""A fresh county to fuzz the staff APIs in (tests/e2e/test_fuzz_staff.py): its staff, partner clients, people, and one
thing of each kind an `{id}` route can name, created through the gateway as staff would, so generated requests can
be steered at things that exist and get past the jurisdiction checks into the services' own handling.

The accounts the fuzzing may act on are fresh and its own: a `target` user and client for the administrators'
operations (deactivate, reset, unlock, revoke), and a `changer` user whose token serves `POST /api/v1/auth/password`
(wrong current passwords lock that account, never one a test signs in with).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from libs.contracts.clock import china_today
from libs.demo_county.casework import FIGURES
from libs.demo_county.intake import fictional_id
from tests.e2e.journey_payment import case_of, new_family
from tests.e2e.journey_recipients import (
    EVENT_TIMEOUT,
    County,
    account_no,
    import_recipient,
    open_county,
    period,
    person,
    this_month,
    wait_in_ledger,
)
from tests.e2e.system import Actor, WholeSystem
from tests.support.accounts import unique_name
from tests.support.waiting import wait_until

PARTNER_SCOPES = ("hotline", "finance", "province")


def token_of(actor: Actor) -> str:
    return str(actor.http.headers["authorization"]).removeprefix("Bearer ")


@dataclass
class FuzzCounty:
    county: County
    admin: Actor  # system_admin whose jurisdiction is the county's province
    changer: Actor  # a fresh user whose token changes (or fails to change) its own password
    partners: dict[str, Actor]  # scope → client of the county
    people: list[str]  # valid identity numbers of the county's people
    # Path parameters (and body fields) naming things of the county that exist: an application, its case, a household
    # with a payment file, a lead, a complaint, a roster, a hold, a close-relative filing, a work order, the target
    # user and client of the administrators' operations.
    known: dict[str, str] = field(default_factory=dict)
    # Bodies that were accepted, by (method, path): the huge strings are put into them one at a time.
    bodies: dict[tuple[str, str], Any] = field(default_factory=dict)

    async def created(self, actor: Actor, path: str, body: Any, key: str) -> str:
        """POST `body` to `path` (a template-free path), which must accept it; the new thing's `key`."""
        reply = await actor.http.post(path, json=body)
        assert reply.status_code in (200, 201), f"{path}: {reply.status_code} {reply.text[:500]}"
        self.bodies[("POST", path)] = body
        return str(reply.json()[key])

    @property
    def code(self) -> str:
        return self.county.code

    @property
    def regions(self) -> list[str]:
        village = self.county.village
        return [self.code, village[:9], village]

    @property
    def officer(self) -> Actor:
        return self.county.officer


async def _account(fuzz: FuzzCounty, role: str, region: str) -> tuple[str, str]:
    """A new user created by the administrator: (user id, username)."""
    username, password = unique_name("fuzz-" + role.replace("_", "-")), f"pw-{uuid.uuid4().hex}"
    body = {"username": username, "password": password, "display_name": "模糊测试 账户", "roles": [role],
            "region_code": region}  # fmt: skip
    return await fuzz.created(fuzz.admin, "/api/v1/admin/users", body, "user_id"), username


async def _application_and_case(system: WholeSystem, fuzz: FuzzCounty) -> None:
    officer = fuzz.officer
    family = new_family(system, fuzz.code)
    application_id = await fuzz.created(officer, "/api/v1/intake/applications", family.application_body(),
                                        "application_id")  # fmt: skip
    path = f"/api/v1/intake/applications/{application_id}"
    for action in ("submit", "accept"):
        reply = await officer.http.post(f"{path}/{action}")
        assert reply.status_code == 200, reply.text
    case = await wait_until(
        lambda: case_of(officer, family.village, application_id), lambda c: c is not None, timeout=EVENT_TIMEOUT
    )
    assert case is not None
    fuzz.known |= {"application_id": application_id, "case_id": str(case["case_id"])}
    fuzz.people += [m.id_number for m in family.members]


async def _household(fuzz: FuzzCounty) -> None:
    county = fuzz.county
    head = person(county, "1961-03-08", "031", "赵秀英")
    spouse = person(county, "1959-12-20", "051", "钱永福")
    imported = await import_recipient(county, [("head", head), ("spouse", spouse)], [("dibao", "520.00")],
                                      legacy_ref=unique_name("FZ"), account=account_no(county, 1))  # fmt: skip
    household_id = str(imported["household_id"])
    await wait_in_ledger(county, household_id, {"dibao"})
    fuzz.known["household_id"] = household_id
    fuzz.people += [head.id_number, spouse.id_number]


async def _county_things(fuzz: FuzzCounty) -> None:
    officer, village, people = fuzz.officer, fuzz.county.village, fuzz.people
    lead = {"region_code": village, "person": {"name": "孙桂芳", "id_number": people[0]}, "kind": "income_drop",
            "detail": "入户走访发现收入下降"}  # fmt: skip
    complaint = {"channel": "letter", "category": "complaint", "title": "反映低保评议问题",
                 "content": "来信反映村里低保评议不公开。", "region_code": village,
                 "caller": {"anonymous": True}}  # fmt: skip
    filing = {"staff_name": "周建国", "staff_unit": "县民政局", "staff_region": fuzz.code,
              "relative": {"id_number": people[1], "name": "周秀兰"}, "relation": "sibling"}  # fmt: skip
    hold = {"household_id": fuzz.known["household_id"], "reason": "核查死亡信息"}
    roster = {"region_code": fuzz.code, "period": period(this_month())}
    fuzz.known |= {
        "lead_id": await fuzz.created(officer, "/api/v1/intake/leads", lead, "lead_id"),
        "complaint_id": await fuzz.created(officer, "/api/v1/complaints", complaint, "complaint_id"),
        "filing_id": await fuzz.created(officer, "/api/v1/casework/close-relatives", filing, "filing_id"),
        "hold_id": await fuzz.created(officer, "/api/v1/disbursement/holds", hold, "hold_id"),
        "roster_id": await fuzz.created(officer, "/api/v1/disbursement/rosters", roster, "roster_id"),
        "village_code": village,
        "period": period(this_month()),
    }


async def _work_order(fuzz: FuzzCounty) -> None:
    number = f"FZ{uuid.uuid4().hex[:12].upper()}"
    order = {"work_order_no": number, "received_at": "2026-11-23T09:15:00+08:00", "channel": "phone",
             "category": "consultation", "title": "咨询低保申请条件", "content": "来电人咨询低保申请需要哪些材料。",
             "region_code": fuzz.county.village, "caller": {"name": "来电人", "anonymous": True},
             "due_at": "2026-11-30T18:00:00+08:00", "raw": {}}  # fmt: skip
    await fuzz.created(fuzz.partners["hotline"], "/api/v1/hotline/work-orders", order, "work_order_no")
    fuzz.known["work_order_no"] = number


async def fuzz_county(system: WholeSystem) -> FuzzCounty:
    """The county, its accounts, and something of each kind in it (waits for the events that make a case and a
    payment file)."""
    county = await open_county(system)
    admin = await system.staff("system_admin", county.code[:2], "省民政厅 系统管理员")
    partners = {scope: await system.partner(scope, county.code) for scope in PARTNER_SCOPES}
    people = [fictional_id(born, "071", county.code) for born in ("1950-01-01", "1988-06-30")]
    system.remember_personal_data(people)
    changer = await system.staff("township_officer", county.village[:9], "模糊测试 改密码")
    fuzz = FuzzCounty(county, admin, changer, partners, people)
    # What open_county entered: the county's standards.
    standards = {"region_prefix": county.code, "effective_from": f"{china_today().year - 1}-01-01", "figures": FIGURES}
    fuzz.bodies[("POST", "/api/v1/casework/standards")] = standards
    user_id, username = await _account(fuzz, "township_officer", county.village[:9])
    client_id = await fuzz.created(admin, "/api/v1/admin/clients",
                                   {"name": unique_name("fuzz"), "scopes": ["finance"], "region_code": county.code},
                                   "client_id")  # fmt: skip
    fuzz.known |= {"user_id": user_id, "username": username, "client_id": client_id}
    rules = await admin.http.get("/api/v1/matching/rules")
    assert rules.status_code == 200, rules.text
    if rules.json():  # named only by the bodies sent to be refused: the fuzzing leaves the system's rules alone
        fuzz.known["rule_id"] = str(rules.json()[0]["id"])
    await _household(fuzz)
    await _application_and_case(system, fuzz)
    await _county_things(fuzz)
    await _work_order(fuzz)
    return fuzz
