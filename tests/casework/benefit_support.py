"""What the benefit-rule tests share: the test region's local figures, people, income and a one-line `run`."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from libs.contracts.programs import Program
from services.casework.benefit.rules import (
    BenefitInput,
    Calculation,
    DeductionItem,
    DeductionKind,
    IncomeItem,
    MemberFacts,
    SelfCare,
    calculate,
)
from services.casework.local_figures.figures import Standards

ON = date(2026, 3, 1)
STANDARDS = Standards(
    dibao_standard_fen=70000,
    tekun_basic_fen=90000,
    tekun_care_self_fen=5000,
    tekun_care_partial_fen=20000,
    tekun_care_full_fen=40000,
    disability_living_fen=8000,
    disability_care_grade1_fen=12000,
    disability_care_grade2_fen=9000,
    orphan_allowance_fen=150000,
    hiv_child_allowance_fen=160000,
    de_facto_orphan_allowance_fen=140000,
    elderly_high_age_fen=10000,
    elderly_disabled_fen=20000,
    tekun_care_subsidy_fen=30000,
    legacy_railway_militia_fen=50000,
    legacy_retired_staff_fen=60000,
    employment_cost_deduction_fen=40000,
)
ADULT = date(1980, 5, 1)


def person(pid: str, born: date = ADULT, **facts: Any) -> MemberFacts:
    return MemberFacts(id_number=pid, birth_date=born, **facts)


def household(n: int) -> tuple[MemberFacts, ...]:
    return tuple(person(f"P{i}") for i in range(1, n + 1))


def wages(pid: str, fen: int, kind: str = "wages") -> IncomeItem:
    return IncomeItem(member_id_number=pid, kind=kind, amount_12_months_fen=fen)


def run(
    program: Program, members: tuple[MemberFacts, ...], standards: Standards = STANDARDS, **rest: Any
) -> Calculation:
    return calculate(BenefitInput(program=program, members=members, **rest), standards, ON)


def dibao_with_income(n: int, annual_fen: int, program: Program = Program.DIBAO) -> Calculation:
    """An n-member household whose whole income is the first member's wages, `annual_fen` over 12 months."""
    return run(program, household(n), declared_income=(wages("P1", annual_fen),))


OLD = date(1950, 1, 1)
SELF, PARTIAL, FULL = SelfCare.SELF, SelfCare.PARTIAL, SelfCare.FULL

EMPLOYED = (person("P1", employed=True), person("P2"))
BOTH_EMPLOYED = (person("P1", employed=True), person("P2", employed=True))
COST, MEDICAL = DeductionKind.EMPLOYMENT_COST, DeductionKind.MEDICAL


def cut(kind: DeductionKind, fen: int, pid: str | None = None) -> DeductionItem:
    return DeductionItem(kind=kind, amount_12_months_fen=fen, member_id_number=pid)


def income(case_id: str, monthly: int, members: tuple[MemberFacts, ...] = EMPLOYED, **rest: Any) -> object:
    return pytest.param(members, rest, monthly, id=case_id)


W100, W1000 = wages("P1", 120000), wages("P1", 1200000)  # 100.00 and 1,000.00 a month
P1_COST, P2_COST = cut(COST, 600000, "P1"), cut(COST, 600000, "P2")  # 500.00 a month each, above the cap
RIGID = tuple(cut(kind, 120000) for kind in DeductionKind if kind is not COST)
ILL: dict[str, Any] = {"serious_illness": True}
GRADE3_MENTAL: dict[str, Any] = {"disability_grade": 3, "disability_kind": "mental"}
