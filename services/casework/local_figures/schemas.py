"""Local figures as administrators set and read them (DOMAIN.md §12).

On the API a money figure drops its `_fen` suffix and is a decimal string (`"dibao_standard": "700.00"` is the stored
figure `dibao_standard_fen` = 70000); every other figure keeps its name and its JSON form (integers, a boolean, the
list of percentages of the gradual-exit schedule). The bounds below keep a mistyped figure from reaching a
decision; they are wide enough for every local rule in the seeds.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, TypedDict

from pydantic import AwareDatetime, BaseModel, Field, StringConstraints

from libs.contracts.dates import CivilDate
from libs.contracts.models import Input
from libs.contracts.money import InvalidMoney, Money
from libs.contracts.programs import PER_PERSON_CEILING_FEN, AmountAboveCeiling
from services.casework.ceilings import AboveCeiling
from services.casework.local_figures.errors import InvalidFigure
from services.casework.local_figures.figures import FIGURE_NAMES, REVIEW_RULE_PREFIX, StoredFigure

_MONEY_SUFFIX = "_fen"
# "" is the national row; otherwise a province, city, county, township or village code (DOMAIN.md §1).
Prefix = Annotated[str, StringConstraints(pattern=r"^([0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{9}|[0-9]{12})?$")]
FigureValue = bool | int | str | list[int]


class Kind(StrEnum):
    MONEY = "money"
    INT = "int"
    BOOL = "bool"
    PERCENTAGES = "percentages"
    CHOICE = "choice"
    PHONE = "phone"


@dataclass(frozen=True)
class Spec:
    kind: Kind
    low: int = 0
    high: int | None = None
    choices: tuple[str, ...] = ()


def _int(low: int, high: int) -> Spec:
    return Spec(Kind.INT, low, high)


# The values of a program's review rule (case/review_rules.ReviewRule, which this module may not import).
REVIEW_RULES: tuple[str, ...] = ("household", "A", "B", "C", "quarterly", "monthly", "registry")


SPECS: dict[str, Spec] = {
    **{name: Spec(Kind.MONEY) for name in FIGURE_NAMES if name.endswith(_MONEY_SUFFIX)},
    # seed 004: 1.5× is the usual marginal line; no region sets it below the dibao standard or above 3×.
    "marginal_multiplier_pct": _int(100, 300),
    # 渐退: up to a year of payments, each month a percentage of the last amount (seed 004 §5).
    "gradual_exit_schedule_pct": Spec(Kind.PERCENTAGES, 1, 12),
    "benefit_start_offset_months": _int(0, 3),
    "publicity_days": _int(1, 30),
    "confirmation_delegated": Spec(Kind.BOOL),
    "review_months_a": _int(1, 12),
    "review_months_b": _int(1, 12),
    # Class C: quarterly locally, the national minimum is half-yearly (DOMAIN.md §4).
    "review_months_c": _int(1, 6),
    "review_months_monthly": _int(1, 12),
    "review_months_quarterly": _int(1, 12),
    # Due days stay within every month (28 February).
    "village_report_due_day": _int(1, 28),
    "township_report_due_day": _int(1, 28),
    "temporary_standard_months": _int(1, 24),
    "temporary_emergency_days": _int(1, 10),
    "temporary_same_cause_months": _int(0, 24),
    "temporary_publicity": Spec(Kind.BOOL),
    # 刚性支出 and 财产 (seed 004 二(四), 二(十)): caps are money (per household and month, under the same ceiling).
    "rigid_expense_declared": Spec(Kind.BOOL),
    "financial_assets_months": _int(1, 120),
    "vehicles_allowed": _int(0, 5),
    "houses_allowed": _int(1, 5),
    # The high-age allowance's age: intake checks applications against the same bounds (its high_age_min_years).
    "elderly_high_age_min_years": _int(60, 100),
    # At least a week, so a worker down for a few days misses no birthday; at most a quarter ahead.
    "age_review_lead_days": _int(7, 92),
    # A fortnight at least to write an appeal; beyond half a year a decision is never settled.
    "appeal_days": _int(15, 180),
    "democratic_evaluation": Spec(Kind.BOOL),
    # A telephone number as the public dials it: "12345", "0355-2021234" (digits, at most two hyphens, 20 characters).
    "complaint_line": Spec(Kind.PHONE),
    # How each program is reviewed (issue 21): one of REVIEW_RULES.
    **{name: Spec(Kind.CHOICE, choices=REVIEW_RULES) for name in FIGURE_NAMES if name.startswith(REVIEW_RULE_PREFIX)},
}


def api_name(stored: str) -> str:
    return stored.removesuffix(_MONEY_SUFFIX)


def stored_name(name: str) -> str | None:
    """The stored figure an API name stands for, or None for an unknown name."""
    if name + _MONEY_SUFFIX in SPECS:
        return name + _MONEY_SUFFIX
    if name in SPECS and not name.endswith(_MONEY_SUFFIX):
        return name
    return None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


_PHONE = re.compile(r"[0-9]{3,12}(-[0-9]{1,12}){0,2}")
_PER_PERSON = f"a figure per person and month is at most {Money.from_fen(PER_PERSON_CEILING_FEN)}"


def _stored_value(spec: Spec, value: Any) -> tuple[StoredFigure | None, str | None]:
    """The stored form of one API value, or the reason it is refused."""
    if spec.kind is Kind.MONEY:
        try:
            fen = Money.from_str(value).fen
        except InvalidMoney as exc:
            return None, f'{exc.message} (a non-negative decimal string such as "700.00")'
        # Every money figure is per person and month (a standard, an allowance, a deduction per employed member):
        # beyond the ceiling it is a typo that would reach every decision of the region (issue 17).
        return (fen, None) if fen <= PER_PERSON_CEILING_FEN else (None, _PER_PERSON)
    if spec.kind is Kind.BOOL:
        return (value, None) if isinstance(value, bool) else (None, "must be true or false")
    if spec.kind is Kind.CHOICE:
        return (value, None) if value in spec.choices else (None, f"must be one of {', '.join(spec.choices)}")
    if spec.kind is Kind.PHONE:
        ok = isinstance(value, str) and len(value) <= 20 and _PHONE.fullmatch(value) is not None
        return (value, None) if ok else (None, 'must be a telephone number such as "0355-2021234"')
    assert spec.high is not None
    if spec.kind is Kind.INT:
        if not _is_int(value):
            return None, "must be a whole number"
        if not spec.low <= value <= spec.high:
            return None, f"must be between {spec.low} and {spec.high}"
        return value, None
    if not isinstance(value, list) or not all(_is_int(v) for v in value):
        return None, "must be a list of whole percentages"
    if not spec.low <= len(value) <= spec.high:
        return None, f"must list {spec.low} to {spec.high} monthly percentages"
    if not all(0 <= v <= 100 for v in value):
        return None, "every percentage must be between 0 and 100"
    return list(value), None


class FigureError(TypedDict):
    """One refused figure, as a 422's `errors` names it."""

    loc: list[str]
    msg: str
    type: str


