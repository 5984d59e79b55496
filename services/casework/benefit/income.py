"""Household (or own) monthly income, explained line by line (seed 004 二(四)): verified figures replace declared
ones, deductions capped where the region caps them, never below zero."""

from __future__ import annotations

from fractions import Fraction

from libs.contracts.events.intake import IncomeKind
from services.casework.benefit.amounts import half_up, sum_of, yuan
from services.casework.benefit.deductions import deduction_lines
from services.casework.benefit.facts import BenefitInput, IncomeItem, Line
from services.casework.local_figures.figures import Standards

_INCOME_LABELS: dict[str, str] = {
    IncomeKind.WAGES: "工资性收入 wages",
    IncomeKind.BUSINESS: "经营净收入 business",
    IncomeKind.PROPERTY: "财产净收入 property",
    IncomeKind.TRANSFERS: "转移净收入 transfers",
}


def _by_key(items: tuple[IncomeItem, ...], who: frozenset[str]) -> dict[tuple[str, str], int]:
    # Several items of one kind for one member (two jobs) add up; verification replaces the sum as a whole.
    sums: dict[tuple[str, str], int] = {}
    for item in items:
        if item.member_id_number in who:
            key = (item.member_id_number, item.kind)
            sums[key] = sums.get(key, 0) + item.amount_12_months_fen
    return sums


def monthly_income(
    facts: BenefitInput, standards: Standards, who: frozenset[str], household: bool
) -> tuple[list[Line], Fraction]:
    """Σ 12-month income / 12 + obligor support − deductions / 12, never below 0 (seed 004 二(四)); the last line.

    `household` False measures one person as a one-person household (单人保, 特困): only their own income and the
    deductions attributed to them, no obligor support (it is the household's).
    """
    where = {m.id_number: f"成员{i} member {i}" for i, m in enumerate(facts.members, 1)}
    order = list(where)
    lines: list[Line] = []
    declared, verified = _by_key(facts.declared_income, who), _by_key(facts.verified_income, who)
    for key in sorted({**declared, **verified}, key=lambda k: order.index(k[0])):
        if key in verified:
            fen, formula = verified[key], f"核实 verified {yuan(verified[key])}"
            if key in declared:
                formula += f"，替代申报 replaces declared {yuan(declared[key])}"
        else:
            fen, formula = declared[key], f"申报 declared {yuan(declared[key])}"
        label = f"{where[key[0]]} {_INCOME_LABELS.get(key[1], key[1])} 12个月收入 12-month income"
        lines.append(Line(label, formula, fen))
    incomes = [line.amount_fen or 0 for line in lines]

    cuts, deducted = deduction_lines(facts, standards, who, household, where)
    lines += cuts

    support = facts.obligor_support_monthly_fen if household else 0
    gross = Fraction(sum(incomes), 12) + support - Fraction(sum(deducted), 12)
    formula = f"{sum_of([yuan(fen) for fen in incomes])} / 12"
    if support:
        formula += f" + {yuan(support)}"
    if deducted:
        formula += f" - {sum_of([yuan(fen) for fen in deducted])} / 12"
    label = "家庭月收入 household monthly income" if household else "本人月收入 own monthly income"
    net = max(gross, Fraction(0))
    lines.append(Line(label, formula if gross >= 0 else f"max(0, {formula})", half_up(net)))
    return lines, net
