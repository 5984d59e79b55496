"""Paid by the 10th (seed 001 三(四): "确保 10 日前发放到位"; issue 20): each line keeps the time finance reported it
paid, and counties and their city list the rosters and lines not paid by the county's deadline (the 10th, or the day the
region set), next to the counties late on submission."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from libs.contracts.staff import StaffRole
from libs.kernel.auth import Principal
from services.disbursement.deadlines.models import DeadlineFigure
from services.disbursement.rosters.models import RosterLine
from tests.disbursement.support import Broker, DisbursementApi, Household, entitled, new_county, officer, staff

BASE = "/api/v1/disbursement"
UNPAID = f"{BASE}/rosters/unpaid-by-deadline"
FIGURES = f"{BASE}/deadline-figures"

# Finance's times: the deadline day is reckoned in China (UTC+8).
ON_THE_9TH = "2026-12-09T02:00:00Z"
LATE_ON_THE_10TH = "2026-12-10T15:30:00Z"  # 23:30 on the 10th in China: still on time
JUST_AFTER = "2026-12-10T16:30:00Z"  # 00:30 on the 11th in China: late


def _paid(line: dict[str, Any], at: str) -> dict[str, Any]:
    return {"line_id": line["line_id"], "status": "paid", "paid_at": at, "bank_txn_id": f"T{line['line_id']}"}


def _city(county: str) -> Principal:
    return staff(StaffRole.city_supervisor, county[:4])


async def _county_with_roster(
    api: DisbursementApi, broker: Broker, amounts: tuple[str, ...]
) -> tuple[str, dict[str, Any], list[dict[str, Any]]]:
    """A county whose December roster is submitted on the 3rd: the roster and its finance lines in `amounts`' order."""
    county = new_county()
    households: list[Household] = [await entitled(broker, county, amount=a) for a in amounts]
    api.clock.set_day(date(2026, 12, 3))
    roster = await api.submitted(county, "2026-12")
    by_household = {line["household_id"]: line for line in await api.finance_lines(roster["roster_id"])}
    return county, roster, [by_household[h.household_id] for h in households]


async def _unpaid(api: DisbursementApi, who: Principal, region_code: str | None = None) -> list[dict[str, Any]]:
    params = {"period": "2026-12", **({"region_code": region_code} if region_code else {})}
    reply = await api.get(UNPAID, who, params)
    assert reply.status_code == 200, reply.text
    return list(reply.json())


