"""Deductions from income (seed 004 二(四)), each a line: 刚性支出扣减 by kind under the region's caps, 就业成本扣减
per employed member under the region's figure, 特殊群体供养费用 in full.

The investigation's figures (入户调查) are what is deducted; the application's declared expenditure counts for a kind
the investigation did not verify only where the region takes declarations on trust (`rigid_expense_declared`), and
is otherwise shown, not deducted, so the officer sees what was claimed and why it does not count.
"""

from __future__ import annotations

from services.casework.benefit.amounts import sum_of, yuan
from services.casework.benefit.facts import BenefitInput, DeductionKind, Line
from services.casework.local_figures.figures import Standards

DEDUCTION_LABELS: dict[DeductionKind, str] = {
    DeductionKind.EMPLOYMENT_COST: "就业成本 employment cost",
    DeductionKind.MEDICAL: "医疗支出 medical",
    DeductionKind.EDUCATION: "教育支出 education",
    DeductionKind.REHABILITATION: "康复支出 rehabilitation",
    DeductionKind.DISASTER: "灾害支出 disaster",
    DeductionKind.SPECIAL_SUPPORT: "特殊供养费用 special support",
}
# The rigid kinds a region caps, by figure; special support (特殊群体供养费用豁免) is exempt in full.
RIGID_CAPS: dict[DeductionKind, str] = {
    DeductionKind.MEDICAL: "rigid_medical_cap_fen",
    DeductionKind.EDUCATION: "rigid_education_cap_fen",
    DeductionKind.REHABILITATION: "rigid_rehabilitation_cap_fen",
    DeductionKind.DISASTER: "rigid_disaster_cap_fen",
}


def _declared(
    facts: BenefitInput, standards: Standards, verified: set[DeductionKind]
) -> tuple[list[Line], list[tuple[DeductionKind, str | None, str, int]]]:
    """Lines for declared expenditure that does not count, and the items that do (kind, member, text, fen)."""
    shown: list[Line] = []
    counted: list[tuple[DeductionKind, str | None, str, int]] = []
    for item in facts.declared_expenditure:
        kind = next((k for k in RIGID_CAPS if k.value == item.kind), None)
        label = f"申报支出 declared expenditure {DEDUCTION_LABELS[kind] if kind else f'其他 other ({item.kind})'}"
        text = f"申报 declared {yuan(item.amount_12_months_fen)}"
        if kind is None:
            shown.append(Line(label, f"{text}，不属于刚性支出 not a rigid expenditure", None))
        elif kind in verified:
            shown.append(Line(label, f"{text}，以入户调查核实为准 the investigation's figure applies", None))
        elif not standards.rigid_expense_declared:
            shown.append(Line(label, f"{text}，未经入户调查核实不扣减 not deducted until investigated", None))
        else:
            counted.append((kind, None, text, item.amount_12_months_fen))
    return shown, counted


def deduction_lines(
    facts: BenefitInput, standards: Standards, who: frozenset[str], household: bool, where: dict[str, str]
) -> tuple[list[Line], list[int]]:
    """The deduction lines, and the 12-month amounts actually deducted (each above 0).

    `household` False measures one person: only the deductions attributed to them, none of the household's.
    """
    lines: list[Line] = []
    costs: dict[str | None, int] = {}
    groups: dict[DeductionKind, list[tuple[str | None, str, int]]] = {}
    for d in facts.deductions:
        if not household and d.member_id_number not in who:
            continue
        if d.kind is DeductionKind.EMPLOYMENT_COST:
            costs[d.member_id_number] = costs.get(d.member_id_number, 0) + d.amount_12_months_fen
        else:
            groups.setdefault(d.kind, []).append(
                (d.member_id_number, yuan(d.amount_12_months_fen), d.amount_12_months_fen)
            )
    if household:
        shown, counted = _declared(facts, standards, set(groups))
        lines += shown
        for kind, member_id, text, fen in counted:
            groups.setdefault(kind, []).append((member_id, text, fen))

    rows: list[tuple[str, str, int]] = []
    for kind, items in groups.items():
        cap_figure = RIGID_CAPS.get(kind)
        cap: int | None = None if cap_figure is None else getattr(standards, cap_figure)
        if cap is None:  # uncapped: each item in full, as found
            for member_id, text, fen in items:
                whose = "" if member_id is None else f" {where[member_id]}"
                rows.append((f"扣减 deduction {DEDUCTION_LABELS[kind]}{whose}", text, fen))
        else:  # the region's cap is per household and month: the kind's items share it
            total = sum(fen for _, _, fen in items)
            formula = f"min({sum_of([yuan(fen) for _, _, fen in items])}, {yuan(cap)} × 12)"
            rows.append((f"扣减 deduction {DEDUCTION_LABELS[kind]}", formula, min(total, cap * 12)))
    # 就业成本扣减 (seed 004 二(四)): only for an employed member, capped per member at the local figure × 12.
    cap = standards.employment_cost_deduction_fen
    employed = {m.id_number for m in facts.members if m.employed}
    for member_id, claimed in costs.items():
        if member_id in employed:
            allowed, text = min(claimed, cap * 12), f"min({yuan(claimed)}, {yuan(cap)} × 12)"
        else:
            allowed, text = 0, f"{yuan(claimed)}，非就业成员不扣减 not an employed member: 0.00"
        whose = "" if member_id is None else f" {where[member_id]}"
        rows.append((f"扣减 deduction {DEDUCTION_LABELS[DeductionKind.EMPLOYMENT_COST]}{whose}", text, allowed))
    lines += [Line(label, text, fen) for label, text, fen in rows]
    return lines, [fen for _, _, fen in rows if fen]
