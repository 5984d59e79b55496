"""The review calendar (DOMAIN.md §4): each active household's periodic review opens once, on its date.

The job is run by hand on the API's context and clock, as the worker would run it. It reads every household in the
shared database, so its return value counts other tests' households too: what a test asserts is read from the
`cases` table for its own household.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update

from libs.contracts.period import Period
from services.casework.case.models import Case
from services.casework.case.opening import open_due_reviews
from services.casework.registry.models import Household
from tests.casework.flows import CASES, officers, recipient_household
from tests.casework.support import Broker, CaseworkApi, family, investigation_body, new_county, new_village


async def run_calendar(api: CaseworkApi) -> int:
    assert api.ctx is not None
    async with api.db.sessions.begin() as s:
        return await open_due_reviews(s, api.ctx)


async def periodic_cases(api: CaseworkApi, household_id: str) -> list[Case]:
    async with api.db.sessions() as s:
        stmt = (
            select(Case).where(Case.household_id == household_id, Case.trigger == "periodic").order_by(Case.opened_at)
        )
        return list((await s.scalars(stmt)).all())


async def set_household(api: CaseworkApi, household_id: str, **values: object) -> None:
    async with api.db.sessions.begin() as s:
        await s.execute(update(Household).where(Household.id == household_id).values(**values))


async def household(api: CaseworkApi, household_id: str) -> Household:
    async with api.db.sessions() as s:
        found = await s.get(Household, household_id)
    assert found is not None
    return found


async def a_recipient(api: CaseworkApi) -> tuple[str, str, str]:
    """(county, village, household id) of a fresh approved household; the clock is left on 2026-03-11."""
    county = new_county()
    village = new_village(county)
    household_id, _ = await recipient_household(api, Broker(api), county, village)
    return county, village, household_id


async def test_a_household_whose_review_date_has_passed_gets_one_periodic_review(api: CaseworkApi) -> None:
    _, _, household_id = await a_recipient(api)
    # Approved in March with class B: reviewed from 2026-10-01, so nothing is due yet.
    assert (await household(api, household_id)).next_review_date == date(2026, 10, 1)
    await run_calendar(api)
    assert await periodic_cases(api, household_id) == []

    await set_household(api, household_id, next_review_date=date(2026, 3, 1))
    assert await run_calendar(api) >= 1
    [case] = await periodic_cases(api, household_id)
    assert (case.kind, case.trigger, case.trigger_ref) == ("periodic", "periodic", f"{household_id}:2026-03-01")
    assert (case.status, case.member_count) == ("investigating", 3)
    assert case.due_date is not None
    assert case.due_date > date(2026, 3, 11)

    # The next run (the worker runs the job every few minutes) finds the review open already.
    await run_calendar(api)
    assert [c.id for c in await periodic_cases(api, household_id)] == [case.id]


async def test_a_review_date_in_the_future_or_a_closed_household_opens_nothing(api: CaseworkApi) -> None:
    _, _, later = await a_recipient(api)
    _, _, closed = await a_recipient(api)
    await set_household(api, later, next_review_date=date(2026, 3, 12))
    await set_household(api, closed, next_review_date=date(2026, 3, 1), status="closed")
    await run_calendar(api)
    assert await periodic_cases(api, later) == []
    assert await periodic_cases(api, closed) == []

    # The day the date comes, the open household's review opens; the closed one never does.
    api.clock.set_day(date(2026, 3, 12))
    await run_calendar(api)
    [case] = await periodic_cases(api, later)
    assert case.trigger_ref == f"{later}:2026-03-12"
    assert await periodic_cases(api, closed) == []


async def test_a_review_walked_to_continued_moves_the_next_review_date(api: CaseworkApi) -> None:
    county, people = new_county(), family()
    village = new_village(county)
    household_id, _ = await recipient_household(api, Broker(api), county, village, people)
    township, county_officer = officers(village, county)
    api.clock.set_day(date(2026, 9, 21))
    await set_household(api, household_id, next_review_date=date(2026, 9, 1))
    await run_calendar(api)
    [case] = await periodic_cases(api, household_id)

    # The visit finds the wages the household was approved with: the amount is unchanged, so it may continue.
    wages = [{"member_id_number": people[0].id_number, "kind": "wages", "amount_12_months": "9600.00"}]
    body = investigation_body(date(2026, 9, 21), verified_income=wages)
    r = await api.post(f"{CASES}/{case.id}/investigations", township, body)
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "township_review"
    r = await api.post(f"{CASES}/{case.id}/proposal", township, {"outcome": "continued"})
    assert r.status_code == 200, r.text
    # A review that continues the benefit is not posted (only approvals are, DOMAIN.md §3.7).
    assert r.json()["status"] == "confirmation"
    r = await api.post(f"{CASES}/{case.id}/decision", county_officer, {"decision": "confirm"})
    assert r.status_code == 200, r.text
    decided = r.json()
    assert (decided["status"], decided["outcome"], decided["effective_month"]) == ("decided", "continued", "2026-10")

    # Class B: the next review six months from the effective month.
    after = await household(api, household_id)
    assert (after.status, after.review_class) == ("active", "B")
    assert after.next_review_date == (Period.parse("2026-10") + 6).first_day == date(2027, 4, 1)
    await run_calendar(api)
    assert [c.id for c in await periodic_cases(api, household_id)] == [case.id]
