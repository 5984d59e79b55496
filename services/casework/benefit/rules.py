"""Benefit calculation (DOMAIN.md §2, §12; seed 004): pure rules, no I/O, no clock but the `on` date given.

Money is exact (`Fraction` of a fen) all the way through and rounded half-up (四舍五入) to the fen only where a figure
is shown or paid, so a per-capita income of 1,400.00 / 3 compares as exactly 466.666… and never as 466.67. Every
step becomes a `Line` the officer reads top to bottom; `Line`s name members by position, never by identity number
(DOMAIN.md §11), but do carry health grounds, so they are stored like other health details.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from libs.contracts.ages import age_on
from libs.contracts.disability import severely_disabled
from libs.contracts.programs import CHILDREN_ALLOWANCES, Program
from services.casework.benefit.amounts import half_up, yuan
from services.casework.benefit.assets import asset_test
from services.casework.benefit.facts import (
    AssetItem,
    BenefitInput,
    Calculation,
    DeductionItem,
    DeductionKind,
    ExpenseItem,
    IncomeBand,
    IncomeItem,
    Line,
    MemberFacts,
    MissingStandard,
    SelfCare,
)
from services.casework.benefit.income import monthly_income
from services.casework.local_figures.figures import FLAT_AMOUNT_FIGURES, Standards

__all__ = [
    "AssetItem",
    "BenefitInput",
    "Calculation",
    "DeductionItem",
    "DeductionKind",
    "ExpenseItem",
    "IncomeBand",
    "IncomeItem",
    "Line",
    "MemberFacts",
    "MissingStandard",
    "SelfCare",
    "half_up",
    "yuan",
]

HOUSEHOLD_TESTED: frozenset[Program] = frozenset({Program.DIBAO, Program.DIBAO_SINGLE, Program.MARGINAL})

_FLAT_LABELS: dict[Program, str] = {
    Program.ORPHAN: "孤儿基本生活费 orphan allowance",
    Program.HIV_CHILD: "艾滋病病毒感染儿童基本生活费 HIV-affected child allowance",
    Program.DE_FACTO_ORPHAN: "事实无人抚养儿童基本生活费 de-facto orphan allowance",
    Program.ELDERLY_HIGH_AGE: "高龄津贴 high-age allowance",
    Program.ELDERLY_DISABLED: "失能老年人补贴 disabled-elderly subsidy",
    Program.TEKUN_CARE: "特困人员护理补贴 tekun care subsidy",
    Program.LEGACY_RAILWAY_MILITIA: "原襄渝铁路伤残民兵民工 legacy railway militia relief",
    Program.LEGACY_RETIRED_STAFF: "精简退职 legacy retired staff relief",
}
_CARE: dict[SelfCare, tuple[str, str]] = {
    SelfCare.SELF: ("tekun_care_self_fen", "全自理 self-care"),
    SelfCare.PARTIAL: ("tekun_care_partial_fen", "半护理 partial care"),
    SelfCare.FULL: ("tekun_care_full_fen", "全护理 full care"),
}


def income_band(per_capita: Fraction, standard_fen: int, multiplier_pct: int) -> IncomeBand:
    # Seed 004 二(五): above the standard but below 1.5× is the marginal band; exactly at a bound is the band above.
    if per_capita < standard_fen:
        return IncomeBand.BELOW
    if per_capita * 100 < standard_fen * multiplier_pct:
        return IncomeBand.MARGINAL
    return IncomeBand.ABOVE


def _need(value: int | None, figure: str) -> int:
    if value is None:
        raise MissingStandard(figure)
    return value


@dataclass(slots=True)
class _Work:
    facts: BenefitInput
    standards: Standards
    on: date
    lines: list[Line] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    band: IncomeBand | None = None

    def line(self, label: str, formula: str, amount_fen: int | None = None) -> None:
        self.lines.append(Line(label, formula, amount_fen))

    @property
    def beneficiary(self) -> MemberFacts:
        wanted = self.facts.beneficiary_id_number
        return next(m for m in self.facts.members if wanted is None or m.id_number == wanted)

    def own_income(self) -> Fraction:
        lines, net = monthly_income(self.facts, self.standards, frozenset({self.beneficiary.id_number}), False)
        self.lines.extend(lines)
        return net

    def measure(self, net: Fraction, standard: int) -> IncomeBand:
        """The household's band against the dibao standard (seed 004 二(五): 1.0–1.5× is the marginal band)."""
        pct = self.standards.marginal_multiplier_pct
        per_capita, upper = net / len(self.facts.members), Fraction(standard * pct, 100)
        self.band = income_band(per_capita, standard, pct)
        self.line("低保标准 dibao standard", f"{yuan(standard)} 每人每月 per person per month", standard)
        self.line(
            "人均收入区间 income band",
            {
                IncomeBand.BELOW: f"{yuan(per_capita)} < {yuan(standard)}：低于标准 below",
                IncomeBand.MARGINAL: f"{yuan(standard)} ≤ {yuan(per_capita)} < {pct}% × {yuan(standard)} = "
                f"{yuan(upper)}：边缘 marginal",
                IncomeBand.ABOVE: f"{yuan(per_capita)} ≥ {pct}% × {yuan(standard)} = {yuan(upper)}：高于 above",
            }[self.band],
        )
        return self.band


