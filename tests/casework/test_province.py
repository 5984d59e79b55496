"""The province's pull of current recipients (CONTRACTS.md §4): the item's shape, filters by region and
`updated_since`, keyset pages, a fixed number of queries per page, and refusals (403/422).

Each test works in a county of its own, so the lists it reads hold only its households.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, select

from libs.contracts.clock import CHINA_TZ
from libs.contracts.staff import Scope, StaffRole
from services.casework.registry.models import HouseholdMember
from tests.casework.province_support import T0, Program, add_household, casework
from tests.casework.support import CaseworkApi, client, family, new_county, new_village, staff

RECIPIENTS = "/api/v1/province/recipients"


async def pull(api: CaseworkApi, region: str, **params: Any) -> dict[str, Any]:
    answer = await api.get(RECIPIENTS, client(Scope.province, region), params)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def test_the_recipient_item_has_the_contract_shape_with_closed_and_predecessor(api: CaseworkApi) -> None:
    county = new_county()
    api.clock.at = T0
    ctx = casework(api)
    people = family(size=3)
    old = await add_household(api, ctx, new_village(county), [Program("dibao", 56000, "stopped")], closed=True)
    hid = await add_household(
        api,
        ctx,
        new_village(county),
        [Program("dibao", 156000), Program("disability_living", 9000, "gradual_exit", date(2026, 5, 1))],
        people,
        predecessor=old,
    )

    body = await pull(api, county)

    assert body["next_cursor"] is None
    by_id = {i["household_id"]: i for i in body["items"]}
    assert set(by_id) == {old, hid}
    item = by_id[hid]
    assert item == {
        "household_id": hid,
        "region_code": item["region_code"],
        "programs": [
            {"program": "dibao", "status": "active", "monthly_amount": "1560.00", "since": "2026-03-01"},
            {
                "program": "disability_living",
                "status": "gradual_exit",
                "monthly_amount": "90.00",
                "since": "2026-05-01",
            },
        ],
        "members": [
            {"id_number": p.id_number, "name": p.name, "relation": p.relation, "birth_date": p.born.isoformat()}
            for p in people
        ],
        "updated_at": "2026-11-02T09:30:00+08:00",
        "closed": False,
        "predecessor_household_id": old,
    }
    assert item["region_code"].startswith(county)
    # A closed household stays listed, with its stopped program: the province must see the stop.
    assert by_id[old]["closed"] is True
    assert by_id[old]["programs"][0]["status"] == "stopped"


async def test_a_member_who_left_is_not_listed(api: CaseworkApi) -> None:
    county = new_county()
    ctx = casework(api)
    people = family(size=3)
    hid = await add_household(api, ctx, new_village(county), [Program("dibao", 56000)], people)
    async with api.db.sessions.begin() as session:
        child = await session.scalar(
            select(HouseholdMember).where(
                HouseholdMember.household_id == hid, HouseholdMember.person_hash == ctx.hash(people[2].id_number)
            )
        )
        assert child is not None
        child.left_at = ctx.now()

    (item,) = (await pull(api, county))["items"]

    assert [m["id_number"] for m in item["members"]] == [people[0].id_number, people[1].id_number]


async def test_region_code_and_updated_since_filter_the_list(api: CaseworkApi) -> None:
    county = new_county()
    east, west = new_village(county), new_village(county)
    ctx = casework(api)
    made: dict[str, str] = {}
    for day, region in [(1, east), (2, west), (3, east), (4, west)]:
        api.clock.at = datetime(2026, 11, day, 12, tzinfo=CHINA_TZ)
        made[f"{region}-{day}"] = await add_household(api, ctx, region, [Program("dibao", 56000)])

    in_east = await pull(api, county, region_code=east)
    since_3rd = await pull(api, county, updated_since="2026-11-03T12:00:00+08:00")
    east_since_2nd = await pull(api, county, region_code=east, updated_since="2026-11-02T00:00:00+08:00")

    assert [i["household_id"] for i in in_east["items"]] == [made[f"{east}-1"], made[f"{east}-3"]]
    # Inclusive: a household changed exactly at `updated_since` is served.
    assert [i["household_id"] for i in since_3rd["items"]] == [made[f"{east}-3"], made[f"{west}-4"]]
    assert [i["household_id"] for i in east_since_2nd["items"]] == [made[f"{east}-3"]]


async def test_an_unencoded_plus_in_updated_since_is_read_as_the_offset(api: CaseworkApi) -> None:
    county = new_county()
    ctx = casework(api)
    api.clock.at = datetime(2026, 11, 1, 0, 30, tzinfo=CHINA_TZ)
    hid = await add_household(api, ctx, new_village(county), [Program("dibao", 56000)])
    headers = api.as_(client(Scope.province, county))

    # As the contract writes it: "+08:00" unencoded arrives as " 08:00"; 2026-11-01T00:00+08:00 is before hid.
    raw = await api.http.get(f"{RECIPIENTS}?updated_since=2026-11-01T00:00:00+08:00", headers=headers)
    later = await api.http.get(f"{RECIPIENTS}?updated_since=2026-11-01T01:00:00+08:00", headers=headers)

    assert raw.status_code == 200, raw.text
    assert [i["household_id"] for i in raw.json()["items"]] == [hid]
    assert later.json()["items"] == []


async def test_pages_follow_updated_at_then_household_id_without_gaps_or_repeats(api: CaseworkApi) -> None:
    county = new_county()
    village = new_village(county)
    ctx = casework(api)
    expected: list[tuple[str, str]] = []
    for minute in (5, 5, 5, 7, 9, 9, 11):  # ties on updated_at are ordered by household_id
        api.clock.at = T0 + timedelta(minutes=minute)
        hid = await add_household(api, ctx, village, [Program("dibao", 56000)])
        expected.append((api.clock.at.isoformat(), hid))
    expected.sort()

    seen: list[tuple[str, str]] = []
    cursor: str | None = None
    pages = 0
    while True:
        body = await pull(api, county, limit=3, **({"cursor": cursor} if cursor else {}))
        pages += 1
        seen += [(datetime.fromisoformat(i["updated_at"]).isoformat(), i["household_id"]) for i in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break

    assert pages == 3
    assert seen == expected


async def test_a_page_of_many_households_takes_a_fixed_number_of_queries(api: CaseworkApi) -> None:
    county = new_county()
    ctx = casework(api)
    for _ in range(25):
        await add_household(api, ctx, new_village(county), [Program("dibao", 56000), Program("temporary", 100)])
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(api.db.engine.sync_engine, "before_cursor_execute", count)
    try:
        body = await pull(api, county, limit=1000)
    finally:
        event.remove(api.db.engine.sync_engine, "before_cursor_execute", count)

    assert len(body["items"]) == 25
    assert all(len(i["members"]) == 3 and len(i["programs"]) == 2 for i in body["items"])
    # The households, then their members and their entitlements: three statements whatever the page size.
    assert len([s for s in statements if "household" in s]) == 3, statements


@pytest.mark.parametrize(
    "principal",
    [
        pytest.param(lambda county: staff(StaffRole.county_officer, county), id="staff"),
        pytest.param(lambda county: staff(StaffRole.system_admin, ""), id="admin"),
        pytest.param(lambda county: client(Scope.hotline, county), id="hotline-client"),
        pytest.param(lambda county: client(Scope.finance, county), id="finance-client"),
    ],
)
async def test_only_provincial_clients_may_pull(api: CaseworkApi, principal: Any) -> None:
    county = new_county()
    await add_household(api, casework(api), new_village(county), [Program("dibao", 56000)])

    answer = await api.get(RECIPIENTS, principal(county))

    assert answer.status_code == 403
    assert answer.json()["code"] == "scope_required"


async def test_a_region_outside_the_clients_jurisdiction_is_refused(api: CaseworkApi) -> None:
    county, other = new_county(), new_county()
    await add_household(api, casework(api), new_village(other), [Program("dibao", 56000)])

    answer = await api.get(RECIPIENTS, client(Scope.province, county), {"region_code": other})

    assert answer.status_code == 403
    assert answer.json()["code"] == "outside_jurisdiction"


@pytest.mark.parametrize(
    "params",
    [
        {"updated_since": "yesterday"},
        {"updated_since": "2026-11-01T00:00:00"},  # no offset: which day is meant is unknown
        {"updated_since": "2026-13-01T00:00:00+08:00"},
        {"updated_since": "0"},  # seconds since 1970 were taken (found by tests/e2e/test_fuzz_partners.py)
        {"updated_since": "-1.695613e-103"},
        {"cursor": "not-a-cursor"},
        {"cursor": "eyJhZnRlciI6IFsxXX0"},  # a cursor of another endpoint: {"after": [1]}
        {"limit": 0},
        {"limit": 1001},
        {"limit": "many"},
        {"region_code": "65ab"},
    ],
)
async def test_bad_query_parameters_are_422(api: CaseworkApi, params: dict[str, Any]) -> None:
    answer = await api.get(RECIPIENTS, client(Scope.province, new_county()), params)

    assert answer.status_code == 422, answer.text
