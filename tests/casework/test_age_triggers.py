"""Reviews ahead of birthdays (issue 21): the pure rules (`case/age_rules.py`) as tables, then the job on the API's
database and clock, run twice as the worker would, opening each review once.

The job reads every household in the shared database, so what a test asserts is read from the `cases` table for its
own households.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from libs.contracts.ages import age_on
from libs.contracts.programs import Program
from libs.contracts.staff import StaffRole
from services.casework.case.age_reviews import open_age_reviews
from services.casework.case.age_rules import AgeFigures, AgeTrigger, Holding, age_triggers, birthday, born_between
from services.casework.case.models import Case
from tests.casework.flows import CASES
from tests.casework.support import CaseworkApi, fresh_id, new_county, new_village, set_standards, staff

P = "person-hash"
FIGURES = AgeFigures(lead_days=30, elderly_age=80)
ORPHAN = (Holding("orphan", P),)
DIBAO = (Holding("dibao", None),)

# ---- the day an age is reached ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "age", "day"),
    [
        (date(2008, 4, 5), 18, date(2026, 4, 5)),
        (date(2008, 2, 29), 18, date(2026, 3, 1)),  # no 29 February in 2026: the age goes up on 1 March
        (date(2008, 2, 29), 20, date(2028, 2, 29)),  # a leap year: on the day itself
        (date(1948, 2, 29), 80, date(2028, 2, 29)),
        (date(1946, 2, 28), 80, date(2026, 2, 28)),
        (date(1946, 3, 1), 80, date(2026, 3, 1)),
        (date(1945, 12, 31), 80, date(2025, 12, 31)),
    ],
)
def test_the_birthday_is_the_day_age_on_counts_the_new_age(born: date, age: int, day: date) -> None:
    assert birthday(born, age) == day
    assert age_on(born, day) == age
    assert age_on(born, day - timedelta(days=1)) == age - 1


@pytest.mark.parametrize("today", [date(2026, 3, 11), date(2028, 2, 29), date(2027, 2, 28), date(2027, 12, 20)])
@pytest.mark.parametrize("lead", [7, 30, 92])
@pytest.mark.parametrize("age", [18, 70, 80])
def test_the_birth_date_range_holds_everyone_whose_birthday_is_in_the_window(today: date, lead: int, age: int) -> None:
    first, last = born_between(today, lead, age)
    window_end = today + timedelta(days=lead)
    around = date(today.year - age, 1, 1) - timedelta(days=40)
    for born in (around + timedelta(days=n) for n in range(366 + 180)):
        if today <= birthday(born, age) <= window_end:
            assert first <= born <= last, born
    # No more than a day wider on each side (29 February), so the index reads little beyond the window.
    assert (last - first).days <= lead + 3


# ---- who is due a review ----------------------------------------------------------------------------------------


def _due(
    born: date, today: date, holdings: tuple[Holding, ...] = ORPHAN, **figures: Any
) -> list[tuple[str, int, date]]:
    found = age_triggers(P, born, holdings, today, AgeFigures(**{"lead_days": 30, "elderly_age": 80, **figures}))
    return [(t.program.value, t.age, t.birthday) for t in found]


MARCH_11 = date(2026, 3, 11)


@pytest.mark.parametrize(
    ("born", "today", "holdings", "figures", "expected"),
    [
        # Children's allowances end at 18: the review opens from 30 days ahead to the day itself.
        pytest.param(date(2008, 4, 5), MARCH_11, ORPHAN, {}, [("orphan", 18, date(2026, 4, 5))], id="in-window"),
        pytest.param(date(2008, 3, 11), MARCH_11, ORPHAN, {}, [("orphan", 18, MARCH_11)], id="birthday-today"),
        pytest.param(date(2008, 4, 10), MARCH_11, ORPHAN, {}, [("orphan", 18, date(2026, 4, 10))], id="last-day"),
        pytest.param(date(2008, 4, 11), MARCH_11, ORPHAN, {}, [], id="a-day-too-early"),
        pytest.param(date(2008, 3, 10), MARCH_11, ORPHAN, {}, [], id="already-18"),
        pytest.param(date(2006, 7, 1), MARCH_11, ORPHAN, {}, [], id="long-past-18"),
        pytest.param(date(2010, 4, 5), MARCH_11, ORPHAN, {}, [], id="years-to-go"),
        # The region's lead time: a week ahead does not see a birthday nine days off.
        pytest.param(date(2008, 3, 20), MARCH_11, ORPHAN, {"lead_days": 7}, [], id="short-lead"),
        pytest.param(
            date(2008, 3, 18), MARCH_11, ORPHAN, {"lead_days": 7}, [("orphan", 18, date(2026, 3, 18))], id="lead-7"
        ),
        # 29 February: 18 on 1 March 2026, in the window from 30 January to 1 March.
        pytest.param(date(2008, 2, 29), date(2026, 1, 29), ORPHAN, {}, [], id="feb29-too-early"),
        pytest.param(
            date(2008, 2, 29), date(2026, 1, 30), ORPHAN, {}, [("orphan", 18, date(2026, 3, 1))], id="feb29-first"
        ),
        pytest.param(
            date(2008, 2, 29), date(2026, 3, 1), ORPHAN, {}, [("orphan", 18, date(2026, 3, 1))], id="feb29-day"
        ),
        pytest.param(date(2008, 2, 29), date(2026, 3, 2), ORPHAN, {}, [], id="feb29-past"),
        # Only allowances naming the person (or naming nobody) end with their birthday; each allowance its review.
        pytest.param(date(2008, 4, 5), MARCH_11, (Holding("orphan", "sibling"),), {}, [], id="names-a-sibling"),
        pytest.param(
            date(2008, 4, 5), MARCH_11, (Holding("hiv_child", None),), {}, [("hiv_child", 18, date(2026, 4, 5))]
        ),
        pytest.param(
            date(2008, 4, 5),
            MARCH_11,
            (Holding("orphan", P), Holding("de_facto_orphan", P)),
            {},
            [("de_facto_orphan", 18, date(2026, 4, 5)), ("orphan", 18, date(2026, 4, 5))],
            id="two-allowances",
        ),
        # A dibao child turning 18 holds no children's allowance: nothing ends.
        pytest.param(date(2008, 4, 5), MARCH_11, DIBAO, {}, [], id="dibao-child"),
        # Elderly allowances: offered at the region's age to a member of a recipient household who lacks one.
        pytest.param(
            date(1946, 4, 1), MARCH_11, DIBAO, {}, [("elderly_high_age", 80, date(2026, 4, 1))], id="turns-80"
        ),
        pytest.param(date(1946, 3, 1), MARCH_11, DIBAO, {}, [], id="already-80"),
        pytest.param(
            date(1956, 4, 1),
            MARCH_11,
            DIBAO,
            {"elderly_age": 70},
            [("elderly_high_age", 70, date(2026, 4, 1))],
            id="region-age-70",
        ),
        pytest.param(date(1956, 4, 1), MARCH_11, DIBAO, {}, [], id="70-where-the-age-is-80"),
        pytest.param(date(1946, 4, 1), MARCH_11, (Holding("elderly_high_age", P),), {}, [], id="holds-it"),
        pytest.param(date(1946, 4, 1), MARCH_11, (Holding("elderly_high_age", None),), {}, [], id="held-unnamed"),
        pytest.param(
            date(1946, 4, 1),
            MARCH_11,
            (Holding("elderly_high_age", "spouse"),),
            {},
            [("elderly_high_age", 80, date(2026, 4, 1))],
            id="spouse-holds-it",
        ),
        pytest.param(
            date(1948, 2, 29), date(2028, 2, 1), DIBAO, {}, [("elderly_high_age", 80, date(2028, 2, 29))], id="leap-80"
        ),
        # Not a recipient household: nothing (intake's active discovery is elsewhere).
        pytest.param(date(1946, 4, 1), MARCH_11, (), {}, [], id="not-a-recipient"),
        pytest.param(date(2008, 4, 5), MARCH_11, (), {}, [], id="not-a-recipient-child"),
    ],
)
def test_who_is_due_an_age_review(
    born: date, today: date, holdings: tuple[Holding, ...], figures: dict[str, int], expected: list[Any]
) -> None:
    assert _due(born, today, holdings, **figures) == expected


def test_the_reference_is_the_person_the_program_and_the_birthday_and_the_summary_names_nobody() -> None:
    child = AgeTrigger(P, Program.ORPHAN, 18, date(2026, 4, 5))
    assert child.ref == f"{P}:orphan:2026-04-05"
    assert child.summary("王*明").startswith("到龄复核：王*明于2026-04-05年满18周岁，孤儿基本生活费应调整或终止")
    elder = AgeTrigger(P, Program.ELDERLY_HIGH_AGE, 80, date(2026, 4, 1))
    assert "到龄应享尽享高龄津贴" in elder.summary("李*")


# ---- the job ----------------------------------------------------------------------------------------------------

IMPORT = "/api/v1/casework/households/import"


async def run_job(api: CaseworkApi, page: int = 500) -> int:
    assert api.ctx is not None
    async with api.db.sessions.begin() as s:
        return await open_age_reviews(s, api.ctx, page=page)


async def age_cases(api: CaseworkApi, household_id: str) -> list[Case]:
    async with api.db.sessions() as s:
        stmt = select(Case).where(Case.household_id == household_id, Case.trigger == "age").order_by(Case.opened_at)
        return list((await s.scalars(stmt)).all())


async def imported(api: CaseworkApi, village: str, members: list[tuple[str, str, date]], programs: list[Any]) -> str:
    """A recipient household imported into `village` (members: name, relation, birth date; the first is the head)."""
    ids = [fresh_id(born) for _, _, born in members]
    body = {
        "region_code": village,
        "legacy_ref": f"AGE-{ids[0][-6:]}",
        "members": [
            {"id_number": i, "name": name, "relation": relation}
            for i, (name, relation, _) in zip(ids, members, strict=True)
        ],
        "programs": [
            {"program": program, "monthly_amount": "300.00", "since": "2020-01"}
            | ({} if who is None else {"beneficiary_id_number": ids[who]})
            for program, who in programs
        ],
        "review_class": "A",
        "next_review_date": "2027-01-01",
    }
    r = await api.post(IMPORT, staff(StaffRole.county_officer, village[:6]), body)
    assert r.status_code == 201, r.text
    household_id: str = r.json()["household_id"]
    return household_id


async def test_the_job_opens_each_birthday_review_once_on_the_regions_figures(api: CaseworkApi) -> None:
    county = new_county()
    village = new_village(county)
    # 奶奶 turns 80 on 20 April 2026; 小明, an orphan in her care, turns 18 on 5 April.
    orphan = await imported(
        api,
        village,
        [("张桂兰", "head", date(1946, 4, 20)), ("张小明", "grandchild", date(2008, 4, 5))],
        [("orphan", 1)],
    )
    # A neighbour turning 80 the same day already holds the allowance: nothing to add.
    holder = await imported(api, village, [("刘玉珍", "head", date(1946, 4, 20))], [("elderly_high_age", 0)])
    # Another county sets 70 as the age and a week's lead.
    other_county = new_county()
    await set_standards(api, other_county, elderly_high_age_min_years=70, age_review_lead_days=7)
    seventy = await imported(api, new_village(other_county), [("赵国强", "head", date(1956, 3, 25))], [("dibao", None)])

    # 20 March: the window reaches 19 April, so only 小明's birthday is in it (30 days is the national default).
    api.clock.set_day(date(2026, 3, 20))
    await run_job(api, page=1)
    await run_job(api)
    [child] = await age_cases(api, orphan)
    assert (child.kind, child.trigger, child.status, child.member_count) == ("triggered", "age", "investigating", 2)
    assert child.trigger_ref.endswith(":orphan:2026-04-05")
    assert child.trigger_summary.startswith("到龄复核：张*明于2026-04-05年满18周岁")
    assert "张小明" not in child.trigger_summary
    # Seventy on 25 March, five days off, inside the other county's week.
    [old] = await age_cases(api, seventy)
    assert old.trigger_ref.endswith(":elderly_high_age:2026-03-25")
    assert "年满70周岁" in old.trigger_summary

    # The next day 20 April comes into the window: 奶奶's review opens, 小明's is not opened again.
    # (The second run reads a member a page, as a run over many members walks the index.)
    api.clock.set_day(date(2026, 3, 21))
    await run_job(api)
    await run_job(api, page=1)
    cases = await age_cases(api, orphan)
    assert [c.trigger_ref.split(":", 1)[1] for c in cases] == ["orphan:2026-04-05", "elderly_high_age:2026-04-20"]
    assert await age_cases(api, holder) == []
    assert [c.id for c in await age_cases(api, seventy)] == [old.id]

    # The township works the review as any other: it lists with its summary in the officer's queue.
    township = staff(StaffRole.township_officer, village[:9])
    r = await api.get(f"{CASES}/{child.id}", township)
    assert r.status_code == 200, r.text
    assert r.json()["trigger"] == "age"
