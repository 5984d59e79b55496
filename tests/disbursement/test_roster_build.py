"""What a roster pays (DOMAIN.md §9, CONTRACTS.md §3): lines that add up to the fen, the funding letter, holds left
off, arrears (补发) for late and retroactive decisions, deductions for a retroactive reduction, one-off batches."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from libs.contracts.events.casework import EntitlementStatus
from libs.contracts.programs import Program
from libs.contracts.staff import StaffRole
from tests.disbursement.support import (
    FINANCE,
    Broker,
    DisbursementApi,
    Household,
    change,
    died,
    entitled,
    fresh_account,
    line_of,
    member,
    new_county,
    new_village,
    officer,
    paid,
    staff,
    township,
)

ONE_OFFS = "/api/v1/disbursement/one-off-batches"


def money(value: str) -> Decimal:
    return Decimal(value)


def by_kind(line: dict[str, Any]) -> dict[str, Decimal]:
    """A line's items summed per kind (CONTRACTS.md §3: regular, arrears, one_off, recovery)."""
    sums: dict[str, Decimal] = {}
    for item in line["items"]:
        sums[item["kind"]] = sums.get(item["kind"], Decimal(0)) + money(item["amount"])
    return sums


async def in_village(
    broker: Broker, village: str, *, amount: str, program: Program = Program.DIBAO, members: int = 1
) -> Household:
    """A household of a chosen village (entitled() draws a village of its own)."""
    household = Household(
        household_id=f"hh-{uuid.uuid4()}",
        region_code=village,
        members=tuple(member(relation="head" if i == 0 else "child") for i in range(members)),
        account_no=fresh_account(),
        entitlement_id=f"ent-{uuid.uuid4()}",
        program=program,
    )
    await change(broker, household, amount=amount)
    return household


async def also(broker: Broker, household: Household, program: Program, amount: str) -> Household:
    """A second entitlement (another program) of the same household."""
    other = replace(household, entitlement_id=f"ent-{uuid.uuid4()}", program=program)
    await change(broker, other, amount=amount)
    return other


async def paid_month(api: DisbursementApi, county: str, period: str) -> dict[str, Any]:
    """The county's roster for `period` built, locked, submitted and reported paid in full."""
    roster = await api.submitted(county, period)
    lines = await api.finance_lines(roster["roster_id"])
    reply = await api.report(roster["roster_id"], [paid(line) for line in lines])
    assert reply.status_code == 200, reply.text
    return roster