_Rule = Callable[[_Work, Fraction], tuple[str, int]]
_ABOVE_MULTIPLE = "人均收入不低于低保标准的{pct}% per-capita income is not below {pct}% of the dibao standard"
_DISABLED = "一二级残疾或三级智力/精神残疾 disability grade 1–2 or grade 3 intellectual/mental"


def _disability_ground(person: MemberFacts) -> str | None:
    grade = person.disability_grade
    return f"{grade}级残疾 disability grade {grade}" if severely_disabled(person) else None


def _dibao(w: _Work, net: Fraction) -> tuple[str, int]:
    standard = _need(w.standards.dibao_standard_fen, "dibao_standard_fen")
    n = len(w.facts.members)
    if w.measure(net, standard) is not IncomeBand.BELOW:
        w.reasons.append("人均收入不低于低保标准 per-capita income is not below the dibao standard")
    # (standard − net / n) × n is exactly standard × n − net: rounding once, at the end, keeps the thirds exact.
    amount = half_up(standard * n - net)
    if w.band is IncomeBand.BELOW and amount <= 0:
        w.reasons.append("救助金额不足一分 the amount rounds to zero")
    return (f"{yuan(standard)} - {yuan(net)}" if n == 1 else f"({yuan(standard)} - {yuan(net)} / {n}) × {n}"), amount


def _dibao_single(w: _Work, net: Fraction) -> tuple[str, int]:
    # 单人保 (seed 004 二(四), 三(三)): a severely ill or disabled member of a marginal household, included alone.
    standard = _need(w.standards.dibao_standard_fen, "dibao_standard_fen")
    ground = "重病 serious illness" if w.beneficiary.serious_illness else _disability_ground(w.beneficiary)
    if ground is None:
        w.reasons.append(f"不属于单人保对象，须重病或{_DISABLED}: not eligible for single-person inclusion")
    else:
        w.line("单人保条件 single-person inclusion", ground)
    if w.measure(net, standard) is IncomeBand.ABOVE:
        w.reasons.append(_ABOVE_MULTIPLE.format(pct=w.standards.marginal_multiplier_pct))
    own = w.own_income()
    if half_up(standard - own) <= 0:
        w.reasons.append("本人月收入不低于低保标准 own monthly income is not below the dibao standard")
    return f"{yuan(standard)} - {yuan(own)}", half_up(standard - own)


def _marginal(w: _Work, net: Fraction) -> tuple[str, int]:
    band = w.measure(net, _need(w.standards.dibao_standard_fen, "dibao_standard_fen"))
    if band is IncomeBand.BELOW:
        w.reasons.append(
            "人均收入低于低保标准，应纳入低保 per-capita income is below the standard: the household belongs in dibao"
        )
    elif band is IncomeBand.ABOVE:
        w.reasons.append(_ABOVE_MULTIPLE.format(pct=w.standards.marginal_multiplier_pct))
    # DOMAIN.md §2: marginal households get targeted aid, not monthly cash by default.
    return "低保边缘家庭不发月度现金 no monthly cash for marginal households: 0.00", 0


def _tekun(w: _Work, net: Fraction) -> tuple[str, int]:
    # 特困 (DOMAIN.md §2): no capacity to work, no income to live on; basic standard + care by self-care level.
    basic = _need(w.standards.tekun_basic_fen, "tekun_basic_fen")
    person = w.beneficiary
    age = age_on(person.birth_date, w.on)
    ground = f"{age}岁 aged {age}" if age >= 60 or age < 16 else _disability_ground(person)
    if ground is None:
        w.reasons.append(f"有劳动能力 able to work: needs age 60 or over, under 16, or {_DISABLED}")
    else:
        w.line("无劳动能力 no capacity to work", ground)
    w.line("特困基本生活标准 tekun basic living standard", yuan(basic), basic)
    if w.own_income() >= basic:
        w.reasons.append("本人月收入不低于特困基本生活标准 own monthly income is not below the tekun basic standard")
    if person.self_care is None:
        w.reasons.append("未评定自理能力 the self-care level is not assessed")
        return "", 0
    figure, label = _CARE[person.self_care]
    care = _need(getattr(w.standards, figure), figure)
    w.line(f"照料护理标准 care standard {label}", yuan(care), care)
    return f"{yuan(basic)} + {yuan(care)}", basic + care


