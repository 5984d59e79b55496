"""Bad input, wrong hands and conflicting claims are refused and change nothing (DOMAIN.md §1, §7, §11)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from libs.contracts.staff import StaffRole
from libs.kernel.auth import Principal
from services.intake.application.models import Application, ApplicationHistory, ApplicationVersion
from services.intake.db import tables
from tests.intake.support import IntakeApi, application_body, fresh_id, member, new_village, staff

BASE = "/api/v1/intake/applications"
Body = dict[str, Any]


def officer(village: str, **kw: Any) -> Principal:
    return staff(StaffRole.township_officer, village[:9], **kw)


async def snapshot(api: IntakeApi) -> tuple[int, ...]:
    """Row counts of everything a request could have written: equal before and after means nothing changed."""
    counts: list[int] = []
    async with api.db.sessions() as s:
        for t in (Application, ApplicationVersion, ApplicationHistory, tables.outbox):
            counts.append(int((await s.execute(select(func.count()).select_from(t))).scalar_one()))
    return tuple(counts)


async def created(api: IntakeApi, who: Principal, body: Body) -> Body:
    r = await api.post(BASE, who, body)
    assert r.status_code == 201, r.text
    out: Body = r.json()
    return out


async def act(api: IntakeApi, who: Principal, app_id: str, action: str, body: Any = None) -> Body:
    r = await api.post(f"{BASE}/{app_id}/{action}", who, body)
    assert r.status_code == 200, r.text
    out: Body = r.json()
    return out


async def found_by(api: IntakeApi, who: Principal, **params: str) -> list[Body]:
    r = await api.get(BASE, who, params)
    assert r.status_code == 200, r.text
    items: list[Body] = r.json()["items"]
    return items


def bad_check_character(id_number: str) -> str:
    return id_number[:17] + ("0" if id_number[17] != "0" else "1")


# ---- identity numbers (GB 11643, DOMAIN.md §11) -----------------------------------------------------------------


async def test_an_identity_number_with_a_bad_check_character_is_refused(api: IntakeApi) -> None:
    village = new_village()
    body = application_body(village)
    bad = bad_check_character(body["members"][1]["id_number"])
    body["members"][1]["id_number"] = bad
    before = await snapshot(api)
    r = await api.post(BASE, officer(village), body)
    assert r.status_code == 422
    assert ["body", "members", 1, "id_number"] in [e["loc"] for e in r.json()["errors"]]
    assert bad not in r.text
    assert await snapshot(api) == before


async def test_a_fifteen_digit_legacy_number_is_stored_as_eighteen(api: IntakeApi) -> None:
    village = new_village()
    who = officer(village)
    modern = fresh_id(date(1962, 7, 8))
    legacy = modern[:6] + modern[8:17]
    body = application_body(village, members=[member(legacy, "刘长根")], applicant_id_number=legacy)
    body["income"][0]["member_id_number"] = legacy
    body["assets"][0]["member_id_number"] = body["bank_account"]["holder_id_number"] = legacy
    app = await created(api, who, body)
    assert app["members"][0]["id_number_masked"] == modern[:6] + "********" + modern[14:]
    assert app["members"][0]["birth_date"] == "1962-07-08"
    assert [a["application_id"] for a in await found_by(api, who, id_number=modern)] == [app["application_id"]]


async def test_a_lowercase_x_is_normalised(api: IntakeApi) -> None:
    village = new_village()
    who = officer(village)
    while not (with_x := fresh_id(date(1980, 1, 1))).endswith("X"):
        pass
    body = application_body(village)
    body["members"][2]["id_number"] = with_x.lower()
    app = await created(api, who, body)
    assert app["members"][2]["id_number_masked"].endswith("X")
    assert [a["application_id"] for a in await found_by(api, who, id_number=with_x)] == [app["application_id"]]


# ---- malformed bodies ---------------------------------------------------------------------------------------


_DROP = object()


def change(body: Body, path: tuple[str | int, ...], value: Any) -> None:
    """Set (or with `_DROP`, remove) the field at `path`."""
    target: Any = body
    for key in path[:-1]:
        target = target[key]
    if value is _DROP:
        del target[path[-1]]
    else:
        target[path[-1]] = value


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("region_code",), "14040210110"),
        (("region_code",), "1404021011ab"),
        (("program",), "welfare"),
        (("emergency",), "sometimes"),
        (("members",), "王建国一家"),
        (("members",), []),
        (("members", 0, "relation"), _DROP),
        (("members", 0, "disability_grade"), 5),
        (("declarations",), _DROP),
        (("declarations", "close_relative", "declared"), "maybe"),
        (("income", 0, "amount_12_months"), "-100.00"),
        (("income", 0, "amount_12_months"), 9600),
        (("income", 0, "amount_12_months"), "9600"),
        (("expenditure", 0, "amount_12_months"), "-1.00"),
        (("obligors",), [{"id_number": "x", "name": "王", "relation": "son", "support_monthly": "-5.00"}]),
        (("bank_account", "account_no"), "6222-0200"),
        (("applicant_id_number",), "110105194912310021"),
        (("password",), "hunter2"),
    ],
)
async def test_malformed_bodies_are_refused_naming_the_field(
    api: IntakeApi, path: tuple[str | int, ...], value: Any
) -> None:
    village = new_village()
    body = application_body(village)
    change(body, path, value)
    before = await snapshot(api)
    r = await api.post(BASE, officer(village), body)
    assert r.status_code == 422, r.text
    assert r.json()["code"] == "validation_failed"
    assert any(e["loc"][: len(path) + 1] == ["body", *path] for e in r.json()["errors"]), r.json()["errors"]
    assert await snapshot(api) == before


async def test_a_body_that_is_not_an_object_is_refused(api: IntakeApi) -> None:
    village = new_village()
    before = await snapshot(api)
    r = await api.post(BASE, officer(village), [application_body(village)])
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == ["body"]
    assert await snapshot(api) == before


async def test_a_bad_update_keeps_the_stored_version(api: IntakeApi) -> None:
    village = new_village()
    who = officer(village)
    body = application_body(village)
    app_id = (await created(api, who, body))["application_id"]
    body["income"][0]["amount_12_months"] = "-1.00"
    before = await snapshot(api)
    assert (await api.put(f"{BASE}/{app_id}", who, body)).status_code == 422
    assert await snapshot(api) == before


async def test_a_search_by_an_invalid_identity_number_is_refused(api: IntakeApi) -> None:
    village = new_village()
    r = await api.get(BASE, officer(village), {"id_number": bad_check_character(fresh_id(date(1970, 1, 1)))})
    assert (r.status_code, r.json()["errors"][0]["loc"]) == (422, ["query", "id_number"])


# ---- age and condition against the program -------------------------------------------------------------------


async def test_an_applicant_too_young_for_the_program_is_named(api: IntakeApi) -> None:
    village = new_village()
    members = [member(fresh_id(date(1975, 3, 14)), "王建国"), member(fresh_id(date(1956, 5, 1)), "王老汉", "parent")]
    body = application_body(village, program="elderly_high_age", members=members)
    body["applicant_id_number"] = members[1]["id_number"]
    before = await snapshot(api)
    r = await api.post(BASE, officer(village), body)
    assert (r.status_code, r.json()["code"]) == (422, "age_not_eligible")
    assert r.json()["errors"][0]["loc"] == ["body", "members", 1, "id_number"]
    assert await snapshot(api) == before


async def test_an_update_to_a_program_the_applicant_cannot_have_is_refused(api: IntakeApi) -> None:
    village = new_village()
    who = officer(village)
    body = application_body(village)
    app_id = (await created(api, who, body))["application_id"]
    before = await snapshot(api)
    r = await api.put(f"{BASE}/{app_id}", who, {**body, "program": "orphan"})
    assert (r.status_code, r.json()["errors"][0]["loc"]) == (422, ["body", "members", 0, "id_number"])
    assert await snapshot(api) == before
    got = await api.get(f"{BASE}/{app_id}", who)
    assert (got.json()["program"], got.json()["version"]) == ("dibao", 1)


# ---- who may do what, where ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "code"),
    [
        (lambda v: staff(StaffRole.township_officer, v[:6] + "000"), "outside_jurisdiction"),  # another township
        (lambda v: staff(StaffRole.county_officer, "140403"), "outside_jurisdiction"),
        (lambda v: staff(StaffRole.village_assistant, v[:9] + "000"), "outside_jurisdiction"),  # another village
        (lambda v: staff(StaffRole.city_supervisor, v[:4]), "role_required"),  # cities only read
    ],
)
async def test_creating_outside_ones_jurisdiction_or_role_is_forbidden(
    api: IntakeApi, who: Callable[[str], Principal], code: str
) -> None:
    village = new_village()
    before = await snapshot(api)
    r = await api.post(BASE, who(village), application_body(village))
    assert (r.status_code, r.json()["code"]) == (403, code)
    assert await snapshot(api) == before


async def test_the_village_assistant_files_in_the_own_village_and_the_city_reads(api: IntakeApi) -> None:
    village = new_village()
    app = await created(api, staff(StaffRole.village_assistant, village), application_body(village))
    city = staff(StaffRole.city_supervisor, village[:4])
    r = await api.get(f"{BASE}/{app['application_id']}", city)
    assert (r.status_code, r.json()["status"]) == (200, "draft")
    assert [a["application_id"] for a in await found_by(api, city, region_code=village)] == [app["application_id"]]
    r = await api.post(f"{BASE}/{app['application_id']}/submit", city)
    assert (r.status_code, r.json()["code"]) == (403, "role_required")


async def test_acting_on_an_application_outside_ones_jurisdiction_is_forbidden(api: IntakeApi) -> None:
    village = new_village()
    who = officer(village)
    body = application_body(village)
    app_id = (await created(api, who, body))["application_id"]
    before = await snapshot(api)
    r = await api.put(f"{BASE}/{app_id}", who, {**body, "region_code": "140403101101"})  # moving it out
    assert (r.status_code, r.json()["code"]) == (403, "outside_jurisdiction")
    assert await snapshot(api) == before
    await act(api, who, app_id, "submit")
    stranger = staff(StaffRole.county_officer, "140403")
    before = await snapshot(api)
    for r in (await api.get(f"{BASE}/{app_id}", stranger), await api.post(f"{BASE}/{app_id}/accept", stranger)):
        assert (r.status_code, r.json()["code"]) == (403, "outside_jurisdiction")
    assert await snapshot(api) == before
    assert await found_by(api, stranger, id_number=body["applicant_id_number"]) == []
    r = await api.get(BASE, stranger, {"region_code": village})
    assert (r.status_code, r.json()["code"]) == (403, "outside_jurisdiction")
    got = (await api.get(f"{BASE}/{app_id}", who)).json()
    assert (got["status"], got["region_code"], got["version"]) == ("submitted", village, 1)


# ---- one person, one open claim per kind of help ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("steps", "conflict"),
    [
        ([], False),  # a draft claims nobody yet
        (["submit"], True),
        (["submit", "return"], True),
        (["submit", "accept"], True),
        (["submit", "accept", "withdraw"], False),
        (["withdraw"], False),
    ],
)
async def test_a_person_in_an_open_application_cannot_be_claimed_again(
    api: IntakeApi, steps: list[str], conflict: bool
) -> None:
    village = new_village()
    who = officer(village)
    first = application_body(village)
    first_app = await created(api, who, first)
    bodies = {"return": {"missing": [{"item": "户口簿"}]}, "withdraw": {"reason": "撤回"}}
    for step in steps:
        await act(api, who, first_app["application_id"], step, bodies.get(step))
    moved_out = {**first["members"][2], "relation": "child"}  # the son, now in his uncle's household
    uncle = fresh_id(date(1970, 2, 2))
    second = application_body(village, members=[member(uncle, "王建军"), moved_out])
    before = await snapshot(api)
    r = await api.post(BASE, who, second)
    if not conflict:
        assert r.status_code == 201, r.text
        return
    assert (r.status_code, r.json()["code"]) == (409, "person_in_open_application")
    assert r.json()["conflicting_application_no"] == first_app["application_no"]
    assert r.json()["errors"][0]["loc"] == ["body", "members", 1, "id_number"]
    assert moved_out["id_number"] not in r.text
    assert await snapshot(api) == before


async def test_a_subsidy_that_combines_with_dibao_is_no_conflict(api: IntakeApi) -> None:
    village = new_village()
    who = officer(village)
    household = application_body(village)
    await act(api, who, (await created(api, who, household))["application_id"], "submit")
    spouse = {**household["members"][1], "relation": "head", "disability_kind": "physical", "disability_grade": 4}
    body = application_body(village, program="disability_living", members=[spouse])
    app = await created(api, who, body)
    assert (await act(api, who, app["application_id"], "submit"))["status"] == "submitted"


async def test_the_conflict_is_checked_again_at_submission(api: IntakeApi) -> None:
    village = new_village()
    who = officer(village)
    body = application_body(village)
    first = (await created(api, who, body))["application_id"]
    twin = (await created(api, who, body))["application_id"]  # both drafts: nobody is claimed yet
    await act(api, who, first, "submit")
    before = await snapshot(api)
    r = await api.post(f"{BASE}/{twin}/submit", who)
    assert (r.status_code, r.json()["code"]) == (409, "person_in_open_application")
    assert await snapshot(api) == before
    assert (await api.get(f"{BASE}/{twin}", who)).json()["status"] == "draft"


async def test_two_submissions_for_the_same_people_at_once_admit_one(api: IntakeApi) -> None:
    village = new_village()
    who = officer(village)
    body = application_body(village)
    ids = [(await created(api, who, body))["application_id"] for _ in range(2)]
    answers = await asyncio.gather(*(api.post(f"{BASE}/{i}/submit", who) for i in ids))
    assert sorted(r.status_code for r in answers) == [200, 409]
    statuses = sorted([(await api.get(f"{BASE}/{i}", who)).json()["status"] for i in ids])
    assert statuses == ["draft", "submitted"]


# ---- close-relative recusal (DOMAIN.md §7) ---------------------------------------------------------------------


def declaring(body: Body, staff_name: str, staff_user: str | None = None) -> Body:
    relative = {"member_id_number": body["members"][1]["id_number"], "staff_name": staff_name, "relation": "sibling"}
    if staff_user is not None:
        relative["staff_user"] = staff_user
    body["declarations"]["close_relative"] = {"declared": True, "relatives": [relative]}
    return body


@pytest.mark.parametrize("by", ["staff_user", "name"])
async def test_a_declared_relative_may_not_file_the_application(api: IntakeApi, by: str) -> None:
    village = new_village()
    relative = officer(village, name="赵红梅")
    if by == "staff_user":
        body = declaring(application_body(village), "赵某", relative.subject)  # the user id alone matches
    else:
        body = declaring(application_body(village), "赵红梅")
    before = await snapshot(api)
    r = await api.post(BASE, relative, body)
    assert (r.status_code, r.json()["code"]) == (403, "recusal_required")
    assert await snapshot(api) == before


async def test_a_declared_relative_may_not_accept_but_a_colleague_may(api: IntakeApi) -> None:
    village = new_village()
    relative = officer(village, name="赵红梅")
    colleague = officer(village, name="钱卫东")
    body = declaring(application_body(village), "赵红梅", relative.subject)
    app_id = (await created(api, colleague, body))["application_id"]
    await act(api, colleague, app_id, "submit")
    before = await snapshot(api)
    for action, payload in (("accept", None), ("return", {"missing": [{"item": "x"}]}), ("withdraw", {"reason": "x"})):
        r = await api.post(f"{BASE}/{app_id}/{action}", relative, payload)
        assert (r.status_code, r.json()["code"]) == (403, "recusal_required"), action
    assert await snapshot(api) == before
    app = await act(api, colleague, app_id, "accept")
    assert (app["status"], app["close_relative_declared"]) == ("accepted", True)
    assert app["close_relatives"] == [
        {"member_name": "李秀英", "staff_name": "赵红梅", "staff_unit": "", "relation": "sibling"}
    ]
