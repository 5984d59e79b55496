"""Review dates per program (issue 21; DOMAIN.md §4) through approvals, the review calendar and review decisions.

A class-B dibao household that gains a disability subsidy is visited each quarter (seed 003 二), not half-yearly; a
program the monthly registry check covers (seed 000 三(二)) never opens a visit; a county's figures change both the
rule and the interval. The calendar reads every household of the shared database, so each test asserts only on its
own household's cases.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select, update

from libs.contracts.events.casework import EntitlementStatus
from libs.contracts.period import Period
from libs.contracts.programs import Program
from services.casework.case import review_dates
from services.casework.case.models import Case
from services.casework.case.opening import open_due_reviews
from services.casework.local_figures.repository import standards_in_force
from services.casework.registry import service as registry
from services.casework.registry.models import Entitlement, Household
from tests.casework.flows import CASES, case_of_application, end_publicity, officers, recipient_household
from tests.casework.support import (
    Broker,
    CaseworkApi,
    Person,
    application,
    event,
    family,
    fresh_id,
    investigation_body,
    new_county,
    new_village,
    set_standards,
    verification,
)


async def run_calendar(api: CaseworkApi) -> None:
    assert api.ctx is not None
    async with api.db.sessions.begin() as s:
        await open_due_reviews(s, api.ctx)


async def periodic_refs(api: CaseworkApi, household_id: str) -> list[str]:
    async with api.db.sessions() as s:
        stmt = select(Case.trigger_ref).where(Case.household_id == household_id, Case.trigger == "periodic")
        return sorted((await s.scalars(stmt)).all())


async def dates(api: CaseworkApi, household_id: str) -> tuple[date | None, dict[str, date | None]]:
    """The household's next visit and each program's."""
    async with api.db.sessions() as s:
        household = await s.get(Household, household_id)
        assert household is not None
        rows = (await s.scalars(select(Entitlement).where(Entitlement.household_id == household_id))).all()
        return household.next_review_date, {r.program: r.next_review_date for r in rows}


def disabled_family() -> list[Person]:
    people = family()
    head = people[0]
    return [
        Person(
            head.id_number, head.name, head.relation, head.born, {"disability_kind": "physical", "disability_grade": 2}
        ),
        *people[1:],
    ]


async def approve(
    api: CaseworkApi, broker: Broker, county: str, village: str, people: list[Person], program: Program, day: date
) -> None:
    """An application for `program` by the household's head, approved through the API on `day`."""
    api.clock.set_day(day)
    app = application(village, people, program=program, accepted_on=day, due_date=day + timedelta(days=40))
    await broker.deliver(event(app, f"application/{app.application_id}"))
    await broker.deliver(event(verification(app.application_id, people), "application", source="matching"))
    case = await case_of_application(api, app.application_id)
    township, county_officer = officers(village, county)
    r = await api.post(f"{CASES}/{case.id}/investigations", township, investigation_body(day))
    assert r.status_code == 201, r.text
    r = await api.post(f"{CASES}/{case.id}/proposal", township, {"outcome": "approved"})
    assert r.status_code == 200, r.text
    api.clock.set_day(day + timedelta(days=9))
    await end_publicity(api)
    r = await api.post(f"{CASES}/{case.id}/decision", county_officer, {"decision": "confirm"})
    assert r.status_code == 200, r.text


async def continue_review(
    api: CaseworkApi, county: str, village: str, people: list[Person], ref: str, day: date
) -> None:
    api.clock.set_day(day)
    async with api.db.sessions() as s:
        case = (await s.scalars(select(Case).where(Case.trigger_ref == ref))).one()
    township, county_officer = officers(village, county)
    wages = [{"member_id_number": people[0].id_number, "kind": "wages", "amount_12_months": "9600.00"}]
    body = investigation_body(day, verified_income=wages)
    r = await api.post(f"{CASES}/{case.id}/investigations", township, body)
    assert r.status_code == 201, r.text
    r = await api.post(f"{CASES}/{case.id}/proposal", township, {"outcome": "continued"})
    assert r.status_code == 200, r.text
    r = await api.post(f"{CASES}/{case.id}/decision", county_officer, {"decision": "confirm"})
    assert r.status_code == 200, r.text


