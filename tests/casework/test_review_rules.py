"""Review rules per program (issue 21; DOMAIN.md §4): which programs are visited, how often, and from when.

A table of programs × household classes × region figures → the months between visits and the next visit's date,
as seed 002 二(一) (A/B/C), seed 003 二 (disability subsidies quarterly) and seed 000 三(二) (the other recipients
checked monthly through the registry data, never visited by the calendar) name them.
"""

from __future__ import annotations

import importlib
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from libs.contracts.period import Period
from libs.contracts.programs import Program
from services.casework.case.review_rules import (
    REVIEW_RULE_VALUES,
    ReviewRule,
    default_class,
    household_date,
    interval_months,
    next_visit,
    rule_of,
)
from services.casework.local_figures.figures import REVIEW_RULE_PREFIX, Standards
from services.casework.local_figures.schemas import REVIEW_RULES, SPECS

NATIONAL = Standards()
# A county that visits its dibao households by a fixed class C of two months, its disability subsidies monthly, and
# its elderly allowance by visit each half-year instead of the registry check.
LOCAL = replace(
    NATIONAL,
    review_months_c=2,
    review_rule_dibao="C",
    review_rule_disability_living="monthly",
    review_rule_elderly_high_age="B",
)
APRIL = Period.parse("2026-04")

# program, household class, standards → months between visits (None: the registry check, no visit)
CASES: list[tuple[Program, str, Standards, int | None]] = [
    (Program.DIBAO, "A", NATIONAL, 12),
    (Program.DIBAO, "B", NATIONAL, 6),
    (Program.DIBAO, "C", NATIONAL, 3),
    (Program.DIBAO_SINGLE, "B", NATIONAL, 6),
    (Program.MARGINAL, "C", NATIONAL, 3),
    # 特困 yearly, whatever class the household was given.
    (Program.TEKUN_CENTRALIZED, "B", NATIONAL, 12),
    (Program.TEKUN_DISPERSED, "C", NATIONAL, 12),
    # 003 二: 每季度至少1次, not the dibao household's half-yearly class.
    (Program.DISABILITY_LIVING, "B", NATIONAL, 3),
    (Program.DISABILITY_CARE, "A", NATIONAL, 3),
    # 000 三(二): checked monthly through the registry data, never by the calendar's visit.
    (Program.ORPHAN, "B", NATIONAL, None),
    (Program.HIV_CHILD, "B", NATIONAL, None),
    (Program.DE_FACTO_ORPHAN, "B", NATIONAL, None),
    (Program.ELDERLY_HIGH_AGE, "B", NATIONAL, None),
    (Program.ELDERLY_DISABLED, "A", NATIONAL, None),
    (Program.TEKUN_CARE, "C", NATIONAL, None),
    (Program.LEGACY_RAILWAY_MILITIA, "B", NATIONAL, None),
    (Program.LEGACY_RETIRED_STAFF, "B", NATIONAL, None),
    (Program.TEMPORARY, "B", NATIONAL, None),  # a one-off grant, never an entitlement
    # The region's figures: the rule and the class's months.
    (Program.DIBAO, "B", LOCAL, 2),
    (Program.MARGINAL, "B", LOCAL, 6),
    (Program.DISABILITY_LIVING, "B", LOCAL, 1),
    (Program.DISABILITY_CARE, "B", LOCAL, 3),
    (Program.ELDERLY_HIGH_AGE, "C", LOCAL, 6),
    (Program.ORPHAN, "C", LOCAL, None),
    (Program.DIBAO, "B", replace(NATIONAL, review_months_b=4), 4),
    (Program.DISABILITY_LIVING, "B", replace(NATIONAL, review_months_quarterly=2), 2),
]


@pytest.mark.parametrize(("program", "household_class", "standards", "months"), CASES)
def test_each_program_is_visited_by_its_rule(
    program: Program, household_class: str, standards: Standards, months: int | None
) -> None:
    assert interval_months(standards, program, household_class) == months
    expected = None if months is None else (APRIL + months).first_day
    assert next_visit(standards, program, household_class, APRIL) == expected


def test_a_dibao_household_of_class_b_with_a_disability_subsidy_is_visited_each_quarter() -> None:
    dates = [next_visit(NATIONAL, p, "B", APRIL) for p in (Program.DIBAO, Program.DISABILITY_LIVING, Program.ORPHAN)]
    assert dates == [date(2026, 10, 1), date(2026, 7, 1), None]
    assert household_date(dates) == date(2026, 7, 1)
    assert household_date([None, None]) is None


def test_a_new_households_class_follows_its_first_programs_rule() -> None:
    assert [default_class(NATIONAL, p) for p in (Program.DIBAO, Program.TEKUN_DISPERSED, Program.DISABILITY_CARE)] == [
        "B",
        "A",
        "quarterly",
    ]
    assert default_class(NATIONAL, Program.ELDERLY_HIGH_AGE) == "monthly"


def test_every_program_but_temporary_has_a_rule_figure_and_the_api_knows_every_rule() -> None:
    named = {p for p in Program if hasattr(NATIONAL, REVIEW_RULE_PREFIX + p.value)}
    assert named == set(Program) - {Program.TEMPORARY}
    assert set(REVIEW_RULES) == set(REVIEW_RULE_VALUES)
    assert {n for n in SPECS if n.startswith(REVIEW_RULE_PREFIX)} == {REVIEW_RULE_PREFIX + p.value for p in named}
    assert rule_of(Standards.of({"review_rule_dibao": "registry"}), Program.DIBAO) is ReviewRule.REGISTRY


def test_the_migration_seeds_the_rules_the_code_defaults_to() -> None:
    migration: Any = importlib.import_module("services.casework.migrations.versions.0012_review_rules")
    assert {REVIEW_RULE_PREFIX + p: rule for p, rule in migration._RULES.items()} == {
        name: getattr(NATIONAL, name) for name in SPECS if name.startswith(REVIEW_RULE_PREFIX)
    }
