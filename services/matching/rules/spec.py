"""The language rules are written in (DOMAIN.md §5: a source, a predicate over the record and the person's current
status, a severity and a suggested action). Rules are rows, validated by these models on the way in, and turned into
SQL by `compile` from a whitelist of columns and operators: a rule can never carry SQL of its own."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from libs.contracts.dates import bounded_date
from libs.contracts.models import Input
from libs.contracts.money import Money
from libs.contracts.programs import Program
from libs.contracts.text import clean_line
from services.matching.sources import RECORD_FIELDS, SOURCES, FieldKind

# What a predicate may look at besides the record: the person's household as it is now.
CONTEXT_FIELDS = ("household_size",)
Scalar = str | int | bool


class RuleKind(StrEnum):
    RECORD = "record"  # one hit per matching record (per person, rule and evidence)
    DEATH = "death"  # a member's record is a death: death-detected, not a hit
    HOUSEHOLD_COUNT = "household_count"  # one hit per household holding at least N distinct records


class Role(StrEnum):
    MEMBER = "member"  # a recipient or a member of a recipient household (or of an application)
    OBLIGOR = "obligor"  # a legal supporter living apart (dibao and tekun)


class Severity(StrEnum):
    HIGH = "high"  # stop in principle, or the person has died
    MEDIUM = "medium"  # income or household composition to be checked
    LOW = "low"  # a warning to look at


class Op(StrEnum):
    EQ = "eq"
    NE = "ne"
    IN = "in"
    NOT_IN = "not_in"
    GTE = "gte"
    LTE = "lte"
    # A date within `years`/`months`/`days` before the feed's as-of date (inclusive), and not after it.
    WITHIN = "within"
    ON_OR_BEFORE_AS_OF = "on_or_before_as_of"
    ON_OR_AFTER_AS_OF = "on_or_after_as_of"


class Condition(Input):
    field: str
    op: Op
    value: Scalar | None = None
    values: tuple[str, ...] = ()
    years: int = Field(default=0, ge=0, le=100)
    months: int = Field(default=0, ge=0, le=1200)
    days: int = Field(default=0, ge=0, le=36500)
    # For the as-of comparisons: an empty date passes (an open-ended prison term, say).
    or_null: bool = False

    @model_validator(mode="after")
    def _check(self) -> Condition:
        if self.field not in RECORD_FIELDS and self.field not in CONTEXT_FIELDS:
            raise ValueError(f"unknown field {self.field!r}")
        if self.value is not None:
            self.typed_value()  # a value the column cannot be compared with is refused here, not at run time
        if self.values and self.kind not in (FieldKind.TEXT, FieldKind.CHOICE):
            raise ValueError(f"in / not_in compare text; {self.field!r} is not text")
        if self.op in (Op.IN, Op.NOT_IN) and not self.values:
            raise ValueError(f"{self.op.value} needs values")
        if self.op in (Op.EQ, Op.NE, Op.GTE, Op.LTE) and self.value is None:
            raise ValueError(f"{self.op.value} needs a value")
        if self.op is Op.WITHIN and not (self.years or self.months or self.days):
            raise ValueError("within needs years, months or days")
        return self

    @property
    def kind(self) -> FieldKind | None:
        return RECORD_FIELDS.get(self.field)

    def typed_value(self) -> object:
        """`value` as the column holds it: a date from YYYY-MM-DD, money in fen from a decimal string of yuan
        ("1000.00", as on every API), a boolean, a whole number for household_size, text as it is."""
        value = self.value
        match self.kind:
            case FieldKind.DATE:
                if not isinstance(value, str):
                    raise ValueError(f"{self.field!r} takes a date (YYYY-MM-DD)")
                return bounded_date(dt.date.fromisoformat(value))
            case FieldKind.MONEY:
                if not isinstance(value, str):
                    raise ValueError(f'{self.field!r} takes an amount as a decimal string, e.g. "1000.00"')
                return Money.from_str(value).fen
            case FieldKind.BOOL:
                if not isinstance(value, bool):
                    raise ValueError(f"{self.field!r} takes true or false")
                return value
            case None:
                if isinstance(value, bool) or not isinstance(value, int):
                    raise ValueError(f"{self.field!r} takes a whole number")
                return value
            case _:
                if not isinstance(value, str):
                    raise ValueError(f"{self.field!r} takes text")
                return value


class Aggregate(Input):
    distinct: str
    at_least: int = Field(ge=2, le=100)

    @model_validator(mode="after")
    def _check(self) -> Aggregate:
        if self.distinct not in RECORD_FIELDS:
            raise ValueError(f"unknown field {self.distinct!r}")
        return self


RuleId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{2,63}$")]


def _required_line(value: str) -> str:
    line = clean_line(value)
    if not line:
        raise ValueError("must not be empty")
    return line


# One line from an administrator, stripped of invisible characters (libs.contracts.text).
Text = Annotated[str, StringConstraints(max_length=500), AfterValidator(_required_line)]


class RuleSpec(Input):
    id: RuleId
    source: str
    kind: RuleKind = RuleKind.RECORD
    roles: tuple[Role, ...] = (Role.MEMBER,)
    # Only households paid under one of these programs; empty: any program.
    programs: tuple[Program, ...] = ()
    conditions: tuple[Condition, ...] = ()
    aggregate: Aggregate | None = None
    # The record fields that make two hits "the same evidence"; empty: all of the source's fields.
    evidence_fields: tuple[str, ...] = ()
    severity: Severity
    suggested_action: Text
    description: Text
    enabled: bool = True

    @model_validator(mode="after")
    def _check(self) -> RuleSpec:
        spec = SOURCES.get(self.source)
        if spec is None:
            raise ValueError(f"unknown source {self.source!r}")
        own = set(spec.columns) | set(CONTEXT_FIELDS)
        for condition in self.conditions:
            if condition.field not in own:
                raise ValueError(f"{condition.field!r} is not a field of {self.source}")
        for name in self.evidence_fields:
            if name not in spec.columns:
                raise ValueError(f"{name!r} is not a field of {self.source}")
        if (self.kind is RuleKind.HOUSEHOLD_COUNT) != (self.aggregate is not None):
            raise ValueError("an aggregate goes with kind household_count, and only with it")
        if self.aggregate is not None and self.aggregate.distinct not in spec.columns:
            raise ValueError(f"{self.aggregate.distinct!r} is not a field of {self.source}")
        if self.kind is RuleKind.DEATH and not spec.reports_death:
            raise ValueError(f"{self.source} does not report deaths")
        return self
