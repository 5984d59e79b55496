"""The close-relative register through the staff API (DOMAIN.md §7, seed 002): filing, listing with masked numbers,
withdrawal, and the households and open cases a filing flags at once (an undeclared relation is caught).

Every test works in a county of its own; households and cases are written straight to the database with the models.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from sqlalchemy import func, select

from libs.contracts.staff import StaffRole
from libs.kernel.outbox import Outbox
from libs.kernel.pii import PiiVault
from libs.kernel.service import Runtime
from services.casework.case.models import Case, CasePerson
from services.casework.context import ID_NUMBER_CONTEXT, Casework
from services.casework.db import tables
from services.casework.definition import DEFINITION as CASEWORK
from services.casework.registry.models import Household, HouseholdMember
from services.casework.relatives import service
from services.casework.relatives.models import Recusal, StaffRelative
from tests.casework.support import CaseworkApi, fresh_id, new_county, new_village, staff

REGISTER = "/api/v1/casework/close-relatives"
NOW = datetime(2026, 11, 23, 2, tzinfo=UTC)


@cache
def vault() -> PiiVault:
    # Read when a test runs: the test stack exports the key, which is not there yet when tests are collected.
    return PiiVault(CASEWORK.settings().pii_key.get_secret_value())


def filing(region: str, relative_id: str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "staff_user": f"u-{uuid.uuid4().hex[:8]}",
        "staff_name": "张三",
        "staff_unit": "某镇民政办",
        "staff_region": region,
        "relative": {"id_number": relative_id, "name": "张小妹"},
        "relation": "sibling",
    }
    body.update(overrides)
    return body


def masked(id_number: str) -> str:
    return id_number[:6] + "*" * 8 + id_number[14:]


async def file_ok(api: CaseworkApi, county: str, body: dict[str, Any]) -> dict[str, Any]:
    answer = await api.post(REGISTER, staff(StaffRole.county_officer, county), body)
    assert answer.status_code == 201, answer.text
    created: dict[str, Any] = answer.json()
    return created


async def listed(api: CaseworkApi, county: str, **params: Any) -> list[dict[str, Any]]:
    answer = await api.get(REGISTER, staff(StaffRole.county_officer, county), params)
    assert answer.status_code == 200, answer.text
    items: list[dict[str, Any]] = answer.json()["items"]
    return items


async def add_household(api: CaseworkApi, region: str, id_number: str, *, left: bool = False) -> str:
    household_id = f"hh-{uuid.uuid4()}"
    async with api.db.sessions.begin() as s:
        s.add(
            Household(
                id=household_id,
                region_code=region,
                status="active",
                review_class="B",
                version=1,
                created_at=NOW,
                updated_at=NOW,
            )
        )
        await s.flush()
        s.add(
            HouseholdMember(
                household_id=household_id,
                person_hash=vault().keyed_hash(id_number),
                id_number_sealed=vault().encrypt(id_number, context=ID_NUMBER_CONTEXT),
                name="张小妹",
                relation="head",
                birth_date=date(1980, 1, 1),
                details_sealed="x",
                joined_at=NOW,
                left_at=NOW if left else None,
            )
        )
    return household_id


async def add_case(api: CaseworkApi, region: str, id_number: str, *, status: str = "investigating") -> str:
    case_id = f"case-{uuid.uuid4()}"
    async with api.db.sessions.begin() as s:
        s.add(
            Case(
                id=case_id,
                kind="application",
                trigger="application",
                trigger_ref=str(uuid.uuid4()),
                program="dibao",
                region_code=region,
                status=status,
                applicant_name_masked="王*",
                member_count=1,
                content_sealed="x",
                opened_at=NOW,
                updated_at=NOW,
            )
        )
        await s.flush()
        s.add(CasePerson(case_id=case_id, person_hash=vault().keyed_hash(id_number)))
    return case_id


async def recusals(api: CaseworkApi, kind: str, subject_id: str) -> list[tuple[str | None, str, str, str]]:
    async with api.db.sessions() as s:
        rows = await s.execute(
            select(Recusal.staff_user, Recusal.staff_name, Recusal.relation, Recusal.source).where(
                Recusal.subject_kind == kind, Recusal.subject_id == subject_id
            )
        )
        return [(user, name, relation, source) for user, name, relation, source in rows.all()]


async def filings_count(api: CaseworkApi, county: str) -> int:
    async with api.db.sessions() as s:
        count = await s.scalar(
            select(func.count()).select_from(StaffRelative).where(StaffRelative.staff_region.startswith(county))
        )
        return int(count or 0)


async def test_a_filing_is_stored_protected_and_listed_with_the_number_masked(api: CaseworkApi) -> None:
    county = new_county()
    township = new_village(county)[:9]
    relative = fresh_id(date(1983, 5, 17))
    body = filing(township, relative, staff_user="u-zhangsan")

    created = await file_ok(api, county, body)

    assert created["relative"] == {"id_number_masked": masked(relative), "name": "张小妹"}
    assert (created["status"], created["relation"], created["staff_region"], created["staff_user"]) == (
        "active",
        "sibling",
        township,
        "u-zhangsan",
    )
    assert created["withdrawn_at"] is None
    assert relative not in str(created)
    [item] = await listed(api, county)
    assert item == created
    assert await listed(api, county, staff_user="u-zhangsan") == [created]
    assert await listed(api, county, staff_user="u-other") == []
    shown = await api.get(f"{REGISTER}/{created['filing_id']}", staff(StaffRole.township_officer, township))
    assert shown.json() == created
    async with api.db.sessions() as s:
        row = await s.get(StaffRelative, created["filing_id"])
    assert row is not None
    assert row.relative_hash == vault().keyed_hash(relative)
    assert vault().decrypt(row.relative_id_sealed, context=ID_NUMBER_CONTEXT) == relative
    assert relative not in (row.relative_hash, row.relative_id_sealed)


async def test_the_list_shows_only_filings_inside_the_jurisdiction(api: CaseworkApi) -> None:
    county, other = new_county(), new_county()
    village = new_village(county)
    mine = await file_ok(api, county, filing(village, fresh_id(date(1990, 2, 2))))
    await file_ok(api, other, filing(other, fresh_id(date(1990, 2, 2))))

    assert await listed(api, county) == [mine]
    township = staff(StaffRole.township_officer, village[:9])
    answer = await api.get(REGISTER, township)
    assert [i["filing_id"] for i in answer.json()["items"]] == [mine["filing_id"]]
    refused = await api.get(REGISTER, township, {"region_code": other})
    assert (refused.status_code, refused.json()["code"]) == (403, "outside_jurisdiction")
    foreign = await api.get(f"{REGISTER}/{mine['filing_id']}", staff(StaffRole.county_officer, other))
    assert (foreign.status_code, foreign.json()["code"]) == (403, "outside_jurisdiction")
    bad = await api.get(REGISTER, township, {"region_code": "12345"})
    assert bad.status_code == 422


async def test_the_list_pages_newest_first(api: CaseworkApi) -> None:
    county = new_county()
    ids = [(await file_ok(api, county, filing(county, fresh_id(date(1970, 1, 1)))))["filing_id"] for _ in range(3)]
    officer = staff(StaffRole.county_officer, county)

    first = (await api.get(REGISTER, officer, {"limit": 2})).json()
    second = (await api.get(REGISTER, officer, {"limit": 2, "cursor": first["next_cursor"]})).json()

    assert [i["filing_id"] for i in first["items"] + second["items"]] == ids[::-1]
    assert second["next_cursor"] is None
    forged = await api.get(REGISTER, officer, {"cursor": "bm90LW91cnM"})
    assert (forged.status_code, forged.json()["code"]) == (422, "invalid_cursor")


async def test_the_same_active_filing_twice_is_409(api: CaseworkApi) -> None:
    county = new_county()
    relative = fresh_id(date(1961, 8, 8))
    body = filing(county, relative, staff_user="u-li")
    first = await file_ok(api, county, body)

    again = await api.post(REGISTER, staff(StaffRole.county_officer, county), {**body, "staff_unit": "县民政局"})
    by_name = await api.post(REGISTER, staff(StaffRole.county_officer, county), {**body, "staff_user": None})

    assert (again.status_code, again.json()["code"]) == (409, "filing_exists")
    assert (by_name.status_code, by_name.json()["code"]) == (409, "filing_exists")
    assert await filings_count(api, county) == 1
    # Another relation of the same people is a filing of its own; a withdrawn one can be filed again.
    await file_ok(api, county, {**body, "relation": "cousin"})
    withdrawn = await api.post(
        f"{REGISTER}/{first['filing_id']}/withdraw", staff(StaffRole.county_officer, county), {"reason": "调离"}
    )
    assert withdrawn.status_code == 200, withdrawn.text
    await file_ok(api, county, body)
    assert await filings_count(api, county) == 3


async def test_invalid_filings_are_422_and_store_nothing(api: CaseworkApi) -> None:
    county = new_county()
    officer = staff(StaffRole.county_officer, county)
    good = filing(county, fresh_id(date(1977, 7, 7)))
    number = good["relative"]["id_number"]
    bad_id = number[:-1] + ("0" if number[-1] != "0" else "1")
    cases: list[tuple[dict[str, Any], list[Any]]] = [
        ({**good, "relative": {**good["relative"], "id_number": bad_id}}, ["body", "relative", "id_number"]),
        ({**good, "relation": "neighbour"}, ["body", "relation"]),
        ({k: v for k, v in good.items() if k != "staff_name"}, ["body", "staff_name"]),
        ({**good, "staff_name": "  "}, ["body", "staff_name"]),
        ({**good, "staff_region": "65"}, ["body", "staff_region"]),
        ({**good, "staff_region": 650000}, ["body", "staff_region"]),
        ({**good, "staff_user": 42}, ["body", "staff_user"]),
        ({**good, "relative": {"id_number": number}}, ["body", "relative", "name"]),
        ({**good, "note": "x"}, ["body", "note"]),
    ]
    for body, loc in cases:
        refused = await api.post(REGISTER, officer, body)
        assert (refused.status_code, refused.json()["code"]) == (422, "validation_failed"), body
        assert loc in [e["loc"] for e in refused.json()["errors"]], refused.json()
        assert bad_id not in refused.text  # rejected input is never echoed (DOMAIN.md §11)

    assert await filings_count(api, county) == 0


async def test_filing_is_for_officers_inside_their_own_jurisdiction(api: CaseworkApi) -> None:
    county = new_county()
    village = new_village(county)
    elsewhere = county + ("100" if village[6:9] != "100" else "101") + "001"  # another township of the county
    relative = fresh_id(date(1988, 3, 3))

    township = staff(StaffRole.township_officer, village[:9])
    own = await api.post(REGISTER, township, filing(village, relative))
    other = await api.post(REGISTER, township, filing(elsewhere[:9], relative, relation="cousin"))
    county_wide = await api.post(REGISTER, township, filing(county, relative, relation="uncle_aunt"))
    assistant = await api.post(REGISTER, staff(StaffRole.village_assistant, village), filing(village, relative))
    city = await api.post(REGISTER, staff(StaffRole.city_supervisor, county[:4]), filing(village, relative))

    assert own.status_code == 201, own.text
    assert (other.status_code, other.json()["code"]) == (403, "outside_jurisdiction")
    assert (county_wide.status_code, county_wide.json()["code"]) == (403, "outside_jurisdiction")
    assert (assistant.status_code, assistant.json()["code"]) == (403, "role_required")
    assert (city.status_code, city.json()["code"]) == (403, "role_required")
    assert await filings_count(api, county) == 1


async def test_a_withdrawn_filing_stays_on_record_and_keeps_its_recusals(api: CaseworkApi) -> None:
    county = new_county()
    village = new_village(county)
    relative = fresh_id(date(1959, 9, 9))
    household = await add_household(api, village, relative)
    created = await file_ok(
        api, county, filing(county, relative, staff_user=None, staff_name="李四", relation="spouse")
    )
    path = f"{REGISTER}/{created['filing_id']}/withdraw"
    officer = staff(StaffRole.county_officer, county)

    empty = await api.post(path, officer, {"reason": ""})
    foreign = await api.post(path, staff(StaffRole.county_officer, new_county()), {"reason": "调离"})
    missing = await api.post(f"{REGISTER}/999999999999/withdraw", officer, {"reason": "调离"})
    assert (empty.status_code, foreign.status_code, missing.status_code) == (422, 403, 404)
    assert (await listed(api, county))[0]["status"] == "active"

    api.clock.set_day(date(2026, 12, 1))
    done = await api.post(path, officer, {"reason": "调离岗位"})
    again = await api.post(path, officer, {"reason": "调离岗位"})

    assert done.status_code == 200, done.text
    assert (done.json()["status"], done.json()["withdrawn_reason"]) == ("withdrawn", "调离岗位")
    assert datetime.fromisoformat(done.json()["withdrawn_at"]) == datetime(2026, 12, 1, 2, tzinfo=UTC)
    assert (again.status_code, again.json()["code"]) == (409, "already_withdrawn")
    [item] = await listed(api, county)
    assert (item["filing_id"], item["status"], item["withdrawn_reason"]) == (
        created["filing_id"],
        "withdrawn",
        "调离岗位",
    )
    assert datetime.fromisoformat(item["withdrawn_at"]) == datetime(2026, 12, 1, 2, tzinfo=UTC)
    assert await listed(api, county, status="active") == []
    assert await recusals(api, "household", household) == [(None, "李四", "spouse", "register")]


async def test_a_filing_flags_the_relatives_households_and_open_cases(api: CaseworkApi) -> None:
    county = new_county()
    village = new_village(county)
    relative = fresh_id(date(1966, 6, 6))
    household = await add_household(api, village, relative)
    former = await add_household(api, village, relative, left=True)
    unrelated = await add_household(api, village, fresh_id(date(1966, 6, 6)))
    open_case = await add_case(api, village, relative)
    decided_case = await add_case(api, village, relative, status="decided")

    await file_ok(api, county, filing(village[:9], relative, staff_user="u-wang", staff_name="王五", relation="parent"))

    async with api.db.sessions() as s:
        rows = await s.execute(select(Household.id, Household.close_relative).where(Household.region_code == village))
        flagged = {household_id: flag for household_id, flag in rows.all()}
        cases = {
            c.id: (c.close_relative_detected, c.county_investigation)
            for c in (await s.scalars(select(Case).where(Case.region_code == village))).all()
        }
    assert flagged == {household: True, former: False, unrelated: False}
    assert cases == {open_case: (True, True), decided_case: (False, False)}
    expected = [("u-wang", "王五", "parent", "register")]
    assert await recusals(api, "household", household) == expected
    assert await recusals(api, "case", open_case) == expected
    assert await recusals(api, "household", former) == []
    assert await recusals(api, "case", decided_case) == []


def _casework(api: CaseworkApi) -> Casework:
    settings = CASEWORK.settings()
    runtime = Runtime(CASEWORK, settings, api.db, Outbox(tables.outbox, settings))
    return replace(Casework.of(runtime), clock=api.clock)


async def test_detect_for_people_returns_the_active_filings_and_recuses_once(api: CaseworkApi) -> None:
    county = new_county()
    relative, stranger = fresh_id(date(1972, 2, 29)), fresh_id(date(1972, 3, 1))
    kept = await file_ok(api, county, filing(county, relative, staff_user="u-zhao", staff_name="赵六"))
    ended = await file_ok(api, county, filing(county, relative, staff_name="钱七", relation="cousin"))
    await api.post(
        f"{REGISTER}/{ended['filing_id']}/withdraw", staff(StaffRole.county_officer, county), {"reason": "离职"}
    )
    ctx = _casework(api)
    subject = f"case-{uuid.uuid4()}"
    hashes = [vault().keyed_hash(relative), vault().keyed_hash(stranger)]

    found = []
    for _ in range(2):
        async with api.db.sessions.begin() as s:
            filings = await service.detect_for_people(
                s, ctx, subject_kind="case", subject_id=subject, person_hashes=hashes
            )
            found.append([f.id for f in filings])

    assert found == [[kept["filing_id"]], [kept["filing_id"]]]
    assert await recusals(api, "case", subject) == [("u-zhao", "赵六", "sibling", "register")]
    async with api.db.sessions.begin() as s:
        nobody = await service.detect_for_people(
            s, ctx, subject_kind="household", subject_id=subject, person_hashes=[vault().keyed_hash(stranger)]
        )
        assert nobody == []
        assert await service.detect_for_people(s, ctx, subject_kind="case", subject_id=subject, person_hashes=[]) == []
    assert await recusals(api, "household", subject) == []
