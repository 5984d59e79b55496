"""Birthdays that change what a recipient is owed (issue 21), as pure rules.

Seed 003 三: a child who no longer qualifies (at 18) has the allowance 及时调整或终止
(孤儿, 艾滋病病毒感染儿童, 事实无人抚养儿童); seed 003 五: 到龄老人应享受尽享受, everyone reaching the
region's age of the high-age allowance (尊老金) should get it. Nobody applies for either change, so a daily job looks
ahead: a review opens `lead_days` before the birthday (a per-region figure), early enough for the decision to take
effect from the month the age changes things. Ages count as `libs.contracts.ages.age_on` counts them (a 29 February
birthday comes on 1 March in other years), so the review is for the day the benefit calculation sees the new age.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from libs.contracts.programs import CHILDREN_ALLOWANCES, PROGRAM_NAMES, Program

# Children's allowances end on the 18th birthday (seed 003 三).
CHILD_END_AGE = 18


def birthday(born: dt.date, age: int) -> dt.date:
    """The day someone born on `born` turns `age`: for 29 February, 1 March in a year without one (as `age_on`)."""
    year = born.year + age
    try:
        return born.replace(year=year)
    except ValueError:
        return dt.date(year, 3, 1)


def _years_back(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February into a year without one
        return dt.date(day.year - years, 2, 28)


def born_between(today: dt.date, lead_days: int, age: int) -> tuple[dt.date, dt.date]:
    """Birth dates, both ends included, of everyone turning `age` from `today` to `today + lead_days`, a day wider
    on each side than exact (29 February makes the exact ends fiddly): a range for the index, which `birthday`
    then narrows to the exact window."""
    return (
        _years_back(today, age) - dt.timedelta(days=1),
        _years_back(today + dt.timedelta(days=lead_days), age) + dt.timedelta(days=1),
    )


@dataclass(frozen=True, slots=True)
class Holding:
    """A program the household currently has (not stopped) and the member it names (None: not recorded)."""

    program: str
    beneficiary_hash: str | None


@dataclass(frozen=True, slots=True)
class AgeFigures:
    """The region's figures in force: the review's lead time and the high-age allowance's age."""

    lead_days: int
    elderly_age: int


@dataclass(frozen=True, slots=True)
class AgeTrigger:
    """A review to open: `person_hash` turns `age` on `birthday`, which changes `program`."""

    person_hash: str
    program: Program
    age: int
    birthday: dt.date

    @property
    def ref(self) -> str:
        # One review per person, program and birthday, however many times the job runs (cases' unique trigger).
        return f"{self.person_hash}:{self.program.value}:{self.birthday.isoformat()}"

    def summary(self, masked_name: str) -> str:
        """The review's line in lists: 到龄, who (masked), the day, and what the township decides."""
        name = PROGRAM_NAMES[self.program]
        day = self.birthday.isoformat()
        if self.program in CHILDREN_ALLOWANCES:
            return (
                f"到龄复核：{masked_name}于{day}年满{self.age}周岁，{name}应调整或终止"
                f" age review: turns {self.age} on {day}, the children's allowance ends"
            )
        return (
            f"到龄复核：{masked_name}于{day}年满{self.age}周岁，到龄应享尽享{name}"
            f" age review: turns {self.age} on {day}, add the high-age allowance"
        )


def _names(holding: Holding, person_hash: str) -> bool:
    # An entitlement naming nobody (imported without a beneficiary) may be this person's: counted as theirs, so an
    # allowance the household holds is not offered twice; the township sees the household at its next review anyway.
    return holding.beneficiary_hash in (None, person_hash)


def age_triggers(
    person_hash: str, born: dt.date, holdings: Sequence[Holding], today: dt.date, figures: AgeFigures
) -> list[AgeTrigger]:
    """The reviews a member of a recipient household (`holdings`: its current programs) opens with a coming
    birthday: each children's allowance naming them ends at 18, and the high-age allowance is offered at the
    region's age unless they hold it. Birthdays from `today` to `today +
    lead_days` count; a birthday already past opened its review when it entered the window (or, for someone 18
    before they were granted the allowance, was the deciding officer's to see)."""
    if not holdings:
        return []  # not a recipient household: active discovery is intake's (DOMAIN.md §8)
    held = [h for h in holdings if _names(h, person_hash)]
    last = today + dt.timedelta(days=figures.lead_days)
    out: list[AgeTrigger] = []
    turning_adult = birthday(born, CHILD_END_AGE)
    if today <= turning_adult <= last:
        for program in sorted({Program(h.program) for h in held if h.program in CHILDREN_ALLOWANCES}):
            out.append(AgeTrigger(person_hash, program, CHILD_END_AGE, turning_adult))
    turning_old = birthday(born, figures.elderly_age)
    if today <= turning_old <= last and not any(h.program == Program.ELDERLY_HIGH_AGE for h in held):
        out.append(AgeTrigger(person_hash, Program.ELDERLY_HIGH_AGE, figures.elderly_age, turning_old))
    return out
