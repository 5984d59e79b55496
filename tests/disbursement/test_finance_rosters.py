"""The finance contract's reads (CONTRACTS.md §3): rosters from their submission on, in the finance client's region
only, and their lines in JSON pages with the full payee and account data, every read audited (DOMAIN.md §9)."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from typing import Any

from libs.contracts.staff import StaffRole
from tests.disbursement.support import (
    FINANCE,
    Broker,
    DisbursementApi,
    Household,
    entitled,
    finance,
    new_county,
    officer,
    paid,
    staff,
)

ROSTERS = "/api/v1/finance/rosters"
ROSTER_FIELDS = {
    "roster_id",
    "kind",  # added by issue 20: monthly, or a temporary grant's payment order
    "period",
    "region_code",
    "status",
    "line_count",
    "total_amount",
    "totals_by_program",
    "checksum",
    "submitted_at",
}
LINE_FIELDS = {
    "line_id",
    "line_no",
    "household_id",
    "payee_name",
    "payee_id_number",
    "bank_code",
    "account_no",
    "program",
    "period",
    "amount",
    "items",
}


async def _reads(api: DisbursementApi, roster: dict[str, Any]) -> list[dict[str, Any]]:
    """The audit of unmasked reads of one roster, as the county officer lists it (newest first)."""
    reply = await api.get(
        "/api/v1/disbursement/account-reads", officer(roster["region_code"]), {"roster_id": roster["roster_id"]}
    )
    assert reply.status_code == 200, reply.text
    return list(reply.json())


async def _listed(api: DisbursementApi, params: dict[str, str]) -> list[dict[str, Any]]:
    reply = await api.get(ROSTERS, FINANCE, params)
    assert reply.status_code == 200, reply.text
    assert reply.json()["next_cursor"] is None
    return list(reply.json()["items"])


async def _households(broker: Broker, county: str, n: int) -> list[Household]:
    return [await entitled(broker, county, amount=f"{500 + i}.25") for i in range(n)]


# --- the roster list and one roster ---


async def test_a_submitted_roster_has_exactly_the_contract_fields(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    await entitled(broker, county, amount="560.00")
    await entitled(broker, county, amount="1200.50", members=3)
    roster = await api.submitted(county, "2026-12")
    [item] = await _listed(api, {"region_code": county})
    assert set(item) == ROSTER_FIELDS
    assert item["roster_id"] == roster["roster_id"]
    assert item["period"] == "2026-12"
    assert item["region_code"] == county
    assert item["status"] == "submitted"
    assert item["line_count"] == 2
    assert item["total_amount"] == "1760.50"
    assert item["totals_by_program"] == {"dibao": "1760.50"}
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", item["checksum"])
    assert item["checksum"] == roster["checksum"]
    # The same instant as the staff view gave (one renders it in UTC, the other in China time).
    submitted_at = datetime.fromisoformat(item["submitted_at"])
    assert submitted_at.utcoffset() is not None
    assert submitted_at == datetime.fromisoformat(roster["submitted_at"])
    one = await api.get(f"{ROSTERS}/{roster['roster_id']}", FINANCE)
    assert one.status_code == 200, one.text
    assert one.json() == item


async def test_the_list_filters_by_period_region_and_status(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    await entitled(broker, county)
    december = await api.submitted(county, "2026-12")
    [line] = await api.finance_lines(december["roster_id"])
    assert (await api.report(december["roster_id"], [paid(line)])).status_code == 200
    january = await api.submitted(county, "2027-01")
    other = new_county()
    await entitled(broker, other)
    await api.submitted(other, "2026-12")

    assert {r["roster_id"] for r in await _listed(api, {"region_code": county})} == {
        december["roster_id"],
        january["roster_id"],
    }
    only_dec = await _listed(api, {"region_code": county, "period": "2026-12"})
    assert [(r["roster_id"], r["status"]) for r in only_dec] == [(december["roster_id"], "paid")]
    only_submitted = await _listed(api, {"region_code": county, "status": "submitted"})
    assert [r["roster_id"] for r in only_submitted] == [january["roster_id"]]
    assert await _listed(api, {"region_code": county, "period": "2027-02"}) == []
    # A county's code as a prefix does not take in its neighbour.
    assert all(r["region_code"] == county for r in await _listed(api, {"region_code": county}))


async def test_the_list_pages_with_a_cursor(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    await entitled(broker, county)
    submitted = [(await api.submitted(county, p))["roster_id"] for p in ("2026-12", "2027-01", "2027-02")]
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        params = {"region_code": county, "limit": "1", **({"cursor": cursor} if cursor else {})}
        reply = await api.get(ROSTERS, FINANCE, params)
        assert reply.status_code == 200, reply.text
        assert len(reply.json()["items"]) == 1
        seen += [r["roster_id"] for r in reply.json()["items"]]
        pages += 1
        cursor = reply.json()["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
    assert sorted(seen) == sorted(submitted)
    assert len(set(seen)) == 3
    bad = await api.get(ROSTERS, FINANCE, {"region_code": county, "cursor": "not-a-cursor"})
    assert bad.status_code == 422
    assert bad.json()["code"] == "invalid_cursor"


async def test_bad_list_filters_are_422(api: DisbursementApi, broker: Broker) -> None:
    for params in ({"period": "2026/12"}, {"region_code": "65ab"}, {"limit": "0"}, {"limit": "1001"}):
        reply = await api.get(ROSTERS, FINANCE, params)
        assert reply.status_code == 422, (params, reply.text)
        assert reply.json()["code"] == "validation_failed"


async def test_a_month_that_does_not_exist_is_422_not_500(api: DisbursementApi) -> None:
    reply = await api.get(ROSTERS, FINANCE, {"period": "2026-13"})
    assert reply.status_code == 422, reply.text


async def test_draft_and_locked_rosters_do_not_exist_for_finance(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    await entitled(broker, county)
    draft = await api.build(county, "2026-12")
    [staff_line] = await api.staff_lines(draft)
    for roster in (draft, await api.act(draft, "lock")):
        assert await _listed(api, {"region_code": county}) == []
        assert await _listed(api, {"region_code": county, "status": roster["status"]}) == []
        rid = roster["roster_id"]
        for path in (f"{ROSTERS}/{rid}", f"{ROSTERS}/{rid}/lines", f"{ROSTERS}/{rid}/lines.csv"):
            reply = await api.get(path, FINANCE)
            assert reply.status_code == 404, (path, reply.text)
            assert reply.json()["code"] == "roster_not_found"
        result = await api.report(rid, [paid(staff_line)])
        assert result.status_code == 404
        assert result.json()["code"] == "roster_not_found"
    # Nothing was read and nothing was reported: no audit row, and the roster is still only locked.
    assert await _reads(api, draft) == []
    mine = await api.get(f"/api/v1/disbursement/rosters/{draft['roster_id']}", officer(county))
    assert mine.json()["status"] == "locked"
    assert mine.json()["paid_lines"] == 0


async def test_a_finance_client_of_another_region_sees_nothing(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    await entitled(broker, county)
    roster = await api.submitted(county, "2026-12")
    [line] = await api.finance_lines(roster["roster_id"])
    elsewhere = finance(new_county())
    # Asking for a region outside its own is refused, as for every list.
    reply = await api.get(ROSTERS, elsewhere, {"region_code": county})
    assert reply.status_code == 403
    assert reply.json()["code"] == "outside_jurisdiction"
    assert all(r["region_code"] != county for r in (await api.get(ROSTERS, elsewhere)).json()["items"])
    rid = roster["roster_id"]
    for path in (f"{ROSTERS}/{rid}", f"{ROSTERS}/{rid}/lines", f"{ROSTERS}/{rid}/lines.csv"):
        reply = await api.get(path, elsewhere)
        assert reply.status_code == 404, (path, reply.text)
        assert reply.json()["code"] == "roster_not_found"
    result = await api.report(rid, [paid(line)], elsewhere)
    assert result.status_code == 404
    # Only the home client's one page was audited; the line is still unreported.
    assert [r["purpose"] for r in await _reads(api, roster)] == ["finance roster lines"]
    assert (await api.get(f"{ROSTERS}/{rid}", FINANCE)).json()["status"] == "submitted"
    # The county's own finance client sees it.
    assert (await api.get(f"{ROSTERS}/{rid}", finance(county))).status_code == 200


async def test_staff_get_403_and_no_principal_401(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    await entitled(broker, county)
    roster = await api.submitted(county, "2026-12")
    rid = roster["roster_id"]
    paths = (ROSTERS, f"{ROSTERS}/{rid}", f"{ROSTERS}/{rid}/lines", f"{ROSTERS}/{rid}/lines.csv")
    admin = staff(StaffRole.system_admin, "")
    for who in (officer(county), admin):
        for path in paths:
            reply = await api.get(path, who)
            assert reply.status_code == 403, (path, reply.text)
            assert reply.json()["code"] == "scope_required"
        post = await api.post(f"{ROSTERS}/{rid}/payment-results", who, {"results": []})
        assert post.status_code == 403
        assert post.json()["code"] == "scope_required"
    for path in paths:
        reply = await api.http.get(path)
        assert reply.status_code == 401, (path, reply.text)
    anonymous = await api.http.post(f"{ROSTERS}/{rid}/payment-results", json={"results": []})
    assert anonymous.status_code == 401
    assert await _reads(api, roster) == []


# --- lines ---


async def test_lines_carry_the_contract_shape_with_full_numbers(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    households = await _households(broker, county, 3)
    roster = await api.submitted(county, "2026-12")
    lines = await api.finance_lines(roster["roster_id"])
    by_household = {line["household_id"]: line for line in lines}
    assert set(by_household) == {h.household_id for h in households}
    assert [line["line_no"] for line in lines] == [1, 2, 3]
    for h in households:
        line = by_household[h.household_id]
        assert set(line) == LINE_FIELDS
        assert line["payee_name"] == h.head.name
        assert line["payee_id_number"] == h.head.id_number
        assert line["account_no"] == h.account_no
        assert line["bank_code"] == "ICBC"
        assert line["program"] == "dibao"
        assert line["period"] == "2026-12"
        assert line["items"] == [{"kind": "regular", "amount": line["amount"], "note": line["items"][0]["note"]}]
    assert sorted(line["amount"] for line in lines) == ["500.25", "501.25", "502.25"]
    assert sum(Decimal(line["amount"]) for line in lines) == Decimal(roster["total_amount"])


async def test_arrears_items_add_up_to_the_line_and_lines_to_the_total(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    await entitled(broker, county, amount="560.00")
    await api.submitted(county, "2026-12")
    # Approved after December was sent, from December: January pays December as arrears (补发).
    late = await entitled(broker, county, amount="600.00", effective_from="2026-12")
    roster = await api.submitted(county, "2027-01")
    lines = await api.finance_lines(roster["roster_id"])
    [mine] = [line for line in lines if line["household_id"] == late.household_id]
    assert mine["amount"] == "1200.00"
    assert [(i["kind"], i["amount"]) for i in mine["items"]] == [("regular", "600.00"), ("arrears", "600.00")]
    for line in lines:
        assert sum(Decimal(i["amount"]) for i in line["items"]) == Decimal(line["amount"])
    assert sum(Decimal(line["amount"]) for line in lines) == Decimal(roster["total_amount"]) == Decimal("1760.00")


async def test_lines_page_by_limit_and_cursor(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    await _households(broker, county, 5)
    roster = await api.submitted(county, "2026-12")
    path = f"{ROSTERS}/{roster['roster_id']}/lines"
    numbers: list[list[int]] = []
    cursor: str | None = None
    while True:
        reply = await api.get(path, FINANCE, {"limit": 2, **({"cursor": cursor} if cursor else {})})
        assert reply.status_code == 200, reply.text
        numbers.append([line["line_no"] for line in reply.json()["items"]])
        cursor = reply.json()["next_cursor"]
        if cursor is None:
            break
    assert numbers == [[1, 2], [3, 4], [5]]
    whole = await api.get(path, FINANCE)
    assert [line["line_no"] for line in whole.json()["items"]] == [1, 2, 3, 4, 5]
    assert whole.json()["next_cursor"] is None


async def test_bad_line_paging_is_422_and_not_audited(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    await entitled(broker, county)
    roster = await api.submitted(county, "2026-12")
    path = f"{ROSTERS}/{roster['roster_id']}/lines"
    for params in ({"cursor": "!!!"}, {"cursor": "eyJhZnRlciI6IFsieCJdfQ"}, {"limit": 0}, {"limit": 1001}):
        reply = await api.get(path, FINANCE, params)
        assert reply.status_code == 422, (params, reply.text)
        assert reply.json()["code"] in {"invalid_cursor", "validation_failed"}
    assert (await api.get(path, FINANCE, {"cursor": "!!!"})).json()["code"] == "invalid_cursor"
    assert await _reads(api, roster) == []


async def test_every_lines_page_and_csv_download_is_audited(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    await _households(broker, county, 5)
    roster = await api.submitted(county, "2026-12")
    assert await _reads(api, roster) == []
    await api.finance_lines(roster["roster_id"])  # three pages of two
    csv = await api.http.get(
        f"{ROSTERS}/{roster['roster_id']}/lines.csv", headers={**api.as_(FINANCE), "X-Request-ID": "req-csv-1"}
    )
    assert csv.status_code == 200
    reads = await _reads(api, roster)
    assert [(r["purpose"], r["accounts"]) for r in reads] == [
        ("finance roster CSV", 5),
        ("finance roster lines", 1),
        ("finance roster lines", 2),
        ("finance roster lines", 2),
    ]
    assert {r["actor_kind"] for r in reads} == {"client"}
    assert {r["actor"] for r in reads} == {FINANCE.subject}
    assert {r["roster_id"] for r in reads} == {roster["roster_id"]}
    assert reads[0]["request_id"] == "req-csv-1"
    # The roster's own GET shows no account numbers and is not a read of them.
    await api.get(f"{ROSTERS}/{roster['roster_id']}", FINANCE)
    assert len(await _reads(api, roster)) == 4
