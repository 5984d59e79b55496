"""The local figures casework decides with (DOMAIN.md §12): every one is data, per region prefix and effective date.

Each figure is resolved on its own, so a county that sets only its dibao standard inherits every other figure from
its city, province or the national row; the most specific prefix in force on the day wins, figure by figure.
Money is integer fen; percentages are integers (150 = 1.5×).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any, Protocol, Self, TypeVar

from libs.contracts.programs import Program

# The figure of a program's review rule is this prefix and the program's code (case/review_rules.py).
REVIEW_RULE_PREFIX = "review_rule_"

# Flat monthly amounts of the programs that pay a fixed sum per person (DOMAIN.md §2), by figure name.
# A figure as stored (JSONB): fen and other whole numbers, a flag, the percentages of a schedule.
StoredFigure = int | bool | str | list[int]

FLAT_AMOUNT_FIGURES: dict[Program, str] = {
    Program.ORPHAN: "orphan_allowance_fen",
    Program.HIV_CHILD: "hiv_child_allowance_fen",
    Program.DE_FACTO_ORPHAN: "de_facto_orphan_allowance_fen",
    Program.ELDERLY_HIGH_AGE: "elderly_high_age_fen",
    Program.ELDERLY_DISABLED: "elderly_disabled_fen",
    Program.TEKUN_CARE: "tekun_care_subsidy_fen",
    Program.LEGACY_RAILWAY_MILITIA: "legacy_railway_militia_fen",
    Program.LEGACY_RETIRED_STAFF: "legacy_retired_staff_fen",
}


@dataclass(frozen=True, slots=True)
class Standards:
    """The figures in force for one region on one day. `None`: no row anywhere up the prefix chain sets it."""

    # 低保标准, per person per month (local; there is no national figure).
    dibao_standard_fen: int | None = None
    # Marginal households: per-capita income below this multiple of the dibao standard (seed 004: 1.5×, local).
    marginal_multiplier_pct: int = 150
    # 特困 basic living standard per person per month, and the care standard by self-care level (DOMAIN.md §2).
    tekun_basic_fen: int | None = None
    tekun_care_self_fen: int | None = None  # 全自理
    tekun_care_partial_fen: int | None = None  # 半护理
    tekun_care_full_fen: int | None = None  # 全护理
    # 残疾人两项补贴: the living subsidy, and the care subsidy for grade 1 and for grade 2 (grade 3 intellectual or
    # mental counts as grade 2).
    disability_living_fen: int | None = None
    disability_care_grade1_fen: int | None = None
    disability_care_grade2_fen: int | None = None
    orphan_allowance_fen: int | None = None
    hiv_child_allowance_fen: int | None = None
    de_facto_orphan_allowance_fen: int | None = None
    elderly_high_age_fen: int | None = None
    elderly_disabled_fen: int | None = None
    tekun_care_subsidy_fen: int | None = None
    legacy_railway_militia_fen: int | None = None
    legacy_retired_staff_fen: int | None = None
    # 就业成本扣减 (seed 004): monthly deduction per employed member from wage income, capped at this figure.
    employment_cost_deduction_fen: int = 0
    # 刚性支出扣减 (seed 004 二(四)): the most deducted of one kind of rigid expenditure per household and month;
    # unset (None) deducts the kind in full, 0 not at all. The application's declared expenditure counts only
    # where the region takes declarations on trust (告知承诺制); otherwise the investigation's figures alone.
    rigid_medical_cap_fen: int | None = None
    rigid_education_cap_fen: int | None = None
    rigid_rehabilitation_cap_fen: int | None = None
    rigid_disaster_cap_fen: int | None = None
    rigid_expense_declared: bool = False
    # 财产市值 (seed 004 二(四), 二(十)) for the household-tested programs: deposits and securities at most this
    # many months of the dibao standard per person, at most this many vehicles (any vehicle stops in principle)
    # and houses (two homes stop in principle).
    financial_assets_months: int = 24
    vehicles_allowed: int = 0
    houses_allowed: int = 1
    # 渐退 (seed 004 §5): one percentage of the last amount per month of the exit period; 6 months at 100 % by
    # default, some regions decline (100/100/80/80/60/60).
    gradual_exit_schedule_pct: tuple[int, ...] = (100, 100, 100, 100, 100, 100)
    # Approval pays from the month after the decision (DOMAIN.md §3.8), as a month offset (local).
    benefit_start_offset_months: int = 1
    # 公示 in the village: 7 days (local).
    publicity_days: int = 7
    # Whether the county delegated confirmation to its townships (审核确认权下放; both topologies exist).
    confirmation_delegated: bool = False
    # Review interval in months per class (DOMAIN.md §4): A yearly, B half-yearly, C quarterly (national minimum
    # half-yearly), other recipients monthly, disability subsidies quarterly.
    review_months_a: int = 12
    review_months_b: int = 6
    review_months_c: int = 3
    review_months_monthly: int = 1
    review_months_quarterly: int = 3
    # How each program is reviewed (issue 21, case/review_rules.py): "household" (the household's class A/B/C,
    # seed 002 二(一)), a fixed class ("A", "B", "C", "quarterly", "monthly": a visit) or "registry" (the monthly
    # registry check by matching's data, seed 000 三(二): never a visit). Defaults as the notices name them.
    review_rule_dibao: str = "household"
    review_rule_dibao_single: str = "household"
    review_rule_marginal: str = "household"
    review_rule_tekun_centralized: str = "A"
    review_rule_tekun_dispersed: str = "A"
    review_rule_disability_living: str = "quarterly"  # seed 003 二: 每季度至少1次
    review_rule_disability_care: str = "quarterly"
    review_rule_orphan: str = "registry"
    review_rule_hiv_child: str = "registry"
    review_rule_de_facto_orphan: str = "registry"
    review_rule_elderly_high_age: str = "registry"
    review_rule_elderly_disabled: str = "registry"
    review_rule_tekun_care: str = "registry"
    review_rule_legacy_railway_militia: str = "registry"
    review_rule_legacy_retired_staff: str = "registry"
    # Village reports by the 20th, townships forward by the 25th (seed 001).
    village_report_due_day: int = 20
    township_report_due_day: int = 25
    # 临时救助 (seed 004 二(七)). A grant is at most this many months of the dibao standard per person of the family
    # (capped by `temporary_cap_fen` where set, 0 = no cap); 小金额先行救助 by the township at first contact is at
    # most `temporary_advance_ceiling_fen`; from discovery to payment within `temporary_emergency_days` working
    # days; the same cause is helped once in `temporary_same_cause_months`; and ordinary grants are not posted in
    # the village unless the region says so (a shortened procedure).
    temporary_standard_months: int = 6
    temporary_cap_fen: int = 0
    temporary_advance_ceiling_fen: int = 100000
    temporary_emergency_days: int = 3
    temporary_same_cause_months: int = 12
    temporary_publicity: bool = False
    # Birthdays (issue 21; seed 003 三, 五): a children's allowance ends at 18 and an elderly allowance starts at the
    # region's age (到龄老人应享尽享); the review opens this many days before the birthday, so the decision is ready
    # for the first month it changes.
    elderly_high_age_min_years: int = 80
    age_review_lead_days: int = 30
    # 复核/申诉 (issue 21): a refused, stopped or reduced household may appeal within this many calendar days of the
    # decision (60 by default, as for 行政复议).
    appeal_days: int = 60
    # 民主评议 / 村社区评议 (seed 004 三(一), issue 21): where set, a new application is not proposed until the
    # village's evaluation of its latest investigation is recorded (case/evaluation.py).
    democratic_evaluation: bool = False
    # 社会救助服务热线 / 投诉举报电话 (seed 001 三(九), seed 000 五(二)): the region's own line, on the public page
    # (信息公开) beside 12345; unset, the page names 12345 alone.
    complaint_line: str | None = None

    @classmethod
    def of(cls, values: Mapping[str, StoredFigure]) -> Self:
        """Standards from resolved figure values (unknown names are ignored: a newer row, an older reader)."""
        known = {f.name for f in fields(cls)}
        # Each value was checked against its figure's kind when stored (schemas.read_figures), so `Any` here.
        kept: dict[str, Any] = {k: (tuple(v) if isinstance(v, list) else v) for k, v in values.items() if k in known}
        return cls(**kept)

    def temporary_limit_fen(self, family_size: int) -> int | None:
        """The most one temporary grant may be: months of the dibao standard per person of the family, under the
        region's cap (0 = none). None where the region has no dibao standard to count from."""
        if self.dibao_standard_fen is None:
            return None
        limit = self.dibao_standard_fen * self.temporary_standard_months * family_size
        return min(limit, self.temporary_cap_fen) if self.temporary_cap_fen > 0 else limit

    def flat_amount_fen(self, program: Program) -> int | None:
        name = FLAT_AMOUNT_FIGURES.get(program)
        return None if name is None else getattr(self, name)


FIGURE_NAMES: tuple[str, ...] = tuple(f.name for f in fields(Standards))


class FigureRow(Protocol):
    """A stored figure (the `standards` table's row, or a plain value in tests)."""

    @property
    def region_prefix(self) -> str: ...
    @property
    def effective_from(self) -> dt.date: ...
    @property
    def name(self) -> str: ...
    @property
    def value(self) -> Any: ...


R = TypeVar("R", bound=FigureRow)


def rows_in_force(rows: Iterable[R], region_code: str) -> dict[str, R]:
    """Per figure name, the row that applies to `region_code` among `rows` (all in force on the day): the most
    specific prefix of the code wins, then the latest effective date (DOMAIN.md §12)."""
    best: dict[str, R] = {}
    for row in rows:
        if not region_code.startswith(row.region_prefix):
            continue
        held = best.get(row.name)
        if held is None or (len(row.region_prefix), row.effective_from) > (
            len(held.region_prefix),
            held.effective_from,
        ):
            best[row.name] = row
    return best


def standards_of(rows: Iterable[FigureRow], region_code: str) -> Standards:
    return Standards.of({name: row.value for name, row in rows_in_force(rows, region_code).items()})
