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
