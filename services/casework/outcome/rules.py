"""Review outcomes (DOMAIN.md §3.8, §4; seed 000 四, seed 004 二(五)): pure rules, no I/O.

What a review ends in, when an approved benefit starts, the months of a gradual exit (渐退) and who carries on a
household after a death (停旧建新). The officer decides; these functions only propose and explain.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from fractions import Fraction

from libs.contracts.period import Period
from libs.contracts.programs import Program
from services.casework.benefit.rules import Calculation, IncomeBand, half_up, yuan

HEAD = "head"
SPOUSE = "spouse"


class ReviewOutcome(StrEnum):
    CONTINUED = "continued"  # 续保
    ADJUSTED = "adjusted"  # 调整
    GRADUAL_EXIT = "gradual_exit"  # 渐退
    STOPPED = "stopped"  # 停发


def benefit_start(decided_on: date, offset_months: int) -> Period:
    """The first paid month: the month after the decision by default (DOMAIN.md §3.8; the offset is local)."""
    if offset_months < 0:
        raise ValueError("a benefit never starts before the month of its decision")
    return Period.of(decided_on) + offset_months


@dataclass(frozen=True, slots=True)
class ScheduleStep:
    first: Period
    last: Period
    percent: int
    amount_fen: int


def gradual_exit_steps(
    last_amount_fen: int, start: Period, schedule_pct: tuple[int, ...]
) -> tuple[tuple[ScheduleStep, ...], Period]:
    """The paid months of a gradual exit and the first month with no payment (seed 004 二(五): 6 months, local).

    One percentage of the last amount per month (100 × 6, or a declining 100/100/80/80/60/60); consecutive months at
    the same percentage are one step, each month paying the step's amount rounded half-up to the fen.
    """
    if last_amount_fen < 0:
        raise ValueError("the last amount is never negative")
    if any(not 0 <= pct <= 100 for pct in schedule_pct):
        raise ValueError("a gradual-exit percentage is between 0 and 100")
    steps: list[ScheduleStep] = []
    for offset, pct in enumerate(schedule_pct):
        month = start + offset
        if steps and steps[-1].percent == pct:
            steps[-1] = replace(steps[-1], last=month)
        else:
            # Half-up on the exact fraction: 80 % of 333.33 is 266.664, paid as 266.66.
            amount = half_up(Fraction(last_amount_fen * pct, 100))
            steps.append(ScheduleStep(first=month, last=month, percent=pct, amount_fen=amount))
    return tuple(steps), start + len(schedule_pct)


def suggest_review_outcome(
    calc: Calculation, current_amount_fen: int, employment_gain: bool
) -> tuple[ReviewOutcome, str]:
    """The outcome a review's recalculation points to, with its reason in Chinese and English.

    dibao (seed 000 四, seed 004 二(五)): still below the standard → continue or adjust by amount; per-capita income
    between 1.0× and 1.5× the standard → gradual exit; above 1.5× → gradual exit only when a member found work,
    otherwise stop. Every other program: eligible → continue or adjust, not eligible → stop.
    """
    new, old = calc.monthly_amount_fen, current_amount_fen
    if calc.eligible:
        if new == old:
            return ReviewOutcome.CONTINUED, f"条件和金额均未变化 still eligible at the same amount {yuan(new)}"
        direction = "调增 raised" if new > old else "调减 lowered"
        return ReviewOutcome.ADJUSTED, f"{direction}: {yuan(old)} → {yuan(new)}"
    why = "；".join(calc.reasons)
    if calc.program is Program.DIBAO:
        if calc.band in (IncomeBand.MARGINAL, IncomeBand.BELOW):
            # BELOW yet not eligible only when the amount rounds to zero: at the standard, the marginal case.
            return (
                ReviewOutcome.GRADUAL_EXIT,
                "人均收入达到低保标准但低于边缘家庭上限（1.5倍），给予渐退期 per-capita income is between the "
                "standard and the marginal ceiling (1.5×): gradual exit (seed 004 二(五))",
            )
        if calc.band is IncomeBand.ABOVE and employment_gain:
            return (
                ReviewOutcome.GRADUAL_EXIT,
                "家庭成员就业后人均收入超过低保标准，给予渐退期 a member found work and per-capita income rose above "
                "the standard: gradual exit (seed 004 二(五))",
            )
        if calc.band is IncomeBand.ABOVE:
            return (
                ReviewOutcome.STOPPED,
                "人均收入达到边缘家庭上限且非因就业，停发 per-capita income reached the marginal ceiling, not through "
                "a member's new work: stop",
            )
    return ReviewOutcome.STOPPED, f"不再符合条件，停发 no longer eligible, stop: {why}"


@dataclass(frozen=True, slots=True)
class Member:
    id_number: str
    name: str
    relation: str  # to the household head, as the application records it ("head", "spouse", "child", …)
    birth_date: date


@dataclass(frozen=True, slots=True)
class Succession:
    close_household: bool
    successor_members: tuple[Member, ...]
    new_head_id_number: str | None


def succession_after_death(members: tuple[Member, ...], deceased_id_number: str) -> Succession:
    """What happens to a household record when a member dies (DOMAIN.md §4, 停旧建新).

    The head's death in a multi-member household closes the record and opens a successor for the others, so the
    history stays with the old record; any other death only adjusts the household.
    """
    if all(m.id_number != deceased_id_number for m in members):
        raise ValueError("the deceased is not a member of this household")
    deceased = next(m for m in members if m.id_number == deceased_id_number)
    remaining = tuple(m for m in members if m.id_number != deceased_id_number)
    if not remaining:
        return Succession(close_household=True, successor_members=(), new_head_id_number=None)
    if deceased.relation != HEAD:
        return Succession(close_household=False, successor_members=remaining, new_head_id_number=None)
    # The spouse first; otherwise the eldest, who is an adult whenever any adult remains, so "the eldest adult,
    # else the eldest" needs no reference date. Ties in birth date go to the first listed.
    spouse = next((m for m in remaining if m.relation == SPOUSE), None)
    head = spouse or min(remaining, key=lambda m: m.birth_date)
    # Other relations are kept as recorded (still relative to the deceased head) until the officer corrects them.
    successors = tuple(replace(m, relation=HEAD) if m is head else m for m in remaining)
    return Succession(close_household=True, successor_members=successors, new_head_id_number=head.id_number)
