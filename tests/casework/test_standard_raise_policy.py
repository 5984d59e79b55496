"""The pure core of a standard raise (services/casework/raises/policy.py): each entitlement recalculated with the new
figures from the facts its case decided on, and summed up; amounts in fen (test region: dibao standard 700.00)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from libs.contracts.programs import Program
from services.casework.benefit.facts import BenefitInput
from services.casework.local_figures.figures import Standards
from services.casework.raises.policy import MARGINAL_LISTED, Held, Verdict, recalculate, tally
from tests.casework.benefit_support import STANDARDS, household, person, wages

ON = date(2026, 7, 1)
RAISED = replace(STANDARDS, dibao_standard_fen=75000, elderly_high_age_fen=15000)


def held(
    program: Program, amount: int, n: int = 3, annual: int = 960000, hid: str = "hh-1", region: str = "140402001001"
) -> Held:
    members = household(n) if program is not Program.ELDERLY_HIGH_AGE else (person("P1", date(1940, 1, 1)),)
    income = (wages("P1", annual),) if annual else ()
    facts = BenefitInput(program=program, members=members, declared_income=income)
    return Held(f"ent-{hid}-{program.value}", hid, region, program, amount, facts)


@pytest.mark.parametrize(
    ("case", "standards", "verdict", "amount"),
    [
        # Standard up 50.00 → dibao up 50.00 × 3 members (700 × 3 − 800 = 1,300 → 750 × 3 − 800 = 1,450).
        (held(Program.DIBAO, 130000), RAISED, Verdict.CHANGED, 145000),
        # The same standard: nothing changes, nothing is counted.
        (held(Program.DIBAO, 130000), STANDARDS, Verdict.UNCHANGED, 130000),
        # A single member with no income: the standard itself.
        (held(Program.DIBAO, 70000, n=1, annual=0), RAISED, Verdict.CHANGED, 75000),
        # A flat allowance raised: that program's amount.
        (held(Program.ELDERLY_HIGH_AGE, 10000), RAISED, Verdict.CHANGED, 15000),
        # No case to read the facts from (an imported recipient): left as it is, for review.
        (replace(held(Program.DIBAO, 130000), facts=None), RAISED, Verdict.REVIEW, 130000),
        # The figure is not set for the region: left, for review.
        (held(Program.DIBAO, 130000), Standards(), Verdict.REVIEW, 130000),
        # No longer eligible on the case's facts (income above the new standard): a raise never stops anyone.
        (held(Program.DIBAO, 10000, annual=2880000), RAISED, Verdict.REVIEW, 10000),
        # A marginal household whose per-capita income falls below the new standard (720 < 750): to review for dibao.
        (held(Program.MARGINAL, 0, n=1, annual=864000), RAISED, Verdict.NEWLY_ELIGIBLE, 0),
        # … and one still above it (760 ≥ 750) stays as it is.
        (held(Program.MARGINAL, 0, n=1, annual=912000), RAISED, Verdict.UNCHANGED, 0),
    ],
)
def test_recalculate(case: Held, standards: Standards, verdict: Verdict, amount: int) -> None:
    r = recalculate(case, standards, ON)
    assert (r.verdict, r.amount_fen) == (verdict, amount)


def test_amount_above_the_programs_ceiling_is_left_for_review() -> None:
    absurd = replace(STANDARDS, dibao_standard_fen=9_000_000_00)
    assert recalculate(held(Program.DIBAO, 130000), absurd, ON).verdict is Verdict.REVIEW


def test_tally_by_program_and_township_counts_only_changes() -> None:
    rows = [
        held(Program.DIBAO, 130000, hid="hh-1", region="140402001001"),
        held(Program.ELDERLY_HIGH_AGE, 10000, hid="hh-1", region="140402001001"),
        held(Program.DIBAO, 130000, hid="hh-2", region="140402002001"),
        held(Program.MARGINAL, 0, n=1, annual=864000, hid="hh-3", region="140402002001"),
        replace(held(Program.DIBAO, 130000, hid="hh-4"), facts=None),
    ]
    standards = {"140402001001": RAISED, "140402002001": replace(RAISED, dibao_standard_fen=70000)}
    t = tally(rows, standards.__getitem__, ON)
    assert t.households == {"hh-1"}  # hh-2's township kept 700.00: its amount does not change
    assert t.persons == 3  # counted once, though two of its entitlements changed
    assert (t.total.count, t.total.before_fen, t.total.after_fen) == (2, 140000, 160000)
    assert {k: (v.count, v.after_fen - v.before_fen) for k, v in t.by_program.items()} == {
        "dibao": (1, 15000),
        "elderly_high_age": (1, 5000),
    }
    assert {k: v.count for k, v in t.by_township.items()} == {"140402001": 2}
    assert (t.review, t.entitlements) == (1, 5)
    assert (t.marginal_count, t.marginal) == (0, [])  # 720 is not below hh-3's township's 700.00


def test_marginal_list_is_capped_and_counted() -> None:
    rows = [held(Program.MARGINAL, 0, n=1, annual=864000, hid=f"hh-{i}") for i in range(MARGINAL_LISTED + 5)]
    t = tally(rows, lambda _region: RAISED, ON)
    assert t.marginal_count == MARGINAL_LISTED + 5
    assert len(t.marginal) == MARGINAL_LISTED


# --- Households imported with their amounts: no case, so the amount moves by what the figures moved ---------------

BEFORE = Standards(
    dibao_standard_fen=60000,
    tekun_basic_fen=90000,
    tekun_care_self_fen=10000,
    tekun_care_partial_fen=30000,
    tekun_care_full_fen=60000,
    elderly_high_age_fen=10000,
    disability_care_grade1_fen=20000,
    disability_care_grade2_fen=10000,
)
AFTER = replace(
    BEFORE,
    dibao_standard_fen=70000,
    tekun_basic_fen=95000,
    tekun_care_partial_fen=32000,
    elderly_high_age_fen=12000,
    disability_care_grade2_fen=12000,
)


def imported(program: Program, amount: int, members: int = 2) -> Held:
    return Held(f"ent-imp-{program.value}", "hh-imp", "140402001001", program, amount, None, members)


@pytest.mark.parametrize(
    ("case", "verdict", "amount"),
    [
        # 补差: standard × members − income, so 100.00 more per member (a couple: 1,050.00 → 1,250.00).
        (imported(Program.DIBAO, 105000, members=2), Verdict.CHANGED, 125000),
        (imported(Program.DIBAO, 40000, members=5), Verdict.CHANGED, 90000),
        # 单人保 counts the one person whatever the household's size.
        (imported(Program.DIBAO_SINGLE, 30000, members=4), Verdict.CHANGED, 40000),
        # 特困: the old amount beyond the basic standard names the care level (partial: 900 + 300).
        (imported(Program.TEKUN_DISPERSED, 120000), Verdict.CHANGED, 127000),
        (imported(Program.TEKUN_CENTRALIZED, 100000), Verdict.CHANGED, 105000),  # self-care: its figure unchanged
        (imported(Program.TEKUN_DISPERSED, 125000), Verdict.REVIEW, 125000),  # no care level explains 350.00
        # Flat allowances: the old figure becomes the new one; an amount that is no figure is left for review.
        (imported(Program.ELDERLY_HIGH_AGE, 10000), Verdict.CHANGED, 12000),
        (imported(Program.ELDERLY_HIGH_AGE, 8000), Verdict.REVIEW, 8000),
        (imported(Program.DISABILITY_CARE, 10000), Verdict.CHANGED, 12000),  # grade 2
        (imported(Program.DISABILITY_CARE, 20000), Verdict.UNCHANGED, 20000),  # grade 1, not raised
        # Not set before, or a program without a rule: by hand, as before.
        (imported(Program.DISABILITY_LIVING, 9000), Verdict.REVIEW, 9000),
        (imported(Program.MARGINAL, 0), Verdict.REVIEW, 0),
    ],
)
def test_an_imported_amount_moves_by_what_its_figures_moved(case: Held, verdict: Verdict, amount: int) -> None:
    found = recalculate(case, AFTER, ON, BEFORE)
    assert (found.verdict, found.amount_fen) == (verdict, amount)


def test_without_the_month_before_an_imported_amount_is_left_for_review() -> None:
    assert recalculate(imported(Program.DIBAO, 105000), AFTER, ON).verdict is Verdict.REVIEW
    # A dibao cut to nothing or below (a lower standard than the income left) is never paid by a raise.
    lowered = replace(BEFORE, dibao_standard_fen=40000)
    assert recalculate(imported(Program.DIBAO, 30000, members=2), lowered, ON, BEFORE).verdict is Verdict.REVIEW


def test_an_imported_couple_counts_its_members_in_the_tally() -> None:
    t = tally([imported(Program.DIBAO, 105000, members=2)], lambda _r: AFTER, ON, before_for=lambda _r: BEFORE)
    assert (t.persons, t.total.before_fen, t.total.after_fen, t.review) == (2, 105000, 125000, 0)
