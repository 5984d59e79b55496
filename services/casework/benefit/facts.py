"""The inputs and results of the benefit calculation: members' facts, income, deductions, explained lines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from libs.contracts.programs import Program


class SelfCare(StrEnum):
    SELF = "self"  # 全自理
    PARTIAL = "partial"  # 半护理
    FULL = "full"  # 全护理


class DeductionKind(StrEnum):
    # 就业成本扣减 and 刚性支出扣减 / 特殊群体供养费用豁免 (seed 004 二(四)).
    EMPLOYMENT_COST = "employment_cost"
    MEDICAL = "medical"
    EDUCATION = "education"
    REHABILITATION = "rehabilitation"
    DISASTER = "disaster"
    SPECIAL_SUPPORT = "special_support"


class IncomeBand(StrEnum):
    BELOW = "below"  # per-capita < standard
    MARGINAL = "marginal"  # standard <= per-capita < multiplier × standard
    ABOVE = "above"  # per-capita >= multiplier × standard


@dataclass(frozen=True, slots=True)
class MemberFacts:
    id_number: str
    birth_date: date
    disability_kind: str | None = None
    disability_grade: int | None = None
    serious_illness: bool = False
    employed: bool = False
    self_care: SelfCare | None = None


@dataclass(frozen=True, slots=True)
class IncomeItem:
    member_id_number: str
    kind: str
    amount_12_months_fen: int  # may be negative: a business can run at a loss


@dataclass(frozen=True, slots=True)
class DeductionItem:
    kind: DeductionKind
    amount_12_months_fen: int
    member_id_number: str | None = None


@dataclass(frozen=True, slots=True)
class ExpenseItem:
    """Rigid expenditure as the application declared it: the household's, by kind (intake's ExpenditureKind)."""

    kind: str
    amount_12_months_fen: int


@dataclass(frozen=True, slots=True)
class AssetItem:
    """A declared asset (intake's AssetKind): its market value when declared (财产市值), its owner when named."""

    kind: str
    value_fen: int | None = None
    member_id_number: str | None = None


@dataclass(frozen=True, slots=True)
class BenefitInput:
    program: Program
    members: tuple[MemberFacts, ...]
    declared_income: tuple[IncomeItem, ...] = ()
    # A verified figure (economic verification, 逢进必核) replaces the declared one for the same (member, kind).
    verified_income: tuple[IncomeItem, ...] = ()
    obligor_support_monthly_fen: int = 0
    deductions: tuple[DeductionItem, ...] = ()
    # The person for individual programs; default: the first member.
    beneficiary_id_number: str | None = None
    # Temporary assistance: the amount proposed by the officer.
    one_off_fen: int | None = None
    # The application's declared rigid expenditure and assets (seed 004 二(四), 二(十)).
    declared_expenditure: tuple[ExpenseItem, ...] = ()
    assets: tuple[AssetItem, ...] = ()

    def __post_init__(self) -> None:
        # Bad input is a caller's bug, refused loudly: income silently dropped would overpay.
        ids = [m.id_number for m in self.members]
        if not ids:
            raise ValueError("a benefit calculation needs at least one member")
        if len(set(ids)) != len(ids):
            raise ValueError("a member appears twice")
        named = [i.member_id_number for i in (*self.declared_income, *self.verified_income)]
        named += [d.member_id_number for d in self.deductions if d.member_id_number is not None]
        named += [a.member_id_number for a in self.assets if a.member_id_number is not None]
        if self.beneficiary_id_number is not None:
            named.append(self.beneficiary_id_number)
        if any(n not in ids for n in named):
            raise ValueError("income, a deduction or the beneficiary names someone who is not a member")
        amounts = [d.amount_12_months_fen for d in self.deductions]
        amounts += [e.amount_12_months_fen for e in self.declared_expenditure]
        amounts += [a.value_fen for a in self.assets if a.value_fen is not None]
        if self.obligor_support_monthly_fen < 0 or any(amount < 0 for amount in amounts):
            raise ValueError("support, deductions, expenditure and assets are never negative")


@dataclass(frozen=True, slots=True)
class Line:
    """One explained step: e.g. "家庭月收入 household monthly income", "(1,200.00 + 3,600.00) / 12 + 150.00"."""

    label: str
    formula: str
    amount_fen: int | None


@dataclass(frozen=True, slots=True)
class Calculation:
    program: Program
    lines: tuple[Line, ...]
    # Both rounded half-up for display only; every comparison used the exact fraction.
    household_monthly_income_fen: int
    per_capita_income_fen: int
    band: IncomeBand | None  # only for the programs measured against the dibao standard
    eligible: bool
    monthly_amount_fen: int  # 0 when not eligible; the one-off amount for temporary assistance
    reasons: tuple[str, ...]  # why not eligible, Chinese + English


class MissingStandard(Exception):
    """A figure the program needs is not set anywhere up the region chain: a configuration gap, not a decision."""

    def __init__(self, figure: str) -> None:
        super().__init__(f"the local figure {figure} is not set")
        self.figure = figure


# Measured on the household's per-capita income; 特困 and the subsidies look at the person alone.
