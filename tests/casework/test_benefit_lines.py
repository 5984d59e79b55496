"""The benefit calculation's explanation and refusals (services/casework/benefit/rules.py): lines, a missing local
figure, malformed input. The figures are those of tests/casework/benefit_support.py."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from libs.contracts.programs import Program
from services.casework.benefit.rules import (
    BenefitInput,
    MemberFacts,
    MissingStandard,
    SelfCare,
)
from tests.casework.benefit_support import (
    COST,
    FULL,
    GRADE3_MENTAL,
    ILL,
    MEDICAL,
    OLD,
    STANDARDS,
    cut,
    dibao_with_income,
    household,
    person,
    run,
    wages,
)


@pytest.mark.parametrize(
    ("program", "facts", "figure"),
    [
        pytest.param(Program.DIBAO, {}, "dibao_standard_fen", id="dibao"),
        pytest.param(Program.MARGINAL, {}, "dibao_standard_fen", id="marginal"),
        pytest.param(Program.DIBAO_SINGLE, ILL, "dibao_standard_fen", id="single"),
        pytest.param(Program.TEKUN_DISPERSED, {}, "tekun_basic_fen", id="tekun-basic"),
        pytest.param(Program.TEKUN_CENTRALIZED, {"self_care": FULL}, "tekun_care_full_fen", id="tekun-full-care"),
        pytest.param(Program.DISABILITY_LIVING, {}, "disability_living_fen", id="living"),
        pytest.param(Program.DISABILITY_CARE, {"disability_grade": 1}, "disability_care_grade1_fen", id="care-grade-1"),
        pytest.param(Program.DISABILITY_CARE, GRADE3_MENTAL, "disability_care_grade2_fen", id="care-3-mental-as-2"),
        pytest.param(Program.ORPHAN, {}, "orphan_allowance_fen", id="orphan"),
        pytest.param(Program.LEGACY_RETIRED_STAFF, {}, "legacy_retired_staff_fen", id="legacy"),
    ],
)
def test_a_missing_figure_is_named(program: Program, facts: dict[str, Any], figure: str) -> None:
    unset: dict[str, Any] = {figure: None}
    with pytest.raises(MissingStandard) as caught:
        run(program, (person("M", OLD, **facts),), replace(STANDARDS, **unset))
    assert caught.value.figure == figure


# ---- the explanation ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("program", "members", "rest"),
    [
        pytest.param(Program.DIBAO, household(3), {"declared_income": (wages("P1", 1680000),)}, id="dibao"),
        pytest.param(Program.DIBAO, household(1), {"declared_income": (wages("P1", 840000),)}, id="dibao-refused"),
        pytest.param(Program.MARGINAL, household(1), {"declared_income": (wages("P1", 900000),)}, id="marginal"),
        pytest.param(Program.DIBAO_SINGLE, (person("P1", serious_illness=True),), {}, id="single"),
        pytest.param(
            Program.TEKUN_DISPERSED, (person("P1", date(1950, 1, 1), self_care=SelfCare.PARTIAL),), {}, id="tekun"
        ),
        pytest.param(Program.DISABILITY_CARE, (person("P1", disability_grade=2),), {}, id="care"),
        pytest.param(Program.ORPHAN, (person("P1", date(2015, 1, 1)),), {}, id="orphan"),
        pytest.param(Program.TEMPORARY, household(2), {"one_off_fen": 80000}, id="temporary"),
    ],
)
def test_the_final_line_is_the_amount(program: Program, members: tuple[MemberFacts, ...], rest: dict[str, Any]) -> None:
    calc = run(program, members, **rest)
    assert len(calc.lines) >= 2
    assert calc.lines[-1].amount_fen == calc.monthly_amount_fen
    # Lines name members by position: identity numbers are personal information (DOMAIN.md §11).
    assert not any("P1" in f"{line.label}{line.formula}" for line in calc.lines)


def test_the_lines_read_top_to_bottom() -> None:
    members = (person("P1", employed=True), person("P2"), person("P3"))
    calc = run(
        Program.DIBAO,
        members,
        declared_income=(wages("P1", 120000), wages("P2", 360000, "business")),
        verified_income=(wages("P1", 180000),),
        obligor_support_monthly_fen=15000,
        deductions=(cut(COST, 60000, "P1"), cut(MEDICAL, 120000, "P3")),
    )
    assert [(line.label, line.formula, line.amount_fen) for line in calc.lines] == [
        ("家庭成员 household members", "3人 members", None),
        (
            "成员1 member 1 工资性收入 wages 12个月收入 12-month income",
            "核实 verified 1,800.00，替代申报 replaces declared 1,200.00",
            180000,
        ),
        ("成员2 member 2 经营净收入 business 12个月收入 12-month income", "申报 declared 3,600.00", 360000),
        ("扣减 deduction 医疗支出 medical 成员3 member 3", "1,200.00", 120000),
        ("扣减 deduction 就业成本 employment cost 成员1 member 1", "min(600.00, 400.00 × 12)", 60000),
        (
            "家庭月收入 household monthly income",
            "(1,800.00 + 3,600.00) / 12 + 150.00 - (1,200.00 + 600.00) / 12",
            45000,
        ),
        ("家庭人均月收入 per-capita monthly income", "450.00 / 3", 15000),
        ("低保标准 dibao standard", "700.00 每人每月 per person per month", 70000),
        ("人均收入区间 income band", "150.00 < 700.00：低于标准 below", None),
        ("月救助金 monthly amount", "(700.00 - 450.00 / 3) × 3", 165000),
    ]


def test_an_inexact_figure_is_shown_as_approximate() -> None:
    calc = dibao_with_income(3, 1680000)
    assert calc.lines[-2].formula == "≈466.67 < 700.00：低于标准 below"
    assert calc.lines[-1].formula == "(700.00 - 1,400.00 / 3) × 3"


@pytest.mark.parametrize(
    "rest",
    [
        pytest.param({"members": ()}, id="no-members"),
        pytest.param({"members": (person("P1"), person("P1"))}, id="duplicate-member"),
        pytest.param({"declared_income": (wages("X", 100),)}, id="income-of-a-stranger"),
        pytest.param({"deductions": (cut(MEDICAL, 100, "X"),)}, id="deduction-of-a-stranger"),
        pytest.param({"beneficiary_id_number": "X"}, id="beneficiary-a-stranger"),
        pytest.param({"deductions": (cut(MEDICAL, -100),)}, id="negative-deduction"),
        pytest.param({"obligor_support_monthly_fen": -1}, id="negative-support"),
    ],
)
def test_malformed_input_is_refused(rest: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=r"member|never negative"):
        BenefitInput(**{"program": Program.DIBAO, "members": household(2), **rest})