def read_figures(figures: Mapping[str, Any]) -> dict[str, StoredFigure]:
    """Stored name → stored value of every API figure; any bad figure refuses them all (422 `invalid_figure`)."""
    values: dict[str, StoredFigure] = {}
    errors: list[FigureError] = []
    for name, value in figures.items():
        stored = stored_name(name)
        problem: str | None
        if stored is None:
            problem = "is not a figure of the standards"
        else:
            kept, problem = _stored_value(SPECS[stored], value)
            if kept is not None:
                values[stored] = kept
        if problem is not None:
            kind = AmountAboveCeiling.code if problem == _PER_PERSON else "invalid_figure"
            errors.append({"loc": ["body", "figures", name], "msg": problem, "type": kind})
    village, township = values.get("village_report_due_day"), values.get("township_report_due_day")
    if isinstance(village, int) and isinstance(township, int) and township < village:
        # Townships forward the villages' reports, so their day cannot come first (seed 001: 20th, then 25th).
        errors.append(
            {
                "loc": ["body", "figures", "township_report_due_day"],
                "msg": "must not be earlier than village_report_due_day",
                "type": "invalid_figure",
            }
        )
    if errors:
        # `amount_above_ceiling` when that is all that is wrong, so a client can tell a typo of scale from the rest.
        kinds = {e["type"] for e in errors}
        invalid = AboveCeiling if kinds == {AmountAboveCeiling.code} else InvalidFigure
        raise invalid(f"{len(errors)} figure(s) are not valid", errors=errors)
    return values


def shown_value(stored: str, value: Any) -> FigureValue:
    """The API form of a stored value."""
    if stored.endswith(_MONEY_SUFFIX) and _is_int(value):
        return Money.from_fen(value).to_str()
    shown: FigureValue = value
    return shown


class StandardsIn(Input):
    """Figures of one region prefix from one date; rows are never overwritten, a change is a new date."""

    region_prefix: Prefix
    effective_from: CivilDate
    figures: dict[str, Any] = Field(min_length=1, max_length=len(SPECS))


class FigureRowOut(BaseModel):
    id: int
    region_prefix: str
    effective_from: dt.date
    name: str
    value: FigureValue
    created_by: str
    created_at: AwareDatetime


class FiguresAdded(BaseModel):
    items: list[FigureRowOut]


class FigureInForce(BaseModel):
    # All three null: no row up the prefix chain sets the figure.
    value: FigureValue | None
    region_prefix: str | None
    effective_from: dt.date | None


class StandardsInForce(BaseModel):
    region_code: str
    on: dt.date
    figures: dict[str, FigureInForce]
