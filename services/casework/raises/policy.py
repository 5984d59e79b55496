"""Raising a standard (提标, issue 20): every recipient's amount recalculated under the standards in force from a
month, as its decision calculated it, and summed up for the county to confirm. Pure: no I/O, no clock.

An entitlement is recalculated from the facts its case decided on (`benefit.rules.calculate`, line by line as for a
decision) with the new standards; only an amount that comes out different, eligible and within the program's
ceiling changes. A household imported with its amounts has no case: its amount moves by what the figures moved
(`raises.imported`). Anything else (a figure not set, the household no longer eligible, an amount no rule explains
or beyond the ceiling) is left as it is and counted for a review by hand: a standard raise never stops or cuts a
household on grounds a review has not looked at.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from libs.contracts.programs import AmountAboveCeiling, Program, check_monthly_amount
from services.casework.benefit.facts import BenefitInput, IncomeBand, MissingStandard
from services.casework.benefit.rules import calculate
from services.casework.local_figures.figures import Standards
from services.casework.raises.imported import raised_amount

# The marginal households listed for review in one answer; the count tells how many there are in all.
MARGINAL_LISTED = 200


class Verdict(StrEnum):
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    # Left as it is, for a review by hand (see the module's docstring).
    REVIEW = "review"
    # A marginal household whose per-capita income is below the new dibao standard: to review for dibao.
    NEWLY_ELIGIBLE = "newly_eligible"


@dataclass(frozen=True, slots=True)
class Held:
    """One entitlement as it is paid today, with the facts its case decided on (`None`: no case to read)."""

    entitlement_id: str
    household_id: str
    region_code: str
    program: Program
    amount_fen: int
    facts: BenefitInput | None
    # The household's current members, read only where there is no case (an imported household).
    members: int = 0


@dataclass(frozen=True, slots=True)
class Recalculated:
    held: Held
    verdict: Verdict
    amount_fen: int  # the new amount (the held one unless CHANGED)

    @property
    def persons(self) -> int:
        if self.held.facts is not None:
            return len(self.held.facts.members)
        return self.held.members if self.held.program is Program.DIBAO else 1


def _checked(held: Held, amount: int | None) -> Recalculated:
    """A new amount as a verdict: none, nothing to pay or beyond the ceiling is for a review by hand."""
    if amount is None or amount <= 0:
        return Recalculated(held, Verdict.REVIEW, held.amount_fen)
    try:
        amount = check_monthly_amount(held.program, amount)
    except AmountAboveCeiling:
        return Recalculated(held, Verdict.REVIEW, held.amount_fen)
    if amount == held.amount_fen:
        return Recalculated(held, Verdict.UNCHANGED, amount)
    return Recalculated(held, Verdict.CHANGED, amount)


def recalculate(held: Held, standards: Standards, on: date, before: Standards | None = None) -> Recalculated:
    """The entitlement under `standards` on `on` (the first day of the raise's month); `before` are the figures of
    the month before, which an imported household's amount was paid under."""
    if held.facts is None:
        if before is None or held.program is Program.MARGINAL:
            return Recalculated(held, Verdict.REVIEW, held.amount_fen)
        return _checked(held, raised_amount(held.program, held.amount_fen, held.members, before, standards))
    try:
        calc = calculate(held.facts, standards, on)
    except MissingStandard:
        return Recalculated(held, Verdict.REVIEW, held.amount_fen)
    if held.program is Program.MARGINAL:
        # Marginal households are paid no monthly cash: the raise only tells which now fall below the standard.
        below = calc.band is IncomeBand.BELOW
        return Recalculated(held, Verdict.NEWLY_ELIGIBLE if below else Verdict.UNCHANGED, held.amount_fen)
    if not calc.eligible:
        return Recalculated(held, Verdict.REVIEW, held.amount_fen)
    return _checked(held, calc.monthly_amount_fen)


@dataclass(slots=True)
class Sums:
    count: int = 0
    before_fen: int = 0
    after_fen: int = 0

    def add(self, before: int, after: int) -> None:
        self.count += 1
        self.before_fen += before
        self.after_fen += after


@dataclass(slots=True)
class Tally:
    """What a raise would change, summed as the county reads it: households and persons, by program and township."""

    entitlements: int = 0
    households: set[str] = field(default_factory=set)
    persons: int = 0
    total: Sums = field(default_factory=Sums)
    by_program: dict[str, Sums] = field(default_factory=dict)
    by_township: dict[str, Sums] = field(default_factory=dict)
    review: int = 0
    marginal: list[str] = field(default_factory=list)
    marginal_count: int = 0

    def add(self, r: Recalculated) -> None:
        held = r.held
        self.entitlements += 1
        if r.verdict is Verdict.REVIEW:
            self.review += 1
        elif r.verdict is Verdict.NEWLY_ELIGIBLE:
            self.marginal_count += 1
            if len(self.marginal) < MARGINAL_LISTED:
                self.marginal.append(held.household_id)
        elif r.verdict is Verdict.CHANGED:
            if held.household_id not in self.households:
                self.households.add(held.household_id)
                self.persons += r.persons
            self.total.add(held.amount_fen, r.amount_fen)
            self.by_program.setdefault(held.program.value, Sums()).add(held.amount_fen, r.amount_fen)
            self.by_township.setdefault(held.region_code[:9], Sums()).add(held.amount_fen, r.amount_fen)


def tally(
    rows: Iterable[Held],
    standards_for: Callable[[str], Standards],
    on: date,
    into: Tally | None = None,
    before_for: Callable[[str], Standards] | None = None,
) -> Tally:
    """Recalculate every row with the standards of its region and sum up (standards are resolved once per region)."""
    out = into or Tally()
    cache: dict[str, Standards] = {}
    for held in rows:
        standards = cache.get(held.region_code)
        if standards is None:
            standards = cache[held.region_code] = standards_for(held.region_code)
        before = before_for(held.region_code) if before_for else None
        out.add(recalculate(held, standards, on, before))
    return out
