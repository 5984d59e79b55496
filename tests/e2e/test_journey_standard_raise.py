"""Issue 20: a standard raised (提标), and the next roster paying the new amounts with arrears, every service its own
process behind the gateway (DOMAIN.md §3.8; seed 004 二(四)).

1. A county pays dibao at a standard of 600.00: two families of three decided on their cases (600.00 × 3 less the
   900.00 a month of wages the investigation verified: 900.00 each), and a couple it paid before Jiuzhu, imported
   at 1,050.00. This month's roster is built, submitted and paid at those amounts.
2. The county officer sets the new standard, 700.00, in force from this month's first day (local figures API): this
   month was paid at the old one, so a month is owed.
3. The preview changes nothing (the households keep their amounts, a roster built now pays the old ones) and sums
   what the raise would change: three households, eight persons, 2,850.00 a month becoming 3,650.00. The imported
   couple has no case to read its income from, but dibao is 补差 (standard × members − income): its amount moves by
   the standard's difference per member, 1,050.00 becoming 1,250.00.
4. The county confirms; the batch ends `done`, and the same request again gives the same batch.
5. Next month's roster pays each family 1,200.00 (700.00 × 3 − 900.00) and 300.00 of arrears for this month, and the
   couple 1,250.00 and 200.00 of arrears. Finance reads the roster, pays it, and the roster ends paid.

Months are the real ones (the services run on the real clock); the county's figures make a decision pay from the
month it is made in (`benefit_start_offset_months` 0), so the families are on this month's roster.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.e2e.journey_recipients import (
    EVENT_TIMEOUT,
    FINANCE_ROSTERS,
    ROSTERS,
    County,
    account_no,
    decided_recipients,
    finance_lines,
    import_recipient,
    items,
    lock_and_submit,
    next_month,
    open_county,
    payment_file,
    period,
    person,
    published,
    report_all_paid,
    staff_lines,
    submitted_roster,
    this_month,
    wait_in_ledger,
)
from tests.e2e.system import WholeSystem
from tests.support.waiting import wait_until

pytestmark = pytest.mark.timeout(900)  # the whole system's start-up, and casework's worker ending the publicity

RAISES = "/api/v1/casework/standard-raises"
OLD, NEW = "600.00", "700.00"
# A family of three with 10,800.00 of wages in 12 months (journey_payment.new_family): 900.00 a month of income.
BEFORE, AFTER, OWED = "900.00", "1200.00", "300.00"
COUPLE, COUPLE_AFTER, COUPLE_OWED = "1050.00", "1250.00", "200.00"


async def household_amounts(county: County, household_id: str) -> list[tuple[str, str, str]]:
    """Casework's registry: the household's entitlements as (program, monthly amount, effective from)."""
    reply = await county.officer.http.get(f"/api/v1/casework/households/{household_id}")
    assert reply.status_code == 200, reply.text
    return [(e["program"], e["monthly_amount"], e["effective_from"]) for e in reply.json()["entitlements"]]


async def batch(county: County, batch_id: str) -> dict[str, Any]:
    reply = await county.officer.http.get(f"{RAISES}/{batch_id}")
    assert reply.status_code == 200, reply.text
    return dict(reply.json())


def by_household(lines: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    found = {line["household_id"]: line for line in lines}
    assert len(found) == len(lines), "a household has two lines"
    return found


def cents(amount: str) -> int:
    whole, _, fraction = amount.partition(".")
    return int(whole) * 100 + (-1 if whole.startswith("-") else 1) * int(fraction or 0)


async def test_a_raised_standard_is_paid_on_the_next_roster_with_arrears(
    whole_system: WholeSystem, engine: AsyncEngine
) -> None:
    month = this_month()
    following = next_month(month)
    county = await open_county(whole_system, {"dibao_standard": OLD, "benefit_start_offset_months": 0})
    finance = await whole_system.partner("finance", county.code)

    # --- 1. The county's recipients at the old standard, and this month's roster paid.
    head, wife = person(county, "1951-10-03", "815", "周德贵"), person(county, "1953-06-21", "826", "吴桂兰")
    couple = await import_recipient(
        county,
        [("head", head), ("spouse", wife)],
        [("dibao", COUPLE)],
        legacy_ref="DB-2020-0311",
        account=account_no(county, 1),
    )
    imported = couple["household_id"]
    decided = await decided_recipients(county, 2)
    families = [ent.household_id for _, ent in decided]
    for _, ent in decided:
        assert (ent.program, ent.amount, ent.first_period, ent.status) == ("dibao", BEFORE, period(month), "active")
    await wait_in_ledger(county, imported, {"dibao"})

    paid = await submitted_roster(county, month)
    assert (paid["line_count"], paid["total_amount"]) == (3, "2850.00")  # 900.00 × 2 + 1,050.00
    lines = by_household(await staff_lines(county, paid["roster_id"]))
    assert {h: items(line) for h, line in lines.items()} == {
        **{h: [("regular", BEFORE)] for h in families},
        imported: [("regular", COUPLE)],
    }
    assert await report_all_paid(finance, paid["roster_id"]) == {"accepted": 3, "unchanged": 0}
    reply = await county.officer.http.get(f"{ROSTERS}/{paid['roster_id']}")
    assert (reply.json()["status"], reply.json()["paid_amount"]) == ("paid", "2850.00")

    # --- 2. The new standard, in force from this month, which is paid already.
    figures = {"region_prefix": county.code, "effective_from": month.isoformat(), "figures": {"dibao_standard": NEW}}
    reply = await county.officer.http.post("/api/v1/casework/standards", json=figures)
    assert reply.status_code == 201, reply.text
    reply = await county.officer.http.get("/api/v1/casework/standards/in-force", params={"region_code": county.code})
    assert reply.status_code == 200, reply.text
    assert reply.json()["figures"]["dibao_standard"]["value"] == NEW

    # --- 3. The preview: the arithmetic of the households made, and nothing changed.
    raise_body = {"county_code": county.code, "effective_month": period(month)}
    reply = await county.officer.http.post(f"{RAISES}/preview", json=raise_body)
    assert reply.status_code == 200, reply.text
    preview = reply.json()
    total = {"count": 3, "monthly_before": "2850.00", "monthly_after": "3650.00", "difference": "800.00"}
    assert (preview["county_code"], preview["effective_month"]) == (county.code, period(month))
    assert (preview["entitlements"], preview["households"], preview["persons"]) == (3, 3, 8)
    assert (preview["total"], preview["by_program"], preview["by_township"]) == (
        total,
        {"dibao": total},
        {county.township_code: total},
    )
    # The couple: no case holds its income, yet its amount follows the standard (nothing left for a review by hand).
    assert preview["for_review"] == 0
    assert preview["marginal_newly_eligible"] == {"count": 0, "household_ids": []}
    for household in families:
        assert await household_amounts(county, household) == [("dibao", BEFORE, period(month))]
    # A roster built now pays the old amounts: nothing owed yet.
    reply = await county.officer.http.post(ROSTERS, json={"region_code": county.code, "period": period(following)})
    assert reply.status_code == 201, reply.text
    draft = reply.json()
    assert (draft["status"], draft["line_count"], draft["total_amount"]) == ("draft", 3, "2850.00")
    assert draft["totals_by_program"]["dibao"]["arrears"] == "0.00"
    assert {h: items(line) for h, line in by_household(await staff_lines(county, draft["roster_id"])).items()} == {
        **{h: [("regular", BEFORE)] for h in families},
        imported: [("regular", COUPLE)],
    }

    # --- 4. The county confirms: one batch, done, and the same request again gives it back.
    reply = await county.officer.http.post(RAISES, json=raise_body)
    assert reply.status_code in (200, 202), reply.text
    batch_id = reply.json()["batch_id"]
    done = await wait_until(lambda: batch(county, batch_id), lambda b: b["status"] == "done", timeout=EVENT_TIMEOUT)
    assert (done["county_code"], done["effective_month"]) == (county.code, period(month))
    assert (done["total"], done["done"], done["changed"]) == (3, 3, 3)
    assert done["finished_at"] is not None
    again = await county.officer.http.post(RAISES, json=raise_body)
    assert again.status_code == 200, again.text
    assert (again.json()["batch_id"], again.json()["status"], again.json()["changed"]) == (batch_id, "done", 3)
    for household in families:
        assert await household_amounts(county, household) == [("dibao", AFTER, period(month))]
    assert await household_amounts(county, imported) == [("dibao", COUPLE_AFTER, period(month))]

    # Casework's `entitlement-changed` reaches disbursement: the new amount from this month, looked at again.
    def raised(amount: str, file: dict[str, Any] | None) -> bool:
        return file is not None and any(
            s["first_period"] == period(month) and s["amount"] == amount for s in file["entitlements"][0]["schedule"]
        )

    for household, amount in [*((h, AFTER) for h in families), (imported, COUPLE_AFTER)]:
        file = await wait_until(
            partial(payment_file, county, household), partial(raised, amount), timeout=EVENT_TIMEOUT, every=0.5
        )
        assert file is not None
        assert file["entitlements"][0]["unsettled_from"] == period(month)

    # --- 5. Next month's roster: the new amounts, this month's difference as arrears; finance pays it.
    submitted = await lock_and_submit(county, draft["roster_id"])
    assert (submitted["roster_id"], submitted["period"]) == (draft["roster_id"], period(following))
    assert (submitted["line_count"], submitted["total_amount"]) == (3, "4450.00")  # 1,500.00 × 2 + 1,450.00
    assert submitted["totals_by_program"]["dibao"] == {
        "lines": 3,
        "regular": "3650.00",
        "arrears": "800.00",
        "one_off": "0.00",
        "recovery": "0.00",
        "total": "4450.00",
    }
    lines = by_household(await staff_lines(county, submitted["roster_id"]))
    for household in families:
        line = lines[household]
        assert (line["amount"], items(line)) == ("1500.00", [("regular", AFTER), ("arrears", OWED)])
        [arrears] = [i for i in line["items"] if i["kind"] == "arrears"]
        assert period(month) in arrears["note"]
    assert (lines[imported]["amount"], items(lines[imported])) == (
        "1450.00",
        [("regular", COUPLE_AFTER), ("arrears", COUPLE_OWED)],
    )
    for line in lines.values():
        assert sum(cents(amount) for _, amount in items(line)) == cents(line["amount"])

    listed = await finance.http.get(
        FINANCE_ROSTERS, params={"period": period(following), "region_code": county.code, "status": "submitted"}
    )
    assert listed.status_code == 200, listed.text
    [seen] = [r for r in listed.json()["items"] if r["roster_id"] == submitted["roster_id"]]
    assert (seen["line_count"], seen["total_amount"]) == (3, "4450.00")
    pulled = by_household(await finance_lines(finance, submitted["roster_id"]))
    assert {h: line["amount"] for h, line in pulled.items()} == {
        **dict.fromkeys(families, "1500.00"),
        imported: "1450.00",
    }
    assert await report_all_paid(finance, submitted["roster_id"]) == {"accepted": 3, "unchanged": 0}
    reply = await county.officer.http.get(f"{ROSTERS}/{submitted['roster_id']}")
    final = reply.json()
    assert (final["status"], final["paid_lines"], final["paid_amount"], final["failed_lines"]) == (
        "paid",
        3,
        "4450.00",
        0,
    )

    # Nothing twice: each family's entitlement changed once by its decision and once by the raise; the couple's once
    # by its import and once by the raise.
    for household in families:
        assert await published(engine, "casework", "entitlement-changed", household) == 2
        file = await payment_file(county, household)
        assert file is not None
        assert [(p["period"], p["amount"], p["status"]) for p in file["payments"]] == [
            (period(following), "1500.00", "paid"),
            (period(month), BEFORE, "paid"),
        ]
    assert await published(engine, "casework", "entitlement-changed", imported) == 2
