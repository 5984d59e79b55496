"""The admin API of local figures (DOMAIN.md §12): rows per region prefix and effective date, the most specific
prefix in force winning figure by figure; validation, repeats and jurisdiction.

Rows of a city or of the nation reach other tests' counties, so every test sets its rows in a year of its own far
in the future (no other test reads figures there) and asserts only on the figures it set itself.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from sqlalchemy import select

from libs.contracts.staff import StaffRole
from libs.kernel.auth import Principal
from services.casework.local_figures.figures import FIGURE_NAMES
from services.casework.local_figures.models import StandardFigure
from services.casework.local_figures.schemas import SPECS, api_name
from tests.casework.support import CaseworkApi, new_county, new_village, staff

STANDARDS = "/api/v1/casework/standards"
IN_FORCE = f"{STANDARDS}/in-force"
# Years no other test pays in (their figures are kept, and a city's or the nation's would reach other tests), within
# the dates the API accepts (up to 2099).
_YEARS = iter(random.sample(range(2040, 2099), 20))
ADMIN = staff(StaffRole.system_admin, "")


def a_year() -> int:
    return next(_YEARS)


async def set_figures(
    api: CaseworkApi, who: Principal, prefix: str, day: date, figures: dict[str, Any]
) -> list[dict[str, Any]]:
    body = {"region_prefix": prefix, "effective_from": day.isoformat(), "figures": figures}
    answer = await api.post(STANDARDS, who, body)
    assert answer.status_code == 201, answer.text
    items: list[dict[str, Any]] = answer.json()["items"]
    return items


async def in_force(api: CaseworkApi, region: str, on: date | None = None) -> dict[str, Any]:
    params = {"region_code": region} | ({"on": on.isoformat()} if on else {})
    answer = await api.get(IN_FORCE, staff(StaffRole.township_officer, region[:9]), params)
    assert answer.status_code == 200, answer.text
    figures: dict[str, Any] = answer.json()["figures"]
    return figures


async def stored(api: CaseworkApi, prefix: str) -> dict[tuple[date, str], Any]:
    async with api.db.sessions() as s:
        rows = (await s.scalars(select(StandardFigure).where(StandardFigure.region_prefix == prefix))).all()
    return {(r.effective_from, r.name): r.value for r in rows}


def test_every_figure_has_a_rule_for_its_api_form() -> None:
    assert set(SPECS) == set(FIGURE_NAMES)


async def test_the_most_specific_prefix_in_force_wins_figure_by_figure(api: CaseworkApi) -> None:
    county = new_county()
    neighbour = county[:4] + ("01" if county[4:] != "01" else "02")
    village = new_village(county)
    year = a_year()
    start = date(year, 1, 1)
    await set_figures(api, ADMIN, "", start, {"dibao_standard": "500.00", "publicity_days": 9, "review_months_c": 4})
    await set_figures(api, ADMIN, county[:4], start, {"publicity_days": 5})
    await set_figures(api, staff(StaffRole.county_officer, county), county, start, {"dibao_standard": "700.00"})

    figures = await in_force(api, village, date(year, 2, 1))
    nearby = await in_force(api, neighbour + "101001", date(year, 2, 1))

    assert set(figures) == {api_name(n) for n in FIGURE_NAMES}
    assert figures["dibao_standard"] == {
        "value": "700.00",
        "region_prefix": county,
        "effective_from": start.isoformat(),
    }
    assert figures["publicity_days"] == {"value": 5, "region_prefix": county[:4], "effective_from": start.isoformat()}
    assert figures["review_months_c"] == {"value": 4, "region_prefix": "", "effective_from": start.isoformat()}
    # The rest comes from the national rows of the migration (DOMAIN.md §4: class A yearly).
    assert figures["review_months_a"] == {"value": 12, "region_prefix": "", "effective_from": "2000-01-01"}
    assert figures["gradual_exit_schedule_pct"]["value"] == [100, 100, 100, 100, 100, 100]
    assert figures["confirmation_delegated"]["value"] is False
    assert figures["tekun_basic"] == {"value": None, "region_prefix": None, "effective_from": None}
    assert (nearby["dibao_standard"]["value"], nearby["publicity_days"]["value"]) == ("500.00", 5)
    # Today (the test clock) none of these rows is in force yet.
    api.clock.set_day(date(2026, 11, 23))
    answer = await api.get(IN_FORCE, staff(StaffRole.village_assistant, village), {"region_code": village})
    assert answer.json()["on"] == "2026-11-23"
    assert answer.json()["figures"]["dibao_standard"]["value"] is None
    assert answer.json()["figures"]["publicity_days"]["value"] == 7


async def test_a_figure_from_a_later_date_is_not_in_force_before_it(api: CaseworkApi) -> None:
    county = new_county()
    village = new_village(county)
    officer = staff(StaffRole.county_officer, county)
    year = a_year()
    await set_figures(api, officer, county, date(year, 1, 1), {"dibao_standard": "600.00"})
    await set_figures(api, officer, village[:9], date(year, 7, 1), {"dibao_standard": "650.00"})

    before = await in_force(api, village, date(year - 1, 12, 31))
    spring = await in_force(api, village, date(year, 6, 30))
    summer = await in_force(api, village, date(year, 7, 1))

    assert before["dibao_standard"]["region_prefix"] not in (county, village[:9])
    assert spring["dibao_standard"] == {"value": "600.00", "region_prefix": county, "effective_from": f"{year}-01-01"}
    assert summer["dibao_standard"] == {
        "value": "650.00",
        "region_prefix": village[:9],
        "effective_from": f"{year}-07-01",
    }


async def test_figures_are_stored_in_fen_and_listed_with_the_wider_rows(api: CaseworkApi) -> None:
    county, other = new_county(), new_county()
    officer = staff(StaffRole.county_officer, county)
    day = date(a_year(), 1, 1)
    figures = {
        "dibao_standard": "700.00",
        "employment_cost_deduction": "150.50",
        "publicity_days": 5,
        "confirmation_delegated": True,
        "gradual_exit_schedule_pct": [100, 100, 80, 80, 60, 60],
        "rigid_medical_cap": "300.00",
        "rigid_expense_declared": True,
        "financial_assets_months": 12,
        "vehicles_allowed": 1,
    }

    items = await set_figures(api, officer, county, day, figures)
    await set_figures(api, staff(StaffRole.county_officer, other), other, day, {"publicity_days": 6})

    assert {i["name"]: i["value"] for i in items} == figures
    assert {(i["region_prefix"], i["effective_from"], i["created_by"]) for i in items} == {
        (county, day.isoformat(), officer.subject)
    }
    assert await stored(api, county) == {
        (day, "dibao_standard_fen"): 70000,
        (day, "employment_cost_deduction_fen"): 15050,
        (day, "publicity_days"): 5,
        (day, "confirmation_delegated"): True,
        (day, "gradual_exit_schedule_pct"): [100, 100, 80, 80, 60, 60],
        (day, "rigid_medical_cap_fen"): 30000,
        (day, "rigid_expense_declared"): True,
        (day, "financial_assets_months"): 12,
        (day, "vehicles_allowed"): 1,
    }
    listed: list[dict[str, Any]] = []
    cursor = None
    while True:
        params = {"limit": 4} | ({"cursor": cursor} if cursor else {})
        page = (await api.get(STANDARDS, staff(StaffRole.city_supervisor, county[:4]), params)).json()
        listed += page["items"]
        if not (cursor := page["next_cursor"]):
            break
    mine = [i for i in listed if i["region_prefix"] == county]
    assert sorted(i["name"] for i in mine) == sorted(figures)
    assert {i["region_prefix"] for i in listed} >= {"", county}
    assert all(i["region_prefix"] == "" or i["region_prefix"].startswith(county[:4]) for i in listed)
    keys = [(i["region_prefix"], i["effective_from"], i["name"]) for i in listed]
    assert keys == sorted(keys)
    own = (await api.get(STANDARDS, officer, {"name": "dibao_standard"})).json()["items"]
    assert [(i["region_prefix"], i["value"]) for i in own if i["region_prefix"]] == [(county, "700.00")]
    assert other not in {i["region_prefix"] for i in (await api.get(STANDARDS, officer)).json()["items"]}


BAD_FIGURES: list[tuple[str, Any]] = [
    ("dibao_standard_fen", 70000),  # stored names are not API names
    ("lottery_prize", 1),
    ("dibao_standard", 700),
    ("dibao_standard", "700"),
    ("dibao_standard", "-1.00"),
    ("employment_cost_deduction", "-5.00"),
    ("publicity_days", "5"),
    ("publicity_days", 5.0),
    ("publicity_days", True),
    ("publicity_days", 0),
    ("publicity_days", 31),
    ("marginal_multiplier_pct", 99),
    ("marginal_multiplier_pct", 301),
    ("review_months_a", 13),
    ("review_months_b", 0),
    ("review_months_c", 7),
    ("review_months_monthly", 13),
    ("review_months_quarterly", 0),
    ("gradual_exit_schedule_pct", []),
    ("gradual_exit_schedule_pct", [100] * 13),
    ("gradual_exit_schedule_pct", [100, 101]),
    ("gradual_exit_schedule_pct", [100, "80"]),
    ("gradual_exit_schedule_pct", 100),
    ("benefit_start_offset_months", 4),
    ("benefit_start_offset_months", -1),
    ("village_report_due_day", 29),
    ("township_report_due_day", 0),
    ("confirmation_delegated", "yes"),
    ("confirmation_delegated", 1),
    ("tekun_basic", None),
    ("rigid_medical_cap", "-1.00"),
    ("rigid_education_cap", "300"),
    ("rigid_expense_declared", 1),
    ("financial_assets_months", 0),
    ("financial_assets_months", 121),
    ("vehicles_allowed", -1),
    ("vehicles_allowed", 6),
    ("houses_allowed", 0),
    ("houses_allowed", 6),
    # Review rules per program (issue 21): one of the named rules, nothing else.
    ("review_rule_dibao", "weekly"),
    ("review_rule_disability_living", 3),
    ("review_rule_orphan", "Registry"),
    ("review_rule_temporary", "registry"),
]


async def test_each_bad_figure_is_422_and_nothing_is_stored(api: CaseworkApi) -> None:
    county = new_county()
    officer = staff(StaffRole.county_officer, county)
    day = date(a_year(), 1, 1)
    for name, value in BAD_FIGURES:
        good = {"publicity_days": 5} if name != "publicity_days" else {"review_months_a": 12}
        body = {"region_prefix": county, "effective_from": day.isoformat(), "figures": {**good, name: value}}
        refused = await api.post(STANDARDS, officer, body)
        assert (refused.status_code, refused.json()["code"]) == (422, "invalid_figure"), (name, value, refused.text)
        assert [e["loc"] for e in refused.json()["errors"]] == [["body", "figures", name]], refused.json()

    crossed = {"village_report_due_day": 20, "township_report_due_day": 15}
    body = {"region_prefix": county, "effective_from": day.isoformat(), "figures": crossed}
    refused = await api.post(STANDARDS, officer, body)
    assert (refused.status_code, refused.json()["code"]) == (422, "invalid_figure")
    assert [e["loc"] for e in refused.json()["errors"]] == [["body", "figures", "township_report_due_day"]]
    assert await stored(api, county) == {}


async def test_malformed_requests_are_422_and_store_nothing(api: CaseworkApi) -> None:
    county = new_county()
    officer = staff(StaffRole.county_officer, county)
    good: dict[str, Any] = {"region_prefix": county, "effective_from": "2999-01-01", "figures": {"publicity_days": 5}}
    cases: list[tuple[dict[str, Any], list[Any]]] = [
        ({**good, "region_prefix": county + "1"}, ["body", "region_prefix"]),
        ({**good, "region_prefix": "65x"}, ["body", "region_prefix"]),
        ({**good, "effective_from": "2999-13-01"}, ["body", "effective_from"]),
        ({**good, "figures": {}}, ["body", "figures"]),
        ({**good, "figures": [["publicity_days", 5]]}, ["body", "figures"]),
        ({k: v for k, v in good.items() if k != "figures"}, ["body", "figures"]),
        ({**good, "note": "x"}, ["body", "note"]),
    ]
    for body, loc in cases:
        refused = await api.post(STANDARDS, officer, body)
        assert (refused.status_code, refused.json()["code"]) == (422, "validation_failed"), body
        assert loc in [e["loc"] for e in refused.json()["errors"]], refused.json()
    bad_query = await api.get(IN_FORCE, officer, {"region_code": county, "on": "tomorrow"})
    assert bad_query.status_code == 422
    unknown = await api.get(STANDARDS, officer, {"name": "dibao_standard_fen"})
    assert (unknown.status_code, unknown.json()["code"]) == (422, "invalid_figure")
    assert await stored(api, county) == {}


async def test_a_figure_already_set_for_the_prefix_and_date_is_409_and_nothing_is_stored(api: CaseworkApi) -> None:
    county = new_county()
    officer = staff(StaffRole.county_officer, county)
    day = date(a_year(), 1, 1)
    await set_figures(api, officer, county, day, {"dibao_standard": "700.00"})

    changed: dict[str, Any] = {"dibao_standard": "710.00", "publicity_days": 6}
    body = {"region_prefix": county, "effective_from": day.isoformat(), "figures": changed}
    again = await api.post(STANDARDS, officer, body)

    assert (again.status_code, again.json()["code"], again.json()["figures"]) == (
        409,
        "figure_exists",
        ["dibao_standard"],
    )
    assert await stored(api, county) == {(day, "dibao_standard_fen"): 70000}
    later = date(day.year, 2, 1)
    await set_figures(api, officer, county, later, changed)
    assert (await in_force(api, county + "101001", later))["dibao_standard"]["value"] == "710.00"


async def test_only_admins_set_figures_and_only_inside_their_jurisdiction(api: CaseworkApi) -> None:
    county, other = new_county(), new_county()
    village = new_village(county)
    day = date(a_year(), 1, 1)
    figures = {"publicity_days": 5}
    officer = staff(StaffRole.county_officer, county)
    refusals = [
        (officer, other, "outside_jurisdiction"),
        (officer, "", "outside_jurisdiction"),
        (officer, county[:4], "outside_jurisdiction"),
        (staff(StaffRole.township_officer, village[:9]), village[:9], "role_required"),
        (staff(StaffRole.village_assistant, village), village, "role_required"),
        (staff(StaffRole.city_supervisor, county[:4]), county, "role_required"),
    ]
    for who, prefix, code in refusals:
        body = {"region_prefix": prefix, "effective_from": day.isoformat(), "figures": figures}
        refused = await api.post(STANDARDS, who, body)
        assert (refused.status_code, refused.json()["code"]) == (403, code), (who.roles, prefix)
    for prefix in (other, "", county[:4], village[:9], village):
        assert await stored(api, prefix) == {} or all(d != day for d, _ in await stored(api, prefix))

    outside = await api.get(IN_FORCE, officer, {"region_code": other + "101001"})
    assert (outside.status_code, outside.json()["code"]) == (403, "outside_jurisdiction")
    wider = await api.get(STANDARDS, officer, {"region_prefix": county[:4]})
    assert (wider.status_code, wider.json()["code"]) == (403, "outside_jurisdiction")
    # Inside the county, a township's own figures are the county officer's to set.
    await set_figures(api, officer, village[:9], day, figures)
