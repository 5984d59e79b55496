"""The public page (信息公开, issue 22) as casework answers the gateway's anonymous principal: the standards in force,
how to apply, the complaint line and the standing posting; never a child, an orphan's household or an identity
number."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from libs.contracts.staff import StaffRole
from libs.kernel.auth import ANONYMOUS
from libs.kernel.region_names import DeliveredName, keep_names
from services.casework.db import tables
from tests.casework.support import CaseworkApi, fresh_id, new_county, set_standards, staff

PUBLIC = "/api/v1/casework/public"
IMPORT = "/api/v1/casework/households/import"
TODAY = date(2026, 12, 7)


async def name_regions(api: CaseworkApi, names: dict[str, str]) -> None:
    """Names as the gateway delivers them (PUT /internal/v1/region-names), straight into casework's table."""
    async with api.db.sessions.begin() as s:
        await keep_names(s, tables.region_names, [DeliveredName(code=c, name=n, revision=1) for c, n in names.items()])


def member(name: str, relation: str, born: date, **extra: Any) -> dict[str, Any]:
    return {"id_number": fresh_id(born), "name": name, "relation": relation, **extra}


async def import_household(
    api: CaseworkApi, village: str, members: list[dict[str, Any]], programs: list[dict[str, Any]]
) -> None:
    body = {
        "region_code": village,
        "legacy_ref": f"PUB-{members[0]['id_number'][-8:]}",
        "members": members,
        "programs": [{"since": "2025-01", **p} for p in programs],
        "review_class": "B",
        "next_review_date": "2027-06-01",
    }
    reply = await api.post(IMPORT, staff(StaffRole.county_officer, village[:6]), body)
    assert reply.status_code in (200, 201), reply.text


@pytest.fixture
async def county(api: CaseworkApi) -> dict[str, Any]:
    """A named county with its standards and four recipient households in one village."""
    api.clock.set_day(TODAY)
    code = new_county()
    village = f"{code}101201"
    await name_regions(api, {code: "示范县", village[:9]: "城关镇", village: "东关村"})
    await set_standards(
        api,
        code,
        dibao_standard_fen=70000,
        tekun_basic_fen=91000,
        orphan_allowance_fen=150000,
        publicity_days=5,
        complaint_line="0355-2021234",
    )
    adult_family = [
        member("王建国", "head", date(1975, 3, 14)),
        member("李秀英", "spouse", date(1978, 6, 2)),
        member("王小明", "child", date(2015, 9, 30)),
    ]
    await import_household(api, village, adult_family, [{"program": "dibao", "monthly_amount": "1300.00"}])
    # An orphan living with his grandmother: her dibao line would point at him, so the household is not shown.
    orphan = member("赵小虎", "grandchild", date(2014, 2, 1))
    grandmother = [member("赵桂花", "head", date(1950, 1, 5)), orphan]
    await import_household(
        api,
        village,
        grandmother,
        [
            {"program": "dibao", "monthly_amount": "600.00"},
            {"program": "orphan", "monthly_amount": "1500.00", "beneficiary_id_number": orphan["id_number"]},
        ],
    )
    # A child-headed household (16): never shown.
    await import_household(
        api, village, [member("周小兰", "head", date(2010, 5, 1))], [{"program": "dibao", "monthly_amount": "700.00"}]
    )
    # A disabled child's subsidy is not shown; the parent's dibao line is.
    disabled_child = member("孙乐乐", "child", date(2016, 4, 4), disability_kind="physical", disability_grade=2)
    await import_household(
        api,
        village,
        [member("孙红梅", "head", date(1980, 8, 8)), disabled_child],
        [
            {"program": "dibao", "monthly_amount": "900.00"},
            {
                "program": "disability_living",
                "monthly_amount": "90.00",
                "beneficiary_id_number": disabled_child["id_number"],
            },
        ],
    )
    people = [*adult_family, *grandmother, disabled_child]
    return {"code": code, "village": village, "id_numbers": [p["id_number"] for p in people]}


