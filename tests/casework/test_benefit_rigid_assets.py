"""Rigid expenditure and assets in the calculation (seed 004 二(四), 二(十); services/casework/benefit/deductions.py,
assets.py): tables of cases on a two-member household whose first member earns 1,000.00 a month, under the test
region's figures (dibao standard 700.00) and the region's caps and limits as each case sets them."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from libs.contracts.programs import Program
from services.casework.benefit.rules import AssetItem, BenefitInput, DeductionKind, ExpenseItem
from tests.casework.benefit_support import ILL, MEDICAL, OLD, SELF, STANDARDS, W1000, cut, household, person, run, wages

EDUCATION, SPECIAL = DeductionKind.EDUCATION, DeductionKind.SPECIAL_SUPPORT
TWO = household(2)


def spent(kind: str, fen: int) -> ExpenseItem:
    return ExpenseItem(kind=kind, amount_12_months_fen=fen)


def asset(kind: str, fen: int | None = None, pid: str | None = None) -> AssetItem:
    return AssetItem(kind=kind, value_fen=fen, member_id_number=pid)


def rigid(case_id: str, monthly: int, figures: dict[str, Any], **rest: Any) -> object:
    return pytest.param(figures, rest, monthly, id=case_id)


TRUST: dict[str, Any] = {"rigid_expense_declared": True}


@pytest.mark.parametrize(
    ("figures", "rest", "monthly"),
    [
        rigid("verified-uncapped-in-full", 50000, {}, deductions=(cut(MEDICAL, 600000),)),
        rigid("verified-capped", 70000, {"rigid_medical_cap_fen": 30000}, deductions=(cut(MEDICAL, 600000),)),
        rigid("under-the-cap", 80000, {"rigid_medical_cap_fen": 30000}, deductions=(cut(MEDICAL, 240000),)),
        rigid(
            "items-of-a-kind-share-the-cap",
            70000,
            {"rigid_medical_cap_fen": 30000},
            deductions=(cut(MEDICAL, 300000, "P1"), cut(MEDICAL, 300000, "P2")),
        ),
        rigid("cap-zero-deducts-nothing", 100000, {"rigid_medical_cap_fen": 0}, deductions=(cut(MEDICAL, 600000),)),
        rigid("another-kinds-cap", 50000, {"rigid_education_cap_fen": 0}, deductions=(cut(MEDICAL, 600000),)),
        rigid("special-support-never-capped", 50000, {"rigid_medical_cap_fen": 0}, deductions=(cut(SPECIAL, 600000),)),
        rigid("declared-not-trusted", 100000, {}, declared_expenditure=(spent("medical", 600000),)),
        rigid("declared-trusted", 50000, TRUST, declared_expenditure=(spent("medical", 600000),)),
        rigid(
            "declared-trusted-and-capped",
            80000,
            {**TRUST, "rigid_medical_cap_fen": 20000},
            declared_expenditure=(spent("medical", 600000),),
        ),
        rigid(
            "verified-replaces-declared",
            80000,
            TRUST,
            declared_expenditure=(spent("medical", 600000),),
            deductions=(cut(MEDICAL, 240000),),
        ),
        rigid(
            "verified-replaces-only-its-kind",
            40000,
            TRUST,
            declared_expenditure=(spent("medical", 600000), spent("education", 240000)),
            deductions=(cut(EDUCATION, 120000),),
        ),
        rigid("other-is-not-rigid", 100000, TRUST, declared_expenditure=(spent("other", 600000),)),
        rigid("never-below-zero", 0, TRUST, declared_expenditure=(spent("disaster", 2400000),)),
    ],
)
def test_rigid_expenditure_per_region(figures: dict[str, Any], rest: dict[str, Any], monthly: int) -> None:
    calc = run(Program.DIBAO, TWO, replace(STANDARDS, **figures), declared_income=(W1000,), **rest)
    assert calc.household_monthly_income_fen == monthly


def test_declared_expenditure_is_the_households_not_one_persons() -> None:
    # 单人保 measures the person alone: the household's declared expenditure is not theirs.
    members = (person("P1", **ILL), person("P2"))
    calc = run(
        Program.DIBAO_SINGLE,
        members,
        replace(STANDARDS, rigid_expense_declared=True),
        declared_income=(W1000,),
        declared_expenditure=(spent("medical", 600000),),
    )
    own = next(line for line in calc.lines if line.label.startswith("本人月收入"))
    assert own.amount_fen == 100000


def test_rigid_lines_say_what_counts_and_why() -> None:
    calc = run(
        Program.DIBAO,
        TWO,
        replace(STANDARDS, rigid_medical_cap_fen=30000),
        declared_income=(W1000,),
        declared_expenditure=(spent("medical", 600000), spent("education", 120000), spent("other", 5000)),
        deductions=(cut(MEDICAL, 500000, "P2"), cut(MEDICAL, 100000, "P1")),
    )
    shown = [(line.label, line.formula, line.amount_fen) for line in calc.lines[1:6]]
    assert shown == [
        ("成员1 member 1 工资性收入 wages 12个月收入 12-month income", "申报 declared 12,000.00", 1200000),
        (
            "申报支出 declared expenditure 医疗支出 medical",
            "申报 declared 6,000.00，以入户调查核实为准 the investigation's figure applies",
            None,
        ),
        (
            "申报支出 declared expenditure 教育支出 education",
            "申报 declared 1,200.00，未经入户调查核实不扣减 not deducted until investigated",
            None,
        ),
        (
            "申报支出 declared expenditure 其他 other (other)",
            "申报 declared 50.00，不属于刚性支出 not a rigid expenditure",
            None,
        ),
        ("扣减 deduction 医疗支出 medical", "min((5,000.00 + 1,000.00), 300.00 × 12)", 360000),
    ]
    assert calc.lines[6].formula == "12,000.00 / 12 - 3,600.00 / 12"


# ---- assets ------------------------------------------------------------------------------------------------------

LIMIT_TWO = 70000 * 24 * 2  # 24 months of the standard for each of two members: 33,600.00


def assets(case_id: str, reason: str | None, figures: dict[str, Any], *items: AssetItem) -> object:
    return pytest.param(figures, items, reason, id=case_id)


@pytest.mark.parametrize(
    ("figures", "items", "reason"),
    [
        assets("none", None, {}),
        assets("deposits-at-the-limit", None, {}, asset("deposit", LIMIT_TWO)),
        assets("deposits-a-fen-above", "金融资产", {}, asset("deposit", LIMIT_TWO + 1)),
        assets("deposits-and-securities-add-up", "金融资产", {}, asset("deposit", LIMIT_TWO), asset("securities", 1)),
        assets(
            "a-shorter-local-limit", "12个月", {"financial_assets_months": 12}, asset("deposit", LIMIT_TWO // 2 + 1)
        ),
        assets("deposit-without-value", None, {}, asset("deposit")),
        assets("a-vehicle", "车辆1辆", {}, asset("vehicle", 300000, "P1")),
        assets("a-vehicle-allowed-locally", None, {"vehicles_allowed": 1}, asset("vehicle", 300000, "P1")),
        assets("one-house", None, {}, asset("house")),
        assets("two-houses", "住房2套", {}, asset("house"), asset("house", pid="P2")),
        assets("two-houses-allowed-locally", None, {"houses_allowed": 2}, asset("house"), asset("house")),
        assets("a-business-registration-is-checked-not-refused", None, {}, asset("business_registration")),
        assets("other-assets-are-not-valued", None, {}, asset("other", 99999999)),
    ],
)
def test_assets_against_the_regions_limits(
    figures: dict[str, Any], items: tuple[AssetItem, ...], reason: str | None
) -> None:
    for program in (Program.DIBAO, Program.MARGINAL):
        # The marginal band for two at 700.00: a per-capita income of 800.00.
        income = wages("P1", 1920000) if program is Program.MARGINAL else None
        calc = run(
            program, TWO, replace(STANDARDS, **figures), assets=items, declared_income=(income,) if income else ()
        )
        above = [r for r in calc.reasons if reason is not None and reason in r]
        assert calc.eligible is (reason is None), (program, calc.reasons)
        assert len(above) == (reason is not None)


def test_assets_are_not_a_limit_for_individual_allowances() -> None:
    # 特困 and the flat allowances look at the person: the household's car is not their asset test.
    calc = run(Program.TEKUN_DISPERSED, (person("P1", OLD, self_care=SELF),), assets=(asset("vehicle"),))
    assert calc.eligible
    assert not any("车辆" in line.label for line in calc.lines)


def test_asset_lines_show_the_valuation() -> None:
    calc = run(
        Program.DIBAO,
        TWO,
        assets=(asset("deposit", 3000000), asset("securities"), asset("vehicle", 500000, "P1"), asset("house")),
    )
    # Right after the per-capita income, before the standard and the band.
    shown = [(line.label, line.formula, line.amount_fen) for line in calc.lines[3:6]]
    assert shown == [
        (
            "家庭人均金融资产 financial assets per person (deposits, securities)",
            "(30,000.00 + 0.00) / 2 = 15,000.00 ≤ 24 × 700.00 = 16,800.00"
            "（1项未申报价值，按0.00计 1 without a declared value, counted as 0.00）",
            3000000,
        ),
        ("车辆 vehicles", "1辆 > 本地区限额 the region's limit 0：超过 above", None),
        ("住房 houses", "1套 ≤ 本地区限额 the region's limit 1", None),
    ]
    assert calc.reasons == ("车辆1辆，超过本地区限额0辆 1 vehicles: above the region's limit of 0",)
    assert calc.lines[-1].formula == "不符合条件 not eligible: 0.00"


@pytest.mark.parametrize(
    "rest",
    [
        pytest.param({"assets": (asset("house", pid="X"),)}, id="asset-of-a-stranger"),
        pytest.param({"assets": (asset("deposit", -1),)}, id="negative-asset"),
        pytest.param({"declared_expenditure": (spent("medical", -1),)}, id="negative-expenditure"),
    ],
)
def test_malformed_assets_and_expenditure_are_refused(rest: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=r"member|never negative"):
        BenefitInput(**{"program": Program.DIBAO, "members": TWO, **rest})