async def _late_lines(api: DisbursementApi, roster_id: str, who: Principal, **params: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        page = {"limit": 1, **params, **({"cursor": cursor} if cursor else {})}
        reply = await api.get(f"{BASE}/rosters/{roster_id}/late-lines", who, page)
        assert reply.status_code == 200, reply.text
        items += reply.json()["items"]
        cursor = reply.json()["next_cursor"]
        if cursor is None:
            return items


async def _report(api: DisbursementApi, roster_id: str, results: list[dict[str, Any]]) -> None:
    reply = await api.report(roster_id, results)
    assert reply.status_code == 200, reply.text


async def test_a_line_paid_after_the_tenth_or_pending_after_it_is_late(api: DisbursementApi, broker: Broker) -> None:
    county, roster, (ninth, tenth, eleventh, pending) = await _county_with_roster(
        api, broker, ("100.00", "200.00", "300.00", "400.00")
    )
    await _report(api, roster["roster_id"], [_paid(ninth, ON_THE_9TH), _paid(tenth, LATE_ON_THE_10TH)])
    api.clock.set_day(date(2026, 12, 10))
    # The deadline day itself: nothing is late yet, the pending line included.
    assert await _unpaid(api, officer(county), county) == []

    await _report(api, roster["roster_id"], [_paid(eleventh, JUST_AFTER)])
    api.clock.set_day(date(2026, 12, 12))
    async with api.db.sessions() as s:  # the time finance reported, kept on the line
        paid_at = await s.scalar(select(RosterLine.paid_at).where(RosterLine.line_id == eleventh["line_id"]))
    assert paid_at is not None
    assert paid_at.isoformat() == "2026-12-10T16:30:00+00:00"

    [row] = await _unpaid(api, officer(county), county)
    assert row["roster_id"] == roster["roster_id"]
    assert (row["paid_by"], row["line_count"], row["total_amount"]) == ("2026-12-10", 4, "1000.00")
    assert (row["late_lines"], row["late_amount"]) == (2, "700.00")
    assert (row["pending_lines"], row["pending_amount"], row["paid_late_lines"], row["paid_late_amount"]) == (
        1,
        "400.00",
        1,
        "300.00",
    )

    lines = await _late_lines(api, roster["roster_id"], officer(county))
    assert {(x["line_id"], x["lateness"], x["days_late"]) for x in lines} == {
        (eleventh["line_id"], "paid_late", 1),
        (pending["line_id"], "pending", 2),
    }
    assert [x["line_no"] for x in lines] == sorted(x["line_no"] for x in lines)
    for x in lines:  # masked, as every staff line: no account number, no full name
        assert x["account_no_masked"] != eleventh["account_no"]
        assert "*" in x["account_no_masked"]
        assert "account_no" not in x
        assert "payee_id_number" not in x
        assert x["paid_by"] == "2026-12-10"
    assert [x["line_id"] for x in await _late_lines(api, roster["roster_id"], officer(county), lateness="pending")] == [
        pending["line_id"]
    ]


async def test_the_regions_own_day_moves_the_deadline(api: DisbursementApi, broker: Broker) -> None:
    county, roster, (ninth,) = await _county_with_roster(api, broker, ("100.00",))
    await _report(api, roster["roster_id"], [_paid(ninth, ON_THE_9TH)])
    api.clock.set_day(date(2026, 12, 12))
    assert await _unpaid(api, officer(county), county) == []

    body = {"region_prefix": county, "effective_from": "2026-12", "paid_by_day": 8}
    reply = await api.post(FIGURES, officer(county), body)
    assert reply.status_code == 201, reply.text
    assert (reply.json()["region_prefix"], reply.json()["effective_from"], reply.json()["paid_by_day"]) == (
        county,
        "2026-12",
        8,
    )
    in_force = await api.get(f"{FIGURES}/in-force", officer(county), {"region_code": county, "period": "2026-12"})
    assert in_force.status_code == 200, in_force.text
    assert in_force.json()["paid_by"] == "2026-12-08"

    [row] = await _unpaid(api, officer(county), county)
    assert (row["paid_by"], row["paid_late_lines"], row["paid_late_amount"]) == ("2026-12-08", 1, "100.00")
    [line] = await _late_lines(api, roster["roster_id"], officer(county))
    assert (line["lateness"], line["days_late"]) == ("paid_late", 1)

    # The city sets the county's day from a later month; November is still the national 10th.
    later = {**body, "effective_from": "2027-01", "paid_by_day": 12}
    assert (await api.post(FIGURES, _city(county), later)).status_code == 201
    listed = await api.get(FIGURES, _city(county), {"region_code": county})
    assert listed.status_code == 200, listed.text
    assert [(f["region_prefix"], f["effective_from"], f["paid_by_day"]) for f in listed.json()] == [
        ("", "2000-01", 10),
        (county, "2026-12", 8),
        (county, "2027-01", 12),
    ]
    november = await api.get(f"{FIGURES}/in-force", officer(county), {"region_code": county, "period": "2026-11"})
    assert november.json()["paid_by"] == "2026-11-10"


async def _figure_rows(api: DisbursementApi, county: str) -> int:
    async with api.db.sessions() as s:
        return int(await s.scalar(select(func.count()).where(DeadlineFigure.region_prefix == county)) or 0)


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"effective_from": "2026-11"}, 422, "figures_in_past"),
        ({"paid_by_day": 3}, 422, "paid_by_before_due"),
        ({"paid_by_day": 29}, 422, "validation_failed"),
        ({"paid_by_day": 0}, 422, "validation_failed"),
        ({"effective_from": "2100-01"}, 422, None),
        ({"effective_from": "2026-13"}, 422, None),
        ({"region_prefix": ""}, 422, "validation_failed"),
        ({"region_prefix": "123456789"}, 422, "validation_failed"),
        ({"extra": 1}, 422, "validation_failed"),
    ],
)
async def test_bad_figures_are_refused_and_change_nothing(
    api: DisbursementApi, change: dict[str, Any], status: int, code: str | None
) -> None:
    county = new_county()
    body = {"region_prefix": county, "effective_from": "2026-12", "paid_by_day": 10, **change}
    reply = await api.post(FIGURES, officer(county), body)
    assert reply.status_code == status, reply.text
    if code is not None:
        assert reply.json()["code"] == code
    assert await _figure_rows(api, county) == 0


