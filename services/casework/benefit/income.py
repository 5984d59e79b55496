"""Household (or own) monthly income, explained line by line (seed 004 二(四)): verified figures replace declared
ones, deductions capped where the region caps them, never below zero."""

from __future__ import annotations

from fractions import Fraction

from libs.contracts.events.intake import IncomeKind
from libs.contracts.money import Money
from services.casework.benefit.facts import BenefitInput, DeductionKind, IncomeItem, Line
from services.casework.local_figures.figures import Standards

_INCOME_LABELS: dict[str, str] = {
    IncomeKind.WAGES: "工资性收入 wages",
    IncomeKind.BUSINESS: "经营净收入 business",
    IncomeKind.PROPERTY: "财产净收入 property",
    IncomeKind.TRANSFERS: "转移净收入 transfers",
}
_DEDUCTION_LABELS: dict[DeductionKind, str] = {
    DeductionKind.EMPLOYMENT_COST: "就业成本 employment cost",
    DeductionKind.MEDICAL: "医疗支出 medical",
    DeductionKind.EDUCATION: "教育支出 education",
    DeductionKind.REHABILITATION: "康复支出 rehabilitation",
    DeductionKind.DISASTER: "灾害支出 disaster",
    DeductionKind.SPECIAL_SUPPORT: "特殊供养费用 special support",
}


def half_up(amount: Fraction | int) -> int:
    """Round to the fen, half away from zero (四舍五入), as Money.from_decimal does."""
    # floor(|n| / d + 1/2) in integers: exact, and a tenth of the cost of Fraction arithmetic (a county's standard
    # raise rounds some 40 values per household).
    n, d = amount.numerator, amount.denominator
    magnitude = (2 * abs(n) + d) // (2 * d)
    return magnitude if n >= 0 else -magnitude


def yuan(amount: Fraction | int) -> str:
    """1234567 fen → "12,345.67"; a value between two fen is marked approximate: "≈466.67"."""
    fen = amount if type(amount) is int else half_up(amount)
    whole, cents = divmod(Money(abs(fen)).fen, 100)  # Money refuses an amount out of range
    return f"{'≈' if amount.denominator != 1 else ''}{'-' if fen < 0 else ''}{whole:,}.{cents:02d}"


def _by_key(items: tuple[IncomeItem, ...], who: frozenset[str]) -> dict[tuple[str, str], int]:
    # Several items of one kind for one member (two jobs) add up; verification replaces the sum as a whole.
    sums: dict[tuple[str, str], int] = {}
    for item in items:
        if item.member_id_number in who:
            key = (item.member_id_number, item.kind)
            sums[key] = sums.get(key, 0) + item.amount_12_months_fen
    return sums


def _sum(terms: list[str]) -> str:
    return "0.00" if not terms else terms[0] if len(terms) == 1 else f"({' + '.join(terms)})"


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

    costs: dict[str | None, int] = {}
    rows: list[tuple[DeductionKind, str | None, str, int]] = []
    for d in facts.deductions:
        if not household and d.member_id_number not in who:
            continue
        if d.kind is DeductionKind.EMPLOYMENT_COST:
            costs[d.member_id_number] = costs.get(d.member_id_number, 0) + d.amount_12_months_fen
        else:  # rigid expenditure and special support are deducted in full (seed 004 二(四))
            rows.append((d.kind, d.member_id_number, yuan(d.amount_12_months_fen), d.amount_12_months_fen))
    # 就业成本扣减 (seed 004 二(四)): only for an employed member, capped per member at the local figure × 12.
    cap = standards.employment_cost_deduction_fen
    employed = {m.id_number for m in facts.members if m.employed}
    for member_id, claimed in costs.items():
        if member_id in employed:
            allowed, text = min(claimed, cap * 12), f"min({yuan(claimed)}, {yuan(cap)} × 12)"
        else:
            allowed, text = 0, f"{yuan(claimed)}，非就业成员不扣减 not an employed member: 0.00"
        rows.append((DeductionKind.EMPLOYMENT_COST, member_id, text, allowed))
    for kind, member_id, text, allowed in rows:
        whose = "" if member_id is None else f" {where[member_id]}"
        lines.append(Line(f"扣减 deduction {_DEDUCTION_LABELS[kind]}{whose}", text, allowed))
    deducted = [row[3] for row in rows if row[3]]

    support = facts.obligor_support_monthly_fen if household else 0
    gross = Fraction(sum(incomes), 12) + support - Fraction(sum(deducted), 12)
    formula = f"{_sum([yuan(fen) for fen in incomes])} / 12"
    if support:
        formula += f" + {yuan(support)}"
    if deducted:
        formula += f" - {_sum([yuan(fen) for fen in deducted])} / 12"
    label = "家庭月收入 household monthly income" if household else "本人月收入 own monthly income"
    net = max(gross, Fraction(0))
    lines.append(Line(label, formula if gross >= 0 else f"max(0, {formula})", half_up(net)))
    return lines, net
