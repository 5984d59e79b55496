"""Rules into SQL over `matched`: the records of one feed (or of the latest feeds) joined to the people watched.

`matched` is a temporary table built once per run, so however many rules a source has, its registry rows are
scanned once; each rule is then a filter on a few thousand rows. Only whitelisted columns and operators reach SQL
(`RuleSpec` checked them), and every value is a bound parameter.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    ColumnElement,
    Date,
    Integer,
    MetaData,
    Table,
    Text,
    and_,
    cast,
    false,
    func,
    literal,
    or_,
    true,
)
from sqlalchemy.dialects.postgresql import ARRAY

from services.matching.feeds.models import records
from services.matching.rules.spec import Condition, Op, Role, RuleSpec
from services.matching.sources import SOURCES, FieldKind

matched = Table(
    "matched",
    MetaData(),
    Column("feed_no", BigInteger),
    Column("feed_id", Text),
    Column("source", Text),
    Column("as_of", Date),
    # Then every column of a record, as the records table has it.
    *(Column(c.name, c.type) for c in records.columns if c.name != "feed_no"),
    # Who the person is to the household (or application) they are watched for.
    Column("role", Text),
    Column("household_id", Text),
    Column("application_id", Text),
    Column("region_code", Text),
    Column("household_size", Integer),
    Column("programs", ARRAY(Text)),
    prefixes=["TEMPORARY"],
)


def _stored(name: str) -> str:
    return "monthly_amount_fen" if name == "monthly_amount" else name


def _column(name: str) -> ColumnElement[Any]:
    return matched.c[_stored(name)]


def _interval(c: Condition) -> ColumnElement[Any]:
    return func.make_interval(c.years, c.months, 0, c.days)


def _condition(c: Condition) -> ColumnElement[bool]:
    col = _column(c.field)
    as_of = matched.c.as_of
    match c.op:
        case Op.EQ:
            return col == c.typed_value()
        case Op.NE:
            return or_(col.is_(None), col != c.typed_value())
        case Op.IN:
            return col.in_(c.values)
        case Op.NOT_IN:
            return or_(col.is_(None), col.not_in(c.values))
        case Op.GTE:
            return col >= c.typed_value()
        case Op.LTE:
            return col <= c.typed_value()
        case Op.WITHIN:
            since = cast(as_of - _interval(c), Date)
            return and_(col >= since, col <= as_of)
        case Op.ON_OR_BEFORE_AS_OF:
            clause = col <= as_of
        case Op.ON_OR_AFTER_AS_OF:
            clause = col >= as_of
    return or_(col.is_(None), clause) if c.or_null else and_(col.is_not(None), clause)


def predicate(rule: RuleSpec, roles: tuple[Role, ...] | None = None) -> ColumnElement[bool]:
    """Whether a `matched` row satisfies `rule` (its source, roles, programs and conditions)."""
    clauses: list[ColumnElement[bool]] = [matched.c.source == rule.source]
    wanted = [r.value for r in (roles or rule.roles)]
    clauses.append(matched.c.role.in_(wanted) if wanted else false())
    if rule.programs:
        clauses.append(matched.c.programs.overlap(cast([p.value for p in rule.programs], ARRAY(Text))))
    clauses.extend(_condition(c) for c in rule.conditions)
    return and_(true(), *clauses)


def evidence_fields(rule: RuleSpec) -> list[str]:
    return list(rule.evidence_fields) or list(SOURCES[rule.source].columns)


def evidence_key(rule: RuleSpec) -> ColumnElement[str]:
    """What makes two records the same evidence for `rule`: its evidence fields, as text."""
    return func.concat_ws("|", *(cast(_column(name), Text) for name in evidence_fields(rule)))


def evidence(rule: RuleSpec) -> ColumnElement[Any]:
    """The registry record as the township sees it: the feed, the row, the masked name and the source's fields."""
    pairs: list[Any] = [
        "source",
        matched.c.source,
        "feed_id",
        matched.c.feed_id,
        "as_of",
        matched.c.as_of,
        "row",
        matched.c.row_no,
        "name",
        matched.c.name_masked,
    ]
    for spec in SOURCES[rule.source].fields:
        value: Any = _column(spec.name)
        if spec.kind is FieldKind.MONEY:
            value = func.to_char(value / literal(100.0), "FM999999999990.00")
        pairs += [spec.name, value]
    return func.jsonb_strip_nulls(func.jsonb_build_object(*pairs))