def _disability_living(w: _Work, net: Fraction) -> tuple[str, int]:
    subsidy = _need(w.standards.disability_living_fen, "disability_living_fen")
    grade = w.beneficiary.disability_grade
    if grade in (1, 2, 3, 4):
        w.line("残疾等级 disability grade", f"{grade}级 grade {grade}")
    else:
        w.reasons.append("无一至四级残疾 no disability of grade 1–4")
    w.line("生活补贴标准 living subsidy", yuan(subsidy), subsidy)
    return yuan(subsidy), subsidy


def _disability_care(w: _Work, net: Fraction) -> tuple[str, int]:
    grade = w.beneficiary.disability_grade
    if not severely_disabled(w.beneficiary):
        w.reasons.append(
            "护理补贴须一二级或三级智力/精神残疾 the care subsidy needs grade 1–2 or grade 3 intellectual/mental"
        )
        return "", 0
    # Grade 3 intellectual or mental is paid as grade 2 (DOMAIN.md §2).
    figure = "disability_care_grade1_fen" if grade == 1 else "disability_care_grade2_fen"
    subsidy = _need(getattr(w.standards, figure), figure)
    w.line(f"护理补贴标准 care subsidy, {grade}级残疾 disability grade {grade}", yuan(subsidy), subsidy)
    return yuan(subsidy), subsidy


def _flat(w: _Work, net: Fraction) -> tuple[str, int]:
    program = w.facts.program
    amount = _need(w.standards.flat_amount_fen(program), FLAT_AMOUNT_FIGURES[program])
    age = age_on(w.beneficiary.birth_date, w.on)
    if program in CHILDREN_ALLOWANCES and age >= 18:
        w.reasons.append(f"已满18岁（{age}岁） aged {age}: children's allowances end at 18")
    w.line(_FLAT_LABELS[program], yuan(amount), amount)
    return yuan(amount), amount


def _temporary(w: _Work, net: Fraction) -> tuple[str, int]:
    proposed = w.facts.one_off_fen
    if proposed is None or proposed <= 0:
        w.reasons.append("未提出临时救助金额 no one-off amount proposed (it must be above 0.00)")
        return "", 0
    limit = w.standards.temporary_limit_fen(len(w.facts.members))
    if limit is not None and proposed > limit:
        w.reasons.append(
            f"超过本地区临时救助标准上限{yuan(limit)}元 above the region's limit for a family of {len(w.facts.members)}"
        )
        return "", 0
    w.line("拟救助金额 proposed one-off amount", yuan(proposed), proposed)
    return yuan(proposed), proposed


_RULES: dict[Program, _Rule] = {
    Program.DIBAO: _dibao,
    Program.DIBAO_SINGLE: _dibao_single,
    Program.MARGINAL: _marginal,
    Program.TEKUN_CENTRALIZED: _tekun,
    Program.TEKUN_DISPERSED: _tekun,
    Program.DISABILITY_LIVING: _disability_living,
    Program.DISABILITY_CARE: _disability_care,
    Program.TEMPORARY: _temporary,
    **{program: _flat for program in FLAT_AMOUNT_FIGURES},
}


def calculate(facts: BenefitInput, standards: Standards, on: date) -> Calculation:
    """The amount `facts.program` pays a month under `standards` on `on`, with every step explained."""
    work = _Work(facts, standards, on)
    n = len(facts.members)
    income_lines, net = monthly_income(facts, standards, frozenset(m.id_number for m in facts.members), True)
    if facts.program in HOUSEHOLD_TESTED:
        work.line("家庭成员 household members", f"{n}人 members")
        work.lines.extend(income_lines)
        work.line("家庭人均月收入 per-capita monthly income", f"{yuan(net)} / {n}", half_up(net / n))
        # 财产市值 (seed 004 二(四)): a household above one of the region's asset limits is not eligible.
        asset_lines, asset_reasons = asset_test(facts.assets, standards, n)
        work.lines.extend(asset_lines)
        work.reasons.extend(asset_reasons)
    formula, amount = _RULES[facts.program](work, net)
    eligible = not work.reasons
    if not eligible:
        formula, amount = "不符合条件 not eligible: 0.00", 0
    label = "临时救助金 one-off amount" if facts.program is Program.TEMPORARY else "月救助金 monthly amount"
    work.line(label, formula, amount)
    return Calculation(
        program=facts.program,
        lines=tuple(work.lines),
        household_monthly_income_fen=half_up(net),
        per_capita_income_fen=half_up(net / n),
        band=work.band,
        eligible=eligible,
        monthly_amount_fen=amount,
        reasons=tuple(work.reasons),
    )