async def test_the_county_page_shows_standards_how_to_apply_and_the_complaint_line(
    api: CaseworkApi, county: dict[str, Any]
) -> None:
    reply = await api.get(f"{PUBLIC}/{county['code']}", ANONYMOUS)
    assert reply.status_code == 200, reply.text
    page = reply.json()
    assert page["county_name"] == "示范县"
    assert page["on"] == TODAY.isoformat()
    shown = {s["figure"]: s["monthly_amount"] for s in page["standards"]}
    assert shown == {"dibao_standard": "700.00", "tekun_basic": "910.00", "orphan_allowance": "1500.00"}
    assert page["apply"] == {
        "decision_working_days": 30,
        "extended_working_days": 45,
        "publicity_days": 5,
        "emergency_working_days": 3,
        "appeal_days": 60,
        "marginal_multiplier_pct": 150,
    }
    assert (page["complaint_line"], page["hotline"]) == ("0355-2021234", "12345")

    listed = (await api.get(PUBLIC, ANONYMOUS)).json()["items"]
    assert {"county_code": county["code"], "county_name": "示范县"} in listed
    assert all(len(c["county_code"]) == 6 for c in listed)


async def test_the_posting_shows_only_what_the_notices_allow(api: CaseworkApi, county: dict[str, Any]) -> None:
    reply = await api.get(f"{PUBLIC}/{county['code']}/posting", ANONYMOUS)
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert (body["county_name"], body["page"], body["page_size"], body["has_more"]) == ("示范县", 1, 50, False)
    lines = sorted(
        (i["place"], i["name_masked"], i["household_size"], i["program"], i["monthly_amount"]) for i in body["items"]
    )
    assert lines == [
        ("城关镇东关村", "孙*梅", 2, "dibao", "900.00"),
        ("城关镇东关村", "王*国", 3, "dibao", "1300.00"),
    ]
    assert set(body["items"][0]) == {"place", "name_masked", "household_size", "program", "monthly_amount"}
    text = reply.text
    # No identity number, not even its end; no child, no orphan's household, no full name, no village code.
    assert all(n not in text and n[-6:] not in text for n in county["id_numbers"])
    for never in ("赵", "周", "小", "乐乐", "orphan", "disability_living", "王建国", county["village"]):
        assert never not in text


async def test_bad_and_unknown_counties_and_pages_are_refused(api: CaseworkApi, county: dict[str, Any]) -> None:
    unknown = await api.get(f"{PUBLIC}/{new_county()}", ANONYMOUS)
    assert (unknown.status_code, unknown.json()["code"]) == (404, "county_not_public")
    assert unknown.json()["title_zh"] == "未找到该区县的信息公开页面"
    township = await api.get(f"{PUBLIC}/{county['village'][:9]}", ANONYMOUS)
    assert township.status_code == 422
    for page in ("0", "1001", "x"):
        reply = await api.get(f"{PUBLIC}/{county['code']}/posting", ANONYMOUS, params={"page": page})
        assert reply.status_code == 422, page
    far = await api.get(f"{PUBLIC}/{county['code']}/posting", ANONYMOUS, params={"page": "1000"})
    assert (far.status_code, far.json()["items"], far.json()["has_more"]) == (200, [], False)
    # Only what the gateway forwarded is answered: a request without its signed principal is not.
    bare = await api.http.get(f"{PUBLIC}/{county['code']}")
    assert bare.status_code == 401


async def test_the_anonymous_principal_reaches_nothing_else(api: CaseworkApi, county: dict[str, Any]) -> None:
    for path in (
        f"/api/v1/casework/postings/{county['village']}",
        f"/api/v1/casework/standards/in-force?region_code={county['code']}",
        "/api/v1/casework/households",
    ):
        reply = await api.get(path, ANONYMOUS)
        assert reply.status_code == 403, (path, reply.text)


async def test_the_complaint_line_is_a_telephone_number(api: CaseworkApi) -> None:
    county = new_county()
    admin = staff(StaffRole.county_officer, county)
    for bad in ("12345678901234567890123", "0355--1234", "热线", 12345, "12"):
        body = {"region_prefix": county, "effective_from": "2026-01-01", "figures": {"complaint_line": bad}}
        reply = await api.post("/api/v1/casework/standards", admin, body)
        assert (reply.status_code, reply.json()["code"]) == (422, "invalid_figure"), bad
    body = {"region_prefix": county, "effective_from": "2026-01-01", "figures": {"complaint_line": "0355-2021234"}}
    reply = await api.post("/api/v1/casework/standards", admin, body)
    assert reply.status_code == 201, reply.text
    assert reply.json()["items"][0]["value"] == "0355-2021234"
