"""The pure benefit rules (services/casework/benefit/rules.py): no database, no clock but `ON`.

Local figures below are the test region's (dibao standard 700.00, tekun basic 900.00, 1.5× marginal multiple,
employment-cost deduction 400.00 a month); amounts are fen throughout.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import Any

import pytest

from libs.contracts.programs import Program
from services.casework.benefit.rules import (
    IncomeBand,
    MemberFacts,
    income_band,
)
from tests.casework.benefit_support import (
    ADULT,
    BOTH_EMPLOYED,
    COST,
    FULL,
    GRADE3_MENTAL,
    ILL,
    MEDICAL,
    OLD,
    P1_COST,
    P2_COST,
    PARTIAL,
    RIGID,
    SELF,
    W100,
    W1000,
    cut,
    dibao_with_income,
    household,
    income,
    person,
    run,
    wages,
)

# ---- dibao around the standard ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "annual_fen", "per_capita", "band", "eligible", "amount"),
    [
        pytest.param(1, 839988, 69999, IncomeBand.BELOW, True, 1, id="699.99-just-below"),
        pytest.param(1, 840000, 70000, IncomeBand.MARGINAL, False, 0, id="700.00-at-the-standard"),
        pytest.param(1, 840012, 70001, IncomeBand.MARGINAL, False, 0, id="700.01-just-above"),
        pytest.param(2, 1200000, 50000, IncomeBand.BELOW, True, 40000, id="two-members-at-500"),
        pytest.param(3, 0, 0, IncomeBand.BELOW, True, 210000, id="no-income-three-members"),
        pytest.param(1, 1259988, 104999, IncomeBand.MARGINAL, False, 0, id="1049.99-marginal"),
        pytest.param(1, 1260000, 105000, IncomeBand.ABOVE, False, 0, id="1050.00-above"),
    ],
)
def test_dibao_pays_the_gap_below_the_standard(
    n: int, annual_fen: int, per_capita: int, band: IncomeBand, eligible: bool, amount: int
) -> None:
    calc = dibao_with_income(n, annual_fen)
    assert (calc.per_capita_income_fen, calc.band, calc.eligible, calc.monthly_amount_fen) == (
        per_capita,
        band,
        eligible,
        amount,
    )
    expected = () if eligible else ("人均收入不低于低保标准 per-capita income is not below the dibao standard",)
    assert calc.reasons == expected


@pytest.mark.parametrize(
    ("per_capita", "standard", "pct", "band"),
    [
        pytest.param(Fraction(69999), 70000, 150, IncomeBand.BELOW, id="699.99"),
        pytest.param(Fraction(209999, 3), 70000, 150, IncomeBand.BELOW, id="699.996-thirds-still-below"),
        pytest.param(Fraction(70000), 70000, 150, IncomeBand.MARGINAL, id="700.00"),
        pytest.param(Fraction(104999), 70000, 150, IncomeBand.MARGINAL, id="1049.99"),
        pytest.param(Fraction(209999, 2), 70000, 150, IncomeBand.MARGINAL, id="1049.995-half-fen-below"),
        pytest.param(Fraction(105000), 70000, 150, IncomeBand.ABOVE, id="1050.00"),
        pytest.param(Fraction(90999), 70000, 130, IncomeBand.MARGINAL, id="local-1.3x-909.99"),
        pytest.param(Fraction(91000), 70000, 130, IncomeBand.ABOVE, id="local-1.3x-910.00"),
        pytest.param(Fraction(105150), 70100, 150, IncomeBand.ABOVE, id="fractional-ceiling-1051.50"),
    ],
)
def test_income_band_edges(per_capita: Fraction, standard: int, pct: int, band: IncomeBand) -> None:
    assert income_band(per_capita, standard, pct) is band


@pytest.mark.parametrize(
    ("annual_fen", "eligible", "reason"),
    [
        pytest.param(839988, False, "the household belongs in dibao", id="699.99-belongs-in-dibao"),
        pytest.param(840000, True, "", id="700.00-marginal"),
        pytest.param(1259988, True, "", id="1049.99-marginal"),
        pytest.param(1260000, False, "not below 150% of the dibao standard", id="1050.00-above"),
    ],
)
def test_marginal_household_band(annual_fen: int, eligible: bool, reason: str) -> None:
    calc = dibao_with_income(1, annual_fen, Program.MARGINAL)
    assert (calc.eligible, calc.monthly_amount_fen) == (eligible, 0)
    assert [reason in r for r in calc.reasons] == ([True] if reason else [])


# ---- 单人保 single-person inclusion ---------------------------------------------------------------------------

GRADE3_INTELLECTUAL: dict[str, Any] = {"disability_grade": 3, "disability_kind": "intellectual"}
GRADE3_PHYSICAL: dict[str, Any] = {"disability_grade": 3, "disability_kind": "physical"}
GRADE4_INTELLECTUAL: dict[str, Any] = {"disability_grade": 4, "disability_kind": "intellectual"}
MARGINAL, BELOW, ABOVE = IncomeBand.MARGINAL, IncomeBand.BELOW, IncomeBand.ABOVE


# The other member earns `other_annual` (2,160,000 fen: 1,800.00 a month, a per-capita 900.00 with no own income).
@pytest.mark.parametrize(
    ("facts", "other_annual", "own_annual", "eligible", "amount", "band"),
    [
        pytest.param(ILL, 2160000, 0, True, 70000, MARGINAL, id="serious-illness"),
        pytest.param({"disability_grade": 1}, 2160000, 0, True, 70000, MARGINAL, id="grade-1"),
        pytest.param({"disability_grade": 2}, 2160000, 120000, True, 60000, MARGINAL, id="grade-2-own-100"),
        pytest.param(GRADE3_INTELLECTUAL, 0, 0, True, 70000, BELOW, id="grade-3-intellectual-below"),
        pytest.param(GRADE3_MENTAL, 2160000, 0, True, 70000, MARGINAL, id="grade-3-mental"),
        pytest.param(GRADE3_PHYSICAL, 2160000, 0, False, 0, MARGINAL, id="grade-3-physical-not"),
        pytest.param(GRADE4_INTELLECTUAL, 2160000, 0, False, 0, MARGINAL, id="grade-4-not"),
        pytest.param({}, 2160000, 0, False, 0, MARGINAL, id="healthy-not"),
        pytest.param(ILL, 2520000, 0, False, 0, ABOVE, id="household-at-1.5x"),
        pytest.param(ILL, 0, 840000, False, 0, BELOW, id="own-income-at-standard"),
    ],
)
def test_single_person_inclusion(
    facts: dict[str, Any], other_annual: int, own_annual: int, eligible: bool, amount: int, band: IncomeBand
) -> None:
    members = (person("P1"), person("P2", **facts))
    income = (wages("P1", other_annual), wages("P2", own_annual, "transfers"))
    calc = run(Program.DIBAO_SINGLE, members, declared_income=income, beneficiary_id_number="P2")
    assert (calc.eligible, calc.monthly_amount_fen, calc.band) == (eligible, amount, band)
    assert bool(calc.reasons) is not eligible


# ---- 特困 ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "facts", "own_annual", "eligible", "amount"),
    [
        pytest.param(OLD, {"self_care": SELF}, 0, True, 95000, id="76-self-care"),
        pytest.param(OLD, {"self_care": PARTIAL}, 0, True, 110000, id="76-partial-care"),
        pytest.param(OLD, {"self_care": FULL}, 0, True, 130000, id="76-full-care"),
        pytest.param(date(1966, 3, 1), {"self_care": FULL}, 0, True, 130000, id="60-today"),
        pytest.param(date(1966, 3, 2), {"self_care": FULL}, 0, False, 0, id="59-tomorrow-60"),
        pytest.param(date(2010, 3, 2), {"self_care": SELF}, 0, True, 95000, id="15"),
        pytest.param(date(2010, 3, 1), {"self_care": SELF}, 0, False, 0, id="16-today"),
        pytest.param(ADULT, {"self_care": PARTIAL, "disability_grade": 2}, 0, True, 110000, id="45-grade-2"),
        pytest.param(ADULT, {"self_care": FULL, **GRADE3_MENTAL}, 0, True, 130000, id="45-grade-3-mental"),
        pytest.param(ADULT, {"self_care": FULL, **GRADE3_PHYSICAL}, 0, False, 0, id="45-grade-3-physical"),
        pytest.param(ADULT, {"self_care": FULL, **ILL}, 0, False, 0, id="45-ill-is-not-unable-to-work"),
        pytest.param(OLD, {}, 0, False, 0, id="self-care-not-assessed"),
        pytest.param(OLD, {"self_care": SELF}, 1079988, True, 95000, id="own-899.99"),
        pytest.param(OLD, {"self_care": SELF}, 1080000, False, 0, id="own-900.00"),
    ],
)
def test_tekun_basic_plus_care(born: date, facts: dict[str, Any], own_annual: int, eligible: bool, amount: int) -> None:
    for program in (Program.TEKUN_CENTRALIZED, Program.TEKUN_DISPERSED):
        calc = run(program, (person("T", born, **facts),), declared_income=(wages("T", own_annual, "transfers"),))
        assert (calc.eligible, calc.monthly_amount_fen, len(calc.reasons) == 0) == (eligible, amount, eligible)


# ---- 残疾人两项补贴 ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("program", "grade", "kind", "amount"),
    [
        pytest.param(Program.DISABILITY_LIVING, 1, "physical", 8000, id="living-grade-1"),
        pytest.param(Program.DISABILITY_LIVING, 4, "hearing", 8000, id="living-grade-4"),
        pytest.param(Program.DISABILITY_LIVING, None, None, None, id="living-not-disabled"),
        pytest.param(Program.DISABILITY_CARE, 1, "visual", 12000, id="care-grade-1"),
        pytest.param(Program.DISABILITY_CARE, 2, "physical", 9000, id="care-grade-2"),
        pytest.param(Program.DISABILITY_CARE, 3, "intellectual", 9000, id="care-grade-3-intellectual"),
        pytest.param(Program.DISABILITY_CARE, 3, "mental", 9000, id="care-grade-3-mental"),
        pytest.param(Program.DISABILITY_CARE, 3, "physical", None, id="care-grade-3-physical"),
        pytest.param(Program.DISABILITY_CARE, 4, "intellectual", None, id="care-grade-4"),
    ],
)
def test_disability_subsidies(program: Program, grade: int | None, kind: str | None, amount: int | None) -> None:
    calc = run(program, (person("D", disability_grade=grade, disability_kind=kind),))
    assert (calc.eligible, calc.monthly_amount_fen, calc.band) == (amount is not None, amount or 0, None)


# ---- household income: verified income, deductions, support ----------------------------------------------------


@pytest.mark.parametrize(
    ("members", "rest", "monthly"),
    [
        income("declared", 40000, declared_income=(W100, wages("P2", 360000, "business"))),
        income("verified-replaces-declared", 50000, declared_income=(W100,), verified_income=(wages("P1", 600000),)),
        income(
            "verified-replaces-the-sum-of-two-jobs",
            20000,
            declared_income=(wages("P1", 60000), wages("P1", 60000)),
            verified_income=(wages("P1", 240000),),
        ),
        income(
            "verified-other-kind-adds",
            30000,
            declared_income=(W100,),
            verified_income=(wages("P1", 240000, "property"),),
        ),
        income("verified-other-member-adds", 30000, declared_income=(W100,), verified_income=(wages("P2", 240000),)),
        income("employment-cost-under-cap", 80000, declared_income=(W1000,), deductions=(cut(COST, 240000, "P1"),)),
        income("employment-cost-capped-at-4800", 60000, declared_income=(W1000,), deductions=(P1_COST,)),
        income("cost-items-share-one-cap", 60000, declared_income=(W1000,), deductions=(cut(COST, 300000, "P1"),) * 2),
        income(
            "employment-cost-cap-per-member",
            20000,
            BOTH_EMPLOYED,
            declared_income=(wages("P1", 600000), wages("P2", 600000)),
            deductions=(P1_COST, P2_COST),
        ),
        income("employment-cost-not-for-unemployed", 100000, declared_income=(W1000,), deductions=(P2_COST,)),
        income("employment-cost-without-member", 100000, declared_income=(W1000,), deductions=(cut(COST, 240000),)),
        income("medical-in-full", 50000, declared_income=(W1000,), deductions=(cut(MEDICAL, 600000, "P2"),)),
        income("five-rigid-kinds-in-full", 50000, declared_income=(W1000,), deductions=RIGID),
        income("never-below-zero", 0, declared_income=(W100,), deductions=(cut(MEDICAL, 600000),)),
        income("obligor-support", 30000, obligor_support_monthly_fen=30000),
        income("income-plus-support", 25000, declared_income=(W100,), obligor_support_monthly_fen=15000),
    ],
)
def test_household_monthly_income(members: tuple[MemberFacts, ...], rest: dict[str, Any], monthly: int) -> None:
    calc = run(Program.DIBAO, members, **rest)
    assert calc.household_monthly_income_fen == monthly
    assert calc.per_capita_income_fen == monthly // 2
    assert calc.monthly_amount_fen == 140000 - monthly


@pytest.mark.parametrize(
    ("n", "annual_fen", "household", "per_capita", "amount"),
    [
        pytest.param(3, 1680000, 140000, 46667, 70000, id="1400.00/3-exact-amount"),
        pytest.param(3, 1680012, 140001, 46667, 69999, id="1400.01/3"),
        pytest.param(3, 1680024, 140002, 46667, 69998, id="1400.02/3"),
        pytest.param(3, 1680006, 140001, 46667, 70000, id="1400.005-half-fen-rounds-up"),
        pytest.param(1, 600006, 50001, 50001, 20000, id="500.005-amount-199.995-up"),
        pytest.param(1, 600007, 50001, 50001, 19999, id="500.0058-amount-199.994-down"),
    ],
)
def test_rounding_to_the_fen_only_at_the_end(
    n: int, annual_fen: int, household: int, per_capita: int, amount: int
) -> None:
    calc = dibao_with_income(n, annual_fen)
    assert (calc.household_monthly_income_fen, calc.per_capita_income_fen, calc.monthly_amount_fen) == (
        household,
        per_capita,
        amount,
    )


# ---- flat amounts, temporary assistance -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("program", "born", "amount"),
    [
        pytest.param(Program.ORPHAN, date(2016, 6, 1), 150000, id="orphan-9"),
        pytest.param(Program.ORPHAN, date(2008, 3, 2), 150000, id="orphan-17-until-tomorrow"),
        pytest.param(Program.ORPHAN, date(2008, 3, 1), None, id="orphan-18-today"),
        pytest.param(Program.HIV_CHILD, date(2012, 1, 1), 160000, id="hiv-child"),
        pytest.param(Program.DE_FACTO_ORPHAN, date(2012, 1, 1), 140000, id="de-facto-orphan"),
        pytest.param(Program.DE_FACTO_ORPHAN, date(2000, 1, 1), None, id="de-facto-orphan-adult"),
        pytest.param(Program.ELDERLY_HIGH_AGE, date(1940, 1, 1), 10000, id="high-age"),
        pytest.param(Program.ELDERLY_DISABLED, date(1950, 1, 1), 20000, id="elderly-disabled"),
        pytest.param(Program.TEKUN_CARE, date(1950, 1, 1), 30000, id="tekun-care"),
        pytest.param(Program.LEGACY_RAILWAY_MILITIA, date(1950, 1, 1), 50000, id="legacy-railway"),
        pytest.param(Program.LEGACY_RETIRED_STAFF, date(1945, 1, 1), 60000, id="legacy-retired"),
    ],
)
def test_flat_programs(program: Program, born: date, amount: int | None) -> None:
    calc = run(program, (person("F", born),))
    assert (calc.eligible, calc.monthly_amount_fen, calc.band) == (amount is not None, amount or 0, None)


@pytest.mark.parametrize(
    ("one_off", "eligible", "amount"),
    [
        pytest.param(50000, True, 50000, id="proposed-500"),
        pytest.param(None, False, 0, id="none-proposed"),
        pytest.param(0, False, 0, id="zero-proposed"),
    ],
)
def test_temporary_assistance_pays_the_proposed_amount(one_off: int | None, eligible: bool, amount: int) -> None:
    calc = run(Program.TEMPORARY, household(2), one_off_fen=one_off)
    assert (calc.eligible, calc.monthly_amount_fen, calc.lines[-1].label) == (
        eligible,
        amount,
        "临时救助金 one-off amount",
    )


# ---- missing figures -------------------------------------------------------------------------------------------