async def test_a_disability_subsidy_is_visited_each_quarter_in_a_class_b_dibao_household(api: CaseworkApi) -> None:
    county, people = new_county(), disabled_family()
    village = new_village(county)
    broker = Broker(api)
    household_id, _ = await recipient_household(api, broker, county, village, people)
    # Class B dibao from April: half-yearly.
    assert await dates(api, household_id) == (date(2026, 10, 1), {"dibao": date(2026, 10, 1)})

    await set_standards(api, county, disability_living_fen=8000)
    await approve(api, broker, county, village, people, Program.DISABILITY_LIVING, date(2026, 4, 6))
    # Paid from May: the subsidy is visited in August (quarterly), the dibao keeps its October; one date per household.
    expected = {"dibao": date(2026, 10, 1), "disability_living": date(2026, 8, 1)}
    assert await dates(api, household_id) == (date(2026, 8, 1), expected)
    async with api.db.sessions() as s:
        found = await s.get(Household, household_id)
        assert found is not None
        assert found.review_class == "B"

    api.clock.set_day(date(2026, 8, 3))
    await run_calendar(api)
    await run_calendar(api)
    assert await periodic_refs(api, household_id) == [f"{household_id}:2026-08-01"]

    # The visit reviewed the household: from September, the subsidy again in December, the dibao in March.
    await continue_review(api, county, village, people, f"{household_id}:2026-08-01", date(2026, 8, 3))
    expected = {"dibao": date(2027, 3, 1), "disability_living": date(2026, 12, 1)}
    assert await dates(api, household_id) == (date(2026, 12, 1), expected)
    # Staff see each program's date beside the household's.
    township, _ = officers(village, county)
    shown = await api.get(f"/api/v1/casework/households/{household_id}", township)
    assert shown.status_code == 200, shown.text
    assert shown.json()["next_review_date"] == "2026-12-01"
    assert {e["program"]: e["next_review_date"] for e in shown.json()["entitlements"]} == {
        "dibao": "2027-03-01",
        "disability_living": "2026-12-01",
    }


async def test_a_program_of_the_monthly_registry_check_never_opens_a_visit(api: CaseworkApi) -> None:
    assert api.ctx is not None
    county = new_county()
    village = new_village(county)
    born = date(1940, 5, 1)
    elder = registry.NewMember(fresh_id(born), "张老汉", "head", born, {})
    api.clock.set_day(date(2026, 3, 2))
    async with api.db.sessions.begin() as s:
        household = await registry.create_household(
            s,
            api.ctx,
            region_code=village,
            members=[elder],
            head_id_number=elder.id_number,
            review_class="monthly",
            next_review_date=None,
            account=None,
        )
        await registry.set_entitlement(
            s,
            api.ctx,
            household,
            program=Program.ELDERLY_HIGH_AGE,
            status=EntitlementStatus.ACTIVE,
            monthly_amount_fen=10000,
            effective_from="2026-04",
            case_id=None,
        )
        standards = await standards_in_force(s, village, date(2026, 3, 2))
        await review_dates.schedule(s, household, standards, Period.parse("2026-04"), reviewed=Program.ELDERLY_HIGH_AGE)
        household_id = household.id
    assert await dates(api, household_id) == (None, {"elderly_high_age": None})

    for day in (date(2026, 5, 1), date(2026, 12, 1), date(2027, 6, 1)):
        api.clock.set_day(day)
        await run_calendar(api)
    assert await periodic_refs(api, household_id) == []

    # A visited program joining it brings its own date; the registry-checked one still has none.
    async with api.db.sessions.begin() as s:
        same = await s.get(Household, household_id)
        assert same is not None
        await registry.set_entitlement(
            s,
            api.ctx,
            same,
            program=Program.DISABILITY_CARE,
            status=EntitlementStatus.ACTIVE,
            monthly_amount_fen=8000,
            effective_from="2027-07",
            case_id=None,
        )
        standards = await standards_in_force(s, village, date(2027, 6, 1))
        await review_dates.schedule(s, same, standards, Period.parse("2027-07"), reviewed=Program.DISABILITY_CARE)
    assert await dates(api, household_id) == (
        date(2027, 10, 1),
        {"elderly_high_age": None, "disability_care": date(2027, 10, 1)},
    )


async def test_a_countys_figures_set_the_rule_and_the_interval(api: CaseworkApi) -> None:
    # A county visiting its dibao households as class C every two months, whatever class the township gave them.
    county = new_county()
    figures = {"dibao_standard_fen": 70000, "review_rule_dibao": "C", "review_months_c": 2}
    household_id, _ = await recipient_household(api, Broker(api), county, new_village(county), standards=figures)
    assert await dates(api, household_id) == (date(2026, 6, 1), {"dibao": date(2026, 6, 1)})

    # A county checking dibao through the registry data: no visit date, and the calendar never opens one.
    county = new_county()
    figures = {"dibao_standard_fen": 70000, "review_rule_dibao": "registry"}
    household_id, _ = await recipient_household(api, Broker(api), county, new_village(county), standards=figures)
    assert await dates(api, household_id) == (None, {"dibao": None})
    async with api.db.sessions.begin() as s:
        # Even a date written by an older rule is not kept once the programs' dates are taken again.
        await s.execute(update(Household).where(Household.id == household_id).values(next_review_date=date(2026, 4, 1)))
        household = await s.get(Household, household_id)
        assert household is not None
        standards = await standards_in_force(s, household.region_code, date(2026, 4, 1))
        await review_dates.schedule(s, household, standards, Period.parse("2026-04"))
    api.clock.set_day(date(2027, 1, 4))
    await run_calendar(api)
    assert await periodic_refs(api, household_id) == []