async def test_figures_are_set_only_within_the_writers_region(api: DisbursementApi) -> None:
    county = new_county()
    body = {"region_prefix": county, "effective_from": "2026-12", "paid_by_day": 9}
    outsiders = (
        officer(new_county()),
        staff(StaffRole.township_officer, f"{county}001"),  # townships do not set the county's figures
        staff(StaffRole.city_supervisor, "6699"),
    )
    for outsider in outsiders:
        reply = await api.post(FIGURES, outsider, body)
        assert reply.status_code == 403, reply.text
    assert await _figure_rows(api, county) == 0
    assert (await api.post(FIGURES, officer(county), body)).status_code == 201
    again = await api.post(FIGURES, officer(county), {**body, "paid_by_day": 11})
    assert (again.status_code, again.json()["code"]) == (409, "deadline_figures_exist")
    assert await _figure_rows(api, county) == 1


async def test_another_county_sees_nothing_and_the_city_sees_its_counties(api: DisbursementApi, broker: Broker) -> None:
    county, roster, _ = await _county_with_roster(api, broker, ("100.00",))
    api.clock.set_day(date(2026, 12, 11))
    other = officer(new_county())
    mine = officer(county)
    assert [r["roster_id"] for r in await _unpaid(api, mine)] == [roster["roster_id"]]
    assert roster["roster_id"] not in [r["roster_id"] for r in await _unpaid(api, other)]
    assert (await api.get(UNPAID, other, {"period": "2026-12", "region_code": county})).status_code == 403
    hidden = await api.get(f"{BASE}/rosters/{roster['roster_id']}/late-lines", other)
    assert (hidden.status_code, hidden.json()["code"]) == (404, "roster_not_found")

    city = _city(county)
    assert roster["roster_id"] in [r["roster_id"] for r in await _unpaid(api, city)]
    [row] = await _unpaid(api, city, county)
    assert (row["region_code"], row["pending_lines"]) == (county, 1)
    assert len(await _late_lines(api, roster["roster_id"], city)) == 1

    # The city also sees which of its counties submitted late: here one with entitlements and no roster at all.
    late = new_county()
    await entitled(broker, late, amount="100.00")
    seen = await api.get(f"{BASE}/rosters/late", _city(late), {"period": "2026-12"})
    assert seen.status_code == 200, seen.text
    assert late in [r["region_code"] for r in seen.json()]
    elsewhere = staff(StaffRole.city_supervisor, "6699")
    outside = await api.get(f"{BASE}/rosters/late", elsewhere, {"period": "2026-12", "region_code": late})
    assert outside.status_code == 403, outside.text
    assert (await api.get(UNPAID, elsewhere, {"period": "2026-12", "region_code": county})).status_code == 403


@pytest.mark.parametrize("period", ["2026-13", "26-12", "2026-12-01", "", "1899-12", "2100-01", "2027-01"])
async def test_a_bad_or_future_period_is_a_422(api: DisbursementApi, period: str) -> None:
    county = new_county()
    reply = await api.get(UNPAID, officer(county), {"period": period})
    assert reply.status_code == 422, reply.text
    if period == "2027-01":  # well formed, but December 2026 is this month
        assert reply.json()["code"] == "period_not_begun"
        assert reply.json()["errors"][0]["loc"] == ["query", "period"]


async def test_the_lists_check_their_other_inputs(api: DisbursementApi) -> None:
    county = new_county()
    assert (await api.get(UNPAID, officer(county))).status_code == 422  # the month is required
    bad_region = await api.get(UNPAID, officer(county), {"period": "2026-12", "region_code": "x"})
    assert bad_region.status_code == 422
    late = await api.get(f"{BASE}/rosters/late", officer(county), {"period": "0001-01"})
    assert late.status_code == 422, late.text
    lateness = await api.get(f"{BASE}/rosters/any/late-lines", officer(county), {"lateness": "soon"})
    assert lateness.status_code == 422
