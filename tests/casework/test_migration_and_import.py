"""The migration builds exactly the models; a county's existing recipients enter the registry by import; staff find
households by a member's full name, inside their jurisdiction only (户籍查询, issue 19)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from libs.contracts.staff import StaffRole
from services.casework.db import SCHEMA, Base
from services.casework.definition import DEFINITION
from tests.casework.support import CaseworkApi, family, new_county, new_village, staff
from tests.support.schema_drift import schema_drift

IMPORT = "/api/v1/casework/households/import"
HOUSEHOLDS = "/api/v1/casework/households"


async def test_the_migration_matches_the_models(engine: AsyncEngine, api: CaseworkApi) -> None:
    assert DEFINITION.metadata is Base.metadata

    assert await schema_drift(engine, SCHEMA, Base.metadata) == []


def _body(village: str, **overrides: Any) -> dict[str, Any]:
    people = family()
    body: dict[str, Any] = {
        "region_code": village,
        "legacy_ref": "LB-2019-0042",
        "members": [
            {"id_number": p.id_number, "name": p.name, "relation": p.relation, "disability_grade": None} for p in people
        ],
        "programs": [{"program": "dibao", "monthly_amount": "1300.00", "since": "2019-07"}],
        "review_class": "B",
        "next_review_date": "2027-01-01",
        "account": {"bank_code": "ICBC", "account_no": "6222020000001234567", "holder_name": people[0].name},
    }
    body.update(overrides)
    return body


async def test_an_existing_recipient_is_imported_and_published(api: CaseworkApi) -> None:
    county = new_county()
    village = new_village(county)
    officer = staff(StaffRole.county_officer, county)
    body = _body(village)
    r = await api.post(IMPORT, officer, body)
    assert r.status_code == 201, r.text
    hh = r.json()
    assert [(e["program"], e["monthly_amount"], e["effective_from"]) for e in hh["entitlements"]] == [
        ("dibao", "1300.00", "2019-07")
    ]
    assert hh["account_no_masked"] == "6222********4567"
    assert "6222020000001234567" not in r.text
    [ent] = await api.outbox_events(subject=f"household/{hh['household_id']}", event_type="entitlement-changed")
    assert ent.data["payment_account"]["account_no_masked"] == "6222********4567"
    assert "6222020000001234567" not in str(ent.data)
    again = await api.post(IMPORT, officer, body)
    assert again.status_code == 409
    assert again.json()["code"] == "person_already_recipient"


async def test_a_bad_import_changes_nothing(api: CaseworkApi) -> None:
    county = new_county()
    village = new_village(county)
    officer = staff(StaffRole.county_officer, county)
    good = _body(village)
    two_heads = [{**m, "relation": "head"} for m in good["members"]]
    bad_id = [{**good["members"][0], "id_number": "140402198001011235"}, *good["members"][1:]]
    for body in (
        {**good, "members": two_heads},
        {**good, "members": bad_id},
        {**good, "programs": [{"program": "dibao", "monthly_amount": "12.5", "since": "2019-07"}]},
        {**good, "programs": [{"program": "nothing", "monthly_amount": "1.00", "since": "2019-07"}]},
        # Temporary assistance is one payment: never a monthly program (issue 20).
        {**good, "programs": [{"program": "temporary", "monthly_amount": "500.00", "since": "2019-07"}]},
        {**good, "review_class": "Z"},
        {**good, "region_code": "1404"},
    ):
        r = await api.post(IMPORT, officer, body)
        assert r.status_code == 422, (body, r.text)
    outsider = staff(StaffRole.county_officer, new_county())
    assert (await api.post(IMPORT, outsider, good)).status_code == 403
    township = staff(StaffRole.township_officer, village[:9])
    assert (await api.post(IMPORT, township, good)).status_code == 403
    listed = await api.get("/api/v1/casework/households", officer, {"region_code": county})
    assert listed.json()["items"] == []


async def _imported(api: CaseworkApi, village: str, names: tuple[str, str, str] | None = None) -> str:
    """A household imported into `village` (by default 王建国, 李秀英, 王小一), its id."""
    body = _body(village)
    if names is not None:
        body["members"] = [{**m, "name": n} for m, n in zip(body["members"], names, strict=True)]
        body["account"]["holder_name"] = names[0]
    r = await api.post(IMPORT, staff(StaffRole.county_officer, village[:6]), body)
    assert r.status_code == 201, r.text
    return str(r.json()["household_id"])


async def test_households_are_found_by_a_members_full_name_inside_the_jurisdiction(api: CaseworkApi) -> None:
    county = new_county()
    village = new_village(county)
    other_village = next(v for v in iter(lambda: new_village(county), None) if v != village)
    here = await _imported(api, village)
    # 王建国 is also a member (not the head) of a household in another village of the county.
    there = await _imported(api, other_village, ("赵大海", "王建国", "赵小一"))
    other_county = new_county()
    elsewhere = await _imported(api, new_village(other_county))  # another county's 王建国
    officer = staff(StaffRole.county_officer, county)

    async def found(params: dict[str, str]) -> list[str]:
        r = await api.get(HOUSEHOLDS, officer, params)
        assert r.status_code == 200, r.text
        assert "王建国" not in r.text  # names are still shown masked
        return [h["household_id"] for h in r.json()["items"]]

    assert sorted(await found({"name": "王建国"})) == sorted([here, there])
    assert elsewhere not in await found({"name": "王建国"})
    assert await found({"name": " 李秀英 "}) == [here]  # any member, spaces around ignored
    assert await found({"name": "王建国", "region_code": other_village}) == [there]
    assert await found({"name": "赵大海", "region_code": village}) == []
    assert await found({"name": "王建"}) == []  # exact, not a prefix
    # Keyset pages: one household a page, the cursor carries the name search on.
    first = (await api.get(HOUSEHOLDS, officer, {"name": "王建国", "limit": "1"})).json()
    params = {"name": "王建国", "limit": "1", "cursor": first["next_cursor"]}
    second = (await api.get(HOUSEHOLDS, officer, params)).json()
    assert [h["household_id"] for h in first["items"] + second["items"]] == sorted([here, there])
    assert second["next_cursor"] is None
    # The other county's officer finds only their own 王建国.
    outsider = staff(StaffRole.county_officer, other_county)
    theirs = (await api.get(HOUSEHOLDS, outsider, {"name": "王建国"})).json()["items"]
    assert [h["household_id"] for h in theirs] == [elsewhere]


async def test_a_name_that_cannot_be_one_is_refused(api: CaseworkApi) -> None:
    officer = staff(StaffRole.county_officer, new_county())
    for bad in ("", "   ", "=HYPERLINK(1)", "王建国1", "王" * 65):
        r = await api.get(HOUSEHOLDS, officer, {"name": bad})
        assert r.status_code == 422, (bad, r.text)
        assert r.json()["errors"][0]["loc"][-1] == "name", r.text