async def test_twenty_households_add_up_to_the_fen(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    dibao = [
        "333.33",
        "0.01",
        "1234.57",
        "99.99",
        "560.00",
        "777.77",
        "1.10",
        "412.36",
        "250.05",
        "999.99",
        "3.33",
        "1500.01",
        "66.67",
        "808.08",
    ]
    tekun = ["1111.11", "642.19", "0.99", "1033.34", "288.88", "13.13"]
    expected: dict[str, tuple[str, str]] = {}
    for i, amount in enumerate(dibao):
        h = await entitled(broker, county, amount=amount, members=1 + i % 4)
        expected[h.household_id] = ("dibao", amount)
    for i, amount in enumerate(tekun):
        h = await entitled(broker, county, amount=amount, members=1 + i % 2, program=Program.TEKUN_DISPERSED)
        expected[h.household_id] = ("tekun_dispersed", amount)

    roster = await api.build(county, "2026-12")
    lines = await api.staff_lines(roster)

    assert roster["line_count"] == len(lines) == 20
    assert {line["household_id"]: (line["program"], line["amount"]) for line in lines} == expected
    for line in lines:
        assert money(line["amount"]) == sum(money(i["amount"]) for i in line["items"])
    assert money(roster["total_amount"]) == sum(money(line["amount"]) for line in lines)
    assert roster["total_amount"] == "10136.90"
    for program, amounts in (("dibao", dibao), ("tekun_dispersed", tekun)):
        totals = roster["totals_by_program"][program]
        assert totals["lines"] == len(amounts)
        assert money(totals["total"]) == money(totals["regular"]) == sum(money(a) for a in amounts)
        assert (totals["arrears"], totals["one_off"], totals["recovery"]) == ("0.00", "0.00", "0.00")

    reply = await api.get(f"/api/v1/disbursement/rosters/{roster['roster_id']}/funding-letter", officer(county))
    assert reply.status_code == 200, reply.text
    letter = reply.json()
    assert letter["programs"] == roster["totals_by_program"]
    assert letter["total"]["total"] == roster["total_amount"]
    assert letter["total"]["lines"] == 20
    assert "本月发放 20 户次" in letter["text"]
    assert f"合计 {roster['total_amount']} 元" in letter["text"]
    for totals in roster["totals_by_program"].values():
        assert f" {totals['lines']} 户次 {totals['total']} 元" in letter["text"]
    assert f"最低生活保障 14 户次 {roster['totals_by_program']['dibao']['total']} 元" in letter["text"]
    assert "特困人员分散供养 6 户次" in letter["text"]
    assert letter["checksum"] is None  # a draft has no checksum yet

    # Finance, once submitted, sees the same totals.
    await api.act(roster, "lock")
    await api.act(roster, "submit")
    lines = await api.finance_lines(roster["roster_id"])
    assert money(roster["total_amount"]) == sum(money(line["amount"]) for line in lines)
    finance_view = (await api.get(f"/api/v1/finance/rosters/{roster['roster_id']}", FINANCE)).json()
    assert finance_view["totals_by_program"] == {p: t["total"] for p, t in roster["totals_by_program"].items()}


async def test_line_numbers_follow_village_then_household_then_program(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    north, south = sorted({new_village(county), new_village(county), new_village(county)})[:2]
    made = [
        await in_village(broker, south, amount="100.00"),
        await in_village(broker, north, amount="200.00"),
        await in_village(broker, south, amount="300.00", program=Program.TEKUN_DISPERSED),
        await in_village(broker, north, amount="400.00"),
    ]
    # One household paid by both programs: a line each, dibao before tekun.
    made.append(await also(broker, made[1], Program.TEKUN_DISPERSED, "50.00"))

    roster = await api.build(county, "2026-12")
    lines = await api.staff_lines(roster)

    assert [line["line_no"] for line in lines] == list(range(1, 6))
    keys = [(line["region_code"], line["household_id"], line["program"]) for line in lines]
    assert keys == sorted((h.region_code, h.household_id, h.program.value) for h in made)
    assert [line["region_code"] for line in lines] == [north, north, north, south, south]


async def test_held_entitlements_are_left_off_and_counted(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    free = await entitled(broker, county, amount="560.00")
    suspended = await entitled(broker, county, amount="610.00")
    dead = await entitled(broker, county, amount="620.00")
    no_account = await entitled(broker, county, amount="630.00", with_account=False)
    both = await entitled(broker, county, amount="640.00")
    await also(broker, both, Program.TEKUN_DISPERSED, "700.00")
    for body in (
        {"household_id": suspended.household_id, "reason": "核查收入 checking income"},
        {"household_id": both.household_id, "program": "tekun_dispersed", "reason": "核查 tekun only"},
    ):
        reply = await api.post("/api/v1/disbursement/holds", officer(county), body)
        assert reply.status_code == 201, reply.text
    await died(broker, dead.head, date(2026, 10, 3), dead)

    roster = await api.build(county, "2026-12")
    lines = await api.staff_lines(roster)

    assert {(line["household_id"], line["program"]) for line in lines} == {
        (free.household_id, "dibao"),
        (both.household_id, "dibao"),
    }
    assert roster["held"] == {"suspension": 2, "death": 1, "account": 1}
    assert no_account.household_id not in {line["household_id"] for line in lines}
    assert roster["total_amount"] == "1200.00"


async def test_nothing_due_means_no_line(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    paying = await entitled(broker, county, amount="333.33")
    await entitled(broker, county, amount="0.00")
    await entitled(broker, county, amount="450.00", effective_from="2027-01")
    await entitled(broker, county, amount="450.00", effective_from="2026-09", effective_to="2026-11")
    stopped = await entitled(broker, county, amount="480.00")
    await change(broker, stopped, amount="0.00", status=EntitlementStatus.STOPPED, effective_from="2026-12")

    roster = await api.build(county, "2026-12")
    lines = await api.staff_lines(roster)

    assert [line["household_id"] for line in lines] == [paying.household_id]
    assert roster["line_count"] == 1
    assert roster["total_amount"] == "333.33"
    assert all(money(line["amount"]) > 0 for line in lines)


async def test_a_late_approval_is_paid_as_arrears_on_the_next_roster(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    early = await entitled(broker, county, amount="560.00")
    await paid_month(api, county, "2026-12")
    # Approved for December after December's roster was locked.
    late = await entitled(broker, county, amount="512.34", effective_from="2026-12")

    api.clock.set_day(date(2027, 1, 2))
    roster = await api.build(county, "2027-01")
    lines = await api.staff_lines(roster)

    line = line_of(lines, late)
    assert [(i["kind"], i["amount"]) for i in line["items"]] == [("regular", "512.34"), ("arrears", "512.34")]
    assert "2026-12" in line["items"][1]["note"]
    assert line["amount"] == "1024.68"
    assert by_kind(line_of(lines, early)) == {"regular": Decimal("560.00")}
    assert roster["totals_by_program"]["dibao"]["arrears"] == "512.34"
    assert roster["total_amount"] == "1584.68"

    # Settled once locked: February pays the month only.
    await api.act(roster, "lock")
    assert (await api.household(late))["entitlements"][0]["unsettled_from"] is None
    await api.act(roster, "submit")
    api.clock.set_day(date(2027, 2, 2))
    february = await api.staff_lines(await api.build(county, "2027-02"))
    assert by_kind(line_of(february, late)) == {"regular": Decimal("512.34")}


async def test_arrears_never_reach_before_the_first_roster(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    # Decided from September, before this county's first roster in the system (December).
    backdated = await entitled(broker, county, amount="400.00", effective_from="2026-09")
    december = await api.staff_lines(await api.build(county, "2026-12"))
    assert by_kind(line_of(december, backdated)) == {"regular": Decimal("400.00")}
    roster = (await api.get("/api/v1/disbursement/rosters", officer(county))).json()["items"][0]
    await api.act(roster, "lock")
    await api.act(roster, "submit")

    # Approved after December was locked, from October: only December is owed as arrears.
    later = await entitled(broker, county, amount="300.00", effective_from="2026-10")
    api.clock.set_day(date(2027, 1, 2))
    january = await api.staff_lines(await api.build(county, "2027-01"))
    line = line_of(january, later)
    assert [(i["kind"], i["amount"]) for i in line["items"]] == [("regular", "300.00"), ("arrears", "300.00")]
    assert "2026-12" in line["items"][1]["note"]
    assert by_kind(line_of(january, backdated)) == {"regular": Decimal("400.00")}


async def test_a_retroactive_raise_pays_only_the_difference(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    household = await entitled(broker, county, amount="500.00")
    await paid_month(api, county, "2026-12")
    api.clock.set_day(date(2026, 12, 20))
    await change(broker, household, amount="650.55", effective_from="2026-12")

    api.clock.set_day(date(2027, 1, 2))
    roster = await api.build(county, "2027-01")
    line = line_of(await api.staff_lines(roster), household)
    assert [(i["kind"], i["amount"]) for i in line["items"]] == [("regular", "650.55"), ("arrears", "150.55")]
    assert line["amount"] == "801.10"
    assert (await api.household(household))["recoveries"] == []


async def test_a_retroactive_reduction_of_a_paid_month_becomes_a_recovery(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    household = await entitled(broker, county, amount="600.00")
    await paid_month(api, county, "2026-12")
    api.clock.set_day(date(2026, 12, 20))
    await change(broker, household, amount="450.00", effective_from="2026-12")

    recoveries = (await api.household(household))["recoveries"]
    assert [(r["reason"], r["months"], r["amount"], r["status"]) for r in recoveries] == [
        ("other", ["2026-12"], "150.00", "open")
    ]
    # January pays the lower amount, no arrears, less the 150.00 (within half of the line).
    api.clock.set_day(date(2027, 1, 2))
    roster = await api.build(county, "2027-01")
    line = line_of(await api.staff_lines(roster), household)
    assert by_kind(line) == {"regular": Decimal("450.00"), "recovery": Decimal("-150.00")}
    assert line["amount"] == "300.00"
    # The funding letter's figures of the program: the deduction counted once, under its kind.
    totals = roster["totals_by_program"]["dibao"]
    assert (totals["regular"], totals["arrears"], totals["recovery"], totals["total"]) == (
        "450.00",
        "0.00",
        "-150.00",
        "300.00",
    )


async def create_batch(api: DisbursementApi, county: str, **body: Any) -> dict[str, Any]:
    payload = {
        "name": f"价格临时补贴 {uuid.uuid4().hex[:6]}",
        "program": "dibao",
        "region_prefix": county,
        "period": "2026-12",
        "basis": "per_household",
        "amount": "100.00",
        **body,
    }
    reply = await api.post(ONE_OFFS, officer(county), payload)
    assert reply.status_code == 201, reply.text
    return dict(reply.json())


async def test_one_off_batches_per_household_and_per_member(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    single = await entitled(broker, county, amount="500.00", members=1)
    family = await entitled(broker, county, amount="900.00", members=3)
    tekun = await entitled(broker, county, amount="800.00", members=2, program=Program.TEKUN_DISPERSED)
    flat = await create_batch(api, county, amount="100.00")
    per_head = await create_batch(api, county, program="tekun_dispersed", basis="per_member", amount="33.33")
    # Only the family's village, per member.
    village = await create_batch(api, county, region_prefix=family.region_code, basis="per_member", amount="10.00")

    roster = await api.build(county, "2026-12")
    lines = await api.staff_lines(roster)

    def one_offs(h: Household) -> list[tuple[str, str]]:
        return sorted((i["note"], i["amount"]) for i in line_of(lines, h)["items"] if i["kind"] == "one_off")

    assert one_offs(single) == [(flat["name"], "100.00")]
    assert one_offs(family) == sorted([(flat["name"], "100.00"), (village["name"], "30.00")])
    assert one_offs(tekun) == [(per_head["name"], "66.66")]
    assert line_of(lines, family)["amount"] == "1030.00"
    assert roster["totals_by_program"]["dibao"]["one_off"] == "230.00"
    assert roster["totals_by_program"]["tekun_dispersed"]["one_off"] == "66.66"
    assert roster["total_amount"] == "2496.66"


async def test_one_offs_go_only_to_entitlements_paying_that_month(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    paying = await entitled(broker, county, amount="500.00")
    starts_later = await entitled(broker, county, amount="500.00", effective_from="2027-01")
    stopped = await entitled(broker, county, amount="500.00")
    await change(broker, stopped, amount="0.00", status=EntitlementStatus.STOPPED, effective_from="2026-12")
    batch = await create_batch(api, county, amount="120.00")

    december = await api.staff_lines(await api.build(county, "2026-12"))
    assert [line["household_id"] for line in december] == [paying.household_id]
    assert by_kind(december[0]) == {"regular": Decimal("500.00"), "one_off": Decimal("120.00")}
    roster = (await api.get("/api/v1/disbursement/rosters", officer(county))).json()["items"][0]
    await api.act(roster, "lock")
    await api.act(roster, "submit")

    # January: the household starting then does not get December's batch; no one gets it again.
    api.clock.set_day(date(2027, 1, 2))
    january = await api.staff_lines(await api.build(county, "2027-01"))
    assert {line["household_id"]: by_kind(line) for line in january} == {
        paying.household_id: {"regular": Decimal("500.00")},
        starts_later.household_id: {"regular": Decimal("500.00")},
    }
    assert batch["period"] == "2026-12"


async def test_a_batch_after_the_lock_is_paid_once_on_the_next_roster(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    household = await entitled(broker, county, amount="500.00", members=2)
    await paid_month(api, county, "2026-12")
    api.clock.set_day(date(2026, 12, 15))
    batch = await create_batch(api, county, basis="per_member", amount="75.50")

    api.clock.set_day(date(2027, 1, 2))
    january = await api.build(county, "2027-01")
    line = line_of(await api.staff_lines(january), household)
    assert [(i["kind"], i["amount"]) for i in line["items"]] == [("regular", "500.00"), ("one_off", "151.00")]
    assert line["items"][1]["note"] == batch["name"]
    assert january["totals_by_program"]["dibao"]["one_off"] == "151.00"
    await paid_month_of(api, january)

    api.clock.set_day(date(2027, 2, 2))
    february = line_of(await api.staff_lines(await api.build(county, "2027-02")), household)
    assert by_kind(february) == {"regular": Decimal("500.00")}


async def paid_month_of(api: DisbursementApi, roster: dict[str, Any]) -> None:
    await api.act(roster, "lock")
    await api.act(roster, "submit")
    lines = await api.finance_lines(roster["roster_id"])
    assert (await api.report(roster["roster_id"], [paid(line) for line in lines])).status_code == 200


async def test_one_off_batch_refused_for_zero_or_outside_jurisdiction(api: DisbursementApi, broker: Broker) -> None:
    county, other = new_county(), new_county()
    await entitled(broker, county, amount="500.00")
    name = f"补贴 {uuid.uuid4().hex[:6]}"
    body = {"name": name, "program": "dibao", "region_prefix": county, "period": "2026-12", "basis": "per_household"}

    zero = await api.post(ONE_OFFS, officer(county), {**body, "amount": "0.00"})
    assert zero.status_code == 422, zero.text
    assert zero.json()["code"] == "invalid_amount"
    outside = await api.post(ONE_OFFS, officer(other), {**body, "amount": "100.00"})
    assert outside.status_code == 403, outside.text
    by_township = await api.post(ONE_OFFS, township(new_village(county)), {**body, "amount": "100.00"})
    assert by_township.status_code == 403, by_township.text
    by_city_elsewhere = await api.post(ONE_OFFS, staff(StaffRole.city_supervisor, "6699"), {**body, "amount": "1.00"})
    assert by_city_elsewhere.status_code == 403, by_city_elsewhere.text

    listed = (await api.get(ONE_OFFS, officer(county))).json()
    assert [b for b in listed if b["name"] == name] == []
    roster = await api.build(county, "2026-12")
    assert roster["totals_by_program"]["dibao"]["one_off"] == "0.00"
