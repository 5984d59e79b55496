"""How each program of a household is reviewed (DOMAIN.md §4, issue 21): a rule per program, a local figure.

The notices review programs differently: dibao and the marginal band by the household's own class (seed 002 二(一):
A yearly, B half-yearly, C quarterly), 特困 yearly, the two disability subsidies at least quarterly (seed 003 二),
and "other recipients" (seed 000 三(二): children's allowances, the three elderly/care subsidies, the legacy lists)
checked monthly through the registry data, which matching's monthly runs do, not by a home visit. The rule of each
program is a figure `review_rule_<program>` per region, so a county can change it without a release.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum

from libs.contracts.period import Period
from services.casework.local_figures.figures import REVIEW_RULE_PREFIX, Standards
from services.casework.registry.models import ReviewClass


class ReviewRule(StrEnum):
    HOUSEHOLD = "household"  # the household's class as the township chose it (A/B/C)
    A = "A"
    B = "B"
    C = "C"
    QUARTERLY = "quarterly"
    MONTHLY = "monthly"  # a visit every month
    REGISTRY = "registry"  # the monthly registry check by matching: never a visit of the calendar


REVIEW_RULE_VALUES: tuple[str, ...] = tuple(r.value for r in ReviewRule)

# The household's class when the township does not choose one: the class of a program's fixed rule, B for the
# programs reviewed by the household's class (seed 002: "短期内收入变化不大"), monthly for the registry check.
_CLASS_OF: dict[ReviewRule, ReviewClass] = {
    ReviewRule.A: ReviewClass.A,
    ReviewRule.B: ReviewClass.B,
    ReviewRule.C: ReviewClass.C,
    ReviewRule.QUARTERLY: ReviewClass.QUARTERLY,
    ReviewRule.MONTHLY: ReviewClass.MONTHLY,
}


def rule_of(standards: Standards, program: str) -> ReviewRule:
    """The region's rule for `program`; a program without a figure (temporary grants) is not reviewed by visit."""
    value = getattr(standards, REVIEW_RULE_PREFIX + program, None)
    return ReviewRule(value) if isinstance(value, str) else ReviewRule.REGISTRY


def review_months(standards: Standards, review_class: str) -> int:
    return {
        ReviewClass.A: standards.review_months_a,
        ReviewClass.B: standards.review_months_b,
        ReviewClass.C: standards.review_months_c,
        ReviewClass.MONTHLY: standards.review_months_monthly,
        ReviewClass.QUARTERLY: standards.review_months_quarterly,
    }[ReviewClass(review_class)]


def visit_class(standards: Standards, program: str, household_class: str) -> ReviewClass | None:
    """The class a program of the household is visited by; None when the registry check covers it."""
    rule = rule_of(standards, program)
    if rule is ReviewRule.REGISTRY:
        return None
    return ReviewClass(household_class) if rule is ReviewRule.HOUSEHOLD else _CLASS_OF[rule]


def interval_months(standards: Standards, program: str, household_class: str) -> int | None:
    """Months between visits of `program` in a household of `household_class`; None: no visit."""
    cls = visit_class(standards, program, household_class)
    return None if cls is None else review_months(standards, cls)


def next_visit(standards: Standards, program: str, household_class: str, from_month: Period) -> dt.date | None:
    """The first day of the month the program's next visit falls due, counted from `from_month`."""
    months = interval_months(standards, program, household_class)
    return None if months is None else (from_month + months).first_day


def default_class(standards: Standards, program: str) -> ReviewClass:
    """The household's class when a new household's township chose none."""
    rule = rule_of(standards, program)
    if rule is ReviewRule.REGISTRY:
        return ReviewClass.MONTHLY
    return _CLASS_OF.get(rule, ReviewClass.B)


def household_date(dates: Iterable[dt.date | None]) -> dt.date | None:
    """The household's next visit: the earliest of its programs' (one review per household and date)."""
    return min((d for d in dates if d is not None), default=None)
