"""Issue 20: an emergency grant (急难型临时救助, seed 004 二(七)) from the township's first contact to finance's payment
result within three working days, every service its own process behind the gateway.

1. A fire leaves a man without a home in a village of the county; he is registered elsewhere (seed 004: 取消户籍地、
   居住地申请限制, 由急难发生地实施临时救助). The township officer grants 800.00 at once (小金额先行救助): within the
   county's ceiling, paid by the third working day after the discovery.
2. Nobody presses a button in disbursement: the grant reaches finance as a payment order of its own kind, beside the
   monthly rosters, with the payee's identity and account on its line and a CSV whose checksum is the order's.
3. Finance pays it and posts the result; casework learns of the payment, and the grant is paid within its clock.
4. The township explains the advance afterwards (事后补充说明情况) and the county confirms it.
5. Not an entitlement: no household was made, and the man's next emergency (another cause) is granted again; the
   same cause again in the year is refused.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

import pytest

from libs.contracts.calendar.work_calendar import WorkCalendar
from libs.contracts.clock import CHINA_TZ, china_today
from libs.demo_county.intake import fictional_id
from tests.e2e.journey_recipients import (
    EVENT_TIMEOUT,
    FINANCE_ROSTERS,
    Person,
    account_no,
    finance_lines,
    open_county,
    report_all_paid,
)
from tests.e2e.system import WholeSystem, new_county
from tests.support.waiting import wait_until

pytestmark = pytest.mark.timeout(600)

GRANTS = "/api/v1/casework/temporary-grants"


def _advance(village: str, id_number: str, name: str, account: str, cause: str) -> dict[str, Any]:
    return {
        "region_code": village,
        "person": {"id_number": id_number, "name": name},
        "family_size": 1,
        "cause": cause,
        "situation": "夜间失火，住房烧毁，衣物口粮无着",
        "amount": "800.00",
        "account": {"bank_code": "SXRCU", "account_no": account, "holder_name": name},
        "discovered_at": datetime.now(CHINA_TZ).replace(microsecond=0).isoformat(),
    }


async def test_an_emergency_grant_is_paid_within_three_working_days(whole_system: WholeSystem) -> None:
    county = await open_county(whole_system)
    finance = await whole_system.partner("finance", county.code)
    # Registered in another county: the grant is made where the fire was.
    man = Person(fictional_id("1970-03-12", "571", new_county()), "赵铁柱")
    whole_system.remember_personal_data([man.id_number])
    account = account_no(county, 1)
    today = china_today()
    pay_by = WorkCalendar.seeded().add_working_days(today, 3).date

    # --- 1. The township grants at first contact.
    granted = await county.township.http.post(
        GRANTS, json=_advance(county.village, man.id_number, man.name, account, "fire")
    )
    assert granted.status_code == 201, granted.text
    grant = granted.json()
    assert (grant["kind"], grant["amount"], grant["payment"], grant["review"]) == (
        "advance",
        "800.00",
        "issued",
        "explanation_due",
    )
    assert grant["pay_by"] == pay_by.isoformat()
    assert man.id_number not in granted.text
    assert account not in granted.text

    # --- 2. The payment order reaches finance by itself, beside the monthly rosters, of its own kind.
    async def orders() -> list[dict[str, Any]]:
        reply = await finance.http.get(FINANCE_ROSTERS, params={"region_code": county.code, "kind": "temporary"})
        assert reply.status_code == 200, reply.text
        return list(reply.json()["items"])

    [order] = await wait_until(orders, lambda found: len(found) == 1, timeout=EVENT_TIMEOUT, every=0.5)
    assert (order["kind"], order["status"], order["line_count"], order["total_amount"]) == (
        "temporary",
        "submitted",
        1,
        "800.00",
    )
    assert order["totals_by_program"] == {"temporary": "800.00"}
    [line] = await finance_lines(finance, order["roster_id"])
    assert (line["payee_name"], line["payee_id_number"], line["account_no"]) == (man.name, man.id_number, account)
    assert (line["program"], line["amount"]) == ("temporary", "800.00")
    csv = await finance.http.get(f"{FINANCE_ROSTERS}/{order['roster_id']}/lines.csv")
    assert csv.status_code == 200
    assert order["checksum"] == "sha256:" + hashlib.sha256(csv.content).hexdigest()
    assert man.id_number in csv.text
    # The county's monthly roster list is not where a payment order lives.
    monthly = await finance.http.get(FINANCE_ROSTERS, params={"region_code": county.code, "kind": "monthly"})
    assert monthly.json()["items"] == []

    # --- 3. Finance pays; casework learns of it, within the clock.
    assert await report_all_paid(finance, order["roster_id"]) == {"accepted": 1, "unchanged": 0}

    async def seen() -> dict[str, Any]:
        reply = await county.officer.http.get(f"{GRANTS}/{grant['grant_id']}")
        assert reply.status_code == 200, reply.text
        return dict(reply.json())

    paid = await wait_until(seen, lambda g: g["payment"] == "paid", timeout=EVENT_TIMEOUT, every=0.5)
    assert paid["overdue"] is False
    assert datetime.fromisoformat(paid["paid_at"]).astimezone(CHINA_TZ).date() <= pay_by
    overdue = await county.officer.http.get(f"{GRANTS}/overdue", params={"region_code": county.code})
    assert overdue.json()["items"] == []

    # --- 4. Explained afterwards, confirmed by the county.
    explained = await county.township.http.post(
        f"{GRANTS}/{grant['grant_id']}/explanation", json={"explanation": "经入户核实，火灾属实，已纳入后续救助"}
    )
    assert (explained.status_code, explained.json()["review"]) == (200, "to_confirm"), explained.text
    confirmed = await county.officer.http.post(f"{GRANTS}/{grant['grant_id']}/review", json={"decision": "confirm"})
    assert (confirmed.status_code, confirmed.json()["review"]) == (200, "confirmed"), confirmed.text

    # --- 5. One payment, not an entitlement: no household, and help again for another cause.
    households = await county.officer.http.get(
        "/api/v1/casework/households", params={"region_code": county.code, "name": man.name}
    )
    assert households.status_code == 200, households.text
    assert households.json()["items"] == []
    again = await county.township.http.post(
        GRANTS, json=_advance(county.village, man.id_number, man.name, account, "fire")
    )
    assert (again.status_code, again.json()["code"]) == (409, "same_cause_helped")
    other = await county.township.http.post(
        GRANTS, json=_advance(county.village, man.id_number, man.name, account, "serious_illness")
    )
    assert other.status_code == 201, other.text
    await wait_until(orders, lambda found: len(found) == 2, timeout=EVENT_TIMEOUT, every=0.5)
